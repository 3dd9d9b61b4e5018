package desk_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
	"github.com/parleyhq/parley/examples/shop/backend"
	"github.com/parleyhq/parley/policies"
)

// clock is the engine's clock; tests move it on by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// storeKind opens one kind of store; reopen simulates a crash and a restart
// (nil for memory, where nothing survives one).
type storeKind struct {
	name   string
	open   func(t *testing.T) store.Store
	reopen func(t *testing.T, old store.Store) store.Store
}

var (
	memKind = storeKind{name: "memory", open: func(*testing.T) store.Store { return memstore.New() }}

	sqliteKind = storeKind{
		name: "sqlite",
		open: func(t *testing.T) store.Store {
			return openSQLite(t, filepath.Join(t.TempDir(), "parley.db"))
		},
		reopen: func(t *testing.T, old store.Store) store.Store {
			path := old.(*sqliteStore).path
			_ = old.Close()
			return openSQLite(t, path)
		},
	}

	postgresKind = storeKind{
		name: "postgres",
		open: func(t *testing.T) store.Store {
			url := pgtest.URL(t)
			return openPostgres(t, url, pgtest.Schema(t, url))
		},
		reopen: func(t *testing.T, old store.Store) store.Store {
			pg := old.(*pgStore)
			_ = pg.Close()
			return openPostgres(t, pg.url, pg.schema)
		},
	}

	// durable are the stores a crash must not lose anything on.
	durable = []storeKind{sqliteKind, postgresKind}
)

// sqliteStore remembers its file, to reopen it.
type sqliteStore struct {
	*sqlite.Store
	path string
}

func openSQLite(t *testing.T, path string) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return &sqliteStore{Store: st, path: path}
}

// pgStore remembers where it lives, to reopen it.
type pgStore struct {
	*postgres.Store
	url, schema string
}

func openPostgres(t *testing.T, url, schema string) store.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), url, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return &pgStore{Store: st, url: url, schema: schema}
}

// env is the shop bot on a real backend, with a desk.
type env struct {
	t     *testing.T
	shop  *backend.Server
	bot   *policies.Bot
	clock *clock
	st    store.Store
	e     *engine.Engine
	d     *desk.Desk
	newID func(kind string) string // nil: random ids
}

func newEnv(t *testing.T, kind storeKind) *env {
	t.Helper()
	shop := enginetest.StartShopBackend(t)
	en := &env{t: t, shop: shop, bot: enginetest.Load(t, enginetest.ShopDir()), clock: &clock{now: enginetest.Monday10}}
	en.use(kind.open(t))
	for _, a := range []store.Agent{
		{ID: "sue", Name: "Sue", Role: desk.RoleSupervisor, Skills: []string{"refund_approval"}},
		{ID: "tom", Name: "Tom", Role: desk.RoleSupervisor, Skills: []string{"refund_approval", "refunds"}},
		{ID: "ann", Name: "Ann", Role: desk.RoleAgent, Skills: []string{"customer_service", "refunds"}},
		{ID: "bo", Name: "Bo", Role: desk.RoleAgent, Skills: []string{"callbacks"}},
		{ID: "vic", Name: "Vic", Role: desk.RoleSupervisor, Skills: []string{"vip_care"}},
	} {
		if _, err := en.st.PutAgent(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	return en
}

// use runs a new engine (a restarted process) on st.
func (en *env) use(st store.Store) {
	en.t.Helper()
	e, err := engine.New(context.Background(), en.bot, engine.Options{Store: st, Clock: en.clock.Now,
		Sleep: func(context.Context, time.Duration) error { return nil }, NewID: en.newID})
	if err != nil {
		en.t.Fatal(err)
	}
	en.t.Cleanup(func() { e.Close() })
	en.st, en.e, en.d = st, e, desk.New(e)
}

func (en *env) agent(id string) store.Agent {
	en.t.Helper()
	a, err := en.st.Agent(context.Background(), id)
	if err != nil {
		en.t.Fatal(err)
	}
	return a
}

// say is the customer's message in conversation conv.
func (en *env) say(conv, text string) *engine.TurnResult {
	en.t.Helper()
	en.clock.Advance(5 * time.Second)
	res, err := en.e.Handle(context.Background(), engine.Message{ConversationID: conv, Channel: "web", CustomerID: "cust-" + conv, Text: text})
	if err != nil {
		en.t.Fatalf("%s: %v", text, err)
	}
	return res
}

// askRefund makes conversation conv ask for the approval of a refund of
// order (over the supervisor limit) and returns the approval.
func (en *env) askRefund(conv, order string) store.Approval {
	en.t.Helper()
	en.say(conv, "refund "+order+", it's the wrong item")
	res := en.say(conv, "yes")
	if len(res.Approvals) != 1 || len(res.Calls) != 0 {
		en.t.Fatalf("refund of %s: approvals %+v, calls %v; want one approval asked and nothing called", order, res.Approvals, res.Calls)
	}
	a, err := en.st.Approval(context.Background(), res.Approvals[0].ID)
	if err != nil {
		en.t.Fatal(err)
	}
	return a
}

// refunds is how many refunds the order system applied to order, and how many
// refund requests it received in all.
func (en *env) refunds(order string) (applied, requests int) {
	st := en.shop.Stats()
	return st.RefundsApplied[order], st.Requests["POST /orders/{id}/refunds"]
}

// bot replies of a turn.
func texts(res *engine.TurnResult) []string {
	if res == nil {
		return nil
	}
	var out []string
	for _, r := range res.Replies {
		out = append(out, r.Text)
	}
	return out
}

// crashing fails on purpose where a dying process would.
var errCrash = errors.New("the process died here")

// crashAfterDecision records the decision, then fails as if the process died
// before carrying it out.
type crashAfterDecision struct {
	store.Store
	once sync.Once
}

func (c *crashAfterDecision) UpdateApproval(ctx context.Context, id string, fn func(a *store.Approval) (store.AuditEntry, error)) (store.Approval, error) {
	a, err := c.Store.UpdateApproval(ctx, id, fn)
	crashed := false
	c.once.Do(func() { crashed = err == nil })
	if crashed {
		return store.Approval{}, errCrash
	}
	return a, err
}

// crashBeforeCommit lets the first turn run (and its connector calls happen),
// then fails its commit as if the process died before it.
type crashBeforeCommit struct {
	store.Store
	once sync.Once
}

func (c *crashBeforeCommit) Begin(ctx context.Context, id string) (store.Tx, error) {
	tx, err := c.Store.Begin(ctx, id)
	if err != nil {
		return nil, err
	}
	crash := false
	c.once.Do(func() { crash = true })
	if crash {
		return dyingTx{tx}, nil
	}
	return tx, nil
}

type dyingTx struct{ store.Tx }

func (t dyingTx) Commit(ctx context.Context, rec store.TurnRecord) error {
	_ = t.Tx.Rollback(ctx)
	return errCrash
}
