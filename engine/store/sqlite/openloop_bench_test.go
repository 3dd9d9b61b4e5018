package sqlite_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store/sqlite"
)

// BenchmarkCommitOpenLoop commits shop-sized turns (as BenchmarkCommit) from
// 1,000 conversations that each send their next turn an exponential think
// time after the previous one was due, so together they arrive at a fixed
// rate whatever the store does, and latency counts from when a turn was due
// (as `bench/load -open`, without HTTP, the dialog or the loader). b.N is the
// number of turns.
//
//	go test -run '^$' -bench CommitOpenLoop -benchtime 40000x ./engine/store/sqlite/
func BenchmarkCommitOpenLoop(b *testing.B) {
	for _, rate := range []float64{2000, 4000} {
		b.Run(fmt.Sprintf("rate=%.0f", rate), func(b *testing.B) { commitOpenLoop(b, rate, 1000) })
	}
}

func commitOpenLoop(b *testing.B, rate float64, conversations int) {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "open.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	mean := time.Duration(float64(conversations) / rate * float64(time.Second))
	perConv := (b.N + conversations - 1) / conversations
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	b.ResetTimer()
	for c := range conversations {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), 1))
			due := start.Add(time.Duration(r.ExpFloat64() * float64(mean)))
			mine := make([]time.Duration, 0, perConv)
			id := fmt.Sprintf("c%d", c)
			for i := range perConv {
				time.Sleep(time.Until(due))
				tx, err := s.Begin(b.Context(), id)
				if err != nil {
					b.Error(err)
					return
				}
				if err := tx.Commit(b.Context(), shopSizedTurn(fmt.Sprint(i), tx.Conversation().LastSeq)); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(due))
				due = due.Add(time.Duration(r.ExpFloat64() * float64(mean)))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	b.StopTimer()
	reportLatencies(b, lat, time.Since(start))
}
