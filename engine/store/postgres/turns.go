package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/sqlstore"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// A turn holds its conversation with a lease, not with a transaction: Begin
// takes the lease and loads the conversation in one round trip (the lease
// first, so the load sees the previous holder's commit), the turn then runs
// its connector calls holding no connection at all, and its commit releases
// the lease in the same transaction as its writes, checking that it still
// held it. Turns of this process queue for a conversation in Go first, so
// leases contend only between instances.
//
// A lease can be taken over when it expired (a holder renews the leases of
// its turns in progress every leaseTTL/3) or when its holder's instance is
// gone: every instance holds a session advisory lock while it lives, and a
// process that dies loses it with its connection. A turn whose lease was taken
// over fails at commit (ErrConflict) and writes nothing.

const (
	leaseTTL = 60 * time.Second
	// leaseClass is the advisory-lock class of instance liveness locks ("prly").
	leaseClass = 1886546041
	// beginTimeout bounds Begin's round trip, which runs to its end even when
	// the caller gives up (so that a lease taken is known, and released).
	beginTimeout = 30 * time.Second
)

// takeLease takes the lease when it is free, expired, left by a dead instance,
// or held by this one (a release that failed: this process's turns on the
// conversation are serialized in Go, so none of them holds it now).
const takeLease = `INSERT INTO turn_leases AS l (conversation_id, holder, token, expires_at)
VALUES ($1, $2, $3, now() + make_interval(secs => $4))
ON CONFLICT (conversation_id) DO UPDATE SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
WHERE l.expires_at < now() OR l.holder = excluded.holder OR NOT EXISTS (
	SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND classid = ` + "1886546041" + ` AND objid = l.holder::oid AND objsubid = 2 AND granted)
RETURNING token`

const loadConversation = `SELECT customer_id, channel, status, snapshot, snapshot_seq, last_seq, created_at, updated_at,
policy_version, policy_label, contact FROM conversations WHERE id = $1`

const loadProcessed = `SELECT result FROM processed_messages WHERE conversation_id = $1 AND client_message_id = $2`

// loadWaiting: whether a handoff of the conversation waits in a queue, read
// under the lease for the engine (store.WaitingTx).
const loadWaiting = `SELECT EXISTS (SELECT 1 FROM handoffs WHERE conversation_id = $1 AND status = 'waiting')`

const loadEvents = `SELECT e.seq, e.type, e.at, e.data FROM events e JOIN conversations c ON c.id = e.conversation_id
WHERE e.conversation_id = $1 AND e.seq > c.snapshot_seq ORDER BY e.seq`

var _ store.TurnBeginner = (*Store)(nil)

// Begin waits for the conversation in process, then takes its lease.
func (s *Store) Begin(ctx context.Context, id string) (store.Tx, error) {
	return s.BeginTurn(ctx, id, store.BeginOptions{})
}

// BeginMessage is Begin, also reading in the same round trip whether
// clientMessageID was processed.
func (s *Store) BeginMessage(ctx context.Context, id, clientMessageID string) (store.Tx, error) {
	return s.BeginTurn(ctx, id, store.BeginOptions{ClientMessageID: clientMessageID})
}

// BeginTurn is Begin, also reading in the same round trip what opts asks for.
func (s *Store) BeginTurn(ctx context.Context, id string, opts store.BeginOptions) (store.Tx, error) {
	clientMessageID := opts.ClientMessageID
	if id == "" {
		return nil, fmt.Errorf("begin: empty conversation id")
	}
	if s.closed.Load() {
		return nil, store.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	unlock, err := s.Locks().Lock(ctx, id)
	if err != nil {
		return nil, err
	}
	t := &tx{s: s, token: turn.NewID("lse_"), conv: &store.Conversation{ID: id}, cmid: clientMessageID, readAgents: opts.Agents}
	t.unlock = func() {
		s.Done(t)
		s.leases.Delete(t.token)
		unlock()
	}
	s.Open(t, func() { _ = t.Rollback(context.Background()) })
	for attempt := 0; ; attempt++ {
		got, err := t.tryLease(ctx)
		if err != nil {
			t.done.Store(true)
			t.release()
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("begin %s: %w", id, s.wrapErr(err))
		}
		if got {
			return t, nil
		}
		// Another instance's turn holds it: it ends within one turn.
		wait := time.Duration(min(1<<min(attempt, 5), 25)) * time.Millisecond
		wait += time.Duration(rand.Int64N(int64(wait)))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			t.done.Store(true)
			t.unlock()
			return nil, ctx.Err()
		}
	}
}

// tryLease takes the lease and loads the conversation in one round trip.
func (t *tx) tryLease(ctx context.Context) (bool, error) {
	s := t.s
	// The round trip finishes even if ctx ends: a lease taken must be known.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), beginTimeout)
	defer cancel()
	b := &pgx.Batch{}
	b.Queue(takeLease, t.conv.ID, s.holder, t.token, leaseTTL.Seconds())
	b.Queue(loadConversation, t.conv.ID)
	b.Queue(loadEvents, t.conv.ID)
	b.Queue(loadWaiting, t.conv.ID)
	if t.cmid != "" {
		b.Queue(loadProcessed, t.conv.ID, t.cmid)
	}
	if t.readAgents {
		b.Queue(sqlstore.SelectAgents)
	}
	br := s.pool.SendBatch(bctx, b)
	defer br.Close()
	var token string
	switch err := br.QueryRow().Scan(&token); {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	}
	s.leases.Store(t.token, t.conv.ID)
	t.leased = true
	c := &store.Conversation{ID: t.conv.ID}
	err := br.QueryRow().Scan(&c.CustomerID, &c.Channel, &c.Status, (*[]byte)(&c.Snapshot), &c.SnapshotSeq, &c.LastSeq, &c.CreatedAt, &c.UpdatedAt,
		&c.PolicyVersion, &c.PolicyLabel, (*[]byte)(&c.Contact))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return false, err
	default:
		t.exists = true
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	}
	rows, err := br.Query()
	if err != nil {
		return false, err
	}
	for rows.Next() {
		var e store.Event
		if err := rows.Scan(&e.Seq, &e.Type, &e.At, (*[]byte)(&e.Data)); err != nil {
			rows.Close()
			return false, err
		}
		e.At = e.At.UTC()
		c.Events = append(c.Events, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	if err := br.QueryRow().Scan(&t.waiting); err != nil {
		return false, err
	}
	if t.cmid != "" {
		var result []byte
		switch err := br.QueryRow().Scan(&result); {
		case errors.Is(err, pgx.ErrNoRows):
			t.processed = &processedAnswer{}
		case err != nil:
			return false, err
		default:
			t.processed = &processedAnswer{result: result, ok: true}
		}
	}
	if t.readAgents {
		if t.agents, err = scanAgents(br); err != nil {
			return false, err
		}
	}
	if t.exists {
		t.conv = c
	}
	if ctx.Err() != nil {
		return false, ctx.Err() // the caller gave up meanwhile; release frees the lease
	}
	return true, nil
}

// tx is a turn holding a conversation's lease.
type tx struct {
	s      *Store
	token  string
	conv   *store.Conversation
	exists bool
	leased bool
	unlock func()
	done   atomic.Bool
	// cmid's processed result, read by BeginMessage.
	cmid      string
	processed *processedAnswer
	// waiting: a handoff of the conversation waited in a queue when the
	// lease was taken.
	waiting bool
	// agents, read with the lease when readAgents.
	readAgents bool
	agents     []store.Agent
}

var _ store.AgentsTx = (*tx)(nil)

// Agents returns the agents read with the lease (BeginOptions.Agents).
func (t *tx) Agents() ([]store.Agent, bool) { return t.agents, t.readAgents }

// scanAgents reads the batch's SelectAgents.
func scanAgents(br pgx.BatchResults) ([]store.Agent, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Agent
	for rows.Next() {
		a, err := sqlstore.ScanAgent(rows)
		if err != nil {
			return nil, fmt.Errorf("agents: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

var _ store.WaitingTx = (*tx)(nil)

// Waiting says whether a handoff of the conversation waited in a queue when
// Begin took the lease (in the same round trip).
func (t *tx) Waiting(context.Context) (bool, error) { return t.waiting, nil }

type processedAnswer struct {
	result []byte
	ok     bool
}

func (t *tx) Conversation() *store.Conversation { return t.conv }

// Log reads the conversation's whole log. The lease keeps other turns out;
// a pooled connection is taken only for the read.
func (t *tx) Log(ctx context.Context) ([]store.Event, error) {
	if !t.exists {
		return nil, nil
	}
	if t.s.closed.Load() {
		return nil, store.ErrClosed
	}
	return t.s.Events(ctx, t.conv.ID, 0, 0)
}

func (t *tx) Processed(ctx context.Context, clientMessageID string) (json.RawMessage, bool, error) {
	if clientMessageID == "" || !t.exists {
		return nil, false, nil
	}
	if t.s.closed.Load() {
		return nil, false, store.ErrClosed
	}
	if p := t.processed; p != nil && clientMessageID == t.cmid {
		return p.result, p.ok, nil
	}
	var result []byte
	err := t.s.pool.QueryRow(ctx, loadProcessed, t.conv.ID, clientMessageID).Scan(&result)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("processed: %w", t.s.wrapErr(err))
	}
	return result, true, nil
}

// Rollback releases the lease and writes nothing.
func (t *tx) Rollback(ctx context.Context) error {
	if t.done.CompareAndSwap(false, true) {
		t.release()
	}
	return nil
}

// release gives the lease back (if a turn of this process takes the
// conversation next, a failed release does not hold it up: see takeLease).
func (t *tx) release() {
	if t.leased {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, _ = t.s.pool.Exec(ctx, `DELETE FROM turn_leases WHERE conversation_id = $1 AND token = $2`, t.conv.ID, t.token)
		cancel()
	}
	t.unlock()
}

// Commit writes the turn and releases the lease in the next group commit, and
// returns once that is durable. It ends the turn, also on failure.
func (t *tx) Commit(ctx context.Context, rec store.TurnRecord) error {
	if !t.done.CompareAndSwap(false, true) {
		return store.ErrTxDone
	}
	s := t.s
	if s.closed.Load() {
		t.release()
		return store.ErrClosed
	}
	now := turn.Now()
	rec, err := turn.Prepare(t.conv, rec, now)
	if err == nil {
		var stmts []sqlstore.Stmt
		if stmts, err = s.TurnStatements(t.conv, t.exists, rec, now); err == nil {
			stmts = append(stmts, sqlstore.Stmt{
				Query: `DELETE FROM turn_leases WHERE conversation_id = $1 AND token = $2`,
				Args:  []any{t.conv.ID, t.token},
				Want:  1,
				Fail:  fmt.Errorf("the lease on %s was taken over (the turn outlived it): %w", t.conv.ID, store.ErrConflict),
			})
			err = s.commits.Do(pendingTurn{change: changeOf(t.conv.ID, rec), stmts: stmts})
			if err == nil {
				t.leased = false // released by the commit
			}
		}
	}
	t.release()
	if err != nil {
		return fmt.Errorf("commit: %w", s.wrapErr(err))
	}
	return nil
}

// renewLeases extends the leases of this process's turns in progress, so a
// turn longer than leaseTTL keeps its conversation (see maintain).
func (s *Store) renewLeases(ctx context.Context) {
	var tokens []string
	s.leases.Range(func(k, _ any) bool {
		tokens = append(tokens, k.(string))
		return true
	})
	if len(tokens) == 0 {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, livenessEvery)
	defer cancel()
	_, _ = s.pool.Exec(rctx, `UPDATE turn_leases SET expires_at = now() + make_interval(secs => $1) WHERE holder = $2 AND token = ANY($3)`,
		leaseTTL.Seconds(), s.holder, tokens)
}
