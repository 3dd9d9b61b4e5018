package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

func (s *Store) SetCustomerProfile(ctx context.Context, id string, p store.CustomerProfile) (store.Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Customer{}, store.ErrClosed
	}
	c, ok := s.customers[id]
	if !ok {
		return store.Customer{}, store.ErrNotFound
	}
	c.Profile = turn.PrepareProfile(p, turn.Now())
	return cloneCustomer(c), nil
}

func (s *Store) CustomerConversations(ctx context.Context, customerID string, limit int) ([]store.Conversation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.Conversation
	for _, c := range s.convs {
		if c.CustomerID == customerID {
			out = append(out, store.Conversation{ID: c.ID, CustomerID: c.CustomerID, Channel: c.Channel, Status: c.Status,
				LastSeq: c.LastSeq, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt})
		}
	}
	slices.SortFunc(out, func(a, b store.Conversation) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return turn.Newest(out, limit), nil
}

func (s *Store) CreateAgent(ctx context.Context, a store.Agent, audit store.AuditEntry) (store.Agent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Agent{}, store.ErrClosed
	}
	if _, exists := s.agents[a.ID]; exists {
		return store.Agent{}, fmt.Errorf("create agent %s: the id is taken: %w", a.ID, store.ErrConflict)
	}
	now := turn.Now()
	out, err := turn.PutAgent(nil, turn.CloneAgent(a), now)
	if err != nil {
		return store.Agent{}, fmt.Errorf("create agent: %w", err)
	}
	if err := s.keyFree(out); err != nil {
		return store.Agent{}, err
	}
	entry, err := turn.PrepareAudit(audit, now)
	if err != nil {
		return store.Agent{}, fmt.Errorf("create agent %s: %w", a.ID, err)
	}
	s.agents[out.ID] = &out
	s.appendAudit(entry)
	return turn.CloneAgent(out), nil
}

func (s *Store) UpdateAgent(ctx context.Context, id string, fn func(a *store.Agent) (store.AuditEntry, error)) (store.Agent, error) {
	if err := ctx.Err(); err != nil {
		return store.Agent{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Agent{}, store.ErrClosed
	}
	a, ok := s.agents[id]
	if !ok {
		return store.Agent{}, store.ErrNotFound
	}
	out, entry, err := turn.UpdateAgent(*a, fn, turn.Now())
	if err != nil {
		return store.Agent{}, err
	}
	if err := s.keyFree(out); err != nil {
		return store.Agent{}, err
	}
	*a = out
	if entry != nil {
		s.appendAudit(*entry)
	}
	return turn.CloneAgent(out), nil
}

// keyFree refuses a key hash another agent has. s.mu must be held.
func (s *Store) keyFree(a store.Agent) error {
	if a.KeyHash == "" {
		return nil
	}
	for _, other := range s.agents {
		if other.ID != a.ID && other.KeyHash == a.KeyHash {
			return fmt.Errorf("agent %s: key hash used by another agent: %w", a.ID, store.ErrConflict)
		}
	}
	return nil
}
