package memstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

func (s *Store) Rollout(ctx context.Context) (store.Rollout, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Rollout{}, store.ErrClosed
	}
	if s.rollout == nil {
		return store.Rollout{}, store.ErrNotFound
	}
	return cloneRollout(*s.rollout), nil
}

func (s *Store) SaveRollout(ctx context.Context, r store.Rollout, audit store.AuditEntry) (store.Rollout, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Rollout{}, store.ErrClosed
	}
	var stored int64
	if s.rollout != nil {
		stored = s.rollout.Revision
	}
	if r.Revision != stored {
		return store.Rollout{}, fmt.Errorf("rollout: revision %d, stored %d: %w", r.Revision, stored, store.ErrConflict)
	}
	r = cloneRollout(r)
	r.Revision = stored + 1
	r.Since, r.UpdatedAt = turn.Time(r.Since), turn.Time(r.UpdatedAt)
	s.rollout = &r
	if audit.Action != "" {
		if audit.At.IsZero() {
			audit.At = turn.Now()
		}
		s.appendAudit(audit)
	}
	return cloneRollout(r), nil
}

func cloneRollout(r store.Rollout) store.Rollout {
	r.CandidateVersions = slices.Clone(r.CandidateVersions)
	return r
}
