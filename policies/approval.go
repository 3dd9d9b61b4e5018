package policies

import (
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Approval makes a call wait for a person's decision: the engine asks the
// queue's approvers, and runs the call exactly as asked only once one of them
// approves. Only the calls of rules and outcomes can need approval.
type Approval struct {
	Queue     string         // where the request waits
	Role      string         // the least role that may decide: agent, supervisor or admin
	Reason    hcl.Expression // a template: why it needs approval, for the approver
	ExpiresIn time.Duration  // an undecided request expires after this
	// What happens after the decision: on approval, after the call succeeded
	// (its on_CODE handlers take failures); on rejection; on expiry (nil:
	// OnReject).
	OnApprove *Actions
	OnReject  *Actions
	OnExpire  *Actions
	Range     hcl.Range
}

// Approver roles, weakest first.
var approverRoles = []string{"agent", "supervisor", "admin"}

// Defaults of an approval block.
const (
	DefaultApprovalRole    = "supervisor"
	DefaultApprovalExpires = 24 * time.Hour
)

// Handlers lists the approval's action blocks that are given.
func (a *Approval) Handlers() []*Actions {
	var out []*Actions
	for _, h := range []*Actions{a.OnApprove, a.OnReject, a.OnExpire} {
		if h != nil {
			out = append(out, h)
		}
	}
	return out
}

// Decided is what happens after decision: approved, rejected or expired.
func (a *Approval) Decided(decision string) *Actions {
	switch decision {
	case "approved":
		return a.OnApprove
	case "rejected":
		return a.OnReject
	case "expired":
		if a.OnExpire != nil {
			return a.OnExpire
		}
		return a.OnReject
	}
	return nil
}

var approvalSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "queue", Required: true},
		{Name: "role"},
		{Name: "reason", Required: true},
		{Name: "expires_in"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "on_approve"}, {Type: "on_reject"}, {Type: "on_expire"}},
}

// decodeApproval reads a call's approval block. owner and dialog are the
// call's, for its action blocks.
func (d *decoder) decodeApproval(block *hcl.Block, owner, dialog string) (*Approval, hcl.Diagnostics) {
	a := &Approval{Role: DefaultApprovalRole, ExpiresIn: DefaultApprovalExpires, Range: block.DefRange}
	content, diags := block.Body.Content(approvalSchema)
	attrs := content.Attributes
	if attr, ok := attrs["queue"]; ok {
		q, more := decodeRef(attr.Expr, "queue")
		diags = append(diags, more...)
		if q != "" {
			d.ref("queue", q, attr.Expr.Range())
			a.Queue = q
		}
	}
	if attr, ok := attrs["role"]; ok {
		r, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		if present {
			if bad := oneOf(attr, r, approverRoles, "role"); bad != nil {
				diags = append(diags, bad...)
			} else {
				a.Role = r
			}
		}
	}
	a.Reason = exprOrNil(attrs, "reason")
	var more hcl.Diagnostics
	a.ExpiresIn, more = attrDuration(attrs, "expires_in", DefaultApprovalExpires)
	diags = append(diags, more...)
	for _, b := range []struct {
		typ string
		dst **Actions
	}{{"on_approve", &a.OnApprove}, {"on_reject", &a.OnReject}, {"on_expire", &a.OnExpire}} {
		blk, more := singleBlock(content.Blocks, b.typ)
		diags = append(diags, more...)
		if blk != nil {
			*b.dst, more = d.decodeActionsBlock(blk, owner, dialog)
			diags = append(diags, more...)
		}
	}
	return a, diags
}

// Decisions a test turn can play.
var decisions = []string{"approved", "rejected", "expired"}

// decodeDecision reads a test turn's decision, which plays a person's answer
// to the approval the bot asked for instead of a customer's message. Like the
// turn's other values, it may read each.key and each.value.
func decodeDecision(turn *TestTurn, attrs hcl.Attributes, block *hcl.Block, te *testEval) hcl.Diagnostics {
	attr, ok := attrs["decision"]
	_, hasUser := attrs["user"]
	switch {
	case !ok && !hasUser:
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Missing required argument",
			Detail:   `A turn plays the customer's message, user = "...", or a person's decision on an approval, decision = "approved".`,
			Subject:  block.Body.MissingItemRange().Ptr(),
		}}
	case !ok:
		return nil
	case hasUser:
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Conflicting turn",
			Detail:   "A turn is either the customer's message (user) or a person's decision on an approval (decision), not both.",
			Subject:  attr.NameRange.Ptr(),
		}}
	}
	s, present, diags := te.string(attr.Expr)
	if diags.HasErrors() {
		return diags
	}
	if !present {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid decision",
			Detail:   "The decision is null; use one of approved, rejected, expired.",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	if bad := oneOf(attr, s, decisions, "decision"); bad != nil {
		return append(diags, bad...)
	}
	turn.Decision = s
	return diags
}
