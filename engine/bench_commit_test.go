package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/engine/store/sqlite"
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
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		handle(conversations + i)
	}
	b.StopTimer()
	if used := cpuTime() - cpu; used > 0 {
		b.ReportMetric(used.Seconds()/float64(b.N)*1e6, "cpu-µs/turn")
	}
}
