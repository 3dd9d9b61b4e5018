package dialog

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The handoff summary tells the dialog the customer came for, not the NLU's
// guess at the button they pressed: a refund confirmed with "Yes, refund it"
// (payload "yes", which the NLU scores track_order 0.15) once read
// `Intent: track_order (0.15). ... Last message: "yes".` A button is
// recorded by its label. (TestHandoffSummary: the rest of the summary.)
func TestHandoffSummaryIntentAndButtonLabel(t *testing.T) {
	c := newConvo(t, loadBot(t, "testdata/summary"), "summary")
	c.send(say("refund AB123456", intent("refund", 0.93), ent("order_id", "AB123456")))
	tn := c.send(say("yes", ent("yes_no", "yes"), intent("track_order", 0.15)))
	if tn.Handoff == nil {
		t.Fatalf("no handoff: %+v", tn)
	}
	want := `Completed refund (order_id AB123456), asked as "refund AB123456". Reason: refund.review.`
	if tn.Handoff.Summary != want {
		t.Errorf("summary = %q, want %q", tn.Handoff.Summary, want)
	}
	if got := c.st.Last.Label; got != "Yes, refund it" {
		t.Errorf("the message's label = %q, want the button's", got)
	}

	// The request for a person is not repeated; typed text that is no
	// button has no label.
	c = newConvo(t, loadBot(t, shopDir), "summary-2")
	tn = c.send(say("I want to talk to a human", intent("human", 0.9)))
	if want := "The handoff came at the customer's first message, before the bot did anything. Reason: asked_for_human."; tn.Handoff == nil || tn.Handoff.Summary != want {
		t.Errorf("handoff = %+v, want summary %q", tn.Handoff, want)
	}
	if c.st.Last.Label != "" {
		t.Errorf("typed text has label %q", c.st.Last.Label)
	}
}

// A customer waiting for a person hears where they stand, and "cancel" takes
// them out of the queue; once an agent has them, the bot says nothing.
func TestWaitingInTheQueue(t *testing.T) {
	bot := loadBot(t, shopDir)
	waiting := func(in Input, q *QueueStatus) Input { in.Queue = q; return in }
	second := &QueueStatus{Queue: "general", Position: 2, Wait: 3 * time.Minute, Available: 1}

	c := newConvo(t, bot, "wait")
	if tn := c.send(say("human please", intent("human", 0.9))); tn.Handoff == nil {
		t.Fatalf("no handoff: %+v", tn)
	}
	tn := c.send(waiting(say("hello? anyone there?"), second))
	if diff := cmp.Diff([]string{`You're number 2 in the queue; the wait is about 3 minutes. Reply "cancel" to leave the queue.`}, tn.Replies); diff != "" {
		t.Errorf("position (-want +got):\n%s", diff)
	}
	tn = c.send(waiting(say("还要多久", lang("zh")), &QueueStatus{Queue: "general", Position: 1}))
	if diff := cmp.Diff([]string{"您是下一位，请稍候。回复“取消”可退出排队。"}, tn.Replies); diff != "" {
		t.Errorf("next, in Chinese (-want +got):\n%s", diff)
	}
	tn = c.send(waiting(say("前面几个人", lang("zh")), second))
	if diff := cmp.Diff([]string{"您排在第 2 位。预计等待约 3 分钟。回复“取消”可退出排队。"}, tn.Replies); diff != "" {
		t.Errorf("position, in Chinese (-want +got):\n%s", diff)
	}
	tn = c.send(waiting(say("hello?"), &QueueStatus{Queue: "general", Position: 4}))
	if diff := cmp.Diff([]string{`You're number 4 in the queue. No one is available right now; we'll answer as soon as someone is. Reply "cancel" to leave the queue.`}, tn.Replies); diff != "" {
		t.Errorf("nobody available (-want +got):\n%s", diff)
	}
	if !c.st.HandedOff {
		t.Fatal("a question about the wait left the queue")
	}

	tn = c.send(waiting(say("cancel", cancel()), second))
	if diff := cmp.Diff([]string{EventMessageReceived, EventQueueLeft, EventReplySent}, tn.eventTypes()); diff != "" {
		t.Errorf("cancel: events (-want +got):\n%s", diff)
	}
	if c.st.HandedOff || c.st.HandoffQueue != "" {
		t.Errorf("after cancel: handed off %v to %q", c.st.HandedOff, c.st.HandoffQueue)
	}
	if len(tn.Replies) != 1 || !strings.Contains(tn.Replies[0], "left the queue") {
		t.Errorf("cancel replies = %q", tn.Replies)
	}
	// The bot has the customer again.
	if tn := c.send(say("where is my order", intent("track_order", 0.9))); len(tn.Replies) == 0 {
		t.Error("the bot does not answer after the customer left the queue")
	}

	// With an agent, messages are theirs: no queue facts, no reply, and
	// "cancel" is said to the agent.
	c = newConvo(t, bot, "with-agent")
	c.send(say("human please", intent("human", 0.9)))
	c.send(Input{Agent: &AgentAction{Kind: AgentJoined, Agent: "ann", Name: "Ann"}})
	if tn := c.send(say("cancel", cancel())); len(tn.Replies) != 0 || !c.st.HandedOff {
		t.Errorf("with an agent, cancel: replies %q, handed off %v", tn.Replies, c.st.HandedOff)
	}
}

// The web chat's "Leave the queue" button: the same as "cancel", and a repeat
// (or a leave after an agent joined) does nothing.
func TestLeaveQueueInput(t *testing.T) {
	bot := loadBot(t, "testdata/inbox")
	c := newConvo(t, bot, "leave")
	c.send(say("human please", intent("human", 0.9)))
	tn := c.send(Input{LeaveQueue: true})
	if diff := cmp.Diff([]string{EventQueueLeft, EventReplySent}, tn.eventTypes()); diff != "" {
		t.Errorf("leave (-want +got):\n%s", diff)
	}
	if tn := c.send(Input{LeaveQueue: true}); len(tn.Events) != 0 {
		t.Errorf("a second leave: %v", tn.eventTypes())
	}
	c = newConvo(t, bot, "leave-late")
	c.send(say("human please", intent("human", 0.9)))
	c.send(Input{Agent: &AgentAction{Kind: AgentJoined, Agent: "ann", Name: "Ann"}})
	if tn := c.send(Input{LeaveQueue: true}); len(tn.Events) != 1 || tn.Events[0].Type != EventError || !c.st.HandedOff {
		t.Errorf("leave with an agent: %v, handed off %v", tn.eventTypes(), c.st.HandedOff)
	}
}

// A value button pressed as "/lost", the slash form of an intent button that
// tests and some channels write for every press, is still a press: the
// Chinese customer is answered in Chinese, not in the English the NLU reads.
func TestSlashedValueButtonKeepsLanguage(t *testing.T) {
	c := newConvo(t, loadBot(t, "testdata/button_language"), "slashed")
	steps := []struct {
		in   Input
		want []string
	}{
		{say("我要索赔", intent("claim", 0.9), lang("zh")), []string{"包裹丢失还是破损？"}},
		{say("/lost", ent("claim_reason", "lost"), lang("en")), []string{"确认提交理赔？"}},
		{say("/yes", ent("yes_no", "yes"), lang("en")), []string{"已提交。"}},
	}
	for i, s := range steps {
		if diff := cmp.Diff(s.want, c.send(s.in).Replies); diff != "" {
			t.Errorf("message %d (-want +got):\n%s", i+1, diff)
		}
	}
}

// A button's payload is no language of the customer's: a Chinese customer who
// presses 丢失 (payload "lost") and 确认 (payload "yes") is answered in
// Chinese, not in the English the NLU reads in those payloads. What they type
// in English still switches the conversation to English.
func TestButtonPayloadKeepsLanguage(t *testing.T) {
	c := newConvo(t, loadBot(t, "testdata/button_language"), "buttons")
	steps := []struct {
		in   Input
		want []string
	}{
		{say("我要索赔", intent("claim", 0.9), lang("zh")), []string{"包裹丢失还是破损？"}},
		{say("lost", ent("claim_reason", "lost")), []string{"确认提交理赔？"}},
		{say("yes", ent("yes_no", "yes")), []string{"已提交。"}},
		{say("I want compensation", intent("claim", 0.9)), []string{"Was the parcel lost or damaged?"}},
	}
	for i, s := range steps {
		if diff := cmp.Diff(s.want, c.send(s.in).Replies); diff != "" {
			t.Errorf("message %d (-want +got):\n%s", i+1, diff)
		}
	}
}
