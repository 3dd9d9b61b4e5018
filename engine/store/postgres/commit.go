package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/sqlstore"
)

// Group commit on PostgreSQL: a committer takes the turns queued meanwhile and
// sends BEGIN, every turn's statements and a NOTIFY for the other instances in
// one pipelined round trip, checks each statement's row count, then COMMITs:
// two round trips and one WAL flush for the whole group. (A turn that writes
// tickets, approvals, handoff changes or outcomes adds its Do steps, which
// read as they write, after the pipeline.) A turn whose check
// fails (a conflict, a lease taken over) is dropped and the rest is sent
// again; a statement that raises an error is blamed on its turn the same way.
// Every turn learns its own outcome.

const (
	// committers overlap one group's round trips with another's flush.
	committers = 2
	// maxGroupTurns bounds the statements in one pipeline.
	maxGroupTurns = 128
	// commitTimeout bounds one group's round trips.
	commitTimeout = 60 * time.Second
)

// pendingTurn is one turn's part of a group commit.
type pendingTurn struct {
	change store.Change
	stmts  []sqlstore.Stmt
}

// handoffEvents are the log's event types (dialog.Event*) that move a
// conversation in or out of a queue or between agents.
var handoffEvents = map[string]bool{"handoff_requested": true, "agent_joined": true, "handoff_transferred": true, "handoff_closed": true}

func changeOf(id string, rec store.TurnRecord) store.Change {
	c := store.Change{ConversationID: id, Handoff: len(rec.Handoffs) > 0 || len(rec.HandoffChanges) > 0, HandedOff: rec.Status == "handed_off"}
	for _, ev := range rec.Events {
		// An agent's claim or transfer changes the handoff row before the
		// turn that records it, so only its events say the queues changed.
		if handoffEvents[ev.Type] {
			c.Handoff = true
		}
	}
	for _, t := range rec.Tickets {
		c.Tickets = append(c.Tickets, store.Opened{ID: t.ID, Queue: t.Queue})
	}
	for _, a := range rec.Approvals {
		if a.Status == store.ApprovalPending { // else a decision carried out
			c.Approvals = append(c.Approvals, store.Opened{ID: a.ID, Queue: a.Queue})
		}
	}
	return c
}

// commitGroup commits batch and returns each turn's outcome.
func (s *Store) commitGroup(batch []pendingTurn) []error {
	errs := make([]error, len(batch))
	fail := func(err error, live []int) []error {
		for _, i := range live {
			errs[i] = err
		}
		return errs
	}
	live := make([]int, len(batch))
	for i := range live {
		live[i] = i
	}
	if s.closed.Load() {
		return fail(store.ErrClosed, live)
	}
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	// A database/sql connection, so that a turn's Do steps (sqlstore.Stmt)
	// run on it in the transaction; the pipeline goes through its pgx
	// connection underneath.
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return fail(fmt.Errorf("connection: %w", err), live)
	}
	defer conn.Close()
	// Only retries of the whole group (a deadlock, a serialization failure)
	// count against maxGroupTries: dropping a failed turn is progress.
	for retries := 1; len(live) > 0; {
		failed, err := s.sendGroup(ctx, conn, batch, live)
		var again *retryGroup
		if errors.As(err, &again) && retries < maxGroupTries {
			retries++
			continue
		}
		if err != nil {
			// The outcome is unknown (the connection broke, say): the turns fail,
			// and a client that retries with its message id finds out which.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // the pool drops it
			return fail(err, live)
		}
		if len(failed) == 0 {
			return errs
		}
		next := live[:0:0]
		for _, i := range live {
			if e, ok := failed[i]; ok {
				errs[i] = e
			} else {
				next = append(next, i)
			}
		}
		live = next
	}
	return errs
}

// sendGroup runs the turns live of batch in one transaction and commits it
// when every check passed. Otherwise it rolls back and returns the turns that
// failed (with why); err is for what fails the whole group. The statements
// go in one pipelined round trip; Do steps, when a turn has some, run after
// them, one round trip each.
func (s *Store) sendGroup(ctx context.Context, conn *sql.Conn, batch []pendingTurn, live []int) (failed map[int]error, err error) {
	blame := func(i int, err error) {
		if failed == nil {
			failed = map[int]error{}
		}
		if _, seen := failed[i]; !seen {
			failed[i] = err
		}
	}
	changes := make([]store.Change, 0, len(live))
	steps := false
	for _, i := range live {
		changes = append(changes, batch[i].change)
		for _, st := range batch[i].stmts {
			steps = steps || st.Do != nil
		}
	}
	notify := s.notifyPayloads(changes)
	g := sqlstore.NewGroup()
	var sqlErr error
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		type queued struct{ turn, stmt int } // turn -1: not a turn's statement
		b := &pgx.Batch{}
		b.Queue("BEGIN")
		owner := []queued{{-1, 0}}
		for _, i := range live {
			for k, st := range batch[i].stmts {
				if st.Do != nil {
					continue
				}
				b.Queue(st.Query, st.Args...)
				owner = append(owner, queued{i, k})
			}
		}
		if !steps {
			for _, payload := range notify {
				b.Queue(`SELECT pg_notify($1, $2)`, s.channel, payload)
				owner = append(owner, queued{-1, 0})
			}
		}
		br := pc.SendBatch(ctx, b)
		for _, o := range owner {
			i := o.turn
			tag, err := br.Exec()
			if err != nil {
				if sqlErr == nil {
					sqlErr = err
					if i >= 0 && !retryable(err) {
						// Blamed on its turn, unless a check of the turn failed first
						// (a turn that lost its lease fails on a key, say).
						blame(i, err)
					}
				}
				continue // the server skipped the rest of the pipeline
			}
			if i < 0 || sqlErr != nil {
				continue
			}
			st := batch[i].stmts[o.stmt]
			if cerr := st.Check(tag.RowsAffected()); cerr != nil {
				blame(i, cerr)
			} else if st.Counted != nil {
				st.Counted(g, tag.RowsAffected())
			}
		}
		if err := br.Close(); err != nil && sqlErr == nil {
			sqlErr = err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sqlErr == nil && len(failed) == 0 && steps {
	turns:
		for _, i := range live {
			for _, st := range batch[i].stmts {
				if st.Do == nil {
					continue
				}
				if err := st.Do(ctx, conn, g); err != nil {
					if retryable(err) {
						// Not the turn's fault: the group is tried again whole.
						sqlErr = err
						break turns
					}
					// A statement's error aborts the transaction: the rest waits
					// for the next attempt, without this turn.
					blame(i, err)
					break turns
				}
			}
		}
	}
	if sqlErr == nil && len(failed) == 0 {
		// The rollups the turns added up, and the notifications if they
		// could not go with the statements: one round trip.
		var late []string
		if steps {
			late = notify
		}
		sqlErr = s.pipeline(ctx, conn, g.Statements(s.Store), late)
	}
	if sqlErr != nil || len(failed) > 0 {
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			return nil, fmt.Errorf("roll back: %w", err)
		}
		if len(failed) == 0 {
			if retryable(sqlErr) {
				return nil, &retryGroup{sqlErr}
			}
			return nil, sqlErr // not a turn's statement (BEGIN, NOTIFY, the connection)
		}
		return failed, nil
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return nil, nil
}

// pipeline runs stmts, then notifies the other instances of payloads, in one
// round trip on conn (in its transaction), and returns the first error.
func (s *Store) pipeline(ctx context.Context, conn *sql.Conn, stmts []sqlstore.Stmt, payloads []string) error {
	if len(stmts) == 0 && len(payloads) == 0 {
		return nil
	}
	return conn.Raw(func(dc any) error {
		b := &pgx.Batch{}
		for _, st := range stmts {
			b.Queue(st.Query, st.Args...)
		}
		for _, payload := range payloads {
			b.Queue(`SELECT pg_notify($1, $2)`, s.channel, payload)
		}
		br := dc.(*stdlib.Conn).Conn().SendBatch(ctx, b)
		var first error
		for range b.Len() {
			if _, err := br.Exec(); err != nil && first == nil {
				first = err
			}
		}
		if err := br.Close(); err != nil && first == nil {
			first = err
		}
		if first != nil && len(stmts) > 0 {
			return fmt.Errorf("rollups: %w", first)
		}
		return first
	})
}

// maxGroupTries bounds the attempts at a group that PostgreSQL aborted for
// reasons of its own (a deadlock with another instance's commit, say).
const maxGroupTries = 3

// retryGroup: the group was rolled back for a reason no turn is to blame
// for, and may be sent again as it is.
type retryGroup struct{ err error }

func (e *retryGroup) Error() string { return e.err.Error() }
func (e *retryGroup) Unwrap() error { return e.err }

// retryable reports a deadlock or a serialization failure: PostgreSQL aborted
// the transaction to let another go on, and it may simply be run again.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// maxNotifyPayload stays under PostgreSQL's 8000-byte limit.
const maxNotifyPayload = 7000

// notification is what a NOTIFY carries: who sent it (its own are skipped) and
// what changed.
type notification struct {
	Origin  int64          `json:"o"`
	Changes []store.Change `json:"c"`
}

// notifyPayloads encodes changes in as few payloads as fit.
func (s *Store) notifyPayloads(changes []store.Change) []string {
	var out []string
	for len(changes) > 0 {
		n := len(changes)
		for {
			b, err := json.Marshal(notification{Origin: s.holder, Changes: changes[:n]})
			if err == nil && (len(b) <= maxNotifyPayload || n == 1) {
				if len(b) <= maxNotifyPayload {
					out = append(out, string(b))
				} else {
					// One conversation id too long for a payload: a resync.
					b, _ := json.Marshal(notification{Origin: s.holder, Changes: []store.Change{{Resync: true}}})
					out = append(out, string(b))
				}
				changes = changes[n:]
				break
			}
			n = (n + 1) / 2
		}
	}
	return out
}
