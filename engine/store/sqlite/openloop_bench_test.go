package sqlite_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store/sqlite"
	"github.com/parleyhq/parley/internal/openloop"
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
	perConv := (b.N + conversations - 1) / conversations
	start := time.Now()
	b.ResetTimer()
	lat, err := openloop.Run(conversations, perConv, rate, 1, func(c, i int) error {
		id := fmt.Sprintf("c%d", c)
		tx, err := s.Begin(b.Context(), id)
		if err != nil {
			return err
		}
		return tx.Commit(b.Context(), shopSizedTurn(fmt.Sprint(i), tx.Conversation().LastSeq))
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	reportLatencies(b, lat, time.Since(start))
}
