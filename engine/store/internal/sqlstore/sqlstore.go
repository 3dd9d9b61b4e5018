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
	"slices"
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
	// TryLockTurn, when set, keeps turns of other processes off conversation id
	// for the rest of Purge's transaction tx, or says it is in use (false);
	// UnlockTurn undoes it inside tx. Nil: the store is single-process and the
	// in-process lock is enough. (Turns themselves: sqlstore's Begin is the
	// single-process one; PostgreSQL has its own.)
	TryLockTurn func(ctx context.Context, tx *sql.Tx, id string) (bool, error)
	UnlockTurn  func(ctx context.Context, tx *sql.Tx, id string) error
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
	// TicketText is an FTS5 trigram table over the tickets' subject and
	// description (its rowids theirs) that narrows a search by text before
	// its LIKE; "" when the LIKE needs no help (PostgreSQL's pg_trgm indexes
	// serve it as it is).
	TicketText string
	// LikeFoldsASCII: LIKE ignores the case of ASCII letters and LOWER
	// changes only those (SQLite), so a search compares the column with a
	// lower-cased pattern as it is, instead of lower-casing every row it
	// reads (twice as slow where it reads them all).
	LikeFoldsASCII bool
	// UpsertChunks and SearchChunks override the portable BLOB implementation.
	UpsertChunks func(ctx context.Context, tx *sql.Tx, chunks []store.Chunk) error
	SearchChunks func(ctx context.Context, vec []float32, k int) ([]store.ChunkScore, error)
}

// Store is a store.Store over a *sql.DB with the schema of the migrations.
type Store struct {
	DB        *sql.DB
	d         Dialect
	locks     turn.Locks
	writeMu   chan struct{}
	writer    *writer // single-process stores: the group committer
	closed    atomic.Bool
	open      sync.Map // turn -> func() that ends it, on Close
	vectors   vectorIndex
	stmtCache sync.Map  // query -> *sql.Stmt on DB
	cache     convCache // single-process stores: conversations as committed
	qCache    sync.Map  // query with ? -> with $n
	// writes counts writes outside turns and turns that write handoffs, for
	// the answers a single-process store remembers (reads.go).
	writes      atomic.Uint64
	agentsCache agentsMemo
}

func New(db *sql.DB, d Dialect) *Store {
	return &Store{DB: db, d: d, writeMu: make(chan struct{}, 1)}
}

// StartWriter starts the group committer of a single-process store (SQLite),
// once the schema is migrated.
func (s *Store) StartWriter(ctx context.Context) error { return s.startWriter(ctx) }

// MarkClosed makes later calls fail with store.ErrClosed and rolls back open turns,
// as a dying process would; the owner then calls CloseDB.
func (s *Store) MarkClosed() {
	s.closed.Store(true)
	s.open.Range(func(k, end any) bool {
		end.(func())()
		return true
	})
}

// CloseDB finishes the commits in progress, then closes the database.
func (s *Store) CloseDB() error {
	if s.writer != nil {
		s.writer.close()
	}
	s.closeStatements()
	return s.DB.Close()
}

func (s *Store) q(query string) string {
	if !s.d.Dollar {
		return query
	}
	if q, ok := s.qCache.Load(query); ok {
		return q.(string)
	}
	q := dollars(query)
	s.qCache.Store(query, q)
	return q
}

func dollars(query string) string {
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
	defer s.writeSeen() // deferred first, so it runs after the commit and the unlock
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

// Querier is what reads and writes run on: the pool, a transaction, or a
// committer's connection inside its transaction.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

type querier = Querier

func (s *Store) owner(ctx context.Context, q querier, table, id string) (string, bool, error) {
	var conv string
	err := q.QueryRowContext(ctx, s.q(`SELECT conversation_id FROM `+table+` WHERE id = ?`), id).Scan(&conv)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return conv, err == nil, err
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
	w, args := where("id = ?", f.ID, "conversation_id = ?", f.ConversationID, "customer_id = ?", f.CustomerID, "queue = ?", f.Queue,
		"agent = ?", f.Agent, "status = ?", f.Status, "status IN (?)", f.Statuses)
	query, more := newestLast(`SELECT `+handoffCols+`, `+s.d.OrderCol+` AS ord FROM handoffs`+w, "created_at, ord", f.Limit)
	// Prepared once: the server asks before every turn whether the customer waits.
	rows, err := s.query(ctx, s.DB, query, append(args, more...)...)
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
	// A conversation is updated no earlier than it was created, so the
	// creation index narrows the scan (the embedded store has no index on
	// updated_at: every turn would move its entry). Sorted here, not by an
	// ORDER BY, which SQLite would serve by walking every id.
	cutoff := s.t(turn.Time(before))
	rows, err := s.DB.QueryContext(ctx, s.q(`SELECT id FROM conversations WHERE created_at < ? AND updated_at < ?`), cutoff, cutoff)
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
	slices.Sort(ids)
	var unlocks []func()
	defer func() {
		for _, u := range unlocks {
			u()
		}
	}()
	var locked []string
	defer func() {
		// Before the locks go: what the purge removed must not be served from memory.
		for _, id := range locked {
			s.cache.drop(id)
		}
	}()
	err = s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			unlock, ok := s.locks.TryLock(id)
			if !ok {
				continue
			}
			unlocks = append(unlocks, unlock)
			locked = append(locked, id)
			if s.d.TryLockTurn != nil {
				if ok, err := s.d.TryLockTurn(ctx, tx, id); err != nil {
					return err
				} else if !ok {
					continue
				}
			}
			if err := s.purgeOne(ctx, tx, id, before, &res); err != nil {
				return err
			}
			if s.d.UnlockTurn != nil {
				if err := s.d.UnlockTurn(ctx, tx, id); err != nil {
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

// purgeOne removes one conversation the caller holds, if it is still old.
func (s *Store) purgeOne(ctx context.Context, tx *sql.Tx, id string, before time.Time, res *store.PurgeResult) error {
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
		return nil
	}
	res.Conversations++
	res.Events += n
	for _, stmt := range []string{
		`DELETE FROM events WHERE conversation_id = ?`,
		`DELETE FROM processed_messages WHERE conversation_id = ?`,
		`DELETE FROM unanswered WHERE conversation_id = ?`,
		`DELETE FROM outbox WHERE conversation_id = ?`,
		`UPDATE satisfaction SET comment = '` + store.Purged + `' WHERE conversation_id = ? AND comment <> ''`,
		`UPDATE outcomes SET comment = '` + store.Purged + `' WHERE conversation_id = ? AND comment <> ''`,
		`UPDATE tickets SET subject = '` + store.Purged + `', description = CASE WHEN description = '' THEN '' ELSE '` + store.Purged + `' END WHERE conversation_id = ?`,
		`UPDATE ticket_history SET note = CASE WHEN note = '' THEN '' ELSE '` + store.Purged + `' END, request_digest = '' WHERE (note <> '' OR request_digest <> '') AND ticket_id IN (SELECT id FROM tickets WHERE conversation_id = ?)`,
		`UPDATE approvals SET reason = '` + store.Purged + `', input = NULL, note = CASE WHEN note = '' THEN '' ELSE '` + store.Purged + `' END WHERE conversation_id = ?`,
		`UPDATE approval_history SET note = '` + store.Purged + `' WHERE note <> '' AND approval_id IN (SELECT id FROM approvals WHERE conversation_id = ?)`,
		`UPDATE handoffs SET summary = '` + store.Purged + `', slots = NULL, transcript = NULL, unverified = NULL WHERE conversation_id = ?`,
		`UPDATE handoff_history SET note = '` + store.Purged + `' WHERE note <> '' AND handoff_id IN (SELECT id FROM handoffs WHERE conversation_id = ?)`,
	} {
		if _, err := tx.ExecContext(ctx, s.q(stmt), id); err != nil {
			return err
		}
	}
	return nil
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

// SearchChunks searches every chunk of the query's dimension exactly, in
// memory (vecsearch).
func (s *Store) SearchChunks(ctx context.Context, vec []float32, k int) ([]store.ChunkScore, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if k <= 0 || len(vec) == 0 {
		return nil, nil
	}
	if s.d.SearchChunks != nil {
		out, err := s.d.SearchChunks(ctx, vec, k)
		if err != nil {
			return nil, fmt.Errorf("search chunks: %w", s.wrapErr(err))
		}
		return out, nil
	}
	x, err := s.vectors.get(ctx, s.DB, len(vec))
	if err != nil {
		return nil, fmt.Errorf("search chunks: %w", s.wrapErr(err))
	}
	if x == nil {
		return nil, nil
	}
	return x.Search(vec, k), nil
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
