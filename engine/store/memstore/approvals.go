package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

func (s *Store) Approvals(ctx context.Context, f store.ApprovalFilter) ([]store.Approval, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.Approval
	for _, a := range s.approvals {
		if turn.MatchApproval(*a, f) {
			out = append(out, turn.CloneApproval(*a))
		}
	}
	slices.SortFunc(out, func(a, b store.Approval) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(s.approvalSeq[a.ID], s.approvalSeq[b.ID]))
	})
	return turn.Newest(out, f.Limit), nil
}

func (s *Store) Approval(ctx context.Context, id string) (store.Approval, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Approval{}, store.ErrClosed
	}
	a, ok := s.approvals[id]
	if !ok {
		return store.Approval{}, fmt.Errorf("approval %q: %w", id, store.ErrNotFound)
	}
	return turn.CloneApproval(*a), nil
}

// UpdateApproval runs fn under the store's mutex, which serializes it with
// every other write.
func (s *Store) UpdateApproval(ctx context.Context, id string, fn func(a *store.Approval) (store.AuditEntry, error)) (store.Approval, error) {
	if err := ctx.Err(); err != nil {
		return store.Approval{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Approval{}, store.ErrClosed
	}
	a, ok := s.approvals[id]
	if !ok {
		return store.Approval{}, fmt.Errorf("approval %q: %w", id, store.ErrNotFound)
	}
	out, _, audit, err := turn.UpdateApproval(*a, fn, turn.Now())
	if err != nil {
		return store.Approval{}, err
	}
	*a = out
	if audit != nil {
		s.appendAudit(*audit)
	}
	return turn.CloneApproval(out), nil
}
