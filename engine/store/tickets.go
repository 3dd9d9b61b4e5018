package store

import (
	"context"
	"time"
)

// TicketStore keeps tickets. A turn opens tickets for its conversation
// (TurnRecord.Tickets); tickets that come without a chat (email, a web form,
// the API) are created with CreateTicket, and agents change tickets with
// UpdateTicket.
type TicketStore interface {
	Tickets(ctx context.Context, filter TicketFilter) ([]Ticket, error)
	Ticket(ctx context.Context, id string) (Ticket, error) // ErrNotFound

	// CreateTicket stores a ticket made outside a conversation's turn, with the
	// audit entry that records it (none when audit has no Action), atomically.
	// An empty ID is generated; CreatedAt defaults to now, UpdatedAt is now and
	// Status defaults to open. A ticket whose non-empty SourceKey (an email's
	// Message-ID, an API client's idempotency key) is already stored is not
	// created again: the stored one comes back with created false, and no
	// audit is written. ErrConflict when the ID is taken.
	CreateTicket(ctx context.Context, t Ticket, audit AuditEntry) (stored Ticket, created bool, err error)

	// UpdateTicket reads ticket id under a row lock, lets fn change it, and saves
	// it with the audit entry fn returns, atomically, as UpdateHandoff does:
	// two agents changing one ticket at once both see the other's change. fn
	// must not change ID, ConversationID or SourceKey (ErrInvalid); a changed
	// CreatedAt is ignored and UpdatedAt is set by the store. History entries fn
	// appends are stored; earlier ones are never rewritten. An appended entry
	// whose Key another entry of the ticket has is ErrConflict. fn's error
	// aborts and is returned as is. ErrNotFound when id is unknown.
	UpdateTicket(ctx context.Context, id string, fn func(t *Ticket) (AuditEntry, error)) (Ticket, error)

	// SetTicketStatus applies a status change made outside a turn: it sets
	// Status and appends change to History, audited as "ticket.status".
	SetTicketStatus(ctx context.Context, ticketID string, change StatusChange) (Ticket, error)
}

// Ticket is a request that people follow up, in a queue (department), with a
// status workflow and a service-level due time.
type Ticket struct {
	ID string `json:"id"`
	// ConversationID is the chat that opened the ticket; "" for a ticket from
	// email, a web form or the API.
	ConversationID string `json:"conversation_id"`
	CustomerID     string `json:"customer_id"`
	// Channel is where the ticket came from: the conversation's channel (web,
	// sms, email...), or email, form or api for a ticket without a chat.
	Channel     string `json:"channel"`
	Queue       string `json:"queue"`
	Subject     string `json:"subject"`
	Description string `json:"description"`
	Priority    string `json:"priority"` // low, normal, high, urgent
	Status      string `json:"status"`   // open, pending, solved, closed
	Assignee    string `json:"assignee"` // the agent's id; "" when nobody has it
	// Language is the customer's, for what the ticket's updates tell them.
	Language string `json:"language"`
	// DueAt is when the queue's service level wants it solved; zero when no
	// SLA applies. BreachedAt is when the missed due time was flagged.
	DueAt      time.Time `json:"due_at"`
	BreachedAt time.Time `json:"breached_at"`
	// Unverified is who a ticket from a public form says they are (email,
	// phone, name): where it is answered, shown as unverified, never used to
	// find or link a customer (CustomerID stays empty).
	Unverified map[string]string `json:"unverified_contact,omitempty"`
	// SourceKey makes creation outside a turn idempotent (see CreateTicket).
	SourceKey string         `json:"-"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	History   []StatusChange `json:"history"`
}

// TicketFilter selects tickets: zero fields match everything; results are
// oldest first and Limit > 0 keeps the newest Limit.
type TicketFilter struct {
	ConversationID string
	CustomerID     string
	Queue          string
	Status         string
	Statuses       []string // any of these; combined with Status (both must match) when both are set
	Priority       string
	Assignee       string
	Unassigned     bool      // only tickets nobody has
	Breached       bool      // only tickets whose SLA breach was flagged
	DueBefore      time.Time // only tickets with a due time before this
	// Text and Contacts are a search: a ticket passes when its subject or
	// description contains Text, ignoring case, or its customer is known by
	// one of Contacts, or a form filed it with one of them as its unverified
	// contact. Contacts name a customer exactly, normalized as identities are
	// stored (email lower-cased; a phone as given to LinkIdentity); an
	// unverified contact matches an email in any case and a phone by its
	// digits, with or without "+" and separators. Without Text, the SQL
	// stores find them by indexes.
	Text     string
	Contacts []Identity
	Limit    int
}
