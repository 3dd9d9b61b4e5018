package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// A waiting customer hears their place in the queue at every message, and
// stops hearing it as soon as an agent has them, on every store: the stores
// that answer "does one wait?" from memory or with the lease (store.WaitingTx)
// must see each change the desk makes between two messages.
func TestWaitingFollowsTheDesk(t *testing.T) {
	for _, kind := range []storeKind{memKind, sqliteKind, postgresKind} {
		t.Run(kind.name, func(t *testing.T) {
			en := newEnv(t, kind)
			en.e.SetQueueReporter(desk.NewQueueReporter(en.st, en.clock.Now))
			ctx := context.Background()
			inQueue := func(when string, want bool) {
				t.Helper()
				for range 2 { // the second message may be answered from memory
					res := en.say("c1", "hello?")
					got := strings.Contains(strings.Join(texts(res), " "), "in the queue")
					if got != want {
						t.Fatalf("%s: replies %q; want the place in the queue: %v", when, texts(res), want)
					}
				}
			}
			inQueue("before any handoff", false)
			if res := en.say("c1", "I want to talk to a human"); !res.HandedOff {
				t.Fatalf("no handoff: %q", texts(res))
			}
			inQueue("waiting", true)
			hs, err := en.st.Handoffs(ctx, store.HandoffFilter{ConversationID: "c1"})
			if err != nil || len(hs) != 1 {
				t.Fatalf("handoffs = %+v, %v", hs, err)
			}
			ann := en.agent("ann")
			if _, err := en.d.Claim(ctx, hs[0].ID, ann, "agent:ann"); err != nil {
				t.Fatal(err)
			}
			inQueue("claimed by an agent", false)
			if _, err := en.d.Transfer(ctx, hs[0].ID, en.agent("ann"), hs[0].Queue, "back to the queue"); err != nil {
				t.Fatal(err)
			}
			inQueue("transferred back to a queue", true)
			if res := en.say("c1", "cancel"); res.HandedOff {
				t.Fatalf("cancel while waiting: still handed off: %q", texts(res))
			}
			inQueue("after leaving the queue", false)
		})
	}
}

// Two customers who ask for a person a few seconds apart: the queue lists
// each with how long they have waited, oldest first, so an agent sees whom to
// take first (the list said only how long the oldest had).
func TestQueuesSayHowLongEachWaited(t *testing.T) {
	en := newEnv(t, memKind)
	en.say("first", "I want to talk to a person")  // at +5 s
	en.say("second", "I want to talk to a person") // at +10 s
	en.clock.Advance(30 * time.Second)
	qs, err := en.d.Queues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	type waited struct {
		Conversation string
		Seconds      int64
	}
	var got []waited
	var oldest int64
	for _, q := range qs {
		if q.Name == "general" {
			oldest = q.OldestWaitS
			for _, h := range q.Handoffs {
				got = append(got, waited{h.ConversationID, h.WaitingSeconds})
			}
		}
	}
	if diff := cmp.Diff([]waited{{"first", 35}, {"second", 30}}, got); diff != "" {
		t.Errorf("general queue (-want +got):\n%s", diff)
	}
	if oldest != 35 {
		t.Errorf("oldest wait %d s, want 35", oldest)
	}
}
