package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
	data, err := json.Marshal(m)
	if err != nil {
		return store.OutboxMessage{}, false, fmt.Errorf("outbox message %q: encode: %w", m.ID, err)
	}
	var stored store.OutboxMessage
	var created bool
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO outbox (id, conversation_id, status, next_attempt_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
			m.ID, m.ConversationID, m.Status, s.t(m.NextAttemptAt), string(data))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		created = n == 1
		stored, err = s.outboxMessage(ctx, tx, m.ID, false)
		return err
	})
	if err != nil {
		return store.OutboxMessage{}, false, fmt.Errorf("enqueue outbox message: %w", err)
	}
	return stored, created, nil
}

func (s *Store) OutboxMessage(ctx context.Context, id string) (store.OutboxMessage, error) {
	if err := s.check(); err != nil {
		return store.OutboxMessage{}, err
	}
	return s.outboxMessage(ctx, s.DB, id, false)
}

func (s *Store) Outbox(ctx context.Context, f store.OutboxFilter) ([]store.OutboxMessage, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	query := `SELECT seq, data FROM outbox WHERE 1 = 1`
	var args []any
	if f.ConversationID != "" {
		query += ` AND conversation_id = ?`
		args = append(args, f.ConversationID)
	}
	if f.Status != "" {
		query += ` AND status = ?`
		args = append(args, f.Status)
	}
	if !f.DueBy.IsZero() {
		query += ` AND next_attempt_at <= ?`
		args = append(args, s.t(turn.Time(f.DueBy)))
	}
	query += ` ORDER BY seq`
	if f.Limit > 0 {
		query += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.DB.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", s.wrapErr(err))
	}
	defer rows.Close()
	var out []store.OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox: %w", s.wrapErr(err))
	}
	return out, nil
}

func (s *Store) ClaimOutbox(ctx context.Context, id string, now, until time.Time) (store.OutboxMessage, error) {
	return s.updateOutbox(ctx, id, func(m *store.OutboxMessage) error { return turn.ClaimOutbox(m, now, until) })
}

func (s *Store) FinishOutbox(ctx context.Context, r store.OutboxMessage) (store.OutboxMessage, error) {
	return s.updateOutbox(ctx, r.ID, func(m *store.OutboxMessage) error { return turn.FinishOutbox(m, r) })
}

// updateOutbox reads message id under a row lock, lets fn change it and saves it.
func (s *Store) updateOutbox(ctx context.Context, id string, fn func(m *store.OutboxMessage) error) (store.OutboxMessage, error) {
	var m store.OutboxMessage
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = s.outboxMessage(ctx, tx, id, s.d.LockRows); err != nil {
			return err
		}
		if err := fn(&m); err != nil {
			return err
		}
		data, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE outbox SET status = ?, next_attempt_at = ?, data = ? WHERE id = ?`),
			m.Status, s.t(m.NextAttemptAt), string(data), id)
		return err
	})
	if err != nil {
		return store.OutboxMessage{}, fmt.Errorf("outbox message %q: %w", id, err)
	}
	return m, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) outboxMessage(ctx context.Context, q queryRower, id string, lock bool) (store.OutboxMessage, error) {
	query := `SELECT seq, data FROM outbox WHERE id = ?`
	if lock {
		query += s.forUpdate()
	}
	m, err := scanOutbox(q.QueryRowContext(ctx, s.q(query), id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("outbox message %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("outbox message %q: %w", id, s.wrapErr(err))
	}
	return m, nil
}

func scanOutbox(row interface{ Scan(...any) error }) (store.OutboxMessage, error) {
	var m store.OutboxMessage
	var seq int64
	var data string
	if err := row.Scan(&seq, &data); err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		return m, fmt.Errorf("outbox: decode: %w", err)
	}
	m.Seq = seq
	return m, nil
}
