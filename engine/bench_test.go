package engine

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
	"github.com/parleyhq/parley/policies"
)

// benchConversation is one realistic refund: five turns, two connector calls.
var benchConversation = []string{
	"I want a refund for AB123456",
	"what's your return policy?",
	"it's the wrong item",
	"yes",
	"thanks, bye",
}

// benchStores are the stores compared in one run, so their figures are ratios
// taken on the same machine at the same time.
func benchStores(b *testing.B) map[string]func(b *testing.B) store.Store {
	return map[string]func(b *testing.B) store.Store{
		"memory": func(b *testing.B) store.Store { return memstore.New() },
		"embedded": func(b *testing.B) store.Store {
			st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			return st
		},
		"postgres": func(b *testing.B) store.Store {
			url := pgtest.URL(b)
			st, err := postgres.Open(context.Background(), url, postgres.Options{Schema: pgtest.Schema(b, url)})
			if err != nil {
				b.Fatal(err)
			}
			return st
		},
	}
}

// BenchmarkTurn measures whole turns (lock, NLU, dialog, connectors, commit) on
// examples/shop and reports p50 and p99 latency next to ns/op.
func BenchmarkTurn(b *testing.B) {
	bot := loadShop(b)
	stores := benchStores(b)
	for _, name := range slices.Sorted(maps.Keys(stores)) {
		b.Run("store="+name, func(b *testing.B) {
			st := stores[name](b)
			defer st.Close()
			e, err := New(context.Background(), bot, Options{Store: st, Clock: func() time.Time { return monday10 }})
			if err != nil {
				b.Fatal(err)
			}
			runTurns(b, e)
		})
	}
}

// BenchmarkTurnInProcess is the turn itself: the memory store, and the shop's
// order system answered in process, so that neither a disk nor HTTP hides what
// the NLU, the dialog step, the state and the commit cost. cpu-µs/turn is the
// process's CPU time per turn, garbage collection included, which a busy
// machine inflates far less than wall time; turns/s/core is its inverse.
func BenchmarkTurnInProcess(b *testing.B) {
	runTurns(b, shopInMemory(b))
}

// shopInMemory is the shop on the memory store, its orders answered in process.
func shopInMemory(b *testing.B) *Engine {
	bot, reg := shopInProcess(b)
	st := memstore.New()
	b.Cleanup(func() { st.Close() })
	e, err := New(context.Background(), bot, Options{Store: st, Connectors: reg, Clock: func() time.Time { return monday10 }})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// loadScript is bench/load's customer (its script, which
// engine/server's benchmarks also copy: neither package can import the
// other's tests): an order lookup, a refund through reason, description and
// confirmation, then goodbye.
var loadScript = []string{
	"where is my order AB123456",
	"I want a refund for order CD654321",
	"it arrived damaged",
	"the box was crushed",
	"yes",
	"thanks",
}

// BenchmarkTurnLoadScript is the turn bench/load's customers take over HTTP,
// in process on the memory store: what a turn costs besides the store and
// HTTP (NLU, the dialog step with its calls, encoding, the outcome), on the
// messages the open-loop figures come from. Customers are known (a
// customer id), as the loader's tokens make them.
//
//	go test -run '^$' -bench TurnLoadScript -benchtime 30000x ./engine/
func BenchmarkTurnLoadScript(b *testing.B) {
	e := shopInMemory(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		n := i / len(loadScript)
		msg := Message{ConversationID: fmt.Sprintf("script-%d", n), CustomerID: fmt.Sprintf("customer-%d", n%1000),
			ClientMessageID: fmt.Sprint(i), Text: loadScript[i%len(loadScript)]}
		if _, err := e.Handle(ctx, msg); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if used := cpuTime() - cpu; used > 0 {
		b.ReportMetric(used.Seconds()/float64(b.N)*1e6, "cpu-µs/turn")
	}
}

// shopInProcess loads examples/shop with its order system answered in
// process (inProcessOrders), and the registry that does so.
func shopInProcess(b *testing.B) (*policies.Bot, *connectors.Registry) {
	reg := connectors.NewRegistry()
	for _, name := range connectors.Default.Names() {
		d, _ := connectors.Default.Lookup(name)
		if name == "http" {
			d = inProcessOrders{d}
		}
		reg.Register(name, d)
	}
	bot, diags := Load("../examples/shop", reg)
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	return bot, reg
}

// runTurns cycles through benchConversation, one conversation after another.
func runTurns(b *testing.B, e *Engine) {
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		conv := fmt.Sprintf("bench-%d", i/len(benchConversation))
		start := time.Now()
		_, err := e.Handle(ctx, Message{ConversationID: conv, ClientMessageID: fmt.Sprint(i), Text: benchConversation[i%len(benchConversation)]})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if used := cpuTime() - cpu; used > 0 {
		perTurn := used.Seconds() / float64(b.N)
		b.ReportMetric(perTurn*1e6, "cpu-µs/turn")
		b.ReportMetric(1/perTurn, "turns/s/core")
	}
	reportLatency(b, lat, "turns/s")
}

// inProcessOrders stands in for the shop's order system: the http connector's
// settings, answered in memory.
type inProcessOrders struct{ connectors.Driver }

func (d inProcessOrders) Open(connectors.Config) (connectors.Connector, error) {
	return inProcessOrders{}, nil
}

func (inProcessOrders) Call(_ context.Context, req connectors.Request) (connectors.Response, error) {
	switch req.Operation {
	case "get_order":
		return connectors.Response{Data: map[string]any{"status": "shipped", "carrier": "SF Express", "eta": "2026-11-25", "total": 320.0}}, nil
	case "refund":
		return connectors.Response{Data: map[string]any{"refund_id": "RF-1", "status": "approved", "amount": req.Input["amount"]}}, nil
	}
	return connectors.Response{}, connectors.ErrNotFound
}

func reportLatency(b *testing.B, lat []time.Duration, rateUnit string) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	var total time.Duration
	for _, l := range lat {
		total += l
	}
	if rateUnit != "" {
		b.ReportMetric(float64(len(lat))/total.Seconds(), rateUnit)
	}
}

// BenchmarkLoadBot measures what starting a bot costs: parse, check, compile
// and train the NLU.
func BenchmarkLoadBot(b *testing.B) {
	for i := 0; i < b.N; i++ {
		bot := loadShop(b)
		if _, err := New(context.Background(), bot, Options{Store: memstore.New()}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTurnParallel runs turns from many conversations at once (64 per
// core, each cycling through the refund conversation), as a server does: what
// group commit is for. Turns/s is b.N over the wall time.
//
//	go test -run '^$' -bench TurnParallel -benchtime 5s ./engine/
func BenchmarkTurnParallel(b *testing.B) {
	bot := loadShop(b)
	stores := benchStores(b)
	for _, name := range slices.Sorted(maps.Keys(stores)) {
		b.Run("store="+name, func(b *testing.B) {
			st := stores[name](b)
			defer st.Close()
			e, err := New(context.Background(), bot, Options{Store: st, Clock: func() time.Time { return monday10 }})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var workers, msgs atomic.Int64
			var mu sync.Mutex
			var lat []time.Duration
			b.SetParallelism(64)
			start := time.Now()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				w := workers.Add(1)
				var mine []time.Duration
				for i := 0; pb.Next(); i++ {
					conv := fmt.Sprintf("par-%d-%d", w, i/len(benchConversation))
					began := time.Now()
					_, err := e.Handle(ctx, Message{ConversationID: conv, ClientMessageID: fmt.Sprint(msgs.Add(1)), Text: benchConversation[i%len(benchConversation)]})
					mine = append(mine, time.Since(began))
					if err != nil {
						b.Error(err)
						return
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			b.StopTimer()
			elapsed := time.Since(start)
			reportLatency(b, lat, "")
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "turns/s")
		})
	}
}
