package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// claim is the UpdateHandoff fn an agent's "take this conversation" runs.
func claim(agent string) func(h *store.Handoff) (store.AuditEntry, error) {
	return func(h *store.Handoff) (store.AuditEntry, error) {
		if h.Agent != "" {
			return store.AuditEntry{}, store.ErrConflict
		}
		h.Agent, h.Status = agent, "assigned"
		h.History = append(h.History, store.StatusChange{Status: "assigned", Actor: "agent:" + agent})
		return store.AuditEntry{Actor: "agent:" + agent, Action: "handoff.claim", Detail: raw(fmt.Sprintf(`{"agent":%q}`, agent))}, nil
	}
}

func handoffByID(t *testing.T, s store.Store, id string) store.Handoff {
	t.Helper()
	hs, err := s.Handoffs(ctxT(t), store.HandoffFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		if h.ID == id {
			return h
		}
	}
	t.Fatalf("handoff %s not found", id)
	return store.Handoff{}
}

func testUpdateHandoff(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := turn.Now().Add(-time.Hour)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Handoffs = []store.Handoff{{ID: "h1", CustomerID: "cus1", Queue: "support", Summary: "refund", Status: "waiting", CreatedAt: at,
			Slots: map[string]string{"order": "A1"}, History: []store.StatusChange{{Status: "waiting", Actor: "bot", At: at}}}}
	})
	before := handoffByID(t, s, "h1")
	if before.Agent != "" || before.UpdatedAt.IsZero() {
		t.Fatalf("new handoff = %+v, want no agent and UpdatedAt set", before)
	}

	// Several agents claim at once: exactly one wins, the others see its claim.
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = s.UpdateHandoff(ctx, "h1", claim(fmt.Sprintf("a%d", i))) })
	}
	wg.Wait()
	winner := ""
	for i, err := range errs {
		switch {
		case err == nil && winner == "":
			winner = fmt.Sprintf("a%d", i)
		case err == nil:
			t.Errorf("a%d also won the claim (after %s)", i, winner)
		case err != store.ErrConflict: // returned as is, not wrapped
			t.Errorf("a%d: UpdateHandoff error = %v, want store.ErrConflict unwrapped", i, err)
		}
	}
	if winner == "" {
		t.Fatalf("nobody won the claim: %v", errs)
	}
	got := handoffByID(t, s, "h1")
	want := before
	want.Agent, want.Status = winner, "assigned"
	want.History = append(want.History, store.StatusChange{Status: "assigned", Actor: "agent:" + winner})
	if diff := cmp.Diff(want, got, ignoreUpdatedAt, cmpopts.IgnoreFields(store.StatusChange{}, "At")); diff != "" {
		t.Errorf("claimed handoff (-want +got):\n%s", diff)
	}
	if got.UpdatedAt.Before(before.UpdatedAt) || got.History[1].At.IsZero() {
		t.Errorf("UpdatedAt %v (was %v), new history at %v: want later and set", got.UpdatedAt, before.UpdatedAt, got.History[1].At)
	}
	audit, err := s.Audit(ctx, store.AuditFilter{Action: "handoff.claim"})
	if err != nil {
		t.Fatal(err)
	}
	wantAudit := []store.AuditEntry{{Actor: "agent:" + winner, Action: "handoff.claim", ConversationID: "c1", Detail: raw(fmt.Sprintf(`{"agent":%q}`, winner))}}
	if diff := cmp.Diff(wantAudit, audit, cmpopts.IgnoreFields(store.AuditEntry{}, "ID", "At")); diff != "" {
		t.Errorf("claim audit (-want +got):\n%s", diff)
	}

	// UpdateHandoff returns what it stored.
	returned, err := s.UpdateHandoff(ctx, "h1", func(h *store.Handoff) (store.AuditEntry, error) {
		h.Priority = "high"
		return store.AuditEntry{}, nil // no audit row
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(handoffByID(t, s, "h1"), returned); diff != "" {
		t.Errorf("returned vs stored (-stored +returned):\n%s", diff)
	}
	if a, _ := s.Audit(ctx, store.AuditFilter{}); len(a) != 1 {
		t.Errorf("%d audit rows after an update without audit entry, want 1", len(a))
	}

	// Whatever fails writes nothing.
	errBoom := errors.New("boom")
	stored := handoffByID(t, s, "h1")
	for _, tc := range []struct {
		name string
		fn   func(h *store.Handoff) (store.AuditEntry, error)
		want func(error) bool
	}{
		{"fn error", func(h *store.Handoff) (store.AuditEntry, error) {
			h.Status, h.Agent = "closed", ""
			h.History = append(h.History, store.StatusChange{Status: "closed", Actor: "agent:x"})
			return store.AuditEntry{Actor: "agent:x", Action: "handoff.close"}, errBoom
		}, func(err error) bool { return err == errBoom }},
		{"changed id", func(h *store.Handoff) (store.AuditEntry, error) {
			h.ID = "other"
			return store.AuditEntry{Actor: "agent:x", Action: "handoff.move"}, nil
		}, func(err error) bool { return errors.Is(err, store.ErrInvalid) }},
		{"changed conversation", func(h *store.Handoff) (store.AuditEntry, error) {
			h.ConversationID = "c9"
			return store.AuditEntry{}, nil
		}, func(err error) bool { return errors.Is(err, store.ErrInvalid) }},
		{"audit without action", func(h *store.Handoff) (store.AuditEntry, error) {
			h.Status = "closed"
			return store.AuditEntry{Actor: "agent:x"}, nil
		}, func(err error) bool { return err != nil }},
	} {
		_, err := s.UpdateHandoff(ctx, "h1", tc.fn)
		if !tc.want(err) {
			t.Errorf("%s: UpdateHandoff error = %v", tc.name, err)
		}
		if diff := cmp.Diff(stored, handoffByID(t, s, "h1")); diff != "" {
			t.Errorf("%s: handoff changed (-before +after):\n%s", tc.name, diff)
		}
		if a, _ := s.Audit(ctx, store.AuditFilter{}); len(a) != 1 {
			t.Errorf("%s: %d audit rows, want 1", tc.name, len(a))
		}
	}

	called := false
	if _, err := s.UpdateHandoff(ctx, "nope", func(h *store.Handoff) (store.AuditEntry, error) {
		called = true
		return store.AuditEntry{}, nil
	}); !errors.Is(err, store.ErrNotFound) || called {
		t.Errorf("UpdateHandoff(unknown) = %v (fn called: %v), want ErrNotFound without calling fn", err, called)
	}

	// A turn that re-upserts the handoff without an agent keeps the assignment.
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		up := stored
		up.Agent, up.Summary, up.History = "", "refund, customer waiting", nil
		rec.Handoffs = []store.Handoff{up}
	})
	after := handoffByID(t, s, "h1")
	if after.Agent != winner || after.Summary != "refund, customer waiting" || after.UpdatedAt.Before(stored.UpdatedAt) {
		t.Errorf("after a turn's upsert: agent %q summary %q updated %v; want agent %q kept, summary changed, updated >= %v",
			after.Agent, after.Summary, after.UpdatedAt, winner, stored.UpdatedAt)
	}
	// SetHandoffStatus keeps the agent too, and moves UpdatedAt.
	h, err := s.SetHandoffStatus(ctx, "h1", store.StatusChange{Status: "closed", Actor: "agent:" + winner})
	if err != nil {
		t.Fatal(err)
	}
	if h.Agent != winner || h.UpdatedAt.Before(after.UpdatedAt) {
		t.Errorf("SetHandoffStatus = agent %q updated %v, want %q and >= %v", h.Agent, h.UpdatedAt, winner, after.UpdatedAt)
	}
}

func testHandoffFilters(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := turn.Now().Add(-time.Hour)
	for i, h := range []store.Handoff{
		{ID: "h1", CustomerID: "cus1", Queue: "support", Status: "waiting"},
		{ID: "h2", CustomerID: "cus2", Queue: "sales", Status: "waiting"},
		{ID: "h3", CustomerID: "cus1", Queue: "sales", Status: "closed"},
		{ID: "h4", CustomerID: "cus3", Queue: "support", Status: "waiting"},
	} {
		h.CreatedAt = at.Add(time.Duration(i) * time.Second)
		mustCommit(t, s, "c"+h.ID, func(c *store.Conversation, rec *store.TurnRecord) { rec.Handoffs = []store.Handoff{h} })
	}
	for id, agent := range map[string]string{"h1": "ann", "h2": "bob", "h3": "ann"} {
		if _, err := s.UpdateHandoff(ctx, id, claim(agent)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		filter store.HandoffFilter
		want   []string
	}{
		{store.HandoffFilter{}, []string{"h1", "h2", "h3", "h4"}},
		{store.HandoffFilter{Agent: "ann"}, []string{"h1", "h3"}},
		{store.HandoffFilter{Agent: "ann", Statuses: []string{"assigned"}}, []string{"h1", "h3"}},
		{store.HandoffFilter{CustomerID: "cus1"}, []string{"h1", "h3"}},
		{store.HandoffFilter{CustomerID: "cus1", Queue: "sales"}, []string{"h3"}},
		{store.HandoffFilter{Statuses: []string{"waiting", "closed"}}, []string{"h4"}},
		{store.HandoffFilter{Statuses: []string{"waiting", "assigned"}}, []string{"h1", "h2", "h3", "h4"}},
		{store.HandoffFilter{Status: "waiting", Statuses: []string{"waiting", "assigned"}}, []string{"h4"}},
		{store.HandoffFilter{Status: "waiting", Statuses: []string{"assigned"}}, nil},
		{store.HandoffFilter{Statuses: []string{"assigned"}, Queue: "support", Limit: 1}, []string{"h1"}},
		{store.HandoffFilter{Statuses: []string{"assigned"}, Limit: 2}, []string{"h2", "h3"}},
		{store.HandoffFilter{Agent: "nobody"}, nil},
		{store.HandoffFilter{ID: "h3"}, []string{"h3"}},
		{store.HandoffFilter{ID: "h3", Agent: "bob"}, nil},
		{store.HandoffFilter{ID: "h9"}, nil},
	} {
		got, err := s.Handoffs(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range got {
			ids = append(ids, h.ID)
		}
		if diff := cmp.Diff(tc.want, ids); diff != "" {
			t.Errorf("Handoffs(%+v) (-want +got):\n%s", tc.filter, diff)
		}
	}
}

func testAgents(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	if as, err := s.Agents(ctx); err != nil || len(as) != 0 {
		t.Fatalf("Agents on an empty store = %v, %v", as, err)
	}
	if _, err := s.Agent(ctx, "ann"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Agent(unknown) = %v, want ErrNotFound", err)
	}
	key1, key2 := store.HashAPIKey("key-1"), store.HashAPIKey("key-2")
	start := turn.Now()
	ann, err := s.PutAgent(ctx, store.Agent{ID: "ann", Name: "Ann", Skills: []string{"fr", "billing", "fr"}, KeyHash: key1})
	if err != nil {
		t.Fatal(err)
	}
	want := store.Agent{ID: "ann", Name: "Ann", Role: "agent", Skills: []string{"billing", "fr"}, Status: "offline", MaxChats: store.DefaultMaxChats, KeyHash: key1}
	if diff := cmp.Diff(want, ann, cmpopts.IgnoreFields(store.Agent{}, "CreatedAt", "UpdatedAt")); diff != "" {
		t.Errorf("new agent (-want +got):\n%s", diff)
	}
	if ann.CreatedAt.Before(start) || !ann.UpdatedAt.Equal(ann.CreatedAt) {
		t.Errorf("CreatedAt %v UpdatedAt %v, want equal and >= %v", ann.CreatedAt, ann.UpdatedAt, start)
	}
	for _, tc := range []struct {
		name string
		get  func() (store.Agent, error)
	}{
		{"Agent", func() (store.Agent, error) { return s.Agent(ctx, "ann") }},
		{"AgentByKeyHash", func() (store.Agent, error) { return s.AgentByKeyHash(ctx, key1) }},
		{"AgentByKeyHash upper case", func() (store.Agent, error) { return s.AgentByKeyHash(ctx, strings.ToUpper(key1)) }},
	} {
		got, err := tc.get()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(ann, got); diff != "" {
			t.Errorf("%s (-put +got):\n%s", tc.name, diff)
		}
	}
	for _, hash := range []string{"", key2, "not-a-hash"} {
		if _, err := s.AgentByKeyHash(ctx, hash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("AgentByKeyHash(%q) = %v, want ErrNotFound", hash, err)
		}
	}

	// Status.
	at := turn.Now().Add(time.Minute)
	online, err := s.SetAgentStatus(ctx, "ann", "online", at)
	if err != nil {
		t.Fatal(err)
	}
	if online.Status != "online" || !online.UpdatedAt.Equal(at) || !online.CreatedAt.Equal(ann.CreatedAt) {
		t.Errorf("SetAgentStatus = %+v, want online at %v", online, at)
	}
	if _, err := s.SetAgentStatus(ctx, "ann", "away", at); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SetAgentStatus(away) = %v, want ErrInvalid", err)
	}
	if _, err := s.SetAgentStatus(ctx, "nope", "busy", at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetAgentStatus(unknown) = %v, want ErrNotFound", err)
	}

	// An update without key hash or status keeps them; CreatedAt stays.
	updated, err := s.PutAgent(ctx, store.Agent{ID: "ann", Name: "Ann B.", Role: "supervisor", MaxChats: 5})
	if err != nil {
		t.Fatal(err)
	}
	want = store.Agent{ID: "ann", Name: "Ann B.", Role: "supervisor", Status: "online", MaxChats: 5, KeyHash: key1, CreatedAt: ann.CreatedAt}
	if diff := cmp.Diff(want, updated, cmpopts.IgnoreFields(store.Agent{}, "UpdatedAt")); diff != "" {
		t.Errorf("updated agent (-want +got):\n%s", diff)
	}
	if got, _ := s.Agent(ctx, "ann"); !cmp.Equal(updated, got) {
		t.Errorf("stored %+v, PutAgent returned %+v", got, updated)
	}

	// Key hashes are unique; rotating one frees the old.
	if _, err := s.PutAgent(ctx, store.Agent{ID: "bob", KeyHash: key1}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("PutAgent with another agent's key hash = %v, want ErrConflict", err)
	}
	if _, err := s.Agent(ctx, "bob"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("refused agent stored: %v", err)
	}
	if _, err := s.PutAgent(ctx, store.Agent{ID: "ann", Name: "Ann B.", KeyHash: key2}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AgentByKeyHash(ctx, key1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old key after rotation = %v, want ErrNotFound", err)
	}
	if got, err := s.AgentByKeyHash(ctx, key2); err != nil || got.ID != "ann" {
		t.Errorf("new key after rotation = %+v, %v", got, err)
	}
	if _, err := s.PutAgent(ctx, store.Agent{ID: "bob", KeyHash: key1}); err != nil {
		t.Errorf("reusing a rotated-out key hash: %v", err)
	}

	for _, bad := range []store.Agent{
		{ID: ""},
		{ID: "x", Role: "boss"},
		{ID: "x", Status: "away"},
		{ID: "x", MaxChats: -1},
		{ID: "x", KeyHash: "plaintext-key"},
	} {
		if _, err := s.PutAgent(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("PutAgent(%+v) = %v, want ErrInvalid", bad, err)
		}
	}

	// Ordered by ID, whatever the insertion order; a role and status can be set on insert.
	if _, err := s.PutAgent(ctx, store.Agent{ID: "al", Role: "admin", Status: "busy"}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Agents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range all {
		got = append(got, a.ID+":"+a.Role+":"+a.Status)
	}
	if diff := cmp.Diff([]string{"al:admin:busy", "ann:supervisor:online", "bob:agent:offline"}, got); diff != "" {
		t.Errorf("Agents (-want +got):\n%s", diff)
	}

	// Agents are staff, not customer data: a purge leaves them.
	if _, err := s.Purge(ctx, turn.Now().Add(time.Hour), "system"); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Agents(ctx); !cmp.Equal(all, after) {
		t.Errorf("agents after purge = %+v, want %+v", after, all)
	}
}

// testCreateAgent: an agent is created with its audit row, atomically, and
// never over an existing one.
func testCreateAgent(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	audit := store.AuditEntry{Actor: "admin", Action: "agent.create", Detail: json.RawMessage(`{"agent":"ann","role":"agent"}`)}
	ann, err := s.CreateAgent(ctx, store.Agent{ID: "ann", Name: "Ann", KeyHash: store.HashAPIKey("key-1")}, audit)
	if err != nil {
		t.Fatal(err)
	}
	if ann.Role != store.RoleAgent || ann.Status != store.AgentOffline || ann.CreatedAt.IsZero() {
		t.Errorf("created %+v, want an offline agent", ann)
	}
	rows, err := s.Audit(ctx, store.AuditFilter{Action: "agent.create"})
	if err != nil || len(rows) != 1 {
		t.Fatalf("audit = %+v, %v; want one row", rows, err)
	}
	if r := rows[0]; r.Actor != "admin" || string(r.Detail) != `{"agent":"ann","role":"agent"}` || !r.At.Equal(ann.CreatedAt) {
		t.Errorf("audit row = %+v", r)
	}

	// The same ID again: refused, the agent (and their key) kept, nothing audited.
	if _, err := s.CreateAgent(ctx, store.Agent{ID: "ann", Name: "Impostor", KeyHash: store.HashAPIKey("key-2")}, audit); !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateAgent over an existing agent = %v, want ErrConflict", err)
	}
	// Another agent's key hash, or an invalid agent: refused, nothing audited.
	if _, err := s.CreateAgent(ctx, store.Agent{ID: "bob", KeyHash: store.HashAPIKey("key-1")}, audit); !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateAgent with another agent's key hash = %v, want ErrConflict", err)
	}
	if _, err := s.CreateAgent(ctx, store.Agent{ID: "cy", Role: "boss"}, audit); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("CreateAgent with an unknown role = %v, want ErrInvalid", err)
	}
	if got, _ := s.Agent(ctx, "ann"); got.Name != "Ann" || got.KeyHash != store.HashAPIKey("key-1") {
		t.Errorf("ann after the refused creates = %+v", got)
	}
	if rows, _ := s.Audit(ctx, store.AuditFilter{Action: "agent.create"}); len(rows) != 1 {
		t.Errorf("%d audit rows after refused creates, want 1", len(rows))
	}
}
