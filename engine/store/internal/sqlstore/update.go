package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/parleyhq/parley/engine/store"
)

// updateLocked is the read-modify-write of UpdateHandoff, UpdateTicket and
// UpdateApproval: read reads the row FOR UPDATE (PostgreSQL) or under the
// single writer lock (SQLite), so a concurrent update waits and then sees
// this one; change (the turn package's rules around the caller's fn) makes
// the new row; save writes it with the history entries it added; the audit
// entry goes in the same transaction. change's own error is returned as is.
func updateLocked[T any](ctx context.Context, s *Store, kind, id string,
	read func(tx *sql.Tx) (T, error),
	change func(v T) (T, []store.StatusChange, *store.AuditEntry, error),
	save func(tx *sql.Tx, v T, added []store.StatusChange) error,
) (T, error) {
	var out, zero T
	var changeErr error
	err := s.write(ctx, func(tx *sql.Tx) error {
		v, err := read(tx)
		if err != nil {
			return err
		}
		var added []store.StatusChange
		var audit *store.AuditEntry
		if out, added, audit, err = change(v); err != nil {
			changeErr = err
			return err
		}
		if err := save(tx, out, added); err != nil {
			return err
		}
		if audit != nil {
			return s.insertAudit(ctx, tx, *audit)
		}
		return nil
	})
	switch {
	case err == nil:
		return out, nil
	case changeErr != nil && errors.Is(err, changeErr), errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrClosed):
		return zero, err
	}
	return zero, fmt.Errorf("update %s %s: %w", kind, id, s.wrapErr(err))
}
