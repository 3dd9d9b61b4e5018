package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
)

// twoInstances opens two stores on one schema, as two processes would.
func twoInstances(t *testing.T) (*Store, *Store) {
	t.Helper()
	url := pgtest.URL(t)
	schema := pgtest.Schema(t, url)
	var out [2]*Store
	for i := range out {
		s, err := Open(t.Context(), url, Options{Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out[0], out[1]
}

// leases counts the leases held (released rows stay for the next turn).
func leases(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.pool.QueryRow(t.Context(), `SELECT count(*) FROM turn_leases WHERE token <> ''`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLeaseOfDeadInstance: when the process holding a conversation dies (its
// liveness lock goes with its connection), another instance takes the
// conversation at once rather than after the lease expires, and the dead
// turn, should it somehow still commit, writes nothing.
func TestLeaseOfDeadInstance(t *testing.T) {
	a, b := twoInstances(t)
	ctx := t.Context()
	held, err := a.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if tx, err := b.Begin(short, "c1"); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			tx.Rollback(ctx)
		}
		t.Fatalf("Begin while a live instance holds the conversation = %v, want DeadlineExceeded", err)
	}
	a.liveMu.Lock()
	a.live.Close(ctx) //nolint:errcheck // a dies
	a.liveMu.Unlock()
	wait, cancel2 := context.WithTimeout(ctx, 5*time.Second)
	defer cancel2()
	started := time.Now()
	tx, err := b.Begin(wait, "c1")
	if err != nil {
		t.Fatalf("Begin after the holder died: %v", err)
	}
	t.Logf("taken over after %v", time.Since(started))
	if err := tx.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "m"}}}); err != nil {
		t.Fatal(err)
	}
	if err := held.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "stale"}}}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the dead holder's commit = %v, want ErrConflict", err)
	}
	evs, _ := b.Events(ctx, "c1", 0, 0)
	if len(evs) != 1 || evs[0].Type != "m" {
		t.Errorf("events = %+v, want only the new holder's", evs)
	}
	if n := leases(t, b); n != 0 {
		t.Errorf("%d leases left", n)
	}
}

// TestExpiredLease: a lease past its expiry is taken over even when its
// holder lives (a turn that outlived it without renewing), and the old turn
// cannot commit over the new one.
func TestExpiredLease(t *testing.T) {
	a, b := twoInstances(t)
	ctx := t.Context()
	held, err := a.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.pool.Exec(ctx, `UPDATE turn_leases SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	tx, err := b.Begin(wait, "c1")
	if err != nil {
		t.Fatalf("Begin on an expired lease: %v", err)
	}
	if err := held.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "stale"}}}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("commit after the lease was taken over = %v, want ErrConflict", err)
	}
	if err := tx.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "m"}}}); err != nil {
		t.Fatal(err)
	}
}

// TestLeaseReleased: every way a turn ends gives its lease back, and a
// Begin that gives up waiting takes none.
func TestLeaseReleased(t *testing.T) {
	a, b := twoInstances(t)
	ctx := t.Context()
	tx, _ := a.Begin(ctx, "c1")
	tx.Rollback(ctx)
	tx, _ = a.Begin(ctx, "c2")
	if err := tx.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "m"}}}); err != nil {
		t.Fatal(err)
	}
	tx, _ = a.Begin(ctx, "c2")
	if err := tx.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: 9, Type: "gap"}}}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("commit with a gap = %v", err)
	}
	held, _ := a.Begin(ctx, "c3")
	gone, cancel := context.WithCancel(ctx)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	if _, err := b.Begin(gone, "c3"); !errors.Is(err, context.Canceled) {
		t.Errorf("Begin cancelled while waiting = %v", err)
	}
	held.Rollback(ctx)
	if n := leases(t, a); n != 0 {
		t.Errorf("%d leases left, want none", n)
	}
	// Close rolls back what is open, leases included.
	_, _ = b.Begin(ctx, "c4")
	b.Close()
	if n := leases(t, a); n != 0 {
		t.Errorf("%d leases left after Close, want none", n)
	}
}

// TestRenewLeases: the leases of turns in progress are extended (maintain does
// it every leaseTTL/3), and no other.
func TestRenewLeases(t *testing.T) {
	a, _ := twoInstances(t)
	ctx := t.Context()
	tx, err := a.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := a.pool.Exec(ctx, `INSERT INTO turn_leases VALUES ('gone', $1, 'leaked', now() + interval '1 second')`, a.holder); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pool.Exec(ctx, `UPDATE turn_leases SET expires_at = now() + interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	a.renewLeases(ctx)
	left := map[string]float64{}
	rows, err := a.pool.Query(ctx, `SELECT conversation_id, extract(epoch FROM expires_at - now())::float8 FROM turn_leases`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var secs float64
		if err := rows.Scan(&id, &secs); err != nil {
			t.Fatal(err)
		}
		left[id] = secs
	}
	if left["c1"] < leaseTTL.Seconds()-10 || left["gone"] > 2 {
		t.Errorf("seconds left after renewal = %v, want c1's renewed to %v and the leaked one's not", left, leaseTTL)
	}
}

// TestBeginMessage: the processed check read with the lease answers Processed
// for that message id; other ids are still looked up.
func TestBeginMessage(t *testing.T) {
	a, _ := twoInstances(t)
	ctx := t.Context()
	tx, err := a.BeginMessage(ctx, "c1", "m1")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := tx.Processed(ctx, "m1"); ok || err != nil {
		t.Fatalf("Processed(m1) of a new conversation = %v, %v", ok, err)
	}
	if err := tx.Commit(ctx, store.TurnRecord{ClientMessageID: "m1", Result: []byte(`{"r":1}`), Events: []store.Event{{Seq: 1, Type: "m"}}}); err != nil {
		t.Fatal(err)
	}
	for _, cmid := range []string{"m1", "m2"} {
		tx, err := a.BeginMessage(ctx, "c1", cmid)
		if err != nil {
			t.Fatal(err)
		}
		for _, asked := range []string{"m1", "m2"} {
			res, ok, err := tx.Processed(ctx, asked)
			if want := asked == "m1"; ok != want || err != nil || (ok && string(res) != `{"r":1}`) {
				t.Errorf("BeginMessage(%s) then Processed(%s) = %s, %v, %v; want processed %v", cmid, asked, res, ok, err, want)
			}
		}
		tx.Rollback(ctx)
	}
}

// TestBeginTurnAgents: the agents read with the lease are what Agents reads,
// including a change another instance made just before; without the option
// the Tx says it did not read them.
func TestBeginTurnAgents(t *testing.T) {
	a, b := twoInstances(t)
	ctx := t.Context()
	if _, err := b.PutAgent(ctx, store.Agent{ID: "ag1", Name: "Ann", Role: "agent", Skills: []string{"billing", "de"}, Status: store.AgentOnline, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.PutAgent(ctx, store.Agent{ID: "ag2", Name: "Bo", Role: "supervisor"}); err != nil {
		t.Fatal(err)
	}
	read := func(opts store.BeginOptions) ([]store.Agent, bool) {
		t.Helper()
		tx, err := a.BeginTurn(ctx, "c1", opts)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		return tx.(store.AgentsTx).Agents()
	}
	want, err := a.Agents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := read(store.BeginOptions{Agents: true})
	if diff := cmp.Diff(want, got); !ok || diff != "" {
		t.Fatalf("agents read with the lease (read %v), -Agents +BeginTurn:\n%s", ok, diff)
	}
	if _, err := b.SetAgentStatus(ctx, "ag2", store.AgentOnline, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := read(store.BeginOptions{Agents: true}); len(got) != 2 || got[1].Status != store.AgentOnline {
		t.Fatalf("after another instance set ag2 online, the lease read %+v", got)
	}
	if got, ok := read(store.BeginOptions{ClientMessageID: "m1"}); ok || got != nil {
		t.Fatalf("without BeginOptions.Agents: Agents() = %v, %v; want nil, false", got, ok)
	}
}

// TestLeaseRowKept: a turn's commit or rollback releases its lease by
// clearing the row's token, and the next turn, of this instance or another,
// takes the same row; dropLeases deletes only rows released long ago.
func TestLeaseRowKept(t *testing.T) {
	a, b := twoInstances(t)
	ctx := t.Context()
	rows := func() (n int) {
		t.Helper()
		if err := a.pool.QueryRow(ctx, `SELECT count(*) FROM turn_leases`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i, s := range []*Store{a, b, a} {
		tx, err := s.Begin(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: int64(i + 1), Type: "m"}}}); err != nil {
			t.Fatalf("turn %d: %v", i+1, err)
		}
	}
	tx, err := b.Begin(ctx, "c2")
	if err != nil {
		t.Fatal(err)
	}
	tx.Rollback(ctx)
	if n, held := rows(), leases(t, a); n != 2 || held != 0 {
		t.Fatalf("%d lease rows, %d held; want 2 rows kept, none held", n, held)
	}
	held, err := a.Begin(ctx, "c3")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback(ctx)
	if _, err := a.pool.Exec(ctx, `UPDATE turn_leases SET expires_at = now() - interval '2 hours' WHERE conversation_id IN ('c1', 'c3')`); err != nil {
		t.Fatal(err)
	}
	a.dropLeases(ctx)
	var left []string
	r, err := a.pool.Query(ctx, `SELECT conversation_id FROM turn_leases ORDER BY conversation_id`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var id string
		if err := r.Scan(&id); err != nil {
			t.Fatal(err)
		}
		left = append(left, id)
	}
	if diff := cmp.Diff([]string{"c2", "c3"}, left); diff != "" {
		t.Errorf("lease rows after dropLeases (-want +got):\n%s", diff)
	}
}
