package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/sqlstore"
)

// Group commit on PostgreSQL: a committer takes the turns queued meanwhile and
// sends BEGIN, every turn's statements and a NOTIFY for the other instances in
// one pipelined round trip, checks each statement's row count, then COMMITs:
// two round trips and one WAL flush for the whole group. A turn whose check
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

func changeOf(id string, rec store.TurnRecord) store.Change {
	return store.Change{ConversationID: id, Handoff: len(rec.Handoffs) > 0, HandedOff: rec.Status == "handed_off"}
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
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fail(fmt.Errorf("connection: %w", err), live)
	}
	defer conn.Release()
	for len(live) > 0 {
		failed, err := s.sendGroup(ctx, conn, batch, live)
		if err != nil {
			// The outcome is unknown (the connection broke, say): the turns fail,
			// and a client that retries with its message id finds out which.
			conn.Conn().Close(ctx) //nolint:errcheck // the pool drops a closed connection
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
// failed (with why); err is for what fails the whole group.
func (s *Store) sendGroup(ctx context.Context, conn *pgxpool.Conn, batch []pendingTurn, live []int) (failed map[int]error, err error) {
	type queued struct{ turn, stmt int } // turn -1: not a turn's statement
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	owner := []queued{{-1, 0}}
	changes := make([]store.Change, 0, len(live))
	for _, i := range live {
		for k, st := range batch[i].stmts {
			b.Queue(st.Query, st.Args...)
			owner = append(owner, queued{i, k})
		}
		changes = append(changes, batch[i].change)
	}
	for _, payload := range s.notifyPayloads(changes) {
		b.Queue(`SELECT pg_notify($1, $2)`, s.channel, payload)
		owner = append(owner, queued{-1, 0})
	}
	br := conn.SendBatch(ctx, b)
	var sqlErr error
	for _, o := range owner {
		i := o.turn
		tag, err := br.Exec()
		if err != nil {
			if sqlErr == nil {
				sqlErr = err
				if i >= 0 {
					// Blamed on its turn, unless a check of the turn failed first
					// (a turn that lost its lease fails on a key, say).
					if failed == nil {
						failed = map[int]error{}
					}
					if _, seen := failed[i]; !seen {
						failed[i] = err
					}
				}
			}
			continue // the server skipped the rest of the pipeline
		}
		if i < 0 || sqlErr != nil {
			continue
		}
		st := batch[i].stmts[o.stmt]
		if cerr := st.Check(tag.RowsAffected()); cerr != nil {
			if failed == nil {
				failed = map[int]error{}
			}
			if _, seen := failed[i]; !seen {
				failed[i] = cerr
			}
		}
	}
	if err := br.Close(); err != nil && sqlErr == nil {
		sqlErr = err
	}
	if sqlErr != nil || len(failed) > 0 {
		if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
			return nil, fmt.Errorf("roll back: %w", err)
		}
		if len(failed) == 0 {
			return nil, sqlErr // not a turn's statement (BEGIN, NOTIFY, the connection)
		}
		return failed, nil
	}
	if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return nil, nil
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
