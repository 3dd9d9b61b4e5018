package desk

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
)

// FieldMessage is the history entry of what the customer wrote on a ticket
// after it was filed (Note holds it): their answer to an agent's reply.
const FieldMessage = "message"

// ticketRef is the ticket number the desk puts in the subject of what it
// sends ("Re: Broken screen [T-60B37157AF166D1A]"), which a reply keeps.
var ticketRef = regexp.MustCompile(`\[(T-[0-9A-Za-z]{1,64})\]`)

// CustomerWrote adds a customer's email to the ticket its subject names, as
// a help desk threads a reply, instead of filing the answer as a new
// ticket. It does so only when the sender is the ticket's customer (or the
// form's sender) and the ticket is not closed; otherwise, or with no ticket
// number, it returns false and the message is a new ticket. A pending or
// solved ticket opens again: the customer is waiting once more. key (the
// email's Message-ID) makes a redelivery add nothing.
func (d *Desk) CustomerWrote(ctx context.Context, subject string, from store.Identity, text, key string) (store.Ticket, bool, error) {
	m := ticketRef.FindStringSubmatch(subject)
	if m == nil {
		return store.Ticket{}, false, nil
	}
	t, err := d.Ticket(ctx, m[1])
	if errors.Is(err, store.ErrNotFound) {
		return store.Ticket{}, false, nil
	} else if err != nil {
		return store.Ticket{}, false, err
	}
	if t.Status == TicketClosed {
		return store.Ticket{}, false, nil // a closed ticket is final: a new request is a new ticket
	}
	if ok, err := d.sentBy(ctx, t, from); err != nil || !ok {
		return store.Ticket{}, false, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		text = "(no text)"
	}
	if len(text) > maxDescriptionBytes {
		text = text[:maxDescriptionBytes]
	}
	now := d.e.Now()
	const actor = "customer"
	threaded := true
	t, err = d.e.Store().UpdateTicket(ctx, t.ID, func(t *store.Ticket) (store.AuditEntry, error) {
		threaded = true
		if _, _, ok := keyedEntry(t.History, key); ok {
			return store.AuditEntry{}, nil // a redelivery
		}
		if t.Status == TicketClosed {
			threaded = false // closed since it was read
			return store.AuditEntry{}, nil
		}
		t.History = append(t.History, store.StatusChange{Status: t.Status, Actor: actor, At: now, Field: FieldMessage, Note: text, Key: key})
		detail := map[string]any{"id": engine.ID(t.ID), "text": text}
		if t.Status == TicketPending || t.Status == TicketSolved {
			from := t.Status
			if from == TicketSolved {
				// A reopened ticket is a new piece of work: its own due time.
				t.DueAt, t.BreachedAt = d.e.TicketDue(t.Queue, t.Priority, now), time.Time{}
			}
			t.Status = TicketOpen
			t.History = append(t.History, store.StatusChange{Status: t.Status, Actor: actor, At: now, Field: "status", From: from, To: TicketOpen})
			detail["status"] = map[string]string{"from": from, "to": TicketOpen}
		}
		return d.e.Audit(actor, "ticket.customer_message", t.ConversationID, detail), nil
	})
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("ticket %s: %w", m[1], err)
	}
	return t, threaded, nil
}

// sentBy says whether from is who the ticket answers: one of its customer's
// identities, or the contact a form's sender gave.
func (d *Desk) sentBy(ctx context.Context, t store.Ticket, from store.Identity) (bool, error) {
	addr := strings.ToLower(strings.TrimSpace(from.ExternalID))
	if addr == "" {
		return false, nil
	}
	if t.CustomerID == "" {
		return strings.EqualFold(t.Unverified[from.Channel], addr), nil
	}
	cust, err := d.e.Store().Customer(ctx, t.CustomerID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("customer of ticket %s: %w", t.ID, err)
	}
	for _, id := range cust.Identities {
		if id.Channel == from.Channel && strings.EqualFold(id.ExternalID, addr) {
			return true, nil
		}
	}
	return false, nil
}
