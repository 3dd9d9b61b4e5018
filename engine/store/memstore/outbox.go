package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

func (s *Store) EnqueueOutbox(ctx context.Context, m store.OutboxMessage) (store.OutboxMessage, bool, error) {
	m, err := turn.NewOutbox(m, turn.Now())
	if err != nil {
		return store.OutboxMessage{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.OutboxMessage{}, false, store.ErrClosed
	}
	if i, ok := s.outboxIDs[m.ID]; ok {
		return turn.CloneOutbox(*s.outbox[i]), false, nil
	}
	m.Seq = int64(len(s.outbox) + 1)
	s.outboxIDs[m.ID] = len(s.outbox)
	s.outbox = append(s.outbox, &m)
	return turn.CloneOutbox(m), true, nil
}

func (s *Store) OutboxMessage(ctx context.Context, id string) (store.OutboxMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.outboxLocked(id)
	if err != nil {
		return store.OutboxMessage{}, err
	}
	return turn.CloneOutbox(*m), nil
}

func (s *Store) Outbox(ctx context.Context, f store.OutboxFilter) ([]store.OutboxMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.OutboxMessage
	for _, m := range s.outbox {
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
		if turn.OutboxMatches(*m, f) {
			out = append(out, turn.CloneOutbox(*m))
		}
	}
	return out, nil
}

func (s *Store) ClaimOutbox(ctx context.Context, id string, now, until time.Time) (store.OutboxMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.outboxLocked(id)
	if err != nil {
		return store.OutboxMessage{}, err
	}
	if err := turn.ClaimOutbox(m, now, until); err != nil {
		return store.OutboxMessage{}, err
	}
	return turn.CloneOutbox(*m), nil
}

func (s *Store) FinishOutbox(ctx context.Context, r store.OutboxMessage) (store.OutboxMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.outboxLocked(r.ID)
	if err != nil {
		return store.OutboxMessage{}, err
	}
	if err := turn.FinishOutbox(m, r); err != nil {
		return store.OutboxMessage{}, err
	}
	return turn.CloneOutbox(*m), nil
}

func (s *Store) outboxLocked(id string) (*store.OutboxMessage, error) {
	if s.closed {
		return nil, store.ErrClosed
	}
	i, ok := s.outboxIDs[id]
	if !ok {
		return nil, fmt.Errorf("outbox message %q: %w", id, store.ErrNotFound)
	}
	return s.outbox[i], nil
}

// purgeOutbox forgets the messages of purged conversations: their text and
// the customer's address.
func (s *Store) purgeOutbox(purged map[string]bool) {
	kept := s.outbox[:0]
	for _, m := range s.outbox {
		if !purged[m.ConversationID] {
			kept = append(kept, m)
		}
	}
	clear(s.outbox[len(kept):])
	s.outbox = kept
	clear(s.outboxIDs)
	for i, m := range s.outbox {
		s.outboxIDs[m.ID] = i
	}
}
