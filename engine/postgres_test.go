package engine

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
)

// TestTwoEnginesShareOneDatabase runs two engines, each with its own store and
// connection pool, as two `parley serve` processes would: turns on the same
// conversation serialize across them, and a message delivered to both (a retry
// that lands on the other instance) is one turn.
func TestTwoEnginesShareOneDatabase(t *testing.T) {
	url := pgtest.URL(t)
	schema := pgtest.Schema(t, url)
	ctx := context.Background()
	open := func() store.Store {
		st, err := postgres.Open(ctx, url, postgres.Options{Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	stA, stB := open(), open()
	engines := []*Engine{newShopEngine(t, stA, monday10), newShopEngine(t, stB, monday10)}

	const perEngine = 8
	var wg sync.WaitGroup
	errs := make(chan error, 4*perEngine)
	for i, e := range engines {
		for j := range perEngine {
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, err := e.Handle(ctx, Message{ConversationID: "shared", ClientMessageID: fmt.Sprintf("e%d-%d", i, j), Text: "where is my order AB123456"})
				errs <- err
			}()
			// The same client message id sent to both engines: a retry on the other instance.
			go func() {
				defer wg.Done()
				_, err := e.Handle(ctx, Message{ConversationID: "retried", ClientMessageID: fmt.Sprintf("m%d", j), Text: "hi"})
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	count := func(conv string) int {
		events, err := stA.Events(ctx, conv, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i, ev := range events {
			if ev.Seq != int64(i+1) {
				t.Fatalf("%s: event %d has seq %d: turns interleaved", conv, i, ev.Seq)
			}
			if ev.Type == "message_received" {
				n++
			}
		}
		return n
	}
	if got, want := count("shared"), 2*perEngine; got != want {
		t.Errorf("shared conversation: %d turns, want %d", got, want)
	}
	if got, want := count("retried"), perEngine; got != want {
		t.Errorf("retried conversation: %d turns, want %d (each message once, whichever engine took it)", got, want)
	}
}
