// Package enginetest holds what tests of the packages built on the engine
// (server, desk) share: the shop bot on a freshly seeded backend, and clocks.
package enginetest

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/examples/shop/backend"
	"github.com/parleyhq/parley/policies"

	_ "github.com/parleyhq/parley/connectors/fixture"
	_ "github.com/parleyhq/parley/connectors/httpconn"
)

// Monday10 is inside the shop's business hours.
var Monday10 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// RepoDir is the repository's root, so tests in any package find examples/.
func RepoDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// ShopDir is examples/shop.
func ShopDir() string { return filepath.Join(RepoDir(), "examples", "shop") }

// StartShopBackend serves the shop's order system for the rest of the test and
// points the bot's orders connector at it.
func StartShopBackend(t testing.TB) *backend.Server {
	t.Helper()
	shop := backend.New(backend.Options{})
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	t.Setenv("SHOP_API_URL", srv.URL)
	return shop
}

// LoadShop loads examples/shop and starts a freshly seeded order system for it.
func LoadShop(t testing.TB) *policies.Bot {
	t.Helper()
	StartShopBackend(t)
	return Load(t, ShopDir())
}

// Load loads a bot folder and fails the test on any error.
func Load(t testing.TB, dir string) *policies.Bot {
	t.Helper()
	bot, diags := engine.Load(dir, nil)
	if diags.HasErrors() {
		t.Fatalf("load %s: %s", dir, diags.Error())
	}
	return bot
}

// NewShopEngine is the shop bot on st, with a clock that starts at now and
// steps 5 seconds a reading, and sequential ids.
func NewShopEngine(t testing.TB, st store.Store, now time.Time) *engine.Engine {
	t.Helper()
	return NewEngine(t, LoadShop(t), st, now)
}

// NewEngine is a bot on st, with a stepping clock and sequential ids.
func NewEngine(t testing.TB, bot *policies.Bot, st store.Store, now time.Time) *engine.Engine {
	t.Helper()
	e, err := engine.New(context.Background(), bot, engine.Options{Store: st, Clock: StepClock(now, 5*time.Second), NewID: engine.SequentialIDs()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// StepClock reads start first, then moves on by step at every reading.
func StepClock(start time.Time, step time.Duration) func() time.Time {
	var mu sync.Mutex
	t := start.Add(-step)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(step)
		return t
	}
}

// LoadSource loads a one-file bot written in the test, with connector types
// from reg (nil: the default registry).
func LoadSource(t testing.TB, src string, reg *connectors.Registry) *policies.Bot {
	t.Helper()
	if reg == nil {
		reg = connectors.Default
	}
	bot, diags := policies.LoadFiles(map[string][]byte{"bot.hcl": []byte(src)}, policies.Options{Connectors: engine.ConnectorTypes{Registry: reg}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return bot
}
