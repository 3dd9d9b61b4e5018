package desk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// The automatic summary of a handoff is told again as the customer writes
// while waiting, so the agent who takes the conversation reads where it
// stands, not where it stood when it was handed off; once an agent has it,
// it stays as they read it.
func TestWaitingSummaryFollowsTheCustomer(t *testing.T) {
	for _, kind := range []storeKind{memKind, sqliteKind, postgresKind} {
		t.Run(kind.name, func(t *testing.T) {
			en := newEnv(t, kind)
			en.e.SetQueueReporter(desk.NewQueueReporter(en.st, en.clock.Now))
			ctx := context.Background()
			if res := en.say("c1", "I want to talk to a human"); !res.HandedOff {
				t.Fatalf("no handoff: %q", texts(res))
			}
			hs, err := en.st.Handoffs(ctx, store.HandoffFilter{ConversationID: "c1"})
			if err != nil || len(hs) != 1 {
				t.Fatalf("handoffs = %+v, %v", hs, err)
			}
			id := hs[0].ID
			summary := func() string {
				t.Helper()
				h, err := en.d.Handoff(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return h.Summary
			}
			steps := []struct {
				say, claim string
				want       string // what the summary starts with
			}{
				{want: "The handoff came at the customer's first message"},
				{say: "hello?", want: "The customer sent 2 messages"},
				{say: "anyone there?", want: "The customer sent 3 messages"},
				{claim: "ann", want: "The customer sent 3 messages"},
				{say: "hi Ann", want: "The customer sent 3 messages"}, // the agent has it
			}
			for _, st := range steps {
				if st.say != "" {
					en.say("c1", st.say)
				}
				if st.claim != "" {
					if _, err := en.d.Claim(ctx, id, en.agent(st.claim), "agent:"+st.claim); err != nil {
						t.Fatal(err)
					}
				}
				if got := summary(); !strings.HasPrefix(got, st.want) {
					t.Errorf("after %q%s: summary %q, want it to start %q", st.say, st.claim, got, st.want)
				}
			}
		})
	}
}
