package plan_test

import (
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/plan"
	"github.com/parleyhq/parley/engine/plan/plantest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// BenchmarkPlan replays 10,000 recorded five-turn conversations of the shop
// under its own policies, reading them from each store: recorded through the
// engine on the memory store first, then copied to the others. One op is the
// whole plan (list, load, decode, replay, compare); BENCHMARKS.md has the
// figures.
//
//	go test ./engine/plan/ -run '^$' -bench Plan -benchtime 3x
func BenchmarkPlan(b *testing.B) {
	n := benchConversations()
	bot := loadShop(b)
	recorded := memstore.New()
	rec := plantest.NewRecorder(b, bot, recorded, "v1")
	for _, s := range plantest.FiveTurns(bot, 1, n) {
		rec.Play(b, s)
	}
	rec.Settle(b)
	for _, sc := range stores() {
		b.Run(sc.name, func(b *testing.B) {
			st := store.Store(recorded)
			if sc.name != "memory" {
				st = sc.open(b)
				plantest.Copy(b, st, recorded)
			}
			p, err := plan.New(context.Background(), bot, plan.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			before := cpuTime()
			for b.Loop() {
				r, err := p.Plan(context.Background(), st, plan.Query{})
				if err != nil {
					b.Fatal(err)
				}
				if r.Conversations != n || r.Changed != 0 {
					b.Fatalf("replayed %d, changed %d", r.Conversations, r.Changed)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "conversations/s")
			// The machine is shared: CPU time says what a plan costs whatever
			// else runs beside it.
			b.ReportMetric((cpuTime()-before).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// benchConversations is 10,000, or PLAN_BENCH_N for a quick profile.
func benchConversations() int {
	if v, err := strconv.Atoi(os.Getenv("PLAN_BENCH_N")); err == nil && v > 0 {
		return v
	}
	return 10000
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
