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
func approvalIn(q string) func(*dialog.Event) {
	return func(e *dialog.Event) {
		e.Approval = &dialog.ApprovalRecord{Request: "e1"}
		e.Effect = &dialog.Effect{ID: "e1", Kind: dialog.EffectApproval, Approval: &dialog.ApprovalRequest{Queue: q, Reason: "over 5000"}}
	}
}
func decided(decision string) func(*dialog.Event) {
	return func(e *dialog.Event) {
		e.Approval = &dialog.ApprovalRecord{Request: "e1", ID: "ap1", Decision: decision}
	}
}

// refundAsking is a refund dialog whose rule asked a supervisor to approve
// the refund and completed (the call waits for the decision).
func refundAsking() []dialog.Event {
	return []dialog.Event{
		ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("refund")), ev(dialog.EventDialogStarted, 0, inDialog("refund")),
		ev(dialog.EventRuleApplied, 1, inDialog("refund"), outcomeOf("done")), ev(dialog.EventApprovalRequested, 1, approvalIn("supervisors")),
		ev(dialog.EventDialogCompleted, 1, inDialog("refund")),
	}
}

func ticketOpened(m int) []dialog.Event {
	return []dialog.Event{
		ev(dialog.EventTicketRequested, m, func(e *dialog.Event) {
			e.Effect = &dialog.Effect{Kind: dialog.EffectTicket, Ticket: &dialog.TicketRequest{Queue: "refund_review", Priority: "high"}}
		}),
		ev(dialog.EventTicketOpened, m, func(e *dialog.Event) { e.TicketID = "t1" }),
	}
}

func concat(lists ...[]dialog.Event) []dialog.Event {
	var out []dialog.Event
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

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
		{"an approval asked, the dialog completed: approval, not resolved by the bot",
			refundAsking(), true, [][2]any{{int64(1), outcome.Approval}}},
		{"an approval asked and decided before it settled: still approval", concat(refundAsking(), []dialog.Event{
			ev(dialog.EventApprovalDecided, 5, decided(dialog.ApprovalApproved)), ev(dialog.EventRuleApplied, 5, func(e *dialog.Event) { e.Rule = "waive" }),
		}), true, [][2]any{{int64(1), outcome.Approval}}},
		{"an approval and a ticket: ticket", concat(refundAsking(), ticketOpened(2)), true, [][2]any{{int64(1), outcome.Ticket}}},
		{"an approval, then handed to an agent who closes it: resolved by an agent", concat(refundAsking(), []dialog.Event{
			ev(dialog.EventMessageReceived, 2), ev(dialog.EventHandoffRequested, 2, handoffTo("general")),
			ev(dialog.EventAgentJoined, 3), ev(dialog.EventHandoffClosed, 6),
		}), false, [][2]any{{int64(1), outcome.AgentResolved}}},
		{"an approval, then the customer left mid-way through another dialog: approval", concat(refundAsking(), []dialog.Event{
			ev(dialog.EventMessageReceived, 2), ev(dialog.EventDialogStarted, 2, inDialog("refund")),
		}), true, [][2]any{{int64(1), outcome.Approval}}},
		{"the conversation ended, then the refund was approved: still approval", concat(refundAsking(), []dialog.Event{
			ev(dialog.EventConversationEnded, 2),
			ev(dialog.EventApprovalDecided, 90, decided(dialog.ApprovalApproved)), ev(dialog.EventRuleApplied, 90, func(e *dialog.Event) { e.Rule = "waive" }),
		}), false, [][2]any{{int64(1), outcome.Approval}}},
		{"the conversation ended, then the refund was rejected: still approval", concat(refundAsking(), []dialog.Event{
			ev(dialog.EventConversationEnded, 2), ev(dialog.EventApprovalDecided, 90, decided(dialog.ApprovalRejected)),
		}), false, [][2]any{{int64(1), outcome.Approval}}},
		{"quiet, then the approval expired and on_expire opened a ticket: revised to ticket", concat(refundAsking(), []dialog.Event{
			ev(dialog.EventSessionExpired, 40), ev(dialog.EventApprovalDecided, 48*60, decided(dialog.ApprovalExpired)),
		}, ticketOpened(48*60)), false, [][2]any{{int64(1), outcome.Ticket}}},
		{"approved after the customer came back: the new contact is the bot's", concat(refundAsking(), []dialog.Event{
			ev(dialog.EventSessionExpired, 40), ev(dialog.EventMessageReceived, 50), ev(dialog.EventIntentRecognized, 50, intent("hours")),
			ev(dialog.EventApprovalDecided, 51, decided(dialog.ApprovalApproved)),
		}), true, [][2]any{{int64(1), outcome.Approval}, {int64(8), outcome.BotResolved}}},
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

// A request that needed a person's approval was not resolved by the bot
// alone, so it never draws the after_bot survey, even once decided.
func TestBotJustResolved(t *testing.T) {
	bot, _ := policies.LoadFiles(map[string][]byte{"bot.hcl": []byte(src)}, policies.Options{})
	completed := []dialog.Event{
		ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("refund")), ev(dialog.EventDialogStarted, 0, inDialog("refund")),
		ev(dialog.EventRuleApplied, 1, inDialog("refund"), outcomeOf("done")), ev(dialog.EventDialogCompleted, 1, inDialog("refund")),
	}
	tests := []struct {
		name   string
		events []dialog.Event
		want   bool
	}{
		{"a dialog completed", completed, true},
		{"a dialog completed after asking for an approval", refundAsking(), false},
		{"a ticket opened, then the dialog completed", concat(completed[:4], ticketOpened(1), completed[4:]), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, before := fold(t, bot, tc.events[:len(tc.events)-1], false)
			_, after := fold(t, bot, tc.events, false)
			if got := outcome.BotJustResolved(before, after); got != tc.want {
				t.Errorf("BotJustResolved = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestContactIntent: the contact's intent is the first one the bot acted
// on. A message the knowledge base answered in place of its intent (a
// Chinese intent not settled) leaves it to the next message, as the turn
// itself reports no intent.
func TestContactIntent(t *testing.T) {
	bot, diags := policies.LoadFiles(map[string][]byte{"bot.hcl": []byte(src)}, policies.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	tests := []struct {
		name   string
		events []dialog.Event
		want   string
	}{
		{"acted on", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("refund")), ev(dialog.EventDialogStarted, 0, inDialog("refund")),
		}, "refund"},
		{"the knowledge base answered instead", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("hours")), ev(dialog.EventKnowledgeAnswered, 0),
		}, ""},
		{"the next intent counts", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("hours")), ev(dialog.EventKnowledgeAnswered, 0),
			ev(dialog.EventMessageReceived, 1), ev(dialog.EventIntentRecognized, 1, intent("refund")),
		}, "refund"},
		{"a later knowledge answer keeps the first intent", []dialog.Event{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("refund")),
			ev(dialog.EventMessageReceived, 1), ev(dialog.EventKnowledgeAnswered, 1),
		}, "refund"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, c := fold(t, bot, tc.events, false)
			if c.Intent != tc.want {
				t.Errorf("intent = %q, want %q", c.Intent, tc.want)
			}
		})
	}
}
