package policies

import (
	"github.com/hashicorp/hcl/v2"
)

// decodeTicketPriority reads a turn's ticket_priority: the priority of the
// ticket the turn opens in its ticket queue, as a rule's priority, a VIP's or
// the queue's own decided it.
func decodeTicketPriority(turn *TestTurn, attrs hcl.Attributes, te *testEval) hcl.Diagnostics {
	attr, ok := attrs["ticket_priority"]
	if !ok {
		return nil
	}
	value, diags := testPriority(attr, te, "ticket priority")
	if value == "" {
		return diags
	}
	// A ticket attribute that could not be read has its own error.
	if _, given := attrs["ticket"]; !given || turn.Ticket == "none" {
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Ticket priority without a ticket",
			Detail:   "ticket_priority checks the ticket this turn opens: say in which queue with ticket = queue.NAME as well.",
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	turn.TicketPriority = value
	return diags
}
