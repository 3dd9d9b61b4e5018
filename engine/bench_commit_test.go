package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store/sqlite"
	"github.com/parleyhq/parley/internal/openloop"
)

// BenchmarkTurnEmbeddedAlone is the embedded store's cost of a turn that
// commits alone, as most do in an open loop below capacity: turns one at a
// time, each the next message of one of 1,000 conversations in turn (so
// each commit writes to as many places in the B-trees as a real one), the
// shop's orders answered in process. cpu-µs/turn is the process's CPU time
// per turn, which a busy machine inflates far less than wall time; it is what
// the writer's serial section and the fsync cost at small groups.
//
//	go test -run '^$' -bench TurnEmbeddedAlone -benchtime 20000x ./engine/
func BenchmarkTurnEmbeddedAlone(b *testing.B) {
	bot, reg := shopInProcess(b)
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "alone.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	e, err := New(context.Background(), bot, Options{Store: st, Connectors: reg, Clock: func() time.Time { return monday10 }})
	if err != nil {
		b.Fatal(err)
	}
	const conversations = 1000
	ctx := context.Background()
	handle := func(i int) {
		round := i / conversations
		conv := fmt.Sprintf("alone-%d-%d", i%conversations, round/len(benchConversation))
		text := benchConversation[round%len(benchConversation)]
		if _, err := e.Handle(ctx, Message{ConversationID: conv, ClientMessageID: fmt.Sprint(i), Text: text}); err != nil {
			b.Fatal(err)
		}
	}
	// Every conversation exists before the timer starts.
	for i := range conversations {
		handle(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu, disk := cpuTime(), diskWritten()
	for i := 0; i < b.N; i++ {
		handle(conversations + i)
	}
	b.StopTimer()
	if used := cpuTime() - cpu; used > 0 {
		b.ReportMetric(used.Seconds()/float64(b.N)*1e6, "cpu-µs/turn")
	}
	if written := diskWritten() - disk; written > 0 {
		b.ReportMetric(float64(written)/1024/float64(b.N), "disk-KB/turn")
	}
}

// BenchmarkTurnEmbeddedGroups is BenchmarkTurnEmbeddedAlone with that many
// turns at once (each worker sends its next message when the last is
// answered), so that commits hold up to that many turns: what a turn costs
// at the group sizes an open loop leaves, against a closed loop's hundreds.
//
//	go test -run '^$' -bench TurnEmbeddedGroups -benchtime 8000x ./engine/
func BenchmarkTurnEmbeddedGroups(b *testing.B) {
	bot, reg := shopInProcess(b)
	for _, workers := range []int{1, 2, 4, 8, 64} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "groups.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			e, err := New(context.Background(), bot, Options{Store: st, Connectors: reg, Clock: func() time.Time { return monday10 }})
			if err != nil {
				b.Fatal(err)
			}
			const conversations = 1000
			ctx := context.Background()
			handle := func(i int) error {
				round := i / conversations
				conv := fmt.Sprintf("groups-%d-%d", i%conversations, round/len(benchConversation))
				_, err := e.Handle(ctx, Message{ConversationID: conv, ClientMessageID: fmt.Sprint(i), Text: benchConversation[round%len(benchConversation)]})
				return err
			}
			for i := range conversations {
				if err := handle(i); err != nil {
					b.Fatal(err)
				}
			}
			commits0, turns0 := st.GroupCommits()
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			cpu := cpuTime()
			for range workers {
				wg.Go(func() {
					for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
						if err := handle(conversations + int(i)); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			if used := cpuTime() - cpu; used > 0 {
				b.ReportMetric(used.Seconds()/float64(b.N)*1e6, "cpu-µs/turn")
			}
			if commits, turns := st.GroupCommits(); commits > commits0 {
				b.ReportMetric(float64(turns-turns0)/float64(commits-commits0), "turns/commit")
			}
		})
	}
}

// BenchmarkTurnEmbeddedOpen is the open loop without HTTP and the loader:
// 1,000 conversations send their next message an exponential think time
// after the previous one was due, together at a fixed rate, through the
// whole turn (NLU, dialog, the shop's orders in process, the embedded store's
// group commit); latency counts from when a message was due. It reports
// cpu-µs/turn beside the percentiles: what a commit's fixed costs (the
// fsync, the pages every commit rewrites) weigh at the batch sizes such a
// rate leaves. b.N is the number of turns.
//
//	go test -run '^$' -bench TurnEmbeddedOpen -benchtime 40000x ./engine/
func BenchmarkTurnEmbeddedOpen(b *testing.B) {
	bot, reg := shopInProcess(b)
	for _, rate := range []float64{benchOpenRate()} {
		b.Run(fmt.Sprintf("rate=%.0f", rate), func(b *testing.B) {
			st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "open.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			e, err := New(context.Background(), bot, Options{Store: st, Connectors: reg, Clock: func() time.Time { return monday10 }})
			if err != nil {
				b.Fatal(err)
			}
			const conversations = 1000
			perConv := (b.N + conversations - 1) / conversations
			b.ResetTimer()
			cpu, disk := cpuTime(), diskWritten()
			lat, err := openloop.Run(conversations, perConv, rate, 2, func(c, i int) error {
				_, err := e.Handle(context.Background(), Message{ConversationID: fmt.Sprintf("open-%d-%d", c, i/len(benchConversation)),
					ClientMessageID: fmt.Sprint(i), Text: benchConversation[i%len(benchConversation)]})
				return err
			})
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			if used := cpuTime() - cpu; used > 0 {
				b.ReportMetric(used.Seconds()/float64(len(lat))*1e6, "cpu-µs/turn")
			}
			if written := diskWritten() - disk; written > 0 {
				b.ReportMetric(float64(written)/1024/float64(len(lat)), "disk-KB/turn")
			}
			if commits, turns := st.GroupCommits(); commits > 0 {
				b.ReportMetric(float64(turns)/float64(commits), "turns/commit")
			}
			reportLatency(b, lat, "")
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
		})
	}
}

// benchOpenRate is TurnEmbeddedOpen's rate: 2,000 unless PARLEY_BENCH_RATE says.
func benchOpenRate() float64 {
	if r, err := strconv.ParseFloat(os.Getenv("PARLEY_BENCH_RATE"), 64); err == nil && r > 0 {
		return r
	}
	return 2000
}
