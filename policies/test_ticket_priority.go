package policies

import (
	"slices"

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
	// A bare priority (ticket_priority = high) would be read as a variable,
	// and "no variable named high" does not say that it wants quotes.
	if word, ok := bareWord(attr.Expr); ok && slices.Contains(priorities, word) {
		return missingQuotesError(attr.Expr, word)
	}
	value, present, diags := te.string(attr.Expr)
	if !present || diags.HasErrors() {
		return diags
	}
	if more := oneOf(attr, value, priorities, "ticket priority"); more.HasErrors() {
		return append(diags, more...)
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
