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

// changeHandoff applies a turn's conditional status change to a handoff read
// under a row lock, so a claim committed meanwhile makes it a conflict.
func (s *Store) changeHandoff(ctx context.Context, q *sql.Tx, ch store.HandoffChange, now time.Time) error {
	h, err := s.handoff(ctx, q, ch.HandoffID, true)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("handoff %q: %w", ch.HandoffID, err)
	}
	if err != nil {
		return fmt.Errorf("handoff %s: %w", ch.HandoffID, err)
	}
	change, err := turn.CheckHandoffChange(&h, ch, now)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, s.q(`UPDATE handoffs SET status = ?, updated_at = ? WHERE id = ?`), h.Status, s.t(now), h.ID); err != nil {
		return fmt.Errorf("handoff %s: %w", h.ID, err)
	}
	return s.appendHistory(ctx, q, "handoff_history", "handoff_id", h.ID, []store.StatusChange{change})
}

func (s *Store) SetCustomerProfile(ctx context.Context, id string, p store.CustomerProfile) (store.Customer, error) {
	p = turn.PrepareProfile(p, turn.Now())
	raw, err := json.Marshal(p)
	if err != nil {
		return store.Customer{}, fmt.Errorf("set customer profile: %w", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE customers SET profile = ? WHERE id = ?`), string(raw), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrClosed) {
			return store.Customer{}, err
		}
		return store.Customer{}, fmt.Errorf("set customer profile: %w", s.wrapErr(err))
	}
	return s.Customer(ctx, id)
}

func (s *Store) CustomerConversations(ctx context.Context, customerID string, limit int) ([]store.Conversation, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	query, more := newestLast(`SELECT id, customer_id, channel, status, last_seq, created_at, updated_at FROM conversations WHERE customer_id = ?`, "created_at, id", limit)
	args := []any{customerID}
	rows, err := s.DB.QueryContext(ctx, s.q(query), append(args, more...)...)
	if err != nil {
		return nil, fmt.Errorf("conversations: %w", s.wrapErr(err))
	}
	defer rows.Close()
	var out []store.Conversation
	for rows.Next() {
		var c store.Conversation
		if err := rows.Scan(&c.ID, &c.CustomerID, &c.Channel, &c.Status, &c.LastSeq, Times{&c.CreatedAt}, Times{&c.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("conversations: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
