package desk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// The audit finds a ticket, handoff or approval by its id. Random ids are
// hex, and now and then their digits run long enough to look like a phone
// number; masked as free text they came out as "T-123***7890ABCDEF", and the
// audit lost which record an entry was about.
func TestAuditKeepsIDs(t *testing.T) {
	en := newEnv(t, memKind)
	var mu sync.Mutex
	n := 0
	en.newID = func(kind string) string {
		mu.Lock()
		defer mu.Unlock()
		n++
		// All digits, as hex ids sometimes are.
		return fmt.Sprintf("%s-%016d", strings.ToUpper(kind[:1]), 1380000000000000+n)
	}
	en.use(en.st) // an engine that makes such ids
	ctx := context.Background()

	a := en.askRefund("c1", "RS005001")
	if _, _, err := en.d.Decide(ctx, a.ID, en.agent("tom"), desk.Approve, ""); err != nil {
		t.Fatal(err)
	}
	tk, _, _, _, err := en.d.CreateTicket(ctx, desk.NewTicket{Subject: "Invoice", Channel: "api", Queue: "callbacks",
		Identities: []store.Identity{{Channel: "email", ExternalID: "ann@example.com"}}, Actor: "agent:ann"})
	if err != nil {
		t.Fatal(err)
	}
	solved := desk.TicketSolved
	if _, _, err := en.d.UpdateTicket(ctx, tk.ID, en.agent("tom"), desk.TicketChange{Status: &solved}); err != nil {
		t.Fatal(err)
	}
	en.say("c2", "I want to talk to a human")
	hs, err := en.st.Handoffs(ctx, store.HandoffFilter{ConversationID: "c2"})
	if err != nil || len(hs) != 1 {
		t.Fatalf("handoffs %v, %v", hs, err)
	}
	if _, err := en.d.Claim(ctx, hs[0].ID, en.agent("ann"), "agent:ann"); err != nil {
		t.Fatal(err)
	}

	rows, err := en.st.Audit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{a.ID: true, tk.ID: true, hs[0].ID: true}
	seen := map[string]int{}
	for _, r := range rows {
		var detail map[string]any
		_ = json.Unmarshal(r.Detail, &detail)
		for _, key := range []string{"id", "approval", "handoff", "ticket"} {
			v, ok := detail[key].(string)
			if !ok {
				continue
			}
			if !ids[v] {
				t.Errorf("%s: %s = %q, not an id the engine made (masked?)", r.Action, key, v)
			}
			seen[v]++
		}
	}
	for id := range ids {
		if seen[id] == 0 {
			t.Errorf("no audit entry names %s", id)
		}
	}
}
