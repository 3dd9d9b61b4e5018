package policies

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// checkCallsReadTicket warns about a call that reads ticket.* in an action
// list that opens a ticket. Actions run in a fixed order, calls before the
// ticket, whatever order they are written in, so the call is sent ticket.id
// as "" — which passes every test that doesn't look at the call's input.
func (c *checker) checkCallsReadTicket() {
	c.walk(visitor{actions: func(a *Actions, _ *typeScope) {
		if a.Ticket == nil {
			return
		}
		for _, cl := range a.Calls {
			for _, e := range []hcl.Expression{cl.Input, cl.IdempotencyKey} {
				if e == nil {
					continue
				}
				for _, trav := range e.Variables() {
					if trav.RootName() != "ticket" {
						continue
					}
					name := "ticket"
					if len(trav) > 1 {
						if attr, ok := trav[1].(hcl.TraverseAttr); ok {
							name = strings.Join([]string{"ticket", attr.Name}, ".")
						}
					}
					c.warnf(trav.SourceRange(), "Ticket not opened yet",
						"Call %q reads %s, but the actions of a block run in a fixed order, calls first and then the ticket, whatever order they are written in: the call gets \"\". Leave it out (the ticket links to the conversation), or give the system a key it can match instead, such as conversation.id.",
						cl.Name, name)
				}
			}
		}
	}}, newScopeSet(c.bot))
}
