package dialog

import (
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
	if slices.Contains(req.Share, "slots") {
		req.Slots = handoffSlots(d.st.Session, frame)
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
			req.Summary, req.AutoSummary = d.autoSummary(h.reason, req.Share), true
		}
	}
	d.emit(Event{Type: EventHandoffRequested, Effect: &Effect{ID: d.nextID(), Kind: EffectHandoff, Handoff: req}})
}

// autoSummary tells an agent at a glance what the customer wanted and what
// the bot already did in the session (see summarize).
func (d *decider) autoSummary(reason string, share []string) string {
	return summarize(d.bot, d.st.Session, reason, d.st.Language, summaryShare{
		values: slices.Contains(share, "slots"),
		words:  slices.Contains(share, "transcript"),
	})
}

// WaitingSummary is the automatic summary of handoff req told again from
// the session as it stands in st: a customer who writes while waiting for an
// agent moves the conversation on (more messages, an upset one), and the
// agent who takes it reads the summary first. It is "" for a handoff whose
// summary is not the automatic one (a bot's own template, or one opened
// before handoffs said which), which stays as it was.
func WaitingSummary(bot *policies.Bot, st State, req *HandoffRequest) string {
	if req == nil || !req.AutoSummary || !slices.Contains(req.Share, "summary") {
		return ""
	}
	return summarize(bot, st.Session, req.Reason, st.Language, summaryShare{
		values: slices.Contains(req.Share, "slots"),
		words:  slices.Contains(req.Share, "transcript"),
	})
}

// handoffSlots are the values the customer gave in the session, the latest
// per slot whichever dialog asked, and the handing-off dialog's own: a
// customer who had the bot track order AB123456 and then asked for a person
// is still talking about AB123456, though that dialog is done. Nil: none.
func handoffSlots(log *SessionLog, frame *Frame) map[string]string {
	var slots map[string]string
	set := func(k, v string) {
		if slots == nil {
			slots = map[string]string{}
		}
		slots[k] = v
	}
	if log != nil {
		for _, n := range log.Notes {
			for k, v := range n.Slots {
				set(k, v)
			}
		}
	}
	if frame != nil {
		for k, v := range frame.Slots {
			set(k, v.Value)
		}
	}
	return slots
}
