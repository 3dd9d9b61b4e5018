package plan

import (
	"slices"

	"github.com/parleyhq/parley/dialog"
)

// turnTrace is what one input led to, in the terms the plan compares:
// replies, the intent acted on, rules, handoffs, tickets, calls.
type turnTrace struct {
	replies []dialog.Reply
	// intent is the intent the bot acted on ("" none); top is the NLU's best
	// guess, confident or not.
	intent, top               string
	confidence, topConfidence float64
	notUnderstood             bool
	rules                     []ruleHit
	handoff                   *dialog.HandoffRequest
	tickets                   []string  // queues
	ticketsBy                 []ruleHit // the rule or outcome that asked for each ticket, if any
	calls                     []string  // connector.operation
	knowledge                 string    // the chunk the answer came from
}

// ruleHit is a rule or dialog outcome that applied.
type ruleHit struct {
	kind   string // rule, outcome
	name   string
	dialog string
	amount *float64
}

func (h ruleHit) key() ruleKey { return ruleKey{h.kind, h.name, h.dialog} }

type ruleKey struct{ kind, name, dialog string }

func traceOf(events []dialog.Event) turnTrace {
	var t turnTrace
	lastRule := -1 // the rule or outcome whose actions follow
	for _, ev := range events {
		switch ev.Type {
		case dialog.EventMessageReceived:
			if ev.Message != nil {
				t.top, t.topConfidence = ev.Message.Intent, ev.Message.Confidence
			}
		case dialog.EventIntentRecognized:
			t.intent, t.confidence = ev.Intent, ev.Confidence
		case dialog.EventNotUnderstood:
			t.notUnderstood = true
		case dialog.EventReplySent:
			if ev.Effect != nil && ev.Effect.Reply != nil {
				t.replies = append(t.replies, *ev.Effect.Reply)
			}
		case dialog.EventRuleApplied:
			h := ruleHit{kind: "rule", name: ev.Rule, dialog: ev.Dialog, amount: ev.Amount}
			if ev.Rule == "" {
				h.kind, h.name = "outcome", ev.Outcome
			}
			t.rules = append(t.rules, h)
			lastRule = len(t.rules) - 1
		case dialog.EventHandoffRequested:
			if ev.Effect != nil && ev.Effect.Handoff != nil {
				t.handoff = ev.Effect.Handoff
			}
		case dialog.EventTicketRequested:
			if ev.Effect != nil && ev.Effect.Ticket != nil {
				t.tickets = append(t.tickets, ev.Effect.Ticket.Queue)
				var by ruleHit
				if lastRule >= 0 {
					by = t.rules[lastRule]
				}
				t.ticketsBy = append(t.ticketsBy, by)
			}
		case dialog.EventCallRequested:
			if ev.Effect != nil && ev.Effect.Call != nil {
				t.calls = append(t.calls, ev.Effect.Call.Connector+"."+ev.Effect.Call.Operation)
			}
		case dialog.EventKnowledgeAnswered:
			if ev.Knowledge != nil {
				t.knowledge = ev.Knowledge.ChunkID
			}
		}
	}
	return t
}

// sameReplies: the customer saw the same words and buttons.
func sameReplies(a, b []dialog.Reply) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Text != b[i].Text || len(a[i].Buttons) != len(b[i].Buttons) {
			return false
		}
		for j := range a[i].Buttons {
			if a[i].Buttons[j] != b[i].Buttons[j] {
				return false
			}
		}
	}
	return true
}

// sameActions: the bot did the same: the same rules and outcomes applied,
// and it opened the same tickets, handed off to the same queue and made the
// same calls. A ticket a change adds is a change even when no reply says so.
func sameActions(a, b turnTrace) bool {
	sameRule := func(x, y ruleHit) bool { return x.key() == y.key() }
	return slices.EqualFunc(a.rules, b.rules, sameRule) && slices.Equal(a.tickets, b.tickets) && slices.Equal(a.calls, b.calls) &&
		(a.handoff == nil) == (b.handoff == nil) && (a.handoff == nil || a.handoff.Queue == b.handoff.Queue)
}

func replyTexts(rs []dialog.Reply) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return out
}
