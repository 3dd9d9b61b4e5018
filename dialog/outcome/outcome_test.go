package outcome_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/policies"
)

const src = `
bot "t" {
  languages       = ["en"]
  session_timeout = "30m"
}
intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}
intent "refund" {
  examples = ["refund please", "I want my money back", "refund my order", "give me a refund", "can I get a refund"]
}
answer "hours" {
  intent = intent.hours
  reply  = "9 to 6"
}
intent "hello" {
  examples = ["hello", "hi", "good morning", "hi there", "hey"]
}
answer "hello" {
  intent   = intent.hello
  reply    = "Hi! How can I help?"
  resolves = false
}
dialog "refund" {
  trigger = [intent.refund]
  outcome "refused" {
    when     = false
    resolves = false
    reply    = "no"
  }
  outcome "done" {
    reply = "ok"
  }
}
rule "waive" {
  on       = message
  when     = false
  resolves = true
  reply    = "waived"
}
`

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// ev makes an event at minute m.
func ev(typ string, m int, f ...func(*dialog.Event)) dialog.Event {
	e := dialog.Event{Type: typ, At: t0.Add(time.Duration(m) * time.Minute)}
	for _, fn := range f {
		fn(&e)
	}
	return e
}

func intent(name string) func(*dialog.Event)   { return func(e *dialog.Event) { e.Intent = name } }
func inDialog(name string) func(*dialog.Event) { return func(e *dialog.Event) { e.Dialog = name } }
func outcomeOf(name string) func(*dialog.Event) {
	return func(e *dialog.Event) { e.Outcome = name }
}
func handoffTo(q string) func(*dialog.Event) {
	return func(e *dialog.Event) {
		e.Effect = &dialog.Effect{Kind: dialog.EffectHandoff, Handoff: &dialog.HandoffRequest{Queue: q, Reason: "asked_for_human"}}
	}
}
func score(n int) func(*dialog.Event) { return func(e *dialog.Event) { e.Score = n } }

// fold applies events and then, when sweep, settles the last contact 31
// minutes after the last event; it returns every contact settled, in order,
// as (seq, outcome) pairs, and the contact left.
func fold(t *testing.T, bot *policies.Bot, events []dialog.Event, sweep bool) ([][2]any, *outcome.Contact) {
	t.Helper()
	var c *outcome.Contact
	var settled [][2]any
	record := func(s *outcome.Contact) {
		for i, p := range settled {
			if p[0] == s.Seq {
				settled[i][1] = s.Outcome // a revision
				return
			}
		}
		settled = append(settled, [2]any{s.Seq, s.Outcome})
	}
	for i, e := range events {
		cur, prev := outcome.Apply(bot, c, e, int64(i+1))
		if prev != nil {
			record(prev)
		}
		if cur != nil && cur.Settled() {
			record(cur)
		}
		c = cur
	}
	if sweep && c != nil {
		if due := c.Due(bot); !due.IsZero() {
			if s := c.Settle(due.Add(time.Second)); s != nil {
				record(s)
				c = s
			}
		}
	}
	return settled, c
}

func TestOutcomes(t *testing.T) {
	bot, diags := policies.LoadFiles(map[string][]byte{"bot.hcl": []byte(src)}, policies.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	tests := []struct {
		name   string
		events []dialog.Event
		sweep  bool
		want   [][2]any
	}{
		{"a dialog completed, then quiet: resolved by the bot", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("refund")), ev(dialog.EventDialogStarted, 0, inDialog("refund")),
			ev(dialog.EventRuleApplied, 1, inDialog("refund"), outcomeOf("done")), ev(dialog.EventDialogCompleted, 1, inDialog("refund")),
		}, true, [][2]any{{int64(1), outcome.BotResolved}}},
		{"an outcome marked resolves = false: not resolved", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventDialogStarted, 0, inDialog("refund")),
			ev(dialog.EventRuleApplied, 1, inDialog("refund"), outcomeOf("refused")), ev(dialog.EventDialogCompleted, 1, inDialog("refund")),
		}, true, [][2]any{{int64(1), outcome.Unresolved}}},
		{"an answer block's intent: resolved", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("hours")),
		}, true, [][2]any{{int64(1), outcome.BotResolved}}},
		{"a greeting's answer marked resolves = false: nothing asked, nothing resolved", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("hello")),
		}, true, [][2]any{{int64(1), outcome.Abandoned}}},
		{"a greeting, then a question answered: resolved", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("hello")),
			ev(dialog.EventMessageReceived, 1), ev(dialog.EventIntentRecognized, 1, intent("hours")),
		}, true, [][2]any{{int64(1), outcome.BotResolved}}},
		{"a knowledge answer: resolved", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventKnowledgeAnswered, 0),
		}, true, [][2]any{{int64(1), outcome.BotResolved}}},
		{"not understood, then quiet", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventNotUnderstood, 0), ev(dialog.EventUnanswered, 0),
		}, true, [][2]any{{int64(1), outcome.NotUnderstood}}},
		{"left mid-dialog: abandoned, even after an earlier answer", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("hours")),
			ev(dialog.EventMessageReceived, 1), ev(dialog.EventDialogStarted, 1, inDialog("refund")),
		}, true, [][2]any{{int64(1), outcome.Abandoned}}},
		{"a ticket", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventTicketRequested, 0, func(e *dialog.Event) {
				e.Effect = &dialog.Effect{Kind: dialog.EffectTicket, Ticket: &dialog.TicketRequest{Queue: "refund_review", Priority: "high"}}
			}), ev(dialog.EventTicketOpened, 0, func(e *dialog.Event) { e.TicketID = "t1" }),
		}, true, [][2]any{{int64(1), outcome.Ticket}}},
		{"handed off, nobody came: abandoned in queue", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventHandoffRequested, 0, handoffTo("general")),
		}, true, [][2]any{{int64(1), outcome.AbandonedInQueue}}},
		{"an agent picks it up after it settled: revised to resolved by an agent", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventHandoffRequested, 0, handoffTo("general")),
			// (the sweep would happen here; the events below come 40 minutes later)
			ev(dialog.EventAgentJoined, 40), ev(dialog.EventAgentMessage, 41), ev(dialog.EventHandoffClosed, 45),
		}, false, [][2]any{{int64(1), outcome.AgentResolved}}},
		{"the session expired: the next message is a new contact", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("hours")),
			ev(dialog.EventSessionExpired, 60), ev(dialog.EventMessageReceived, 60), ev(dialog.EventNotUnderstood, 60),
		}, true, [][2]any{{int64(1), outcome.BotResolved}, {int64(4), outcome.NotUnderstood}}},
		{"closed by an agent, then the survey answer revises it", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventHandoffRequested, 0, handoffTo("general")),
			ev(dialog.EventAgentJoined, 2), ev(dialog.EventHandoffClosed, 5), ev(dialog.EventSurveyRequested, 5),
			ev(dialog.EventMessageReceived, 6), ev(dialog.EventSatisfactionRecorded, 6, score(4)),
		}, false, [][2]any{{int64(1), outcome.AgentResolved}}},
		{"closed, then a new request instead of a score: a new contact", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventHandoffRequested, 0, handoffTo("general")),
			ev(dialog.EventAgentJoined, 2), ev(dialog.EventHandoffClosed, 5), ev(dialog.EventSurveyRequested, 5),
			ev(dialog.EventMessageReceived, 6), ev(dialog.EventSurveySkipped, 6), ev(dialog.EventIntentRecognized, 6, intent("hours")),
		}, true, [][2]any{{int64(1), outcome.AgentResolved}, {int64(6), outcome.BotResolved}}},
		{"the conversation ended: settled at once", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("hours")), ev(dialog.EventConversationEnded, 0),
		}, false, [][2]any{{int64(1), outcome.BotResolved}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := fold(t, bot, tc.events, tc.sweep)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("settled (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContactFigures(t *testing.T) {
	bot, _ := policies.LoadFiles(map[string][]byte{"bot.hcl": []byte(src)}, policies.Options{})
	_, c := fold(t, bot, []dialog.Event{
		ev(dialog.EventMessageReceived, 0), ev(dialog.EventHandoffRequested, 1, handoffTo("general")),
		ev(dialog.EventAgentJoined, 3), ev(dialog.EventAgentMessage, 4), ev(dialog.EventHandoffClosed, 10), ev(dialog.EventSurveyRequested, 10),
		ev(dialog.EventSatisfactionRecorded, 11, score(2), func(e *dialog.Event) { e.Comment = "slow" }),
	}, false)
	qw, _ := c.QueueWait()
	fr, _ := c.FirstAgentReply()
	ht, _ := c.HandlingTime()
	got := []any{c.Outcome, qw, fr, ht, c.Queue, c.Reason, c.Score, c.Comment, c.SurveyAsked}
	want := []any{outcome.AgentResolved, 2 * time.Minute, 3 * time.Minute, 7 * time.Minute, "general", "asked_for_human", 2, "slow", true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
	// An agent has it: it is never due for the sweeper.
	_, open := fold(t, bot, []dialog.Event{ev(dialog.EventMessageReceived, 0), ev(dialog.EventHandoffRequested, 1, handoffTo("general")), ev(dialog.EventAgentJoined, 3)}, false)
	if due := open.Due(bot); !due.IsZero() {
		t.Errorf("due = %v with an agent on it, want never", due)
	}
	c.ObserveReply(700 * time.Millisecond)
	c.ObserveReply(40 * time.Second)
	if diff := cmp.Diff([]int{0, 1, 0, 0, 0, 0, 0, 1}, c.ReplyBuckets); diff != "" {
		t.Errorf("reply buckets (-want +got):\n%s", diff)
	}
}

func TestSampled(t *testing.T) {
	n := 0
	for i := range 10000 {
		if outcome.Sampled("conv-"+string(rune('a'+i%26))+time.Duration(i).String(), int64(i), 0.2) {
			n++
		}
	}
	if n < 1800 || n > 2200 {
		t.Errorf("sampled %d of 10000 at 0.2", n)
	}
	if outcome.Sampled("x", 1, 0) || !outcome.Sampled("x", 1, 1) {
		t.Error("rates 0 and 1 must never and always sample")
	}
	first := outcome.Sampled("c7", 3, 0.5)
	for range 10 {
		if outcome.Sampled("c7", 3, 0.5) != first {
			t.Fatal("the same contact drew differently")
		}
	}
}
