package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// testWaiting: a Tx that says whether a handoff of its conversation waits
// (store.WaitingTx) follows every way a handoff changes, turn after turn, even
// when the store answers from memory: a stale "nobody waits" would route a
// waiting customer's message to the bot.
func testWaiting(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	if tx, err := s.Begin(ctx, "c1"); err != nil {
		t.Fatal(err)
	} else if _, ok := tx.(store.WaitingTx); !ok {
		_ = tx.Rollback(ctx)
		t.Skip("the store's Tx does not implement store.WaitingTx")
	} else {
		_ = tx.Rollback(ctx)
	}
	waiting := func(want bool, when string) {
		t.Helper()
		for range 2 { // the second turn may be answered from memory
			tx, err := s.Begin(ctx, "c1")
			if err != nil {
				t.Fatal(err)
			}
			got, err := tx.(store.WaitingTx).Waiting(ctx)
			if err != nil {
				t.Fatalf("%s: Waiting: %v", when, err)
			}
			rec := store.TurnRecord{ConversationID: "c1", Events: events(tx.Conversation().LastSeq, 1, "message")}
			if err := tx.Commit(ctx, rec); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("%s: Waiting = %v, want %v", when, got, want)
			}
		}
	}
	waiting(false, "new conversation")
	at := turn.Now().Add(-time.Minute)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Handoffs = []store.Handoff{{ID: "h1", Queue: "support", Status: "waiting", CreatedAt: at,
			History: []store.StatusChange{{Status: "waiting", Actor: "bot", At: at}}}}
	})
	waiting(true, "after a turn opened a handoff")
	if _, err := s.UpdateHandoff(ctx, "h1", claim("a1")); err != nil {
		t.Fatal(err)
	}
	waiting(false, "after an agent claimed it (outside a turn)")
	if _, err := s.UpdateHandoff(ctx, "h1", func(h *store.Handoff) (store.AuditEntry, error) {
		h.Agent, h.Status = "", "waiting"
		h.History = append(h.History, store.StatusChange{Status: "waiting", Actor: "agent:a1", Note: "transferred"})
		return store.AuditEntry{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	waiting(true, "after a transfer back to a queue")
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.HandoffChanges = []store.HandoffChange{{HandoffID: "h1", From: []string{"waiting"},
			Change: store.StatusChange{Status: "cancelled", Actor: "customer", At: turn.Now()}}}
	})
	waiting(false, "after the customer left the queue in a turn")
	// A write elsewhere (another conversation's handoff) leaves c1 alone.
	mustCommit(t, s, "c2", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Handoffs = []store.Handoff{{ID: "h2", Queue: "support", Status: "waiting", CreatedAt: at,
			History: []store.StatusChange{{Status: "waiting", Actor: "bot", At: at}}}}
	})
	waiting(false, "after another conversation's handoff")
	if _, err := s.SetHandoffStatus(ctx, "h1", store.StatusChange{Status: "waiting", Actor: "admin", At: turn.Now()}); err != nil {
		t.Fatal(err)
	}
	waiting(true, "after SetHandoffStatus")
}

// testAgentsRead: Agents reflects every change at once, and what a caller
// does to the slice it got does not leak into the next read (a store may
// answer from memory).
func testAgentsRead(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	if _, err := s.PutAgent(ctx, store.Agent{ID: "a1", Name: "Ann", Role: "agent", Skills: []string{"billing"}, Status: store.AgentOffline}); err != nil {
		t.Fatal(err)
	}
	read := func() []store.Agent {
		t.Helper()
		as, err := s.Agents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return as
	}
	first := read()
	first[0].Status, first[0].Skills[0] = "changed", "changed"
	if got := read(); got[0].Status != store.AgentOffline || got[0].Skills[0] != "billing" {
		t.Fatalf("Agents after the caller changed its copy = %+v", got[0])
	}
	if _, err := s.SetAgentStatus(ctx, "a1", store.AgentOnline, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := read(); got[0].Status != store.AgentOnline {
		t.Fatalf("Agents after SetAgentStatus: status %q, want %q", got[0].Status, store.AgentOnline)
	}
	if _, err := s.PutAgent(ctx, store.Agent{ID: "a2", Name: "Bo", Role: "agent", Status: store.AgentOnline}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range read() {
		ids = append(ids, a.ID)
	}
	if diff := cmp.Diff([]string{"a1", "a2"}, ids); diff != "" {
		t.Fatalf("Agents after PutAgent (-want +got):\n%s", diff)
	}
}
