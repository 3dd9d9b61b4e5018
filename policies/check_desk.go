package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// walkApproval visits a call's approval: its reason is said before the call
// runs (in), on_approve once it ran (ran), on_reject and on_expire without it.
func walkApproval(cl *Call, expr func(hcl.Expression, exprKind, *typeScope), actions func(*Actions, *typeScope, string), in, ran *typeScope, owner string) {
	ap := cl.Approval
	if ap == nil {
		return
	}
	expr(ap.Reason, kindText, in)
	for _, d := range []struct {
		block string
		then  *Actions
		sc    *typeScope
	}{{"on_approve", ap.OnApprove, ran}, {"on_reject", ap.OnReject, in}, {"on_expire", ap.OnExpire, in}} {
		if d.then != nil {
			actions(d.then, d.sc, fmt.Sprintf("%s of call %q in %s", d.block, cl.Name, owner))
		}
	}
}

// walkTickets visits the tickets block's notices (responses, in the shared
// scope) and the triage conditions (outside any dialog).
func walkTickets(b *Bot, expr func(hcl.Expression, exprKind, *typeScope), msg func(**Message, *typeScope), scopes *scopeSet) {
	if b.Tickets != nil {
		for _, ev := range TicketEvents {
			if m, ok := b.Tickets.Notify[ev]; ok {
				msg(&m, scopes.shared)
				b.Tickets.Notify[ev] = m
			}
		}
	}
	for _, tr := range b.Triage {
		expr(tr.When, kindCondition, scopes.global)
	}
}

// checkApprovals allows approvals only on the calls of rules and outcomes:
// elsewhere (a dialog's own calls, error handlers, after a decision) nothing
// could go on while a person decides. It warns when a decision would leave
// the customer without a word.
func (c *checker) checkApprovals() {
	misplaced := func(cl *Call, where string) {
		if cl != nil && cl.Approval != nil {
			c.errorf(cl.Approval.Range, "Approval not allowed here",
				"Call %q is %s, where nothing can wait for a person's decision; approvals go on the calls of rules and outcomes.", cl.Name, where)
		}
	}
	var inside func(a *Actions, where string)
	handlers := func(cl *Call) {
		for _, h := range cl.Handlers() {
			inside(h, "in an error handler")
		}
		if cl.Approval != nil {
			for _, h := range cl.Approval.Handlers() {
				inside(h, "in an approval's on_approve, on_reject or on_expire")
			}
		}
	}
	inside = func(a *Actions, where string) {
		if a == nil {
			return
		}
		for _, cl := range a.Calls {
			misplaced(cl, where)
			handlers(cl)
		}
	}
	top := func(a *Actions) {
		for _, cl := range a.Calls {
			c.checkApproval(cl)
			handlers(cl)
		}
	}
	for _, dl := range c.bot.Dialogs {
		for _, cl := range dl.Calls {
			misplaced(cl, "a dialog's own call")
			handlers(cl)
		}
		for _, s := range dl.Slots {
			inside(s.OnExhausted, "in an on_exhausted block")
		}
		if dl.Confirm != nil {
			inside(dl.Confirm.OnNo, "in an on_no block")
		}
		for _, o := range dl.Outcomes {
			top(&o.Actions)
		}
	}
	for _, r := range c.bot.Rules {
		top(&r.Actions)
	}
}

// checkApproval warns about decisions the customer would not hear of.
func (c *checker) checkApproval(cl *Call) {
	ap := cl.Approval
	if ap == nil {
		return
	}
	if ap.OnApprove == nil || ap.OnApprove.Reply == nil && ap.OnApprove.Handoff == nil && ap.OnApprove.Start == "" {
		c.warnf(ap.Range, "Approval without a reply", "When call %q is approved and done, the customer is told nothing; add on_approve { reply = ... }.", cl.Name)
	}
	if ap.OnReject == nil || ap.OnReject.Reply == nil && ap.OnReject.Handoff == nil && ap.OnReject.Start == "" {
		c.warnf(ap.Range, "Approval without a reply", "When call %q is rejected, the customer is told nothing; add on_reject { reply = ... }.", cl.Name)
	}
}
