package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

const approvalCols = `id, conversation_id, customer_id, request, queue, role, reason, call_name, connector, operation, input, idempotency_key,
	status, decided_by, decided_at, note, expires_at, outcome, completed_at, created_at, updated_at`

func scanApproval(row interface{ Scan(...any) error }, extra ...any) (store.Approval, error) {
	var a store.Approval
	var input []byte
	dest := append([]any{&a.ID, &a.ConversationID, &a.CustomerID, &a.Request, &a.Queue, &a.Role, &a.Reason,
		&a.Call.Name, &a.Call.Connector, &a.Call.Operation, &input, &a.Call.IdempotencyKey,
		&a.Status, &a.DecidedBy, Times{&a.DecidedAt}, &a.Note, Times{&a.ExpiresAt}, &a.Outcome, Times{&a.CompletedAt},
		Times{&a.CreatedAt}, Times{&a.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return a, err
	}
	a.Call.Input = input
	return a, nil
}

// upsertApproval writes an approval of a turn: a new request, or the outcome
// of carrying out a decision.
func (s *Store) upsertApproval(ctx context.Context, q querier, a store.Approval, now time.Time) error {
	owner, exists, err := s.owner(ctx, q, "approvals", a.ID)
	if err != nil {
		return fmt.Errorf("approval %s: %w", a.ID, err)
	}
	if exists && owner != a.ConversationID {
		return fmt.Errorf("approval %q belongs to another conversation: %w", a.ID, store.ErrConflict)
	}
	if exists {
		old, err := s.approval(ctx, q, a.ID, s.d.LockRows)
		if err != nil {
			return err
		}
		merged := turn.MergeTurnApproval(old, a, now)
		if err := s.saveApproval(ctx, q, merged); err != nil {
			return fmt.Errorf("approval %s: %w", a.ID, err)
		}
		return s.appendHistory(ctx, q, "approval_history", "approval_id", a.ID, a.History)
	}
	_, err = q.ExecContext(ctx, s.q(`INSERT INTO approvals (`+approvalCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		a.ID, a.ConversationID, a.CustomerID, a.Request, a.Queue, a.Role, a.Reason, a.Call.Name, a.Call.Connector, a.Call.Operation,
		nullBytes(a.Call.Input), a.Call.IdempotencyKey, a.Status, a.DecidedBy, s.nt(a.DecidedAt), a.Note, s.nt(a.ExpiresAt),
		a.Outcome, s.nt(a.CompletedAt), s.t(a.CreatedAt), s.t(a.UpdatedAt))
	if err != nil {
		return fmt.Errorf("approval %s: %w", a.ID, err)
	}
	return s.appendHistory(ctx, q, "approval_history", "approval_id", a.ID, a.History)
}

func (s *Store) saveApproval(ctx context.Context, q querier, a store.Approval) error {
	_, err := q.ExecContext(ctx, s.q(`UPDATE approvals SET customer_id = ?, queue = ?, role = ?, reason = ?, status = ?, decided_by = ?, decided_at = ?,
		note = ?, expires_at = ?, outcome = ?, completed_at = ?, updated_at = ? WHERE id = ?`),
		a.CustomerID, a.Queue, a.Role, a.Reason, a.Status, a.DecidedBy, s.nt(a.DecidedAt), a.Note, s.nt(a.ExpiresAt),
		a.Outcome, s.nt(a.CompletedAt), s.t(a.UpdatedAt), a.ID)
	return err
}

func (s *Store) approval(ctx context.Context, q querier, id string, lock bool) (store.Approval, error) {
	query := `SELECT ` + approvalCols + ` FROM approvals WHERE id = ?`
	if lock {
		query += s.forUpdate()
	}
	a, err := scanApproval(q.QueryRowContext(ctx, s.q(query), id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("approval %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return a, err
	}
	a.History, err = s.history(ctx, q, "approval_history", "approval_id", id)
	return a, err
}

func (s *Store) Approval(ctx context.Context, id string) (store.Approval, error) {
	if err := s.check(); err != nil {
		return store.Approval{}, err
	}
	a, err := s.approval(ctx, s.DB, id, false)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		err = fmt.Errorf("approval %s: %w", id, s.wrapErr(err))
	}
	return a, err
}

func (s *Store) Approvals(ctx context.Context, f store.ApprovalFilter) ([]store.Approval, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var expires any
	if !f.ExpiresBefore.IsZero() {
		expires = s.t(turn.Time(f.ExpiresBefore))
	}
	var unfinished any
	if f.Unfinished {
		unfinished = store.ApprovalPending
	}
	w, args := where("conversation_id = ?", f.ConversationID, "queue = ?", f.Queue, "status = ?", f.Status, "status IN (?)", f.Statuses,
		"expires_at < ?", expires, "completed_at IS NULL AND status <> ?", unfinished)
	query, more := newestLast(`SELECT `+approvalCols+`, `+s.d.OrderCol+` AS ord FROM approvals`+w, "created_at, ord", f.Limit)
	rows, err := s.DB.QueryContext(ctx, s.q(query), append(args, more...)...)
	if err != nil {
		return nil, fmt.Errorf("approvals: %w", s.wrapErr(err))
	}
	var out []store.Approval
	for rows.Next() {
		var ord int64
		a, err := scanApproval(rows, &ord)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("approvals: %w", err)
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("approvals: %w", err)
	}
	for i := range out {
		if out[i].History, err = s.history(ctx, s.DB, "approval_history", "approval_id", out[i].ID); err != nil {
			return nil, fmt.Errorf("approvals: %w", s.wrapErr(err))
		}
	}
	return out, nil
}

// UpdateApproval reads the approval FOR UPDATE (PostgreSQL) or under the
// single writer lock (SQLite): of two decisions at once, the second waits
// and then sees the first.
func (s *Store) UpdateApproval(ctx context.Context, id string, fn func(a *store.Approval) (store.AuditEntry, error)) (store.Approval, error) {
	return updateLocked(ctx, s, "approval", id,
		func(tx *sql.Tx) (store.Approval, error) { return s.approval(ctx, tx, id, true) },
		func(a store.Approval) (store.Approval, []store.StatusChange, *store.AuditEntry, error) {
			return turn.UpdateApproval(a, fn, turn.Now())
		},
		func(tx *sql.Tx, a store.Approval, added []store.StatusChange) error {
			if err := s.saveApproval(ctx, tx, a); err != nil {
				return err
			}
			return s.appendHistory(ctx, tx, "approval_history", "approval_id", id, added)
		})
}
