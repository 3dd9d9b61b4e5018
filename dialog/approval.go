package dialog

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/policies"
)

// Approval events. The request holds what the dialog needs to carry on after
// the decision, so the log alone rebuilds the waiting approvals.
const (
	EventApprovalRequested = "approval_requested"
	EventApprovalDecided   = "approval_decided"
)

// Decisions on an approval.
const (
	ApprovalApproved = "approved"
	ApprovalRejected = "rejected"
	ApprovalExpired  = "expired"
)

// ApprovalRequest asks people to approve a call before it runs (the effect of
// an approval_requested event).
type ApprovalRequest struct {
	Call      CallRequest   `json:"call"`
	Queue     string        `json:"queue"`
	Role      string        `json:"role"`
	Reason    string        `json:"reason"`
	ExpiresIn time.Duration `json:"expires_in"`
}

// ApprovalDecision is a person's decision on an approval the bot asked for.
type ApprovalDecision struct {
	ApprovalID string // the store's id, kept in the log
	Request    string // the id of the approval_requested effect it answers
	Decision   string // approved, rejected or expired
	Agent      string // who decided; "" for an expiry
	Note       string
}

// ApprovalRecord is what the log and the state keep of an approval: on
// request, the action list whose call waits (Ref, with ApprovalOf), the call
// as asked and the slots and calls its templates read; on decision, the
// decision and the store's id.
type ApprovalRecord struct {
	Request  string       `json:"request"`
	ID       string       `json:"id,omitempty"`
	Decision string       `json:"decision,omitempty"`
	Ref      *ActionsRef  `json:"ref,omitempty"`
	Call     *CallRequest `json:"call,omitempty"`
	Frame    *Frame       `json:"frame,omitempty"`
}

// approvalStep handles a call of a run that has to do with approvals: the
// approved call itself, which runs exactly as asked, or a call that needs an
// approval, which is asked for instead of run. It reports whether it did.
func (d *decider) approvalStep(r *Run, c *policies.Call) bool {
	switch {
	case r.Ref.ApprovalOf > 0 && r.CallIndex == 0 && r.Approved != nil:
		d.emitCall(*r.Approved, Resume{})
		return true
	case c.Approval == nil:
		return false
	case r.Ref.ApprovalOf > 0 || r.Ref.OnErrorOf > 0 || r.Ref.Kind != refRule && r.Ref.Kind != refOutcome:
		// parley validate refuses this; a call that needs approval never runs without it.
		d.abortRun(fmt.Sprintf("call %s needs an approval, which only rules and outcomes can ask for", c.Name))
		return true
	}
	req, ok := d.callRequest(c)
	if !ok {
		d.abortRun("call input")
		return true
	}
	ap := c.Approval
	reason, diags := d.env().Render(ap.Reason)
	if diags.HasErrors() {
		d.evalError("reason of the approval of call "+c.Name, diags)
	}
	if strings.TrimSpace(reason) == "" {
		reason = fmt.Sprintf("%s.%s needs approval", c.Connector, c.Operation)
	}
	ref := r.Ref
	ref.ApprovalOf = r.CallIndex + 1
	frame := d.approvalFrame()
	r.CallIndex++ // the rest of the list goes on now; what follows the decision, later
	id := d.nextID()
	d.emit(Event{
		Type:     EventApprovalRequested,
		Approval: &ApprovalRecord{Request: id, Ref: &ref, Call: &req, Frame: &frame},
		Effect: &Effect{ID: id, Kind: EffectApproval, Approval: &ApprovalRequest{
			Call: req, Queue: ap.Queue, Role: ap.Role, Reason: reason, ExpiresIn: ap.ExpiresIn,
		}},
	})
	return true
}

// approvalFrame is what templates read now, kept for what follows the
// decision: the dialog's slots and calls with the running lists' calls.
func (d *decider) approvalFrame() Frame {
	var f Frame
	if sf := d.scopeFrame(); sf != nil {
		f = cloneFrame(*sf)
	}
	f.Asking = ""
	for _, r := range d.runs {
		for k, c := range r.Calls {
			f.Calls = setMap(f.Calls, k, c)
		}
	}
	return f
}

// onApproval carries out a decision: on approval the call runs exactly as
// asked, then the approval's on_approve (its on_CODE handlers take failures);
// on rejection or expiry, on_reject or on_expire. It goes on while a person
// has the conversation, or after it ended: the customer must hear of it.
func (d *decider) onApproval(a *ApprovalDecision) {
	i := slices.IndexFunc(d.st.Approvals, func(r ApprovalRecord) bool { return r.Request == a.Request })
	if i < 0 {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("approval %s is not awaited (decided already?)", a.Request)})
		return
	}
	if !slices.Contains([]string{ApprovalApproved, ApprovalRejected, ApprovalExpired}, a.Decision) {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("unknown decision %q on approval %s", a.Decision, a.Request)})
		return
	}
	rec := d.st.Approvals[i]
	if p := d.st.Pending; p != nil {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("effect %s was still awaited when a decision arrived; abandoned", p.Effect.ID), Abandon: true})
	}
	d.emit(Event{Type: EventApprovalDecided, Agent: a.Agent, Note: a.Note, Approval: &ApprovalRecord{Request: rec.Request, ID: a.ApprovalID, Decision: a.Decision}})
	if rec.Ref == nil {
		return
	}
	ref := *rec.Ref
	ref.Decision = a.Decision
	var frame Frame
	if rec.Frame != nil {
		frame = cloneFrame(*rec.Frame)
	}
	run := Run{Ref: ref, Frame: &frame}
	if a.Decision == ApprovalApproved && rec.Call != nil {
		call := *rec.Call
		run.Approved = &call
	}
	d.pushRun(run)
	d.scopeChanged()
	d.loop()
}

// carryingOutDecision reports whether a run follows a decision on an
// approval, which goes on whatever became of the conversation meanwhile.
func (d *decider) carryingOutDecision() bool {
	for _, r := range d.runs {
		if r.Ref.ApprovalOf > 0 {
			return true
		}
	}
	return false
}

// decidedActions is what follows the decision on the approval of a call of
// acts: on approval the call itself, then on_approve.
func decidedActions(acts *policies.Actions, ref ActionsRef) *policies.Actions {
	i := ref.ApprovalOf - 1
	if i >= len(acts.Calls) || acts.Calls[i] == nil || acts.Calls[i].Approval == nil {
		return nil
	}
	c := acts.Calls[i]
	out := &policies.Actions{Range: c.Approval.Range}
	if then := c.Approval.Decided(ref.Decision); then != nil {
		*out = *then
	}
	if ref.Decision == ApprovalApproved {
		out.Calls = append([]*policies.Call{c}, out.Calls...)
	}
	return out
}

// applyApproval folds the approval events: a request waits in the state until
// its decision.
func applyApproval(st State, ev Event) State {
	if ev.Approval == nil {
		return st
	}
	switch ev.Type {
	case EventApprovalRequested:
		rec := *ev.Approval
		if rec.Frame != nil {
			f := cloneFrame(*rec.Frame)
			rec.Frame = &f
		}
		st.Approvals = append(slices.Clone(st.Approvals), rec)
	case EventApprovalDecided:
		st.Approvals = slices.DeleteFunc(slices.Clone(st.Approvals), func(r ApprovalRecord) bool { return r.Request == ev.Approval.Request })
		if len(st.Approvals) == 0 {
			st.Approvals = nil
		}
	}
	return st
}
