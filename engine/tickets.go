package engine

import (
	"fmt"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
)

// Item kinds of the human side, shown to agents only.
const (
	KindApproval = "approval" // an approval asked for or decided
	KindTicket   = "ticket"   // a ticket of the conversation moved on
)

// TicketDue is when a ticket of queue with priority, counted from from, must
// be solved by the queue's SLA; zero when none applies.
func (e *Engine) TicketDue(queue, priority string, from time.Time) time.Time {
	if d, ok := e.bot.Queues[queue].DueIn(priority); ok {
		return from.Add(d)
	}
	return time.Time{}
}

// openTicket records the ticket a turn opens, with its SLA due time, and
// returns its id.
func (t *turn) openTicket(req dialog.TicketRequest) string {
	id := t.e.newID("ticket")
	t.result.Tickets = append(t.result.Tickets, TicketInfo{ID: id, Queue: req.Queue, Subject: req.Subject, Priority: req.Priority})
	t.rec.Tickets = append(t.rec.Tickets, store.Ticket{
		ID: id, ConversationID: t.msg.ConversationID, CustomerID: firstNonEmpty(t.msg.CustomerID, t.conv.CustomerID),
		Channel: firstNonEmpty(t.conv.Channel, t.msg.Channel), Queue: req.Queue, Subject: req.Subject, Description: req.Description,
		Priority: req.Priority, Status: "open", Language: req.Language, DueAt: t.e.TicketDue(req.Queue, req.Priority, t.now),
		CreatedAt: t.now, History: []store.StatusChange{{Status: "open", Actor: "bot", At: t.now, Field: "status", To: "open"}},
	})
	t.rec.Audit = append(t.rec.Audit, t.audit("bot", "ticket.open", map[string]any{"id": ID(id), "queue": req.Queue, "subject": req.Subject, "priority": req.Priority}))
	return id
}

// deskItem is the transcript item of an event of the human side: approvals
// and ticket updates, for agents.
func deskItem(it Item, ev dialog.Event, withNotes bool) (Item, bool) {
	if !withNotes {
		return it, false
	}
	it.From = "system"
	switch {
	case ev.Type == dialog.EventApprovalRequested && ev.Effect != nil && ev.Effect.Approval != nil:
		it.Kind, it.Text = KindApproval, "Approval asked in "+ev.Effect.Approval.Queue+": "+ev.Effect.Approval.Reason
	case ev.Type == dialog.EventApprovalDecided && ev.Approval != nil:
		it.Kind, it.Text = KindApproval, fmt.Sprintf("Approval %s %s", ev.Approval.ID, ev.Approval.Decision)
		if ev.Agent != "" {
			it.Text += " by " + ev.Agent
		}
	case ev.Type == dialog.EventTicketUpdated && ev.Ticket != nil:
		it.Kind, it.Text = KindTicket, fmt.Sprintf("Ticket %s %s", ev.Ticket.ID, ev.Ticket.Event)
	default:
		return it, false
	}
	return it, true
}
