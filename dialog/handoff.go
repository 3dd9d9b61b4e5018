package dialog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/policies"
)

// ---- handoff ----

type handoffOrder struct {
	queue, priority, reason string
	share                   []string
	summary                 hcl.Expression
}

// handoff passes the conversation to a person, first saying reply, the handoff's
// announcement. Unless the handoff comes from a handoff rule itself, the handoff
// rules may replace it (after hours: take a message); the announcement is then
// not said, since the rule says what happens instead.
func (d *decider) handoff(h handoffOrder, reply []*policies.Message, viaRules bool) {
	priority := h.priority
	if priority == "" {
		priority = d.queuePriority(h.queue)
	}
	if viaRules {
		// The rules see the handoff they decide about as handoff.*.
		pending := &HandoffRef{Queue: h.queue, Priority: priority, Reason: h.reason}
		d.deciding = pending
		d.scopeChanged()
		for _, r := range d.bot.Rules {
			if r == nil || r.On.Kind != "handoff" || (r.Once && d.st.Fired["rule "+r.Name]) || !d.cond(r.When, "rule "+r.Name) {
				continue
			}
			// Reason keeps which handoff the rule replaced, for the audit trail.
			d.emit(Event{Type: EventRuleApplied, Rule: r.Name, Reason: h.reason, Amount: d.amount(r.Reporting.Amount, "rule "+r.Name)})
			d.pushRun(Run{Ref: ActionsRef{Kind: refRule, Name: r.Name}, ForHandoff: true, Handoff: pending})
			d.deciding = nil
			return
		}
		d.deciding = nil
		d.scopeChanged()
	}
	d.sayAll(reply)
	req := &HandoffRequest{Queue: h.queue, Priority: priority, Reason: h.reason, Share: slices.Clone(h.share)}
	if q := d.bot.Queues[h.queue]; q != nil {
		req.Skill = q.Skill
	}
	if req.Share == nil {
		req.Share = []string{"transcript", "slots", "summary"}
	}
	frame := d.scopeFrame()
	if slices.Contains(req.Share, "slots") && frame != nil && len(frame.Slots) > 0 {
		req.Slots = map[string]string{}
		for k, v := range frame.Slots {
			req.Slots[k] = v.Value
		}
	}
	if slices.Contains(req.Share, "summary") {
		if h.summary != nil {
			s, diags := d.env().Render(h.summary)
			if diags.HasErrors() {
				d.evalError("handoff summary", diags)
			}
			req.Summary = s
		}
		if strings.TrimSpace(req.Summary) == "" {
			req.Summary = d.autoSummary(frame)
		}
	}
	d.emit(Event{Type: EventHandoffRequested, Effect: &Effect{ID: d.nextID(), Kind: EffectHandoff, Handoff: req}})
}

// autoSummary tells an agent at a glance what the customer wanted.
func (d *decider) autoSummary(f *Frame) string {
	var parts []string
	// Only an intent the bot understood: the NLU's best guess at "yes" is noise.
	if name := d.intent(); name != "" {
		parts = append(parts, fmt.Sprintf("Intent: %s (%.2f).", name, d.st.Last.Confidence))
	}
	if f != nil {
		parts = append(parts, "Dialog: "+f.Dialog+".")
		if len(f.Slots) > 0 {
			var kv []string
			for _, k := range sortedKeys(f.Slots) {
				kv = append(kv, k+"="+f.Slots[k].Value)
			}
			parts = append(parts, "Slots: "+strings.Join(kv, ", ")+".")
		}
	}
	if l := d.st.Last; l != nil && strings.TrimSpace(l.Text) != "" {
		parts = append(parts, fmt.Sprintf("Last message: %q.", or(l.Label, l.Text)))
	}
	if len(parts) == 0 {
		return "The customer asked for a person."
	}
	return strings.Join(parts, " ")
}
