package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/policies"
)

// whyState is the reason when nothing in the turn itself differs: an
// earlier turn left the conversation somewhere else.
const whyState = "an earlier turn left the conversation in a different state (dialog, slots)"

// why explains a difference in input i: the intent acted on, the rules and
// handoff policies that applied (with their conditions, as written in the new
// policies), tickets, calls, knowledge answers and responses.
func (r *replay) why(i int, old, now turnTrace) []string {
	bot := r.p.bot
	var out []string
	if r.live != nil && i == len(r.spans)-1 {
		hint := "-mocks answers it from the bot's top-level mock blocks, if one matches"
		if r.p.useMocks {
			hint = "no top-level mock block matches it"
		}
		out = append(out, "needs a live answer: "+r.live.String()+" was never recorded ("+hint+")")
	}
	if r.err != nil && i == len(r.spans)-1 {
		out = append(out, "the replay broke off: "+r.err.Error())
	}
	if old.intent != now.intent {
		out = append(out, fmt.Sprintf("intent: %s, now %s", intentText(old.intent, old.confidence, old, 0), intentText(now.intent, now.confidence, now, bot.ConfidenceThreshold)))
	}
	if old.knowledge != now.knowledge {
		switch {
		case now.knowledge == "":
			out = append(out, fmt.Sprintf("no longer answered from the knowledge base (was %s)", old.knowledge))
		default:
			out = append(out, fmt.Sprintf("answered from the knowledge base: %s", now.knowledge))
		}
	}
	for _, h := range now.rules {
		if !hasRule(old.rules, h) {
			out = append(out, fmt.Sprintf("%s applies%s", ruleName(h), condition(bot, h)))
		}
	}
	for _, h := range old.rules {
		if !hasRule(now.rules, h) {
			out = append(out, fmt.Sprintf("%s no longer applies%s", ruleName(h), condition(bot, h)))
		}
	}
	switch {
	case now.handoff != nil && (old.handoff == nil || old.handoff.Queue != now.handoff.Queue || old.handoff.Reason != now.handoff.Reason):
		out = append(out, "handed to queue "+now.handoff.Queue+handoffReason(bot, now.handoff.Reason))
	case now.handoff == nil && old.handoff != nil:
		out = append(out, "no longer handed to queue "+old.handoff.Queue+handoffReason(bot, old.handoff.Reason))
	}
	if !slices.Equal(old.tickets, now.tickets) {
		out = append(out, fmt.Sprintf("tickets: %s, now %s", ticketsText(old, now, old), ticketsText(old, now, now)))
	}
	if !slices.Equal(old.calls, now.calls) {
		out = append(out, fmt.Sprintf("calls: %s, now %s", listText(old.calls), listText(now.calls)))
	}
	out = append(out, changedResponses(old.replies, now.replies)...)
	if len(out) == 0 && !sameReplies(old.replies, now.replies) {
		out = append(out, whyState)
	}
	return out
}

func intentText(name string, confidence float64, t turnTrace, threshold float64) string {
	if name != "" {
		return fmt.Sprintf("%s (%.2f)", name, confidence)
	}
	if t.top != "" && threshold > 0 {
		return fmt.Sprintf("not understood (best %s at %.2f, below %.2f)", t.top, t.topConfidence, threshold)
	}
	return "not understood"
}

func hasRule(hits []ruleHit, h ruleHit) bool {
	return slices.ContainsFunc(hits, func(x ruleHit) bool { return x.key() == h.key() })
}

func ruleName(h ruleHit) string {
	if h.kind == "outcome" {
		return fmt.Sprintf("outcome %q of dialog %s", h.name, h.dialog)
	}
	return "rule " + h.name
}

// condition is ": when = ..." for a rule or outcome of the new policies, or
// a note that it is gone.
func condition(bot *policies.Bot, h ruleHit) string {
	if h.kind == "rule" {
		for _, rule := range bot.Rules {
			if rule != nil && rule.Name == h.name {
				return whenText(bot, rule.When)
			}
		}
		return " (the new policies have no such rule)"
	}
	for _, d := range bot.Dialogs {
		if d == nil || d.Name != h.dialog {
			continue
		}
		for _, o := range d.Outcomes {
			if o != nil && o.Name == h.name {
				return whenText(bot, o.When)
			}
		}
	}
	return " (the new policies have no such outcome)"
}

func handoffReason(bot *policies.Bot, reason string) string {
	if reason == "" {
		return ""
	}
	for _, p := range bot.Handoffs {
		if p != nil && p.Name == reason {
			return fmt.Sprintf(" (handoff %s%s)", p.Name, whenText(bot, p.When))
		}
	}
	return " (" + reason + ")"
}

func whenText(bot *policies.Bot, expr hcl.Expression) string {
	if expr == nil {
		return ""
	}
	if text := sourceText(bot, expr.Range()); text != "" {
		return ": when " + text
	}
	return ""
}

// sourceText is the text of rng in the bot's sources, on one line.
func sourceText(bot *policies.Bot, rng hcl.Range) string {
	f := bot.Files[rng.Filename]
	if f == nil || rng.End.Byte > len(f.Bytes) || rng.Start.Byte >= rng.End.Byte {
		return ""
	}
	return strings.Join(strings.Fields(string(f.Bytes[rng.Start.Byte:rng.End.Byte])), " ")
}

// changedResponses names the responses whose text changed while the same
// response was said.
func changedResponses(old, now []dialog.Reply) []string {
	var out []string
	for i := range min(len(old), len(now)) {
		if old[i].Response != "" && old[i].Response == now[i].Response && old[i].Text != now[i].Text {
			out = append(out, "response "+now[i].Response+" reads differently")
		}
	}
	return out
}

// ticketsText lists t's tickets by queue. A ticket asked for by a rule or
// outcome that applies on both sides names it: nothing else in the why
// says which rule now opens (or no longer opens) the ticket.
func ticketsText(old, now, t turnTrace) string {
	items := slices.Clone(t.tickets)
	for i, by := range t.ticketsBy {
		if by.name != "" && hasRule(old.rules, by) && hasRule(now.rules, by) {
			items[i] += " (" + ruleName(by) + ")"
		}
	}
	return listText(items)
}

func listText(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
