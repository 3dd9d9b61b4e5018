package desk

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// BenchmarkTurnQueueReporter measures what asking the inbox "is this customer
// waiting?" before every turn costs (the server always asks), against the same
// turns without asking: ns/op of the two sub-benchmarks is the ratio to read.
// The store has 20 conversations waiting in the queue.
func BenchmarkTurnQueueReporter(b *testing.B) {
	bot := enginetest.LoadShop(b)
	stores := map[string]func(b *testing.B) store.Store{
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
	for _, name := range []string{"embedded", "postgres"} {
		for _, ask := range []bool{false, true} {
			b.Run(fmt.Sprintf("store=%s/reporter=%v", name, ask), func(b *testing.B) {
				st := stores[name](b)
				defer st.Close()
				e, err := engine.New(context.Background(), bot, engine.Options{Store: st, Clock: func() time.Time { return enginetest.Monday10 }})
				if err != nil {
					b.Fatal(err)
				}
				defer e.Close()
				ctx := context.Background()
				for i := range 20 {
					if _, err := e.Handle(ctx, engine.Message{ConversationID: fmt.Sprintf("waiting-%d", i), Text: "I want to talk to a human"}); err != nil {
						b.Fatal(err)
					}
				}
				if ask {
					e.SetQueueReporter(NewQueueReporter(st, e.Now))
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := e.Handle(ctx, engine.Message{ConversationID: fmt.Sprintf("bench-%d", i/3), Text: "where is my order AB123456"}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkQueuePlace is a waiting customer's message: where they stand among
// 20 waiting, with the estimate cached.
func BenchmarkQueuePlace(b *testing.B) {
	st := sqliteStore(b)
	defer st.Close()
	e := enginetest.NewEngine(b, enginetest.LoadShop(b), st, enginetest.Monday10)
	ctx := context.Background()
	for i := range 20 {
		if _, err := e.Handle(ctx, engine.Message{ConversationID: fmt.Sprintf("waiting-%d", i), Text: "I want to talk to a human"}); err != nil {
			b.Fatal(err)
		}
	}
	q := NewQueueReporter(st, e.Now)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if w, err := q.Waiting(ctx, "waiting-10"); err != nil || w == nil {
			b.Fatal(w, err)
		}
	}
}

func sqliteStore(b *testing.B) store.Store {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// benchStore opens the store a benchmark runs on: "embedded" or "postgres"
// (a schema of its own).
func benchStore(b *testing.B, name string) store.Store {
	if name == "embedded" {
		return sqliteStore(b)
	}
	url := pgtest.URL(b)
	st, err := postgres.Open(context.Background(), url, postgres.Options{Schema: pgtest.Schema(b, url)})
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkNotWaiting is what every turn adds when the server asks whether
// the customer waits in a queue, and they do not (the common case): one
// indexed read of the handoffs of the conversation.
func BenchmarkNotWaiting(b *testing.B) {
	for _, name := range []string{"embedded", "postgres"} {
		b.Run("store="+name, func(b *testing.B) {
			st := benchStore(b, name)
			defer st.Close()
			e := enginetest.NewEngine(b, enginetest.LoadShop(b), st, enginetest.Monday10)
			ctx := context.Background()
			for i := range 20 {
				if _, err := e.Handle(ctx, engine.Message{ConversationID: fmt.Sprintf("waiting-%d", i), Text: "I want to talk to a human"}); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := e.Handle(ctx, engine.Message{ConversationID: "chatting", Text: "where is my order AB123456"}); err != nil {
				b.Fatal(err)
			}
			q := NewQueueReporter(st, e.Now)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if w, err := q.Waiting(ctx, "chatting"); err != nil || w != nil {
					b.Fatal(w, err)
				}
			}
		})
	}
}

// BenchmarkWaitingMessage is a message from a customer waiting in a queue,
// the 1st to the 20th since the handoff: the bot says where they stand, and
// the handoff's automatic summary is told again with the turn. (Before the
// state kept the handoff's request, each such turn read the whole log for
// it, and wrote the summary in a second transaction.) The handoffs, and the
// customers leaving the queue after 20 messages, are not timed.
func BenchmarkWaitingMessage(b *testing.B) {
	for _, name := range []string{"embedded", "postgres"} {
		b.Run("store="+name, func(b *testing.B) {
			st := benchStore(b, name)
			defer st.Close()
			e := enginetest.NewEngine(b, enginetest.LoadShop(b), st, enginetest.Monday10)
			e.SetQueueReporter(NewQueueReporter(st, e.Now))
			ctx := context.Background()
			say := func(conv, text string) *engine.TurnResult {
				res, err := e.Handle(ctx, engine.Message{ConversationID: conv, Text: text})
				if err != nil {
					b.Fatal(err)
				}
				return res
			}
			const perHandoff = 20
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				conv := fmt.Sprintf("waiting-%d", i/perHandoff)
				if i%perHandoff == 0 {
					b.StopTimer()
					if i > 0 {
						say(fmt.Sprintf("waiting-%d", i/perHandoff-1), "cancel")
					}
					if !say(conv, "I want to talk to a human").HandedOff {
						b.Fatal("no handoff")
					}
					b.StartTimer()
				}
				if res := say(conv, "hello? is anyone there?"); !res.HandedOff {
					b.Fatalf("not waiting: %+v", res.Replies)
				}
			}
		})
	}
}
