package turn

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// PrepareTicket is a new ticket as every store saves it: an id, status open
// unless given, times normalized (CreatedAt defaults to now, UpdatedAt is
// now), and a copy of its history.
func PrepareTicket(t store.Ticket, now time.Time) store.Ticket {
	t = CloneTicket(t)
	if t.ID == "" {
		t.ID = NewID("tkt_")
	}
	if t.Status == "" {
		t.Status = "open"
	}
	t.CreatedAt = Time(t.CreatedAt)
	if t.CreatedAt.IsZero() {
		t.CreatedAt = now
	}
	t.UpdatedAt = now
	t.DueAt = Time(t.DueAt)
	t.BreachedAt = Time(t.BreachedAt)
	normalizeHistory(t.History, now)
	return t
}

// PrepareNewTicket is a ticket made outside a turn as every store saves it,
// with its audit entry (nil when audit has no Action).
func PrepareNewTicket(t store.Ticket, audit store.AuditEntry, now time.Time) (store.Ticket, *store.AuditEntry, error) {
	t = PrepareTicket(t, now)
	if audit.Action == "" {
		return t, nil, nil
	}
	a, err := PrepareAudit(audit, now)
	if err != nil {
		return t, nil, err
	}
	if a.ConversationID == "" {
		a.ConversationID = t.ConversationID
	}
	return t, &a, nil
}

// MergeTurnTicket is a known ticket after a turn upserted it: the turn sets
// what the bot decides (customer, queue, subject, priority, status) and
// appends its history; the rest stays as agents left it.
func MergeTurnTicket(old, t store.Ticket, now time.Time) store.Ticket {
	out := CloneTicket(old)
	out.CustomerID, out.Queue, out.Subject, out.Priority, out.Status = t.CustomerID, t.Queue, t.Subject, t.Priority, t.Status
	out.History = append(out.History, t.History...)
	out.UpdatedAt = now
	return out
}

// UpdateTicket runs fn on a copy of t (read under the store's lock) and checks
// what it changed. It returns the ticket to save, the History entries fn
// appended and the audit row to write (nil for none). fn's own error is
// returned unwrapped.
func UpdateTicket(t store.Ticket, fn func(*store.Ticket) (store.AuditEntry, error), now time.Time) (store.Ticket, []store.StatusChange, *store.AuditEntry, error) {
	work := CloneTicket(t)
	a, err := fn(&work)
	if err != nil {
		return t, nil, nil, err
	}
	if work.ID != t.ID || work.ConversationID != t.ConversationID || work.SourceKey != t.SourceKey {
		return t, nil, nil, fmt.Errorf("ticket %s: the update changed its id, conversation or source: %w", t.ID, store.ErrInvalid)
	}
	added, history, err := appended("ticket", t.ID, t.History, work.History, now)
	if err != nil {
		return t, nil, nil, err
	}
	if err := uniqueKeys(t.ID, history); err != nil {
		return t, nil, nil, err
	}
	out := CloneTicket(work)
	out.CreatedAt = t.CreatedAt
	out.UpdatedAt = now
	out.DueAt = Time(out.DueAt)
	out.BreachedAt = Time(out.BreachedAt)
	out.History = history
	audit, err := auditOf(a, t.ConversationID, now)
	if err != nil {
		return t, nil, nil, fmt.Errorf("ticket %s: %w", t.ID, err)
	}
	return out, added, audit, nil
}

// uniqueKeys checks that no two entries of a ticket's history share an
// idempotency key, as the SQL stores' unique index does.
func uniqueKeys(id string, history []store.StatusChange) error {
	seen := map[string]bool{}
	for _, c := range history {
		if c.Key == "" {
			continue
		}
		if seen[c.Key] {
			return fmt.Errorf("ticket %s: idempotency key %q is already used: %w", id, c.Key, store.ErrConflict)
		}
		seen[c.Key] = true
	}
	return nil
}

// appended checks that an update only appended to a history, and returns
// what it appended (normalized) and the history to save, the earlier entries
// as they were.
func appended(kind, id string, before, after []store.StatusChange, now time.Time) (added, all []store.StatusChange, err error) {
	if len(after) < len(before) {
		return nil, nil, fmt.Errorf("%s %s: the update removed history entries: %w", kind, id, store.ErrInvalid)
	}
	added = slices.Clone(after[len(before):])
	normalizeHistory(added, now)
	return added, append(slices.Clone(before), added...), nil
}

// auditOf prepares the audit entry an update returned; nil when it has none.
func auditOf(a store.AuditEntry, conversationID string, now time.Time) (*store.AuditEntry, error) {
	if a.Action == "" && a.Actor == "" && a.ConversationID == "" && a.Detail == nil && a.At.IsZero() {
		return nil, nil
	}
	if a.ConversationID == "" {
		a.ConversationID = conversationID
	}
	a, err := PrepareAudit(a, now)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// MatchTicket reports whether t passes f (stores without SQL filter in Go);
// customers are those known by one of f.Contacts.
func MatchTicket(t store.Ticket, f store.TicketFilter, customers map[string]bool) bool {
	return (f.ConversationID == "" || t.ConversationID == f.ConversationID) &&
		(f.CustomerID == "" || t.CustomerID == f.CustomerID) &&
		(f.Queue == "" || t.Queue == f.Queue) &&
		(f.Status == "" || t.Status == f.Status) &&
		(len(f.Statuses) == 0 || slices.Contains(f.Statuses, t.Status)) &&
		(f.Priority == "" || t.Priority == f.Priority) &&
		(f.Assignee == "" || t.Assignee == f.Assignee) &&
		(!f.Unassigned || t.Assignee == "") &&
		(!f.Breached || !t.BreachedAt.IsZero()) &&
		(f.DueBefore.IsZero() || !t.DueAt.IsZero() && t.DueAt.Before(f.DueBefore)) &&
		matchSearch(t, f, customers)
}

// matchSearch is TicketFilter's search: Text or Contacts, either will do.
func matchSearch(t store.Ticket, f store.TicketFilter, customers map[string]bool) bool {
	if f.Text == "" && len(f.Contacts) == 0 {
		return true
	}
	if f.Text != "" && (containsFold(t.Subject, f.Text) || containsFold(t.Description, f.Text)) {
		return true
	}
	if t.CustomerID != "" && customers[t.CustomerID] {
		return true
	}
	for _, c := range f.Contacts {
		if key := ContactKey(c.Channel, c.ExternalID); key != "" && ContactKey(c.Channel, t.Unverified[c.Channel]) == key {
			return true
		}
	}
	return false
}

// ContactKey is how a search compares an unverified contact (what the SQL
// stores keep in the indexed contact_email and contact_phone columns): an
// email lower-cased, a phone its digits only, so that "+86 139..." and
// "86139..." are one number. Only the ways to reach someone are keys, not a
// name: "" for any other channel, or when nothing is left, matches nothing.
func ContactKey(channel, value string) string {
	switch channel {
	case "email":
		return strings.ToLower(value)
	case "phone":
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, value)
	}
	return ""
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func CloneTicket(t store.Ticket) store.Ticket {
	t.History = slices.Clone(t.History)
	t.Unverified = maps.Clone(t.Unverified)
	return t
}

// AnonymizeTicket replaces the personal text of a ticket.
func AnonymizeTicket(t *store.Ticket) {
	t.Unverified = nil
	t.Subject = store.Purged
	if t.Description != "" {
		t.Description = store.Purged
	}
	for i := range t.History {
		if t.History[i].Note != "" {
			t.History[i].Note = store.Purged
		}
		// A digest of a note or a subject could confirm a guess of the text.
		t.History[i].Digest = ""
	}
}
