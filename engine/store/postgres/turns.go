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

// takeLease takes the lease when it is free (released: no token), expired,
// left by a dead instance, or held by this one (a release that failed: this
// process's turns on the conversation are serialized in Go, so none of them
// holds it now). A conversation's lease row is kept between turns and
// updated (a HOT update, see migration 0010); only its first turn inserts it.
const takeLease = takeLeaseUnless + ` OR NOT EXISTS (
	SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND classid = ` + "1886546041" + ` AND objid = l.holder::oid AND objsubid = 2 AND granted)
RETURNING token`

// takeFreeLease is takeLease without the check for a dead holder, which is
// only needed when another instance holds the lease: PostgreSQL sets up
// its subquery on pg_locks for every execution, used or not. Begin tries it
// first and takeLease when it finds the lease held.
const takeFreeLease = takeLeaseUnless + `
RETURNING token`

const takeLeaseUnless = `INSERT INTO turn_leases AS l (conversation_id, holder, token, expires_at)
VALUES ($1, $2, $3, now() + make_interval(secs => $4))
ON CONFLICT (conversation_id) DO UPDATE SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
WHERE l.token = '' OR l.expires_at < now() OR l.holder = excluded.holder`

// genericPlans makes the rest of Begin's batch use generic plans (set_config,
// unlike SET LOCAL, does not warn outside an explicit transaction block).
const genericPlans = `SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`

// releaseLease gives a lease back and keeps its row for the next turn.
const releaseLease = `UPDATE turn_leases SET token = '', expires_at = now() WHERE conversation_id = $1 AND token = $2`

// loadConversation reads, after takeLease in the same round trip (a
// statement of its own, so that it sees what the lease's previous holder
// committed), the conversation (its columns NULL when it does not exist yet),
// whether a handoff of it waits in a queue (for store.WaitingTx) and whether
// message $2 was processed, with its result: one row. (Folding loadEvents in
// as well, one row per event, made PostgreSQL's plan dearer than the two.)
const loadConversation = `SELECT c.id IS NOT NULL, coalesce(c.customer_id, ''), coalesce(c.channel, ''), coalesce(c.status, ''), c.snapshot,
coalesce(c.snapshot_seq, 0), coalesce(c.last_seq, 0), coalesce(c.created_at, 'epoch'), coalesce(c.updated_at, 'epoch'),
coalesce(c.policy_version, ''), coalesce(c.policy_label, ''), c.contact,
EXISTS (SELECT 1 FROM handoffs WHERE conversation_id = $1 AND status = 'waiting'),
p.found IS NOT NULL, p.result
FROM (VALUES (1)) one
LEFT JOIN conversations c ON c.id = $1
LEFT JOIN LATERAL (SELECT true AS found, result FROM processed_messages WHERE conversation_id = $1 AND client_message_id = $2) p ON true`

// loadEvents reads the events logged after the snapshot: usually none,
// since every turn writes a snapshot; those are events written outside turns.
const loadEvents = `SELECT e.seq, e.type, e.at, e.data FROM events e JOIN conversations c ON c.id = e.conversation_id
WHERE e.conversation_id = $1 AND e.seq > c.snapshot_seq ORDER BY e.seq`

const loadProcessed = `SELECT result FROM processed_messages WHERE conversation_id = $1 AND client_message_id = $2`

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
		// The first attempt takes a free lease; one held is checked for a
		// dead holder at once.
		got, err := t.tryLease(ctx, attempt > 0)
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
		if attempt == 0 {
			continue
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

// tryLease takes the lease and loads the turn in one round trip; only a
// free one unless held (see takeFreeLease).
func (t *tx) tryLease(ctx context.Context, held bool) (bool, error) {
	s := t.s
	// The round trip finishes even if ctx ends: a lease taken must be known.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), beginTimeout)
	defer cancel()
	b := &pgx.Batch{}
	take := takeFreeLease
	if held {
		take = takeLease
	}
	// Generic plans for the batch's statements (lookups by key, for which a
	// plan made for the values is never better): PostgreSQL kept planning
	// some of them anew on every execution, a sixth of its CPU under load.
	// Local to the batch's implicit transaction, which ends at its Sync.
	b.Queue(genericPlans)
	b.Queue(take, t.conv.ID, s.holder, t.token, leaseTTL.Seconds())
	// '' matches no processed message: only turns with an id record one.
	b.Queue(loadConversation, t.conv.ID, t.cmid)
	b.Queue(loadEvents, t.conv.ID)
	if t.readAgents {
		b.Queue(sqlstore.SelectAgents)
	}
	br := s.pool.SendBatch(bctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil { // genericPlans
		return false, err
	}
	var token string
	switch err := br.QueryRow().Scan(&token); {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	}
	s.leases.Store(t.token, t.conv.ID)
	t.leased = true
	if err := t.scanTurn(br); err != nil {
		return false, err
	}
	if t.readAgents {
		var err error
		if t.agents, err = scanAgents(br); err != nil {
			return false, err
		}
	}
	if ctx.Err() != nil {
		return false, ctx.Err() // the caller gave up meanwhile; release frees the lease
	}
	return true, nil
}

// scanTurn reads loadConversation's row and loadEvents' rows into t.
func (t *tx) scanTurn(br pgx.BatchResults) error {
	c := &store.Conversation{ID: t.conv.ID}
	var processed bool
	var result []byte
	if err := br.QueryRow().Scan(&t.exists, &c.CustomerID, &c.Channel, &c.Status, (*[]byte)(&c.Snapshot), &c.SnapshotSeq, &c.LastSeq, &c.CreatedAt, &c.UpdatedAt,
		&c.PolicyVersion, &c.PolicyLabel, (*[]byte)(&c.Contact), &t.waiting, &processed, &result); err != nil {
		return err
	}
	if t.cmid != "" {
		t.processed = &processedAnswer{result: result, ok: processed}
	}
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e store.Event
		if err := rows.Scan(&e.Seq, &e.Type, &e.At, (*[]byte)(&e.Data)); err != nil {
			return err
		}
		e.At = e.At.UTC()
		c.Events = append(c.Events, e)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if t.exists {
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		t.conv = c
	}
	return nil
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
		_, _ = t.s.pool.Exec(ctx, releaseLease, t.conv.ID, t.token)
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
				Query: releaseLease,
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
	// SKIP LOCKED: a lease whose row is locked is being released by a group
	// commit. Waiting for it while holding the others could deadlock with
	// that commit (rows locked in another order); the next renewal, well
	// within leaseTTL, catches a lease whose commit failed.
	_, _ = s.pool.Exec(rctx, `UPDATE turn_leases SET expires_at = now() + make_interval(secs => $1) WHERE conversation_id IN (
		SELECT conversation_id FROM turn_leases WHERE holder = $2 AND token = ANY($3) FOR UPDATE SKIP LOCKED)`,
		leaseTTL.Seconds(), s.holder, tokens)
}

// releasedLeaseKept is how long a released lease row is kept for the
// conversation's next turn to update, before dropLeases deletes it.
const releasedLeaseKept = time.Hour

// dropLeases deletes the lease rows released more than releasedLeaseKept
// ago, so the table holds the conversations of the last hour, not all of
// them. A row a turn is taking meanwhile is skipped (and kept).
func (s *Store) dropLeases(ctx context.Context) {
	dctx, cancel := context.WithTimeout(ctx, livenessEvery)
	defer cancel()
	_, _ = s.pool.Exec(dctx, `DELETE FROM turn_leases WHERE conversation_id IN (
		SELECT conversation_id FROM turn_leases WHERE token = '' AND expires_at < now() - make_interval(secs => $1) FOR UPDATE SKIP LOCKED)`,
		releasedLeaseKept.Seconds())
}
