package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// rolloutName keys the one rollout record (of the policies the database serves).
const rolloutName = "policies"

func (s *Store) Rollout(ctx context.Context) (store.Rollout, error) {
	var r store.Rollout
	if err := s.check(); err != nil {
		return r, err
	}
	var rev int64
	var data string
	err := s.DB.QueryRowContext(ctx, s.q(`SELECT revision, data FROM rollouts WHERE name = ?`), rolloutName).Scan(&rev, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("rollout: %w", s.wrapErr(err))
	}
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return r, fmt.Errorf("rollout: decode: %w", err)
	}
	r.Revision = rev
	return r, nil
}

func (s *Store) SaveRollout(ctx context.Context, r store.Rollout, audit store.AuditEntry) (store.Rollout, error) {
	prev := r.Revision
	r.Revision = prev + 1
	r.Since, r.UpdatedAt = turn.Time(r.Since), turn.Time(r.UpdatedAt)
	data, err := json.Marshal(r)
	if err != nil {
		return store.Rollout{}, fmt.Errorf("rollout: encode: %w", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if prev == 0 {
			res, err = tx.ExecContext(ctx, s.q(`INSERT INTO rollouts (name, revision, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`),
				rolloutName, r.Revision, string(data), s.t(r.UpdatedAt))
		} else {
			res, err = tx.ExecContext(ctx, s.q(`UPDATE rollouts SET revision = ?, data = ?, updated_at = ? WHERE name = ? AND revision = ?`),
				r.Revision, string(data), s.t(r.UpdatedAt), rolloutName, prev)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("rollout revision %d is no longer the stored one: %w", prev, store.ErrConflict)
		}
		if audit.Action == "" {
			return nil
		}
		if audit.At.IsZero() {
			audit.At = turn.Now()
		}
		return s.insertAudit(ctx, tx, audit)
	})
	if err != nil {
		return store.Rollout{}, fmt.Errorf("save rollout: %w", err)
	}
	return r, nil
}
