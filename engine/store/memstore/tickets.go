package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

func (s *Store) Tickets(ctx context.Context, f store.TicketFilter) ([]store.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var customers map[string]bool // known by one of f.Contacts
	for _, c := range f.Contacts {
		if id, ok := s.identities[c]; ok {
			if customers == nil {
				customers = map[string]bool{}
			}
			customers[id] = true
		}
	}
	var out []store.Ticket
	for _, t := range s.tickets {
		if turn.MatchTicket(*t, f, customers) {
			out = append(out, turn.CloneTicket(*t))
		}
	}
	slices.SortFunc(out, func(a, b store.Ticket) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(s.ticketSeq[a.ID], s.ticketSeq[b.ID]))
	})
	return turn.Newest(out, f.Limit), nil
}

func (s *Store) Ticket(ctx context.Context, id string) (store.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Ticket{}, store.ErrClosed
	}
	t, ok := s.tickets[id]
	if !ok {
		return store.Ticket{}, fmt.Errorf("ticket %q: %w", id, store.ErrNotFound)
	}
	return turn.CloneTicket(*t), nil
}

// insertTicket adds a prepared ticket; s.mu is held.
func (s *Store) insertTicket(t store.Ticket) {
	s.seq++
	s.tickets[t.ID] = &t
	s.ticketSeq[t.ID] = s.seq
	if t.SourceKey != "" {
		s.ticketKeys[t.SourceKey] = t.ID
	}
}

func (s *Store) CreateTicket(ctx context.Context, t store.Ticket, audit store.AuditEntry) (store.Ticket, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.Ticket{}, false, err
	}
	t, entry, err := turn.PrepareNewTicket(t, audit, turn.Now())
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("create ticket: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Ticket{}, false, store.ErrClosed
	}
	if id, ok := s.ticketKeys[t.SourceKey]; ok && t.SourceKey != "" {
		return turn.CloneTicket(*s.tickets[id]), false, nil
	}
	if _, taken := s.tickets[t.ID]; taken {
		return store.Ticket{}, false, fmt.Errorf("create ticket: id %q is taken: %w", t.ID, store.ErrConflict)
	}
	s.insertTicket(t)
	if entry != nil {
		s.appendAudit(*entry)
	}
	return turn.CloneTicket(t), true, nil
}

// UpdateTicket runs fn under the store's mutex, which serializes it with every
// other write.
func (s *Store) UpdateTicket(ctx context.Context, id string, fn func(t *store.Ticket) (store.AuditEntry, error)) (store.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return store.Ticket{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Ticket{}, store.ErrClosed
	}
	t, ok := s.tickets[id]
	if !ok {
		return store.Ticket{}, fmt.Errorf("ticket %q: %w", id, store.ErrNotFound)
	}
	out, _, audit, err := turn.UpdateTicket(*t, fn, turn.Now())
	if err != nil {
		return store.Ticket{}, err
	}
	*t = out
	if audit != nil {
		s.appendAudit(*audit)
	}
	return turn.CloneTicket(out), nil
}

func (s *Store) SetTicketStatus(ctx context.Context, ticketID string, change store.StatusChange) (store.Ticket, error) {
	change, err := turn.PrepareChange(change, turn.Now())
	if err != nil {
		return store.Ticket{}, fmt.Errorf("set ticket status: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Ticket{}, store.ErrClosed
	}
	t, ok := s.tickets[ticketID]
	if !ok {
		return store.Ticket{}, store.ErrNotFound
	}
	t.Status = change.Status
	t.UpdatedAt = turn.Now()
	t.History = append(t.History, change)
	s.appendAudit(turn.StatusAudit("ticket", ticketID, t.ConversationID, change))
	return turn.CloneTicket(*t), nil
}
