package storetest

import (
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

// testCustomerProfile: VIP status and tier are kept on the customer, across
// channels and restarts.
func testCustomerProfile(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	c, err := s.ResolveCustomer(ctx, "phone", "+8613800000000")
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile != (store.CustomerProfile{}) {
		t.Errorf("new customer's profile = %+v, want none", c.Profile)
	}
	at := turn.Now().Add(-time.Minute)
	p := store.CustomerProfile{Name: "Li Wei", Language: "zh", VIP: true, Tier: "gold", Source: "crm", UpdatedAt: at}
	got, err := s.SetCustomerProfile(ctx, c.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got.Profile); diff != "" {
		t.Errorf("SetCustomerProfile (-want +got):\n%s", diff)
	}
	if err := s.LinkIdentity(ctx, c.ID, "sms", "+8613800000000"); err != nil {
		t.Fatal(err)
	}
	viaSMS, err := s.ResolveCustomer(ctx, "sms", "+8613800000000")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, viaSMS.Profile); diff != "" {
		t.Errorf("profile of the same customer by SMS (-want +got):\n%s", diff)
	}
	// A zero time is now; the whole profile is replaced.
	before := turn.Now()
	got, err = s.SetCustomerProfile(ctx, c.ID, store.CustomerProfile{Name: "Li Wei"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Profile.VIP || got.Profile.Tier != "" || got.Profile.UpdatedAt.Before(before) {
		t.Errorf("replaced profile = %+v, want name only, updated now", got.Profile)
	}
	if _, err := s.SetCustomerProfile(ctx, "nope", p); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetCustomerProfile(unknown) = %v, want ErrNotFound", err)
	}
	// Retention leaves customers and their profiles.
	if _, err := s.Purge(ctx, turn.Now().Add(time.Hour), "system"); err != nil {
		t.Fatal(err)
	}
	if after, err := s.Customer(ctx, c.ID); err != nil || after.Profile.Name != "Li Wei" {
		t.Errorf("customer after purge = %+v, %v", after, err)
	}
}

// testCustomerHistory: a customer's conversations on every channel, their
// tickets and ratings, for the agent's customer view.
func testCustomerHistory(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	for i, c := range []struct{ id, customer, channel string }{
		{"web-1", "cus-a", "web"}, {"sms-1", "cus-a", "sms"}, {"web-2", "cus-b", "web"}, {"email-1", "cus-a", "email"},
	} {
		mustCommit(t, s, c.id, func(conv *store.Conversation, rec *store.TurnRecord) {
			rec.CustomerID, rec.Channel, rec.Status = c.customer, c.channel, "active"
			rec.Events = events(conv.LastSeq, 2, "message_received")
			rec.Tickets = []store.Ticket{{ID: fmt.Sprintf("t%d", i), Queue: "general", Subject: "s", Priority: "normal", Status: "open"}}
			rec.Satisfaction = []store.Satisfaction{{Score: i + 1}}
		})
		time.Sleep(2 * time.Millisecond) // distinct creation times
	}
	convs, err := s.CustomerConversations(ctx, "cus-a", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range convs {
		if c.Snapshot != nil || c.Events != nil || c.LastSeq != 2 || c.CreatedAt.IsZero() || c.UpdatedAt.IsZero() {
			t.Errorf("conversation %+v: want the header only, with last_seq 2 and times", c)
		}
		got = append(got, c.ID+"@"+c.Channel+":"+c.Status)
	}
	if diff := cmp.Diff([]string{"web-1@web:active", "sms-1@sms:active", "email-1@email:active"}, got); diff != "" {
		t.Errorf("CustomerConversations(cus-a) (-want +got):\n%s", diff)
	}
	if newest, _ := s.CustomerConversations(ctx, "cus-a", 1); len(newest) != 1 || newest[0].ID != "email-1" {
		t.Errorf("CustomerConversations with limit 1 = %+v, want the newest (email-1)", newest)
	}
	if none, _ := s.CustomerConversations(ctx, "nobody", 0); len(none) != 0 {
		t.Errorf("CustomerConversations(nobody) = %+v, want none", none)
	}

	tickets, err := s.Tickets(ctx, store.TicketFilter{CustomerID: "cus-a"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tk := range tickets {
		ids = append(ids, tk.ID)
	}
	if diff := cmp.Diff([]string{"t0", "t1", "t3"}, ids); diff != "" {
		t.Errorf("Tickets(customer) (-want +got):\n%s", diff)
	}
	sat, err := s.Satisfaction(ctx, store.SatisfactionFilter{CustomerID: "cus-a"})
	if err != nil {
		t.Fatal(err)
	}
	var scores []string
	for _, r := range sat {
		scores = append(scores, fmt.Sprintf("%s:%d", r.ConversationID, r.Score))
	}
	if diff := cmp.Diff([]string{"web-1:1", "sms-1:2", "email-1:4"}, scores); diff != "" {
		t.Errorf("Satisfaction(customer) (-want +got):\n%s", diff)
	}
}

// testHandoffChanges: a turn changes a handoff it does not own only from the
// statuses it expects, atomically with the rest of the turn.
func testHandoffChanges(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "handoff_requested")
		rec.Handoffs = []store.Handoff{{ID: "h1", Queue: "general", Status: "waiting", History: []store.StatusChange{{Status: "waiting", Actor: "bot"}}}}
	})
	leave := store.HandoffChange{HandoffID: "h1", From: []string{"waiting"}, Change: store.StatusChange{Status: "cancelled", Actor: "customer", Note: "left the queue"}}

	// An agent claimed it first: the customer's turn is refused whole.
	if _, err := s.UpdateHandoff(ctx, "h1", claim("ann")); err != nil {
		t.Fatal(err)
	}
	err := commit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "queue_left")
		rec.HandoffChanges = []store.HandoffChange{leave}
		rec.Audit = []store.AuditEntry{{Actor: "customer", Action: "handoff.cancelled"}}
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("leaving a claimed handoff = %v, want ErrConflict", err)
	}
	CheckLog(t, s, "c1", 1)
	if h := handoffByID(t, s, "h1"); h.Status != "assigned" || h.Agent != "ann" || len(h.History) != 2 {
		t.Errorf("after the refused change: %+v, want assigned to ann", h)
	}
	if a, _ := s.Audit(ctx, store.AuditFilter{Action: "handoff.cancelled"}); len(a) != 0 {
		t.Errorf("refused turn wrote audit rows: %+v", a)
	}

	// Waiting again (a transfer): now the customer leaves.
	if _, err := s.UpdateHandoff(ctx, "h1", func(h *store.Handoff) (store.AuditEntry, error) {
		h.Status, h.Agent = "waiting", ""
		h.History = append(h.History, store.StatusChange{Status: "waiting", Actor: "agent:ann"})
		return store.AuditEntry{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "queue_left")
		rec.HandoffChanges = []store.HandoffChange{leave}
	})
	h := handoffByID(t, s, "h1")
	last := h.History[len(h.History)-1]
	if h.Status != "cancelled" || last.Status != "cancelled" || last.Actor != "customer" || last.Note != "left the queue" || last.At.IsZero() {
		t.Errorf("after leaving: status %s, last change %+v", h.Status, last)
	}
	for _, bad := range []store.HandoffChange{{HandoffID: "nope", From: []string{"waiting"}, Change: store.StatusChange{Status: "cancelled"}}, {HandoffID: "h1", Change: store.StatusChange{Status: "x"}}} {
		if err := commit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
			rec.Events = events(c.LastSeq, 1, "x")
			rec.HandoffChanges = []store.HandoffChange{bad}
		}); err == nil {
			t.Errorf("change %+v committed", bad)
		}
	}
	CheckLog(t, s, "c1", 2)
}

// testAgentAdmin: creating agents once, and edits made under a row lock with
// their audit entry.
func testAgentAdmin(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	created := store.AuditEntry{Actor: "admin:root", Action: "agent.create", Detail: raw(`{"agent":"ann"}`)}
	ann, err := s.CreateAgent(ctx, store.Agent{ID: "ann", Name: "Ann", Skills: []string{"vip_care"}, KeyHash: store.HashAPIKey("k1"), AutoAssign: store.AutoAssignOn}, created)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Agent{ID: "ann", Name: "Ann", Role: "agent", Skills: []string{"vip_care"}, Status: "offline", MaxChats: store.DefaultMaxChats,
		KeyHash: store.HashAPIKey("k1"), AutoAssign: "on"}
	if diff := cmp.Diff(want, ann, cmpopts.IgnoreFields(store.Agent{}, "CreatedAt", "UpdatedAt")); diff != "" {
		t.Errorf("CreateAgent (-want +got):\n%s", diff)
	}
	if _, err := s.CreateAgent(ctx, store.Agent{ID: "ann", Name: "Other"}, created); !errors.Is(err, store.ErrConflict) {
		t.Errorf("creating ann again = %v, want ErrConflict", err)
	}
	if _, err := s.CreateAgent(ctx, store.Agent{ID: "bo", KeyHash: store.HashAPIKey("k1")}, created); !errors.Is(err, store.ErrConflict) {
		t.Errorf("creating with ann's key = %v, want ErrConflict", err)
	}
	if _, err := s.CreateAgent(ctx, store.Agent{ID: "cy", AutoAssign: "sometimes"}, created); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("creating with a bad auto-assign = %v, want ErrInvalid", err)
	}
	if got, _ := s.Agent(ctx, "ann"); got.Name != "Ann" {
		t.Errorf("ann after the refused creates = %+v", got)
	}
	if a, _ := s.Audit(ctx, store.AuditFilter{Action: "agent.create"}); len(a) != 1 {
		t.Errorf("agent.create audit rows = %d, want 1 (refused creates write none)", len(a))
	}

	// Concurrent edits each see the one before: none is lost.
	const n = 6
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.UpdateAgent(ctx, "ann", func(a *store.Agent) (store.AuditEntry, error) {
				a.Skills = append(a.Skills, fmt.Sprintf("skill%d", i))
				return store.AuditEntry{Actor: "admin:root", Action: "agent.update"}, nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := s.Agent(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Skills) != n+1 || !got.CreatedAt.Equal(ann.CreatedAt) {
		t.Errorf("after %d concurrent edits: %+v", n, got)
	}
	if a, _ := s.Audit(ctx, store.AuditFilter{Action: "agent.update"}); len(a) != n {
		t.Errorf("agent.update audit rows = %d, want %d", len(a), n)
	}

	// Disable, revoke the key, switch auto-assignment off; PutAgent keeps them.
	off, err := s.UpdateAgent(ctx, "ann", func(a *store.Agent) (store.AuditEntry, error) {
		a.Disabled, a.KeyHash, a.AutoAssign, a.Role = true, "", store.AutoAssignOff, store.RoleSupervisor
		return store.AuditEntry{Actor: "admin:root", Action: "agent.disable"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !off.Disabled || off.KeyHash != "" || off.AutoAssign != "off" || off.Role != "supervisor" {
		t.Errorf("disabled agent = %+v", off)
	}
	if _, err := s.AgentByKeyHash(ctx, store.HashAPIKey("k1")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoked key = %v, want ErrNotFound", err)
	}
	kept, err := s.PutAgent(ctx, store.Agent{ID: "ann", Name: "Ann B."})
	if err != nil {
		t.Fatal(err)
	}
	if !kept.Disabled || kept.AutoAssign != "off" {
		t.Errorf("PutAgent re-enabled or reset the agent: %+v", kept)
	}

	// fn's error aborts; bad results are ErrInvalid; unknown ids ErrNotFound.
	stop := errors.New("stop")
	if _, err := s.UpdateAgent(ctx, "ann", func(a *store.Agent) (store.AuditEntry, error) { a.Name = "X"; return store.AuditEntry{}, stop }); !errors.Is(err, stop) {
		t.Errorf("fn error = %v, want it returned", err)
	}
	for name, fn := range map[string]func(a *store.Agent){
		"id":          func(a *store.Agent) { a.ID = "bo" },
		"role":        func(a *store.Agent) { a.Role = "boss" },
		"status":      func(a *store.Agent) { a.Status = "away" },
		"auto-assign": func(a *store.Agent) { a.AutoAssign = "maybe" },
		"max chats":   func(a *store.Agent) { a.MaxChats = -2 },
	} {
		if _, err := s.UpdateAgent(ctx, "ann", func(a *store.Agent) (store.AuditEntry, error) { fn(a); return store.AuditEntry{}, nil }); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("bad %s = %v, want ErrInvalid", name, err)
		}
	}
	if after, _ := s.Agent(ctx, "ann"); after.Name != "Ann B." || !strings.HasPrefix(after.ID, "ann") {
		t.Errorf("refused edits changed the agent: %+v", after)
	}
	if _, err := s.UpdateAgent(ctx, "nope", func(a *store.Agent) (store.AuditEntry, error) { return store.AuditEntry{}, nil }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateAgent(unknown) = %v, want ErrNotFound", err)
	}
	// A new key: unique like any other.
	if _, err := s.PutAgent(ctx, store.Agent{ID: "bo", KeyHash: store.HashAPIKey("k2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateAgent(ctx, "ann", func(a *store.Agent) (store.AuditEntry, error) {
		a.KeyHash = store.HashAPIKey("k2")
		return store.AuditEntry{}, nil
	}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("rotating to bo's key = %v, want ErrConflict", err)
	}
}

// testSummaryChanges: a turn tells a waiting handoff's summary again only
// while it still waits for an agent, with none, and shares a summary other
// than the new one, decided at the commit (a claim made after the turn began
// keeps the summary its agent read), and a change that does not apply never
// fails the turn. A commit that fails writes no summary.
func testSummaryChanges(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	handoff := func(conv, id, status, agent, summary string) {
		mustCommit(t, s, conv, func(c *store.Conversation, rec *store.TurnRecord) {
			rec.Events = events(c.LastSeq, 1, "handoff_requested")
			rec.Handoffs = []store.Handoff{{ID: id, Queue: "general", Status: status, Agent: agent, Summary: summary,
				History: []store.StatusChange{{Status: status, Actor: "bot"}}}}
		})
	}
	tests := []struct {
		name                   string
		status, agent, summary string // the handoff's before the turn
		other                  bool   // the handoff is another conversation's
		claimed                bool   // an agent claims it after the turn began
		change                 string // the handoff the change names: "" the turn's own
		want                   string
	}{
		{name: "waiting", status: "waiting", summary: "old", want: "new"},
		{name: "same summary", status: "waiting", summary: "new", want: "new"},
		{name: "no summary shared", status: "waiting", want: ""},
		{name: "claimed before the turn", status: "assigned", agent: "ann", summary: "old", want: "old"},
		{name: "claimed during the turn", status: "waiting", summary: "old", claimed: true, want: "old"},
		{name: "waiting with an agent", status: "waiting", agent: "ann", summary: "old", want: "old"},
		{name: "cancelled", status: "cancelled", summary: "old", want: "old"},
		{name: "another conversation's", status: "waiting", summary: "old", other: true, want: "old"},
		{name: "unknown handoff", status: "waiting", summary: "old", change: "nope", want: "old"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv, id := fmt.Sprintf("sum-%d", i), fmt.Sprintf("hsum-%d", i)
			owner := conv
			if tt.other {
				owner = "other-" + conv
			}
			handoff(owner, id, tt.status, tt.agent, tt.summary)
			before := handoffByID(t, s, id)
			target := id
			if tt.change != "" {
				target = tt.change
			}
			tx, err := s.Begin(ctx, conv)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			if tt.claimed {
				if _, err := s.UpdateHandoff(ctx, id, claim("ann")); err != nil {
					t.Fatal(err)
				}
				before = handoffByID(t, s, id)
			}
			last := tx.Conversation().LastSeq
			if err := tx.Commit(ctx, store.TurnRecord{ConversationID: conv, Events: events(last, 1, "message_received"),
				SummaryChanges: []store.SummaryChange{{HandoffID: target, Summary: "new"}}}); err != nil {
				t.Fatalf("the customer's turn failed: %v", err)
			}
			CheckLog(t, s, conv, int(last)+1)
			after := handoffByID(t, s, id)
			if diff := cmp.Diff(tt.want, after.Summary); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			changed := tt.want != before.Summary
			if want := before; !changed {
				// Skipped: nothing of the handoff was written.
				if diff := cmp.Diff(want, after); diff != "" {
					t.Errorf("skipped change wrote the handoff (-before +after):\n%s", diff)
				}
			} else if after.UpdatedAt.Before(before.UpdatedAt) || after.Status != before.Status || len(after.History) != len(before.History) {
				t.Errorf("after the change: %+v, before %+v", after, before)
			}
		})
	}

	t.Run("failed commit writes none", func(t *testing.T) {
		handoff("sum-fail", "hsum-fail", "waiting", "", "old")
		mustCommit(t, s, "sum-fail", func(c *store.Conversation, rec *store.TurnRecord) {
			rec.ClientMessageID = "m1"
			rec.Events = events(c.LastSeq, 1, "message_received")
		})
		for _, bad := range []store.TurnRecord{
			// The same message again: ErrConflict.
			{ClientMessageID: "m1", SummaryChanges: []store.SummaryChange{{HandoffID: "hsum-fail", Summary: "new"}}},
			// A change that says nothing: ErrInvalid.
			{SummaryChanges: []store.SummaryChange{{HandoffID: "hsum-fail"}}},
			{SummaryChanges: []store.SummaryChange{{Summary: "new"}}},
		} {
			if err := commit(t, s, "sum-fail", func(c *store.Conversation, rec *store.TurnRecord) {
				bad.ConversationID, bad.Events = "sum-fail", events(c.LastSeq, 1, "message_received")
				*rec = bad
			}); err == nil {
				t.Errorf("turn %+v committed", bad)
			}
		}
		CheckLog(t, s, "sum-fail", 2)
		if h := handoffByID(t, s, "hsum-fail"); h.Summary != "old" {
			t.Errorf("summary after failed commits = %q, want the old one", h.Summary)
		}
	})
}
