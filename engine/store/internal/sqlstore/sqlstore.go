// Package sqlstore implements store.Store over database/sql once, for both SQLite
// and PostgreSQL; a Dialect supplies what differs (placeholders, time encoding,
// cross-process locking and vector search).
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// Dialect is what differs between databases.
type Dialect struct {
	// Dollar placeholders ($1, $2...) instead of ?.
	Dollar bool
	// Time encodes a time for a query argument.
	Time func(time.Time) any
	// OrderCol breaks ties between rows created at the same time (insertion order).
	OrderCol string
	// LockTurn, when set, makes Begin open the database transaction at once and lock
	// the conversation inside it, so the lock holds across processes until Commit or
	// Rollback. When nil the store is single-process: the in-process lock is enough
	// and the transaction is opened by Commit.
	LockTurn func(ctx context.Context, tx *sql.Tx, id string) error
	// TryLockTurn is LockTurn without waiting, for Purge.
	TryLockTurn func(ctx context.Context, tx *sql.Tx, id string) (bool, error)
	// SerializeWrites takes a process-wide write lock around write transactions
	// (SQLite allows one writer; waiting in Go beats spinning on SQLITE_BUSY).
	SerializeWrites bool
	// LockRows appends FOR UPDATE to reads made to modify a row (UpdateHandoff,
	// PutAgent). Without it, SerializeWrites must be set: one writer at a time is
	// what then keeps two read-modify-writes apart.
	LockRows bool
	// IsDuplicate reports a unique-constraint violation, which a writer in another
	// process can cause after this one checked; nil when writes are serialized.
	IsDuplicate func(error) bool
	// UpsertChunks and SearchChunks override the portable BLOB implementation.
	UpsertChunks func(ctx context.Context, tx *sql.Tx, chunks []store.Chunk) error
	SearchChunks func(ctx context.Context, db *sql.DB, vec []float32, k int) ([]store.ScoredChunk, error)
}

// Store is a store.Store over a *sql.DB with the schema of the migrations.
type Store struct {
	DB      *sql.DB
	d       Dialect
	locks   turn.Locks
	writeMu chan struct{}
	closed  atomic.Bool
	open    sync.Map // *tx -> struct{}: turns to end on Close
	vectors vectorIndex
}

func New(db *sql.DB, d Dialect) *Store {
	return &Store{DB: db, d: d, writeMu: make(chan struct{}, 1)}
}

// MarkClosed makes later calls fail with store.ErrClosed and rolls back open turns,
// as a dying process would; the owner then closes DB.
func (s *Store) MarkClosed() {
	s.closed.Store(true)
	s.open.Range(func(k, _ any) bool {
		t := k.(*tx)
		if t.done.CompareAndSwap(false, true) {
			t.release()
		}
		return true
	})
}

func (s *Store) q(query string) string {
	if !s.d.Dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Store) t(t time.Time) any { return s.d.Time(t) }

// Times scans what either driver returns for a time column.
type Times struct{ T *time.Time }

func (ts Times) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*ts.T = time.Time{}
	case int64:
		*ts.T = time.UnixMicro(v).UTC()
	case time.Time:
		*ts.T = v.UTC()
	default:
		return fmt.Errorf("scan time from %T", src)
	}
	return nil
}

func (s *Store) check() error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	return nil
}

// beginWrite opens a write transaction; done must be called after Commit/Rollback.
func (s *Store) beginWrite(ctx context.Context) (tx *sql.Tx, done func(), err error) {
	done = func() {}
	if s.d.SerializeWrites {
		select {
		case s.writeMu <- struct{}{}:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		done = func() { <-s.writeMu }
	}
	tx, err = s.DB.BeginTx(ctx, nil)
	if err != nil {
		done()
		return nil, nil, s.wrapErr(err)
	}
	return tx, done, nil
}

// write runs fn in a write transaction.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.check(); err != nil {
		return err
	}
	tx, done, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer done()
	// Deferred so that a panic in fn (UpdateHandoff runs caller code) does not leak
	// the transaction and, on SQLite, the write lock.
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return s.wrapErr(tx.Commit())
}

func (s *Store) forUpdate() string {
	if s.d.LockRows {
		return " FOR UPDATE"
	}
	return ""
}

func (s *Store) wrapErr(err error) error {
	if err == nil {
		return nil
	}
	if s.closed.Load() && (errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "database is closed")) {
		return store.ErrClosed
	}
	return err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Begin locks the conversation in process, then (PostgreSQL) across processes.
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
	// The in-process lock first: waiters in this process then hold no connection.
	unlock, err := s.locks.Lock(ctx, id)
	if err != nil {
		return nil, err
	}
	t := &tx{s: s}
	t.unlock = func() {
		s.open.Delete(t)
		unlock()
	}
	s.open.Store(t, struct{}{})
	var q querier = s.DB
	if s.d.LockTurn != nil {
		// The transaction outlives the caller's ctx: database/sql rolls a transaction
		// back when its ctx ends, which would drop the lock (and the turn) mid-way
		// after a connector call. ctx still bounds the wait for the lock.
		t.sqlTx, err = s.DB.BeginTx(context.WithoutCancel(ctx), nil)
		if err == nil {
			err = s.d.LockTurn(ctx, t.sqlTx, id)
		}
		if err != nil {
			t.release()
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("begin %s: %w", id, s.wrapErr(err))
		}
		q = t.sqlTx
	}
	conv, err := s.load(ctx, q, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		conv = &store.Conversation{ID: id}
	case err != nil:
		t.release()
		return nil, fmt.Errorf("begin %s: %w", id, err)
	default:
		t.exists = true
	}
	t.conv = conv
	return t, nil
}

// load reads the conversation with the events after its snapshot.
func (s *Store) load(ctx context.Context, q querier, id string) (*store.Conversation, error) {
	c := &store.Conversation{ID: id}
	err := q.QueryRowContext(ctx, s.q(`SELECT customer_id, channel, status, snapshot, snapshot_seq, last_seq, created_at, updated_at,
		policy_version, policy_label, contact FROM conversations WHERE id = ?`), id).
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
	rows, err := q.QueryContext(ctx, s.q(query), args...)
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

type tx struct {
	s      *Store
	conv   *store.Conversation
	exists bool
	sqlTx  *sql.Tx // PostgreSQL: held from Begin
	unlock func()
	done   atomic.Bool
}

func (t *tx) release() {
	if t.sqlTx != nil {
		_ = t.sqlTx.Rollback()
	}
	t.unlock()
}

func (t *tx) Conversation() *store.Conversation { return t.conv }

// Log reads the locked conversation's whole log through the turn's own
// connection, so a turn never waits for a second pooled connection.
func (t *tx) Log(ctx context.Context) ([]store.Event, error) {
	if !t.exists {
		return nil, nil
	}
	if err := t.s.check(); err != nil {
		return nil, err
	}
	var q querier = t.s.DB
	if t.sqlTx != nil {
		q = t.sqlTx
	}
	return t.s.events(ctx, q, t.conv.ID, 0, 0)
}

func (t *tx) Processed(ctx context.Context, clientMessageID string) (json.RawMessage, bool, error) {
	if clientMessageID == "" || !t.exists {
		return nil, false, nil
	}
	if err := t.s.check(); err != nil {
		return nil, false, err
	}
	var q querier = t.s.DB
	if t.sqlTx != nil {
		q = t.sqlTx
	}
	var result []byte
	err := q.QueryRowContext(ctx, t.s.q(`SELECT result FROM processed_messages WHERE conversation_id = ? AND client_message_id = ?`),
		t.conv.ID, clientMessageID).Scan(&result)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("processed: %w", t.s.wrapErr(err))
	}
	return result, true, nil
}

func (t *tx) Rollback(ctx context.Context) error {
	if t.done.CompareAndSwap(false, true) {
		t.release()
	}
	return nil
}

// Commit writes the turn in one transaction and ends the turn, also on failure.
func (t *tx) Commit(ctx context.Context, rec store.TurnRecord) error {
	if !t.done.CompareAndSwap(false, true) {
		return store.ErrTxDone
	}
	defer t.unlock()
	s := t.s
	if err := s.check(); err != nil {
		if t.sqlTx != nil {
			_ = t.sqlTx.Rollback()
		}
		return err
	}
	now := turn.Now()
	rec, err := turn.Prepare(t.conv, rec, now)
	if err != nil {
		if t.sqlTx != nil {
			_ = t.sqlTx.Rollback()
		}
		return fmt.Errorf("commit: %w", err)
	}
	sqlTx, done := t.sqlTx, func() {}
	if sqlTx == nil {
		if sqlTx, done, err = s.beginWrite(ctx); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}
	defer done()
	if err := t.write(ctx, sqlTx, rec, now); err != nil {
		_ = sqlTx.Rollback()
		return fmt.Errorf("commit: %w", s.wrapErr(err))
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", s.wrapErr(err))
	}
	return nil
}

func (t *tx) write(ctx context.Context, q *sql.Tx, rec store.TurnRecord, now time.Time) error {
	s := t.s
	last := t.conv.LastSeq
	if n := len(rec.Events); n > 0 {
		last = rec.Events[n-1].Seq
	}
	var res sql.Result
	var err error
	// The contact state, when the turn changed it, is written by the same statement.
	var contact, due any
	if c := rec.Contact; c != nil {
		contact = nullBytes(c.State)
		if !c.Due.IsZero() {
			due = s.t(c.Due)
		}
	}
	if t.exists {
		// The WHERE on last_seq makes a log that moved under the turn (a purge, or a
		// bug) a conflict rather than a gap.
		set := `customer_id = ?, channel = ?, status = ?, last_seq = ?, updated_at = ?`
		args := []any{rec.CustomerID, rec.Channel, rec.Status, last, s.t(now)}
		if rec.Snapshot != nil {
			set += `, snapshot = ?, snapshot_seq = ?`
			args = append(args, []byte(rec.Snapshot), rec.SnapshotSeq)
		}
		if rec.Contact != nil {
			set += `, contact = ?, contact_due = ?`
			args = append(args, contact, due)
		}
		res, err = q.ExecContext(ctx, s.q(`UPDATE conversations SET `+set+` WHERE id = ? AND last_seq = ?`), append(args, t.conv.ID, t.conv.LastSeq)...)
	} else {
		res, err = q.ExecContext(ctx, s.q(`INSERT INTO conversations (id, customer_id, channel, status, snapshot, snapshot_seq, last_seq, created_at, updated_at,
			policy_version, policy_label, contact, contact_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
			t.conv.ID, rec.CustomerID, rec.Channel, rec.Status, nullBytes(rec.Snapshot), rec.SnapshotSeq, last, s.t(now), s.t(now),
			rec.PolicyVersion, rec.PolicyLabel, contact, due)
	}
	if err != nil {
		return fmt.Errorf("conversation: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return fmt.Errorf("log moved under the turn: %w", store.ErrConflict)
	}
	if rec.ClientMessageID != "" {
		res, err := q.ExecContext(ctx, s.q(`INSERT INTO processed_messages (conversation_id, client_message_id, result) VALUES (?, ?, ?)
			ON CONFLICT (conversation_id, client_message_id) DO NOTHING`), t.conv.ID, rec.ClientMessageID, nullBytes(rec.Result))
		if err != nil {
			return fmt.Errorf("processed message: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fmt.Errorf("client message %q already processed: %w", rec.ClientMessageID, store.ErrConflict)
		}
	}
	for _, e := range rec.Events {
		if _, err := q.ExecContext(ctx, s.q(`INSERT INTO events (conversation_id, seq, type, at, data) VALUES (?, ?, ?, ?, ?)`),
			t.conv.ID, e.Seq, e.Type, s.t(e.At), nullBytes(e.Data)); err != nil {
			return fmt.Errorf("event %d: %w", e.Seq, err)
		}
	}
	for _, tk := range rec.Tickets {
		if err := s.upsertTicket(ctx, q, tk, now); err != nil {
			return err
		}
	}
	for _, h := range rec.Handoffs {
		if err := s.upsertHandoff(ctx, q, h); err != nil {
			return err
		}
	}
	for _, a := range rec.Approvals {
		if err := s.upsertApproval(ctx, q, a, now); err != nil {
			return err
		}
	}
	for _, ch := range rec.HandoffChanges {
		if err := s.changeHandoff(ctx, q, ch, now); err != nil {
			return err
		}
	}
	for _, a := range rec.Audit {
		if err := s.insertAudit(ctx, q, a); err != nil {
			return err
		}
	}
	for _, u := range rec.Unanswered {
		if _, err := q.ExecContext(ctx, s.q(`INSERT INTO unanswered (question, conversation_id, at) VALUES (?, ?, ?)`),
			u.Question, u.ConversationID, s.t(u.At)); err != nil {
			return fmt.Errorf("unanswered: %w", err)
		}
	}
	for _, r := range rec.Satisfaction {
		if _, err := q.ExecContext(ctx, s.q(`INSERT INTO satisfaction (conversation_id, score, comment, at) VALUES (?, ?, ?, ?)`),
			r.ConversationID, r.Score, r.Comment, s.t(r.At)); err != nil {
			return fmt.Errorf("satisfaction: %w", err)
		}
	}
	if len(rec.Outcomes) == 0 && len(rec.RuleEvents) == 0 {
		return nil
	}
	deltas := newRollupDeltas()
	for _, o := range rec.Outcomes {
		if err := s.writeOutcome(ctx, q, o, deltas); err != nil {
			return err
		}
	}
	for _, r := range rec.RuleEvents {
		if err := s.writeRuleEvent(ctx, q, r, deltas); err != nil {
			return err
		}
	}
	return deltas.flush(ctx, s, q)
}

// nullBytes stores nil as NULL so that nil reads back as nil.
func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

func (s *Store) owner(ctx context.Context, q querier, table, id string) (string, bool, error) {
	var conv string
	err := q.QueryRowContext(ctx, s.q(`SELECT conversation_id FROM `+table+` WHERE id = ?`), id).Scan(&conv)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return conv, err == nil, err
}

func (s *Store) upsertHandoff(ctx context.Context, q querier, h store.Handoff) error {
	owner, exists, err := s.owner(ctx, q, "handoffs", h.ID)
	if err != nil {
		return fmt.Errorf("handoff %s: %w", h.ID, err)
	}
	if exists && owner != h.ConversationID {
		return fmt.Errorf("handoff %q belongs to another conversation: %w", h.ID, store.ErrConflict)
	}
	slots, transcript, unverified, err := encodeHandoff(h)
	if err != nil {
		return err
	}
	if exists {
		// An empty Agent keeps the assigned one: a turn does not unassign.
		_, err = q.ExecContext(ctx, s.q(`UPDATE handoffs SET customer_id = ?, queue = ?, skill = ?, priority = ?, reason = ?, summary = ?,
			slots = ?, transcript = ?, unverified = ?, status = ?, agent = CASE WHEN ? = '' THEN agent ELSE ? END, updated_at = ? WHERE id = ?`),
			h.CustomerID, h.Queue, h.Skill, h.Priority, h.Reason, h.Summary, slots, transcript, unverified, h.Status, h.Agent, h.Agent, s.t(h.UpdatedAt), h.ID)
	} else {
		_, err = q.ExecContext(ctx, s.q(`INSERT INTO handoffs (id, conversation_id, customer_id, queue, skill, priority, reason, summary, slots, transcript, unverified, status, agent, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			h.ID, h.ConversationID, h.CustomerID, h.Queue, h.Skill, h.Priority, h.Reason, h.Summary, slots, transcript, unverified, h.Status, h.Agent, s.t(h.CreatedAt), s.t(h.UpdatedAt))
	}
	if err != nil {
		return fmt.Errorf("handoff %s: %w", h.ID, err)
	}
	return s.appendHistory(ctx, q, "handoff_history", "handoff_id", h.ID, h.History)
}

func encodeHandoff(h store.Handoff) (slots, transcript, unverified any, err error) {
	if h.Slots != nil {
		b, err := json.Marshal(h.Slots)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("handoff %s slots: %w", h.ID, err)
		}
		slots = b
	}
	if h.Transcript != nil {
		b, err := json.Marshal(h.Transcript)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("handoff %s transcript: %w", h.ID, err)
		}
		transcript = b
	}
	if len(h.Unverified) > 0 {
		b, err := json.Marshal(h.Unverified)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("handoff %s unverified: %w", h.ID, err)
		}
		unverified = b
	}
	return slots, transcript, unverified, nil
}

func (s *Store) appendHistory(ctx context.Context, q querier, table, key, id string, changes []store.StatusChange) error {
	if len(changes) == 0 {
		return nil
	}
	var n int64
	if err := q.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM `+table+` WHERE `+key+` = ?`), id).Scan(&n); err != nil {
		return fmt.Errorf("%s %s: %w", table, id, err)
	}
	for i, c := range changes {
		if _, err := q.ExecContext(ctx, s.q(`INSERT INTO `+table+` (`+key+`, n, status, actor, at, note) VALUES (?, ?, ?, ?, ?, ?)`),
			id, n+int64(i)+1, c.Status, c.Actor, s.t(c.At), c.Note); err != nil {
			return fmt.Errorf("%s %s: %w", table, id, err)
		}
	}
	return nil
}

func (s *Store) history(ctx context.Context, q querier, table, key, id string) ([]store.StatusChange, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT status, actor, at, note FROM `+table+` WHERE `+key+` = ? ORDER BY n`), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.StatusChange
	for rows.Next() {
		var c store.StatusChange
		if err := rows.Scan(&c.Status, &c.Actor, Times{&c.At}, &c.Note); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) insertAudit(ctx context.Context, q querier, a store.AuditEntry) error {
	_, err := q.ExecContext(ctx, s.q(`INSERT INTO audit (at, actor, action, conversation_id, detail) VALUES (?, ?, ?, ?, ?)`),
		s.t(a.At), a.Actor, a.Action, a.ConversationID, nullBytes(a.Detail))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

func (s *Store) Conversation(ctx context.Context, id string) (*store.Conversation, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	c, err := s.load(ctx, s.DB, id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("conversation %s: %w", id, err)
	}
	return c, nil
}

func (s *Store) Events(ctx context.Context, id string, afterSeq int64, limit int) ([]store.Event, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	// One read transaction so the existence check and the events agree.
	tx, err := s.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: !s.d.SerializeWrites})
	if err != nil {
		return nil, s.wrapErr(err)
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM conversations WHERE id = ?`), id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("events %s: %w", id, s.wrapErr(err))
	}
	return s.events(ctx, tx, id, afterSeq, limit)
}

// where builds "WHERE a = ? AND b = ?" from the non-empty pairs. A []string value
// expands the clause's "(?)" to one placeholder per element ("status IN (?)").
func where(conds ...any) (string, []any) {
	var parts []string
	var args []any
	for i := 0; i+1 < len(conds); i += 2 {
		clause := conds[i].(string)
		switch v := conds[i+1].(type) {
		case string:
			if v == "" {
				continue
			}
		case nil:
			continue
		case []string:
			if len(v) == 0 {
				continue
			}
			parts = append(parts, strings.Replace(clause, "(?)", "("+strings.TrimSuffix(strings.Repeat("?, ", len(v)), ", ")+")", 1))
			for _, x := range v {
				args = append(args, x)
			}
			continue
		}
		parts = append(parts, clause)
		args = append(args, conds[i+1])
	}
	if len(parts) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(parts, " AND "), args
}

// newestLast orders by order (ascending) and keeps the newest limit rows.
func newestLast(query, order string, limit int) (string, []any) {
	if limit <= 0 {
		return query + " ORDER BY " + order, nil
	}
	desc := strings.ReplaceAll(order, ",", " DESC,") + " DESC"
	return "SELECT * FROM (" + query + " ORDER BY " + desc + " LIMIT ?) newest ORDER BY " + order, []any{limit}
}

func (s *Store) Handoffs(ctx context.Context, f store.HandoffFilter) ([]store.Handoff, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	w, args := where("conversation_id = ?", f.ConversationID, "customer_id = ?", f.CustomerID, "queue = ?", f.Queue,
		"agent = ?", f.Agent, "status = ?", f.Status, "status IN (?)", f.Statuses)
	query, more := newestLast(`SELECT `+handoffCols+`, `+s.d.OrderCol+` AS ord FROM handoffs`+w, "created_at, ord", f.Limit)
	rows, err := s.DB.QueryContext(ctx, s.q(query), append(args, more...)...)
	if err != nil {
		return nil, fmt.Errorf("handoffs: %w", s.wrapErr(err))
	}
	var out []store.Handoff
	for rows.Next() {
		h, err := scanHandoff(rows, true)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("handoffs: %w", err)
		}
		out = append(out, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("handoffs: %w", err)
	}
	for i := range out {
		if out[i].History, err = s.history(ctx, s.DB, "handoff_history", "handoff_id", out[i].ID); err != nil {
			return nil, fmt.Errorf("handoffs: %w", s.wrapErr(err))
		}
	}
	return out, nil
}

const handoffCols = `id, conversation_id, customer_id, queue, skill, priority, reason, summary, slots, transcript, unverified, status, agent, created_at, updated_at`

func scanHandoff(row interface{ Scan(...any) error }, withOrd bool) (store.Handoff, error) {
	var h store.Handoff
	var slots, transcript, unverified []byte
	dest := []any{&h.ID, &h.ConversationID, &h.CustomerID, &h.Queue, &h.Skill, &h.Priority, &h.Reason, &h.Summary, &slots, &transcript, &unverified, &h.Status,
		&h.Agent, Times{&h.CreatedAt}, Times{&h.UpdatedAt}}
	var ord int64
	if withOrd {
		dest = append(dest, &ord)
	}
	if err := row.Scan(dest...); err != nil {
		return h, err
	}
	if slots != nil {
		if err := json.Unmarshal(slots, &h.Slots); err != nil {
			return h, fmt.Errorf("handoff %s slots: %w", h.ID, err)
		}
	}
	if transcript != nil {
		if err := json.Unmarshal(transcript, &h.Transcript); err != nil {
			return h, fmt.Errorf("handoff %s transcript: %w", h.ID, err)
		}
	}
	if unverified != nil {
		if err := json.Unmarshal(unverified, &h.Unverified); err != nil {
			return h, fmt.Errorf("handoff %s unverified: %w", h.ID, err)
		}
	}
	return h, nil
}

// handoff reads one handoff; lock (in a write transaction) keeps the row until commit.
func (s *Store) handoff(ctx context.Context, q querier, id string, lock bool) (store.Handoff, error) {
	query := `SELECT ` + handoffCols + ` FROM handoffs WHERE id = ?`
	if lock {
		query += s.forUpdate()
	}
	h, err := scanHandoff(q.QueryRowContext(ctx, s.q(query), id), false)
	if errors.Is(err, sql.ErrNoRows) {
		return h, store.ErrNotFound
	}
	if err != nil {
		return h, err
	}
	h.History, err = s.history(ctx, q, "handoff_history", "handoff_id", id)
	return h, err
}

func (s *Store) Audit(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var since any
	if !f.Since.IsZero() {
		since = s.t(turn.Time(f.Since))
	}
	var until, after any
	if !f.Until.IsZero() {
		until = s.t(turn.Time(f.Until))
	}
	if f.Forward {
		after = f.AfterID
	}
	w, args := where("conversation_id = ?", f.ConversationID, "action = ?", f.Action, "actor = ?", f.Actor, "at >= ?", since, "at < ?", until, "id > ?", after)
	query, more := newestLast(`SELECT id, at, actor, action, conversation_id, detail FROM audit`+w, "id", f.Limit)
	if f.Forward && f.Limit > 0 {
		query, more = `SELECT id, at, actor, action, conversation_id, detail FROM audit`+w+` ORDER BY id LIMIT ?`, []any{f.Limit}
	}
	rows, err := s.DB.QueryContext(ctx, s.q(query), append(args, more...)...)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", s.wrapErr(err))
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var a store.AuditEntry
		var detail []byte
		if err := rows.Scan(&a.ID, Times{&a.At}, &a.Actor, &a.Action, &a.ConversationID, &detail); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		if detail != nil {
			a.Detail = detail
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *Store) SetHandoffStatus(ctx context.Context, id string, change store.StatusChange) (store.Handoff, error) {
	change, err := turn.PrepareChange(change, turn.Now())
	if err != nil {
		return store.Handoff{}, fmt.Errorf("set handoff status: %w", err)
	}
	var out store.Handoff
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE handoffs SET status = ?, updated_at = ? WHERE id = ?`), change.Status, s.t(turn.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		if err := s.appendHistory(ctx, tx, "handoff_history", "handoff_id", id, []store.StatusChange{change}); err != nil {
			return err
		}
		if out, err = s.handoff(ctx, tx, id, false); err != nil {
			return err
		}
		return s.insertAudit(ctx, tx, turn.StatusAudit("handoff", id, out.ConversationID, change))
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrClosed) {
		err = fmt.Errorf("set handoff status: %w", err)
	}
	return out, err
}

// UpdateHandoff reads the handoff FOR UPDATE (PostgreSQL) or under the single
// writer lock (SQLite), so a concurrent update waits and then sees this one's result.
func (s *Store) UpdateHandoff(ctx context.Context, id string, fn func(h *store.Handoff) (store.AuditEntry, error)) (store.Handoff, error) {
	return updateLocked(ctx, s, "handoff", id,
		func(tx *sql.Tx) (store.Handoff, error) { return s.handoff(ctx, tx, id, true) },
		func(h store.Handoff) (store.Handoff, []store.StatusChange, *store.AuditEntry, error) {
			return turn.UpdateHandoff(h, fn, turn.Now())
		},
		func(tx *sql.Tx, out store.Handoff, added []store.StatusChange) error {
			slots, transcript, unverified, err := encodeHandoff(out)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE handoffs SET customer_id = ?, queue = ?, skill = ?, priority = ?, reason = ?, summary = ?,
			slots = ?, transcript = ?, unverified = ?, status = ?, agent = ?, updated_at = ? WHERE id = ?`),
				out.CustomerID, out.Queue, out.Skill, out.Priority, out.Reason, out.Summary, slots, transcript, unverified, out.Status, out.Agent, s.t(out.UpdatedAt), id); err != nil {
				return err
			}
			return s.appendHistory(ctx, tx, "handoff_history", "handoff_id", id, added)
		})
}

func (s *Store) Unanswered(ctx context.Context, f store.UnansweredFilter) ([]store.UnansweredQuestion, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var since any
	if !f.Since.IsZero() {
		since = s.t(turn.Time(f.Since))
	}
	w, args := where("at >= ?", since)
	query, more := newestLast(`SELECT id, question, conversation_id, at FROM unanswered`+w, "id", f.Limit)
	rows, err := s.DB.QueryContext(ctx, s.q(query), append(args, more...)...)
	if err != nil {
		return nil, fmt.Errorf("unanswered: %w", s.wrapErr(err))
	}
	defer rows.Close()
	var out []store.UnansweredQuestion
	for rows.Next() {
		var u store.UnansweredQuestion
		var id int64
		if err := rows.Scan(&id, &u.Question, &u.ConversationID, Times{&u.At}); err != nil {
			return nil, fmt.Errorf("unanswered: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (s *Store) Satisfaction(ctx context.Context, f store.SatisfactionFilter) ([]store.Satisfaction, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var since any
	if !f.Since.IsZero() {
		since = s.t(turn.Time(f.Since))
	}
	var until, maxScore, comment any
	if !f.Until.IsZero() {
		until = s.t(turn.Time(f.Until))
	}
	if f.MaxScore > 0 {
		maxScore = f.MaxScore
	}
	if f.WithComment {
		comment = 0
	}
	w, args := where("conversation_id = ?", f.ConversationID, "at >= ?", since, "at < ?", until, "score <= ?", maxScore, "length(comment) > ?", comment,
		"conversation_id IN (SELECT id FROM conversations WHERE customer_id = ?)", f.CustomerID)
	query, more := newestLast(`SELECT id, conversation_id, score, comment, at FROM satisfaction`+w, "id", f.Limit)
	rows, err := s.DB.QueryContext(ctx, s.q(query), append(args, more...)...)
	if err != nil {
		return nil, fmt.Errorf("satisfaction: %w", s.wrapErr(err))
	}
	defer rows.Close()
	var out []store.Satisfaction
	for rows.Next() {
		var r store.Satisfaction
		var id int64
		if err := rows.Scan(&id, &r.ConversationID, &r.Score, &r.Comment, Times{&r.At}); err != nil {
			return nil, fmt.Errorf("satisfaction: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Purge removes old conversations in one transaction. Conversations with a turn in
// progress (in this process, or in another one for PostgreSQL) are skipped.
func (s *Store) Purge(ctx context.Context, before time.Time, actor string) (store.PurgeResult, error) {
	var res store.PurgeResult
	if err := s.check(); err != nil {
		return res, err
	}
	rows, err := s.DB.QueryContext(ctx, s.q(`SELECT id FROM conversations WHERE updated_at < ? ORDER BY id`), s.t(turn.Time(before)))
	if err != nil {
		return res, fmt.Errorf("purge: %w", s.wrapErr(err))
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return res, fmt.Errorf("purge: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("purge: %w", err)
	}
	var unlocks []func()
	defer func() {
		for _, u := range unlocks {
			u()
		}
	}()
	err = s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			unlock, ok := s.locks.TryLock(id)
			if !ok {
				continue
			}
			unlocks = append(unlocks, unlock)
			if s.d.TryLockTurn != nil {
				ok, err := s.d.TryLockTurn(ctx, tx, id)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
			}
			// Re-check under the lock: a turn may have committed since the scan.
			var n int
			err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM events WHERE conversation_id = ?`), id).Scan(&n)
			if err != nil {
				return err
			}
			del, err := tx.ExecContext(ctx, s.q(`DELETE FROM conversations WHERE id = ? AND updated_at < ?`), id, s.t(turn.Time(before)))
			if err != nil {
				return err
			}
			if k, _ := del.RowsAffected(); k == 0 {
				continue
			}
			res.Conversations++
			res.Events += n
			for _, stmt := range []string{
				`DELETE FROM events WHERE conversation_id = ?`,
				`DELETE FROM processed_messages WHERE conversation_id = ?`,
				`DELETE FROM unanswered WHERE conversation_id = ?`,
				`UPDATE satisfaction SET comment = '` + store.Purged + `' WHERE conversation_id = ? AND comment <> ''`,
				`UPDATE outcomes SET comment = '` + store.Purged + `' WHERE conversation_id = ? AND comment <> ''`,
				`UPDATE tickets SET subject = '` + store.Purged + `', description = CASE WHEN description = '' THEN '' ELSE '` + store.Purged + `' END WHERE conversation_id = ?`,
				`UPDATE ticket_history SET note = '` + store.Purged + `' WHERE note <> '' AND ticket_id IN (SELECT id FROM tickets WHERE conversation_id = ?)`,
				`UPDATE approvals SET reason = '` + store.Purged + `', input = NULL, note = CASE WHEN note = '' THEN '' ELSE '` + store.Purged + `' END WHERE conversation_id = ?`,
				`UPDATE approval_history SET note = '` + store.Purged + `' WHERE note <> '' AND approval_id IN (SELECT id FROM approvals WHERE conversation_id = ?)`,
				`UPDATE handoffs SET summary = '` + store.Purged + `', slots = NULL, transcript = NULL, unverified = NULL WHERE conversation_id = ?`,
				`UPDATE handoff_history SET note = '` + store.Purged + `' WHERE note <> '' AND handoff_id IN (SELECT id FROM handoffs WHERE conversation_id = ?)`,
			} {
				if _, err := tx.ExecContext(ctx, s.q(stmt), id); err != nil {
					return err
				}
			}
		}
		// Tickets from email, the web form or the API have no conversation:
		// their own age decides.
		if err := s.purgeLoneTickets(ctx, tx, before); err != nil {
			return err
		}
		now := turn.Now()
		return s.insertAudit(ctx, tx, store.AuditEntry{At: now, Actor: actor, Action: "retention.purge", Detail: turn.PurgeDetail(before, res)})
	})
	if err != nil {
		return store.PurgeResult{}, fmt.Errorf("purge: %w", err)
	}
	return res, nil
}

func (s *Store) ResolveCustomer(ctx context.Context, channel, externalID string) (store.Customer, error) {
	if channel == "" || externalID == "" {
		return store.Customer{}, fmt.Errorf("resolve customer: empty channel or external id")
	}
	var id string
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`SELECT customer_id FROM customer_identities WHERE channel = ? AND external_id = ?`), channel, externalID).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		id = turn.NewID("cus_")
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO customers (id, created_at) VALUES (?, ?)`), id, s.t(turn.Now())); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO customer_identities (channel, external_id, customer_id) VALUES (?, ?, ?)
			ON CONFLICT (channel, external_id) DO NOTHING`), channel, externalID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errRace // another process created it first
		}
		return nil
	})
	if errors.Is(err, errRace) {
		return s.ResolveCustomer(ctx, channel, externalID)
	}
	if err != nil {
		return store.Customer{}, fmt.Errorf("resolve customer: %w", err)
	}
	return s.Customer(ctx, id)
}

var errRace = errors.New("lost a race, retry")

func (s *Store) LinkIdentity(ctx context.Context, customerID, channel, externalID string) error {
	if channel == "" || externalID == "" {
		return fmt.Errorf("link identity: empty channel or external id")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM customers WHERE id = ?`), customerID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO customer_identities (channel, external_id, customer_id) VALUES (?, ?, ?)
			ON CONFLICT (channel, external_id) DO NOTHING`), channel, externalID, customerID); err != nil {
			return err
		}
		var owner string
		if err := tx.QueryRowContext(ctx, s.q(`SELECT customer_id FROM customer_identities WHERE channel = ? AND external_id = ?`),
			channel, externalID).Scan(&owner); err != nil {
			return err
		}
		if owner != customerID {
			return fmt.Errorf("%s/%s is linked to another customer: %w", channel, externalID, store.ErrConflict)
		}
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrClosed) {
		return fmt.Errorf("link identity: %w", err)
	}
	return err
}

func (s *Store) Customer(ctx context.Context, id string) (store.Customer, error) {
	if err := s.check(); err != nil {
		return store.Customer{}, err
	}
	c := store.Customer{ID: id}
	var profile string
	err := s.DB.QueryRowContext(ctx, s.q(`SELECT created_at, profile FROM customers WHERE id = ?`), id).Scan(Times{&c.CreatedAt}, &profile)
	if errors.Is(err, sql.ErrNoRows) {
		return c, store.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("customer: %w", s.wrapErr(err))
	}
	if err := json.Unmarshal([]byte(profile), &c.Profile); err != nil {
		return c, fmt.Errorf("customer %s profile: %w", id, err)
	}
	rows, err := s.DB.QueryContext(ctx, s.q(`SELECT channel, external_id FROM customer_identities WHERE customer_id = ? ORDER BY channel, external_id`), id)
	if err != nil {
		return c, fmt.Errorf("customer: %w", s.wrapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var i store.Identity
		if err := rows.Scan(&i.Channel, &i.ExternalID); err != nil {
			return c, fmt.Errorf("customer: %w", err)
		}
		c.Identities = append(c.Identities, i)
	}
	return c, rows.Err()
}

func (s *Store) UpsertChunks(ctx context.Context, chunks []store.Chunk) error {
	for _, c := range chunks {
		if err := turn.ValidateChunk(c); err != nil {
			return fmt.Errorf("upsert chunks: %w", err)
		}
	}
	// The embedded store's in-memory vectors are rebuilt on the next search.
	defer s.vectors.invalidate()
	err := s.write(ctx, func(tx *sql.Tx) error {
		if s.d.UpsertChunks != nil {
			return s.d.UpsertChunks(ctx, tx, chunks)
		}
		for _, c := range chunks {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO kb_chunks (id, source, title, content, hash, embedder, dims, embedding)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET source = excluded.source, title = excluded.title,
				content = excluded.content, hash = excluded.hash, embedder = excluded.embedder, dims = excluded.dims, embedding = excluded.embedding`),
				c.ID, c.Source, c.Title, c.Content, c.Hash, c.Embedder, len(c.Embedding), EncodeVector(c.Embedding)); err != nil {
				return fmt.Errorf("chunk %s: %w", c.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("upsert chunks: %w", err)
	}
	return nil
}

func (s *Store) DeleteChunksNotIn(ctx context.Context, keep []string) (int, error) {
	var n int64
	defer s.vectors.invalidate()
	err := s.write(ctx, func(tx *sql.Tx) error {
		// A temporary table rather than a NOT IN list: keep may exceed parameter limits.
		if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE IF NOT EXISTS parley_keep_chunks (id TEXT PRIMARY KEY)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM parley_keep_chunks`); err != nil {
			return err
		}
		for _, id := range keep {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO parley_keep_chunks (id) VALUES (?) ON CONFLICT (id) DO NOTHING`), id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM kb_chunks WHERE id NOT IN (SELECT id FROM parley_keep_chunks)`)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM parley_keep_chunks`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete chunks: %w", err)
	}
	return int(n), nil
}

func (s *Store) ChunkHashes(ctx context.Context, embedder string) (map[string]string, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, s.q(`SELECT id, hash FROM kb_chunks WHERE embedder = ?`), embedder)
	if err != nil {
		return nil, fmt.Errorf("chunk hashes: %w", s.wrapErr(err))
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, hash string
		if err := rows.Scan(&id, &hash); err != nil {
			return nil, fmt.Errorf("chunk hashes: %w", err)
		}
		out[id] = hash
	}
	return out, rows.Err()
}

// SearchChunks scores every chunk of the query's dimension in process (exact
// search), then loads the text of the k best only.
func (s *Store) SearchChunks(ctx context.Context, vec []float32, k int) ([]store.ScoredChunk, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if k <= 0 || len(vec) == 0 {
		return nil, nil
	}
	if s.d.SearchChunks != nil {
		out, err := s.d.SearchChunks(ctx, s.DB, vec, k)
		if err != nil {
			return nil, fmt.Errorf("search chunks: %w", s.wrapErr(err))
		}
		return out, nil
	}
	flat, err := s.vectors.get(ctx, s.DB, len(vec))
	if err != nil {
		return nil, fmt.Errorf("search chunks: %w", s.wrapErr(err))
	}
	if flat == nil {
		return nil, nil
	}
	out := flat.search(vec, k)
	for i := range out {
		c := &out[i].Chunk
		var blob []byte
		err := s.DB.QueryRowContext(ctx, s.q(`SELECT source, title, content, hash, embedder, embedding FROM kb_chunks WHERE id = ?`), c.ID).
			Scan(&c.Source, &c.Title, &c.Content, &c.Hash, &c.Embedder, &blob)
		if err != nil {
			return nil, fmt.Errorf("search chunks: %w", s.wrapErr(err))
		}
		c.Embedding = DecodeVector(blob)
	}
	return out, nil
}

// EncodeVector stores float32s little-endian, 4 bytes each.
func EncodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func DecodeVector(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
