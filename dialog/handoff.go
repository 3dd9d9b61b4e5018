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

// SummaryRequest is what a handoff's request asked of its summary: what
// telling it again needs (WaitingSummary).
type SummaryRequest struct {
	Reason string   `json:"reason,omitempty"`
	Share  []string `json:"share,omitempty"`
	// Auto: the summary is the automatic one (HandoffRequest.AutoSummary).
	Auto bool `json:"auto,omitempty"`
}

// summaryRequest is what req asked of its summary; for no request (an event
// without one), a summary that is not told again. Never nil, so that a
// state says it knows.
func summaryRequest(req *HandoffRequest) *SummaryRequest {
	if req == nil {
		return &SummaryRequest{}
	}
	s := &SummaryRequest{Reason: req.Reason, Auto: req.AutoSummary}
	if len(req.Share) > 0 {
		// Not shared with the event, and nil for none, as JSON gives it back.
		s.Share = slices.Clone(req.Share)
	}
	return s
}

// WaitingSummary is the automatic summary of the handoff st is handed off
// to, told again from the session as it stands: a customer who writes while
// waiting for an agent moves the conversation on (more messages, an upset
// one), and the agent who takes it reads the summary first. It is "" for a
// handoff whose summary is not the automatic one (a bot's own template, or
// one opened before handoffs said which), which stays as it was. known is
// false when st does not say what the handoff asked (a state stored before
// states kept it): see KeepHandoffRequest.
func WaitingSummary(bot *policies.Bot, st State) (summary string, known bool) {
	h := st.HandoffSummary
	if h == nil {
		return "", !st.HandedOff
	}
	if !h.Auto || !slices.Contains(h.Share, "summary") {
		return "", true
	}
	return summarize(bot, st.Session, h.Reason, st.Language, summaryShare{
		values: slices.Contains(h.Share, "slots"),
		words:  slices.Contains(h.Share, "transcript"),
	}), true
}

// KeepHandoffRequest is st, handed off by req (the log's last
// handoff_requested event's, nil for none), as states fold it now: for a
// state stored before they kept what the handoff asked of its summary, so
// that the log is read for it once.
func KeepHandoffRequest(st State, req *HandoffRequest) State {
	if st.HandedOff {
		st.HandoffSummary = summaryRequest(req)
	}
	return st
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
