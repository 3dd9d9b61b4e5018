package dialog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Calls branch on the error code: on_not_found, on_unavailable, then on_error.
func TestErrorCodeHandlers(t *testing.T) {
	bot := loadBot(t, "testdata/inbox")
	c := newConvo(t, bot, "codes")

	tn := c.send(say("track ZZ999999", intent("track", 0.9), ent("order_id", "ZZ999999")))
	if diff := cmp.Diff([]string{"No order ZZ999999.", "Order number?"}, tn.Replies); diff != "" {
		t.Errorf("not found (-want +got):\n%s", diff)
	}
	tn = c.send(say("AB123456", ent("order_id", "AB123456")))
	if diff := cmp.Diff([]string{"Our order system is down; I've passed this on."}, tn.Replies); diff != "" {
		t.Errorf("unavailable (-want +got):\n%s", diff)
	}
	if tn.Handoff == nil || tn.Handoff.Queue != "general" {
		t.Errorf("handoff = %+v, want the general queue", tn.Handoff)
	}
}

// An agent joins, talks, notes, and closes; the bot then asks for a score and
// records the answer once.
func TestAgentAndSurvey(t *testing.T) {
	bot := loadBot(t, "testdata/inbox")
	c := newConvo(t, bot, "agent")
	if tn := c.send(say("human please", intent("human", 0.9))); tn.Handoff == nil {
		t.Fatalf("no handoff: %+v", tn)
	}
	steps := []struct {
		name      string
		in        Input
		replies   []string
		events    []string
		surveying bool
		agent     string
	}{
		{"joins", Input{Agent: &AgentAction{Kind: AgentJoined, Agent: "ann", Name: "Ann"}}, nil, []string{EventAgentJoined}, false, "Ann"},
		{"the bot is quiet", say("hello?"), nil, []string{EventMessageReceived}, false, "Ann"},
		{"talks", Input{Agent: &AgentAction{Kind: AgentMessage, Agent: "ann", Name: "Ann", Text: "Hi, Ann here."}}, nil, []string{EventAgentMessage}, false, "Ann"},
		{"notes", Input{Agent: &AgentAction{Kind: AgentNote, Agent: "ann", Name: "Ann", Text: "VIP, be nice"}}, nil, []string{EventAgentNote}, false, "Ann"},
		{"closes", Input{Agent: &AgentAction{Kind: AgentClosed, Agent: "ann", Name: "Ann", Survey: true}},
			[]string{`How did we do? Tap 1 (poor) to 5 (great). You can add a comment after the number, like "5 quick and friendly".`},
			[]string{EventHandoffClosed, EventSurveyRequested, EventReplySent}, true, ""},
		{"answers", say("5 quick and friendly"), []string{"Thank you for your feedback!"}, []string{EventMessageReceived, EventSatisfactionRecorded, EventReplySent}, false, ""},
	}
	for _, s := range steps {
		tn := c.send(s.in)
		if diff := cmp.Diff(s.replies, tn.Replies, stateOpts); diff != "" {
			t.Errorf("%s: replies (-want +got):\n%s", s.name, diff)
		}
		if diff := cmp.Diff(s.events, tn.eventTypes()); diff != "" {
			t.Errorf("%s: events (-want +got):\n%s", s.name, diff)
		}
		if c.st.Surveying != s.surveying || c.st.Agent != s.agent {
			t.Errorf("%s: surveying = %v, agent = %q; want %v, %q", s.name, c.st.Surveying, c.st.Agent, s.surveying, s.agent)
		}
	}
	for _, ev := range c.log {
		if ev.Type == EventSatisfactionRecorded && (ev.Score != 5 || ev.Comment != "quick and friendly") {
			t.Errorf("recorded %d %q, want 5 \"quick and friendly\"", ev.Score, ev.Comment)
		}
	}
}

// A message that is not a score ends the survey and is handled as usual.
func TestSurveySkipped(t *testing.T) {
	bot := loadBot(t, "testdata/inbox")
	c := newConvo(t, bot, "skip")
	c.send(say("human please", intent("human", 0.9)))
	c.send(Input{Agent: &AgentAction{Kind: AgentClosed, Agent: "ann", Name: "Ann", Survey: true}})
	tn := c.send(say("where is my order AB123456", intent("track", 0.9), ent("order_id", "AB123456")))
	if got := tn.eventTypes()[1]; got != EventSurveySkipped {
		t.Errorf("second event = %s, want %s", got, EventSurveySkipped)
	}
	if c.st.Surveying {
		t.Error("still surveying")
	}
}

func TestParseSatisfaction(t *testing.T) {
	tests := []struct {
		in   string
		want SatisfactionAnswer
		ok   bool
	}{
		{"5", SatisfactionAnswer{Score: 5}, true},
		{" 4 great, thanks ", SatisfactionAnswer{Score: 4, Comment: "great, thanks"}, true},
		{"3分 一般", SatisfactionAnswer{Score: 3, Comment: "一般"}, true},
		{"５", SatisfactionAnswer{Score: 5}, true},
		{"★★★★", SatisfactionAnswer{Score: 4}, true},
		{"1/5 too slow", SatisfactionAnswer{Score: 1, Comment: "5 too slow"}, true},
		{"10", SatisfactionAnswer{}, false},
		{"4.5", SatisfactionAnswer{}, false},
		{"6", SatisfactionAnswer{}, false},
		{"0", SatisfactionAnswer{}, false},
		{"where is my order", SatisfactionAnswer{}, false},
		{"", SatisfactionAnswer{}, false},
	}
	for _, tt := range tests {
		got, ok := parseSatisfaction(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseSatisfaction(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// The after_bot survey that follows an offer does not hide the offer: a "yes"
// that is no score skips the survey, and a rule on conversation.last_response
// reads the offer, as it does when no survey is drawn.
func TestSurveyKeepsLastResponse(t *testing.T) {
	c := newConvo(t, loadBot(t, "testdata/survey_offer"), "offer")
	c.send(say("when are you open", intent("hours", 0.9)))
	tn := c.send(Input{Survey: true})
	if diff := cmp.Diff([]string{"How did we do, from 1 to 5?"}, tn.Replies); diff != "" {
		t.Fatalf("survey (-want +got):\n%s", diff)
	}
	tn = c.send(say("yes", ent("yes_no", "yes")))
	if diff := cmp.Diff([]string{"Booked for 9 tomorrow."}, tn.Replies); diff != "" {
		t.Errorf("yes after the survey (-want +got):\n%s", diff)
	}
}
