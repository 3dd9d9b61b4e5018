package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// Begin locks the conversation in process and loads it. This is the
// single-process path (SQLite): the in-process lock is all the locking there
// is, no connection is held while the turn runs, and Commit hands the turn's
// statements to the group writer. PostgreSQL replaces Begin with leases.
func (s *Store) Begin(ctx context.Context, id string) (store.Tx, error) {
	if id == "" {
		return nil, fmt.Errorf("begin: empty conversation id")
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	unlock, err := s.locks.Lock(ctx, id)
	if err != nil {
		return nil, err
	}
	t := &tx{s: s}
	t.unlock = func() {
		s.open.Delete(t)
		unlock()
	}
	s.open.Store(t, func() { _ = t.Rollback(context.Background()) })
	if e := s.cache.get(id); e != nil {
		t.conv, t.exists, t.cached = turn.CloneConversation(e.conv), true, e
		return t, nil
	}
	conv, err := s.load(ctx, s.DB, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		conv = &store.Conversation{ID: id}
	case err != nil:
		t.unlock()
		return nil, fmt.Errorf("begin %s: %w", id, err)
	default:
		t.exists = true
		t.cached = &cached{conv: turn.CloneConversation(conv)}
		s.cache.put(id, t.cached)
	}
	t.conv = conv
	return t, nil
}

// Locks are the in-process conversation locks, which Purge also takes.
func (s *Store) Locks() *turn.Locks { return &s.locks }

// Open tracks a turn in progress, which MarkClosed ends with end.
func (s *Store) Open(key any, end func()) { s.open.Store(key, end) }

// Done stops tracking a turn.
func (s *Store) Done(key any) { s.open.Delete(key) }

// load reads the conversation with the events after its snapshot.
func (s *Store) load(ctx context.Context, q querier, id string) (*store.Conversation, error) {
	c := &store.Conversation{ID: id}
	err := s.queryRow(ctx, q, `SELECT customer_id, channel, status, snapshot, snapshot_seq, last_seq, created_at, updated_at,
		policy_version, policy_label, contact FROM conversations WHERE id = ?`, id).
		Scan(&c.CustomerID, &c.Channel, &c.Status, (*[]byte)(&c.Snapshot), &c.SnapshotSeq, &c.LastSeq, Times{&c.CreatedAt}, Times{&c.UpdatedAt},
			&c.PolicyVersion, &c.PolicyLabel, (*[]byte)(&c.Contact))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, s.wrapErr(err)
	}
	c.Events, err = s.events(ctx, q, id, c.SnapshotSeq, 0)
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Store) events(ctx context.Context, q querier, id string, after int64, limit int) ([]store.Event, error) {
	query := `SELECT seq, type, at, data FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq`
	args := []any{id, after}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, s.wrapErr(err)
	}
	defer rows.Close()
	var out []store.Event
	for rows.Next() {
		var e store.Event
		if err := rows.Scan(&e.Seq, &e.Type, Times{&e.At}, (*[]byte)(&e.Data)); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, s.wrapErr(rows.Err())
}

// tx is a turn on the single-process path.
type tx struct {
	s      *Store
	conv   *store.Conversation
	exists bool
	cached *cached // the conversation's cache entry, when it exists
	unlock func()
	done   atomic.Bool
}

func (t *tx) Conversation() *store.Conversation { return t.conv }

// Log reads the locked conversation's whole log.
func (t *tx) Log(ctx context.Context) ([]store.Event, error) {
	if !t.exists {
		return nil, nil
	}
	if err := t.s.check(); err != nil {
		return nil, err
	}
	return t.s.events(ctx, t.s.DB, t.conv.ID, 0, 0)
}

func (t *tx) Processed(ctx context.Context, clientMessageID string) (json.RawMessage, bool, error) {
	if clientMessageID == "" || !t.exists {
		return nil, false, nil
	}
	if err := t.s.check(); err != nil {
		return nil, false, err
	}
	if e := t.cached; e != nil {
		if e.processed == nil {
			ids, err := t.s.processedIDs(ctx, t.conv.ID)
			if err != nil {
				return nil, false, err
			}
			e.processed = ids
		}
		if _, ok := e.processed[clientMessageID]; !ok {
			return nil, false, nil // new, as nearly every message is
		}
	}
	return t.s.processed(ctx, t.s.DB, t.conv.ID, clientMessageID)
}

// processedIDs reads every client message id a conversation processed.
func (s *Store) processedIDs(ctx context.Context, conversationID string) (map[string]struct{}, error) {
	rows, err := s.query(ctx, s.DB, `SELECT client_message_id FROM processed_messages WHERE conversation_id = ?`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("processed: %w", s.wrapErr(err))
	}
	defer rows.Close()
	ids := map[string]struct{}{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("processed: %w", err)
		}
		ids[id] = struct{}{}
	}
	return ids, rows.Err()
}

func (s *Store) processed(ctx context.Context, q querier, conversationID, clientMessageID string) (json.RawMessage, bool, error) {
	var result []byte
	err := s.queryRow(ctx, q, `SELECT result FROM processed_messages WHERE conversation_id = ? AND client_message_id = ?`,
		conversationID, clientMessageID).Scan(&result)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("processed: %w", s.wrapErr(err))
	}
	return result, true, nil
}

func (t *tx) Rollback(ctx context.Context) error {
	if t.done.CompareAndSwap(false, true) {
		t.unlock()
	}
	return nil
}

// Commit writes the turn in the writer's next group commit and ends the turn,
// also on failure. It returns once the turn is durable.
func (t *tx) Commit(ctx context.Context, rec store.TurnRecord) error {
	if !t.done.CompareAndSwap(false, true) {
		return store.ErrTxDone
	}
	defer t.unlock()
	s := t.s
	if err := s.check(); err != nil {
		return err
	}
	now := turn.Now()
	rec, err := turn.Prepare(t.conv, rec, now)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	stmts, err := s.TurnStatements(t.conv, t.exists, rec, now)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if len(rec.Handoffs) > 0 || len(rec.HandoffChanges) > 0 {
		defer s.writeSeen() // after the commit: whether one waits may have changed
	}
	if err := s.writer.commit(stmts); err != nil {
		// Whether the conversation changed is not known for every error.
		s.cache.drop(t.conv.ID)
		return fmt.Errorf("commit: %w", s.wrapErr(err))
	}
	s.cache.put(t.conv.ID, committed(t.conv, t.exists, t.cached, rec, now))
	return nil
}

// nullBytes stores nil as NULL so that nil reads back as nil.
func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}
