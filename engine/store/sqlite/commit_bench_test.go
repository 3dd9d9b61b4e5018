package sqlite_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// BenchmarkCommit commits turns from many conversations at once, each about
// the size of a shop turn (a 3 KB snapshot, three 1 KB events, a 1 KB
// result), and reports throughput, the latency percentiles and the slowest
// commit, where stalls (a checkpoint inside a commit) show.
//
//	go test -run '^$' -bench Commit -benchtime 20000x ./engine/store/sqlite/
func BenchmarkCommit(b *testing.B) {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "commit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var workers, next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(16)
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := workers.Add(1)
		var mine []time.Duration
		for i := 0; pb.Next(); i++ {
			id := fmt.Sprintf("w%d-%d", w, i/20) // 20 turns a conversation
			began := time.Now()
			tx, err := s.Begin(b.Context(), id)
			if err != nil {
				b.Error(err)
				return
			}
			if err := tx.Commit(b.Context(), shopSizedTurn(fmt.Sprint(next.Add(1)), tx.Conversation().LastSeq)); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(began))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	reportLatencies(b, lat, time.Since(start))
}

var (
	blob                                   = func(n int) []byte { return []byte(`{"x":"` + strings.Repeat("x", n) + `"}`) }
	benchSnapshot, benchEvent, benchResult = blob(3000), blob(1000), blob(1000)
)

// shopSizedTurn is a turn about the size of a shop turn: a 3 KB snapshot,
// three 1 KB events, a 1 KB result and an audit row.
func shopSizedTurn(clientMessageID string, last int64) store.TurnRecord {
	rec := store.TurnRecord{ClientMessageID: clientMessageID, Snapshot: benchSnapshot, SnapshotSeq: last + 3, Result: benchResult,
		Audit: []store.AuditEntry{{Actor: "bot", Action: "connector.call", Detail: benchEvent}}}
	for k := range int64(3) {
		rec.Events = append(rec.Events, store.Event{Seq: last + k + 1, Type: "m", Data: benchEvent})
	}
	return rec
}

// reportLatencies reports throughput, the latency percentiles and the slowest
// turn, where stalls show.
func reportLatencies(b *testing.B, lat []time.Duration, elapsed time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[min(int(q*float64(len(lat))), len(lat)-1)].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "turns/s")
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(at(0.999), "p99.9-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
