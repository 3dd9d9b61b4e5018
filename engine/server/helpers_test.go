package server

import (
	"flag"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

var update = flag.Bool("update", false, "rewrite golden screenshots")

var monday10 = enginetest.Monday10

func loadShop(t testing.TB) *policies.Bot { return enginetest.LoadShop(t) }

func newShopEngine(t testing.TB, st store.Store, now time.Time) *engine.Engine {
	return enginetest.NewShopEngine(t, st, now)
}

func stepClock(start time.Time, step time.Duration) func() time.Time {
	return enginetest.StepClock(start, step)
}
