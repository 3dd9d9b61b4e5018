package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

var ignoreApprovalAt = cmpopts.IgnoreFields(store.Approval{}, "UpdatedAt")

func refundApproval(id string, expires time.Time) store.Approval {
	return store.Approval{ID: id, CustomerID: "cus1", Request: "conv/7", Queue: "supervisors", Role: "supervisor", Reason: "Refund of 8999 is over the limit",
		Call:      store.ApprovalCall{Name: "refund", Connector: "orders", Operation: "refund", Input: raw(`{"amount":8999,"order_id":"EF111111"}`), IdempotencyKey: "refund-EF111111"},
		ExpiresAt: expires, History: []store.StatusChange{{Status: store.ApprovalPending, Actor: "bot"}}}
}

// decide is the UpdateApproval fn of a supervisor's decision: the first
// decision wins, a different later one is a conflict.
func decide(agent, status string) func(a *store.Approval) (store.AuditEntry, error) {
	return func(a *store.Approval) (store.AuditEntry, error) {
		if a.Status != store.ApprovalPending {
			return store.AuditEntry{}, fmt.Errorf("already %s by %s: %w", a.Status, a.DecidedBy, store.ErrConflict)
		}
		a.Status, a.DecidedBy, a.DecidedAt, a.Note = status, "agent:"+agent, turn.Now(), "ok by "+agent
		a.History = append(a.History, store.StatusChange{Status: status, Actor: "agent:" + agent})
		return store.AuditEntry{Actor: "agent:" + agent, Action: "approval." + status}, nil
	}
}

func approvalByID(t *testing.T, s store.Store, id string) store.Approval {
	t.Helper()
	a, err := s.Approval(ctxT(t), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func testApprovals(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	expires := turn.Now().Add(24 * time.Hour)
	req := refundApproval("a1", expires)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Approvals = []store.Approval{req}
	})
	got := approvalByID(t, s, "a1")
	want := req
	want.ConversationID, want.Status = "c1", store.ApprovalPending
	if diff := cmp.Diff(want, got, ignoreApprovalAt, cmpopts.IgnoreFields(store.Approval{}, "CreatedAt", "History")); diff != "" {
		t.Errorf("Approval(a1) (-want +got):\n%s", diff)
	}
	if got.CreatedAt.IsZero() || len(got.History) != 1 || got.History[0].At.IsZero() {
		t.Errorf("new approval: CreatedAt %v, history %+v; want both set", got.CreatedAt, got.History)
	}
	if _, err := s.Approval(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Approval(unknown) = %v, want ErrNotFound", err)
	}

	decided, err := s.UpdateApproval(ctx, "a1", decide("sue", store.ApprovalApproved))
	if err != nil {
		t.Fatal(err)
	}
	if decided.Status != store.ApprovalApproved || decided.DecidedBy != "agent:sue" || len(decided.History) != 2 {
		t.Errorf("decided = %+v", decided)
	}
	if diff := cmp.Diff(decided, approvalByID(t, s, "a1")); diff != "" {
		t.Errorf("stored decision (-returned +stored):\n%s", diff)
	}
	if a, _ := s.Audit(ctx, store.AuditFilter{Action: "approval.approved"}); len(a) != 1 || a[0].ConversationID != "c1" {
		t.Errorf("approval.approved audit = %+v", a)
	}
	// The second decision sees the first.
	if _, err := s.UpdateApproval(ctx, "a1", decide("tom", store.ApprovalRejected)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second decision = %v, want ErrConflict", err)
	}
	// What was asked can't be changed.
	for name, fn := range map[string]func(a *store.Approval){
		"input":   func(a *store.Approval) { a.Call.Input = raw(`{"amount":1,"order_id":"EF111111"}`) },
		"key":     func(a *store.Approval) { a.Call.IdempotencyKey = "other" },
		"request": func(a *store.Approval) { a.Request = "other" },
		"id":      func(a *store.Approval) { a.ID = "a9" },
		"history": func(a *store.Approval) { a.History = nil },
	} {
		if _, err := s.UpdateApproval(ctx, "a1", func(a *store.Approval) (store.AuditEntry, error) { fn(a); return store.AuditEntry{}, nil }); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("changing the %s: %v, want ErrInvalid", name, err)
		}
	}

	// The turn that carries the decision out records how it went, and nothing else.
	done := turn.Now()
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Approvals = []store.Approval{{ID: "a1", Status: "ignored", Reason: "ignored", Outcome: "ok", CompletedAt: done,
			History: []store.StatusChange{{Status: store.ApprovalApproved, Actor: "bot", Note: "refunded"}}}}
	})
	after := approvalByID(t, s, "a1")
	wantAfter := decided
	wantAfter.Outcome, wantAfter.CompletedAt = "ok", done
	wantAfter.History = append(wantAfter.History, store.StatusChange{Status: store.ApprovalApproved, Actor: "bot", Note: "refunded", At: after.History[len(after.History)-1].At})
	if diff := cmp.Diff(wantAfter, after, ignoreApprovalAt); diff != "" {
		t.Errorf("after the outcome (-want +got):\n%s", diff)
	}
	// An approval belongs to its conversation.
	err = commit(t, s, "c2", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Approvals = []store.Approval{{ID: "a1", ConversationID: "c2", Outcome: "ok"}}
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("a turn of c2 updating c1's approval: %v, want ErrConflict", err)
	}
	err = commit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Approvals = []store.Approval{{ID: "a2", ConversationID: "c2"}}
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("a turn of c1 asking for c2's approval: %v, want ErrConflict", err)
	}
}

// Supervisors deciding at once: exactly one decision is recorded.
func testApprovalRace(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Approvals = []store.Approval{refundApproval("a1", turn.Now().Add(time.Hour))}
	})
	const n = 8
	var wins, conflicts int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status := store.ApprovalApproved
			if i%2 == 1 {
				status = store.ApprovalRejected
			}
			_, err := s.UpdateApproval(ctx, "a1", decide(fmt.Sprintf("s%d", i), status))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, store.ErrConflict):
				conflicts++
			default:
				t.Errorf("decision: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || conflicts != n-1 {
		t.Errorf("%d decisions won and %d conflicted, want 1 and %d", wins, conflicts, n-1)
	}
	a := approvalByID(t, s, "a1")
	if len(a.History) != 2 {
		t.Errorf("history after the race = %+v, want the request and one decision", a.History)
	}
	if audit, _ := s.Audit(ctx, store.AuditFilter{ConversationID: "c1"}); len(audit) != 1 {
		t.Errorf("%d audit rows after the race, want 1", len(audit))
	}
}

func testApprovalFilters(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	now := turn.Now()
	add := func(conv, id, queue string, expires time.Time) {
		mustCommit(t, s, conv, func(c *store.Conversation, rec *store.TurnRecord) {
			a := refundApproval(id, expires)
			a.Queue = queue
			rec.Events = events(c.LastSeq, 1, "m")
			rec.Approvals = []store.Approval{a}
		})
	}
	add("c1", "a1", "supervisors", now.Add(-time.Minute)) // expired, still pending
	add("c1", "a2", "supervisors", now.Add(time.Hour))
	add("c2", "a3", "finance", now.Add(time.Hour))
	add("c2", "a4", "finance", now.Add(time.Hour))
	if _, err := s.UpdateApproval(ctx, "a2", decide("sue", store.ApprovalApproved)); err != nil { // decided, not carried out
		t.Fatal(err)
	}
	if _, err := s.UpdateApproval(ctx, "a3", decide("sue", store.ApprovalRejected)); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, s, "c2", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Approvals = []store.Approval{{ID: "a3", Outcome: "done", CompletedAt: turn.Now()}}
	})
	ids := func(as []store.Approval) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	for _, tc := range []struct {
		filter store.ApprovalFilter
		want   []string
	}{
		{store.ApprovalFilter{}, []string{"a1", "a2", "a3", "a4"}},
		{store.ApprovalFilter{ConversationID: "c2"}, []string{"a3", "a4"}},
		{store.ApprovalFilter{Queue: "supervisors"}, []string{"a1", "a2"}},
		{store.ApprovalFilter{Status: store.ApprovalPending}, []string{"a1", "a4"}},
		{store.ApprovalFilter{Statuses: []string{store.ApprovalApproved, store.ApprovalRejected}}, []string{"a2", "a3"}},
		{store.ApprovalFilter{Unfinished: true}, []string{"a2"}},
		{store.ApprovalFilter{Status: store.ApprovalPending, ExpiresBefore: now}, []string{"a1"}},
		{store.ApprovalFilter{Limit: 1}, []string{"a4"}},
	} {
		got, err := s.Approvals(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
			t.Errorf("Approvals(%+v) (-want +got):\n%s", tc.filter, diff)
		}
	}
}

// A decision recorded before a crash is still there after it, waiting to be
// carried out; so is every ticket change.
func testDeskCrash(t *testing.T, s store.Store, reopen func(t *testing.T, s store.Store) store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Approvals = []store.Approval{refundApproval("a1", turn.Now().Add(time.Hour))}
		rec.Tickets = []store.Ticket{{ID: "t1", Subject: "help", Status: "open"}}
	})
	if _, err := s.UpdateApproval(ctx, "a1", decide("sue", store.ApprovalApproved)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateTicket(ctx, "t1", func(tk *store.Ticket) (store.AuditEntry, error) {
		tk.Assignee = "ann"
		tk.History = append(tk.History, store.StatusChange{Status: "open", Actor: "agent:ann", Field: "assignee", To: "ann"})
		return store.AuditEntry{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	lone, _, err := s.CreateTicket(ctx, store.Ticket{Subject: "by email", SourceKey: "<m1>"}, store.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	beforeA, beforeT := approvalByID(t, s, "a1"), mustTicket(t, s, "t1")
	s = reopen(t, s)
	t.Cleanup(func() { _ = s.Close() })
	if diff := cmp.Diff(beforeA, approvalByID(t, s, "a1")); diff != "" {
		t.Errorf("approval after restart (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(beforeT, mustTicket(t, s, "t1")); diff != "" {
		t.Errorf("ticket after restart (-before +after):\n%s", diff)
	}
	unfinished, err := s.Approvals(ctx, store.ApprovalFilter{Unfinished: true})
	if err != nil || len(unfinished) != 1 {
		t.Errorf("unfinished approvals after restart = %+v, %v; want a1", unfinished, err)
	}
	again, created, err := s.CreateTicket(context.WithoutCancel(ctx), store.Ticket{Subject: "by email", SourceKey: "<m1>"}, store.AuditEntry{})
	if err != nil || created || again.ID != lone.ID {
		t.Errorf("the same email after restart made %s (created %v, %v), want %s", again.ID, created, err, lone.ID)
	}
}

func mustTicket(t *testing.T, s store.Store, id string) store.Ticket {
	t.Helper()
	tk, err := s.Ticket(ctxT(t), id)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}
