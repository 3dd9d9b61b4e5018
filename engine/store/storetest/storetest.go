// Package storetest is the conformance suite every store.Store implementation runs:
//
//	func TestConformance(t *testing.T) {
//		storetest.Exercise(t, func(t *testing.T) store.Store { return memstore.New() })
//	}
//
// Each subtest gets a fresh store from newStore. Persistent stores also pass
// Options.Reopen so the suite can check that a crash loses nothing committed.
package storetest

import (
	"context"
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

// Options tunes Exercise for a store.
type Options struct {
	// Reopen simulates a crash and restart: it closes s (which rolls back open turns
	// as a dying process would) and opens the same database again. Nil for
	// in-memory stores, whose crash tests are skipped.
	Reopen func(t *testing.T, s store.Store) store.Store
}

// Exercise runs the conformance suite. At most one Options is used.
func Exercise(t *testing.T, newStore func(t *testing.T) store.Store, opts ...Options) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	open := func(t *testing.T) store.Store {
		s := newStore(t)
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"NewConversation", testNewConversation},
		{"SnapshotAndEventsAfterIt", testSnapshot},
		{"CustomerAndChannelChange", testCustomerAndChannel},
		{"Conflict", testConflict},
		{"IdempotentRedelivery", testIdempotency},
		{"Atomicity", testAtomicity},
		{"TxLifecycle", testTxLifecycle},
		{"DeepCopies", testDeepCopies},
		{"SerializesOneConversation", testSerialization},
		{"ParallelAcrossConversations", testParallelism},
		{"ConcurrentCommitsFailAlone", testConcurrentCommits},
		{"BeginHonorsContext", testBeginContext},
		{"Tickets", testTickets},
		{"TicketFields", testTicketFields},
		{"CreateTicket", testCreateTicket},
		{"UpdateTicket", testUpdateTicket},
		{"TicketChangeKeys", testTicketChangeKeys},
		{"TicketFilters", testTicketFilters},
		{"TicketSearchByContact", testTicketSearchByContact},
		{"TicketTextSearch", testTicketTextSearch},
		{"PurgeTickets", testPurgeTickets},
		{"Approvals", testApprovals},
		{"ApprovalDecisionsRace", testApprovalRace},
		{"ApprovalFilters", testApprovalFilters},
		{"Handoffs", testHandoffs},
		{"UpdateHandoff", testUpdateHandoff},
		{"HandoffFilters", testHandoffFilters},
		{"Agents", testAgents},
		{"CreateAgent", testCreateAgent},
		{"AgentsRead", testAgentsRead},
		{"Waiting", testWaiting},
		{"Audit", testAudit},
		{"AuditPaging", testAuditPaging},
		{"PolicyVersionAndContact", testPolicyVersionAndContact},
		{"Outcomes", testOutcomes},
		{"OutcomeFollowUps", testOutcomeFollowUps},
		{"RuleTotals", testRuleTotals},
		{"RollupsAgree", testRollupsAgree},
		{"RollupsConcurrent", testRollupsConcurrent},
		{"SatisfactionFilters", testSatisfactionFilters},
		{"ReportRuns", testReportRuns},
		{"Rollout", testRollout},
		{"Outbox", testOutbox},
		{"ConversationPaging", testConversationPaging},
		{"UnansweredAndSatisfaction", testUnansweredSatisfaction},
		{"Purge", testPurge},
		{"Customers", testCustomers},
		{"CustomerProfile", testCustomerProfile},
		{"CustomerHistory", testCustomerHistory},
		{"HandoffChanges", testHandoffChanges},
		{"SummaryChanges", testSummaryChanges},
		{"AgentAdmin", testAgentAdmin},
		{"Knowledge", testKnowledge},
		{"Closed", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
	}
	t.Run("CrashAndRestore", func(t *testing.T) {
		if o.Reopen == nil {
			t.Skip("in-memory store: nothing to restore")
		}
		testCrash(t, open(t), o.Reopen)
	})
	t.Run("TicketsAndApprovalsSurviveRestart", func(t *testing.T) {
		if o.Reopen == nil {
			t.Skip("in-memory store: nothing to restore")
		}
		testDeskCrash(t, open(t), o.Reopen)
	})
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// events returns n events continuing from last.
func events(last int64, n int, typ string) []store.Event {
	var out []store.Event
	for i := range n {
		seq := last + int64(i) + 1
		out = append(out, store.Event{Seq: seq, Type: typ, At: turn.Now(), Data: raw(fmt.Sprintf(`{"n":%d}`, seq))})
	}
	return out
}

// commit runs one turn on id: fill may edit rec given the loaded conversation.
func commit(t *testing.T, s store.Store, id string, fill func(c *store.Conversation, rec *store.TurnRecord)) error {
	t.Helper()
	ctx := ctxT(t)
	tx, err := s.Begin(ctx, id)
	if err != nil {
		t.Fatalf("Begin(%q): %v", id, err)
	}
	defer tx.Rollback(ctx)
	rec := store.TurnRecord{ConversationID: id}
	fill(tx.Conversation(), &rec)
	return tx.Commit(ctx, rec)
}

func mustCommit(t *testing.T, s store.Store, id string, fill func(c *store.Conversation, rec *store.TurnRecord)) {
	t.Helper()
	if err := commit(t, s, id, fill); err != nil {
		t.Fatalf("Commit(%q): %v", id, err)
	}
}

func appendEvents(n int) func(c *store.Conversation, rec *store.TurnRecord) {
	return func(c *store.Conversation, rec *store.TurnRecord) { rec.Events = events(c.LastSeq, n, "message") }
}

var (
	ignoreTimes     = cmpopts.IgnoreFields(store.Conversation{}, "CreatedAt", "UpdatedAt")
	ignoreUpdatedAt = cmpopts.IgnoreFields(store.Handoff{}, "UpdatedAt")
	ignoreTicketAt  = cmpopts.IgnoreFields(store.Ticket{}, "UpdatedAt")
)

func testNewConversation(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	if _, err := s.Conversation(ctx, "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Conversation(unknown) error = %v, want ErrNotFound", err)
	}
	if _, err := s.Events(ctx, "c1", 0, 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Events(unknown) error = %v, want ErrNotFound", err)
	}
	tx, err := s.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&store.Conversation{ID: "c1"}, tx.Conversation()); diff != "" {
		t.Errorf("new conversation (-want +got):\n%s", diff)
	}
	evs := events(0, 2, "message")
	before := turn.Now()
	err = tx.Commit(ctx, store.TurnRecord{ConversationID: "c1", CustomerID: "cus1", Channel: "web", Events: evs})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Conversation(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	want := &store.Conversation{ID: "c1", CustomerID: "cus1", Channel: "web", Status: "active", Events: evs, LastSeq: 2}
	if diff := cmp.Diff(want, got, ignoreTimes); diff != "" {
		t.Errorf("stored conversation (-want +got):\n%s", diff)
	}
	if got.CreatedAt.Before(before) || got.UpdatedAt.Before(got.CreatedAt) {
		t.Errorf("CreatedAt %v UpdatedAt %v, want >= %v", got.CreatedAt, got.UpdatedAt, before)
	}
	if _, err := s.Begin(ctx, ""); err == nil {
		t.Error("Begin(\"\") succeeded, want an error")
	}
}

// testCustomerAndChannel: a turn that names another customer or channel
// changes them (a store may leave unchanged columns out of its update), and
// a turn that names none keeps them.
func testCustomerAndChannel(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	steps := []struct {
		customer, channel         string
		wantCustomer, wantChannel string
	}{
		{"cus1", "web", "cus1", "web"},
		{"cus1", "web", "cus1", "web"},
		{"cus2", "web", "cus2", "web"},
		{"", "", "cus2", "web"},
		{"cus2", "whatsapp", "cus2", "whatsapp"},
		{"cus3", "sms", "cus3", "sms"},
	}
	for i, st := range steps {
		mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
			rec.Events = events(c.LastSeq, 1, "message")
			rec.CustomerID, rec.Channel = st.customer, st.channel
		})
		got, err := s.Conversation(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if got.CustomerID != st.wantCustomer || got.Channel != st.wantChannel {
			t.Errorf("after turn %d: customer %q channel %q, want %q %q", i+1, got.CustomerID, got.Channel, st.wantCustomer, st.wantChannel)
		}
		tx, err := s.Begin(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if c := tx.Conversation(); c.CustomerID != st.wantCustomer || c.Channel != st.wantChannel {
			t.Errorf("turn %d began with customer %q channel %q, want %q %q", i+2, c.CustomerID, c.Channel, st.wantCustomer, st.wantChannel)
		}
		_ = tx.Rollback(ctx)
	}
}

func testSnapshot(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "c1", appendEvents(2))
	var all []store.Event
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		if c.LastSeq != 2 || len(c.Events) != 2 {
			t.Fatalf("turn 2 loaded LastSeq %d with %d events, want 2 and 2", c.LastSeq, len(c.Events))
		}
		all = append(c.Events, events(2, 2, "message")...)
		rec.Events = all[2:]
		rec.Status = "handed_off"
		rec.Snapshot = raw(`{"state":"after 3"}`)
		rec.SnapshotSeq = 3
	})
	got, err := s.Conversation(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	want := &store.Conversation{ID: "c1", Status: "handed_off", Snapshot: raw(`{"state":"after 3"}`), SnapshotSeq: 3, Events: all[3:], LastSeq: 4}
	if diff := cmp.Diff(want, got, ignoreTimes); diff != "" {
		t.Errorf("conversation after snapshot (-want +got):\n%s", diff)
	}
	// A turn without a snapshot keeps the stored one.
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		if diff := cmp.Diff(want, c, ignoreTimes); diff != "" {
			t.Errorf("Begin loaded (-want +got):\n%s", diff)
		}
		rec.Events = events(c.LastSeq, 1, "message")
		all = append(all, rec.Events...)
	})
	got, err = s.Conversation(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if got.SnapshotSeq != 3 || string(got.Snapshot) != `{"state":"after 3"}` || len(got.Events) != 2 || got.Status != "handed_off" {
		t.Errorf("after a turn without snapshot: seq %d snapshot %s events %d status %q", got.SnapshotSeq, got.Snapshot, len(got.Events), got.Status)
	}

	for _, tc := range []struct {
		after int64
		limit int
		want  []store.Event
	}{
		{0, 0, all},
		{1, 2, all[1:3]},
		{5, 0, nil},
		{4, 10, all[4:]},
	} {
		evs, err := s.Events(ctx, "c1", tc.after, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, evs, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Events(after %d, limit %d) (-want +got):\n%s", tc.after, tc.limit, diff)
		}
	}

	// A snapshot must lie within the log.
	for _, seq := range []int64{2, 7} {
		err := commit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
			rec.Events = events(c.LastSeq, 1, "message")
			rec.Snapshot, rec.SnapshotSeq = raw(`{}`), seq
		})
		if err == nil {
			t.Errorf("snapshot at seq %d accepted, want an error", seq)
		}
	}
}

func testConflict(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "c1", appendEvents(2))
	for _, tc := range []struct {
		name   string
		events []store.Event
	}{
		{"gap", events(3, 1, "x")},
		{"rewrite", events(1, 1, "x")},
		{"out of order", []store.Event{events(2, 2, "x")[1], events(2, 1, "x")[0]}},
	} {
		err := commit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) { rec.Events = tc.events })
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("%s: Commit error = %v, want ErrConflict", tc.name, err)
		}
	}
	got, err := s.Events(ctx, "c1", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("after conflicts the log has %d events, want 2", len(got))
	}
	// Wrong conversation id in the record.
	if err := commit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) { rec.ConversationID = "other" }); err == nil {
		t.Error("record for another conversation accepted")
	}
}

func testIdempotency(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	result := raw(`{"replies":["hello"]}`)
	turnWith := func(c *store.Conversation, rec *store.TurnRecord) {
		rec.ClientMessageID = "m1"
		rec.Events = events(c.LastSeq, 2, "message")
		rec.Result = result
		rec.Tickets = []store.Ticket{{ID: "t-" + c.ID, Subject: "s", Status: "open"}}
		rec.Audit = []store.AuditEntry{{Actor: "bot", Action: "ticket.open"}}
	}
	mustCommit(t, s, "c1", turnWith)

	tx, err := s.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := tx.Processed(ctx, "m1")
	if err != nil || !ok {
		t.Fatalf("Processed(m1) = %s, %v, %v; want stored result", got, ok, err)
	}
	if string(got) != string(result) {
		t.Errorf("Processed(m1) = %s, want %s", got, result)
	}
	if _, ok, err := tx.Processed(ctx, "m2"); ok || err != nil {
		t.Errorf("Processed(m2) = %v, %v; want not found", ok, err)
	}
	if _, ok, err := tx.Processed(ctx, ""); ok || err != nil {
		t.Errorf("Processed(\"\") = %v, %v; want not found", ok, err)
	}
	// A redelivery that ignores Processed and commits anyway writes nothing.
	rec := store.TurnRecord{ConversationID: "c1"}
	turnWith(tx.Conversation(), &rec)
	if err := tx.Commit(ctx, rec); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second Commit with m1: error = %v, want ErrConflict", err)
	}
	evs, _ := s.Events(ctx, "c1", 0, 0)
	tickets, _ := s.Tickets(ctx, store.TicketFilter{ConversationID: "c1"})
	audit, _ := s.Audit(ctx, store.AuditFilter{ConversationID: "c1"})
	if len(evs) != 2 || len(tickets) != 1 || len(audit) != 1 {
		t.Errorf("after redelivery: %d events, %d tickets, %d audit rows; want 2, 1, 1", len(evs), len(tickets), len(audit))
	}

	// The id is per conversation; "" means no idempotency.
	mustCommit(t, s, "c2", turnWith)
	for range 2 {
		mustCommit(t, s, "c3", func(c *store.Conversation, rec *store.TurnRecord) { rec.Events = events(c.LastSeq, 1, "m") })
	}
	if evs, _ := s.Events(ctx, "c3", 0, 0); len(evs) != 2 {
		t.Errorf("two turns without client ids stored %d events, want 2", len(evs))
	}
}

func testAtomicity(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	full := func(c *store.Conversation, rec *store.TurnRecord) {
		rec.ClientMessageID = "m1"
		rec.Events = events(c.LastSeq, 2, "message")
		rec.Snapshot, rec.SnapshotSeq = raw(`{"s":1}`), c.LastSeq+1
		rec.Tickets = []store.Ticket{{ID: "t1", Subject: "s", Status: "open"}}
		rec.Handoffs = []store.Handoff{{ID: "h1", Queue: "q", Status: "waiting"}}
		rec.Audit = []store.AuditEntry{{Actor: "bot", Action: "ticket.open"}}
		rec.Unanswered = []store.UnansweredQuestion{{Question: "q?"}}
		rec.Satisfaction = []store.Satisfaction{{Score: 5}}
		rec.Result = raw(`{}`)
	}
	assertEmpty := func(when string) {
		t.Helper()
		if _, err := s.Conversation(ctx, "c1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: Conversation error = %v, want ErrNotFound", when, err)
		}
		tickets, _ := s.Tickets(ctx, store.TicketFilter{})
		handoffs, _ := s.Handoffs(ctx, store.HandoffFilter{})
		audit, _ := s.Audit(ctx, store.AuditFilter{})
		unanswered, _ := s.Unanswered(ctx, store.UnansweredFilter{})
		sat, _ := s.Satisfaction(ctx, store.SatisfactionFilter{})
		if n := len(tickets) + len(handoffs) + len(audit) + len(unanswered) + len(sat); n != 0 {
			t.Errorf("%s: %d tickets, %d handoffs, %d audit, %d unanswered, %d satisfaction; want none",
				when, len(tickets), len(handoffs), len(audit), len(unanswered), len(sat))
		}
		tx, err := s.Begin(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := tx.Processed(ctx, "m1"); ok {
			t.Errorf("%s: m1 marked processed", when)
		}
		tx.Rollback(ctx)
	}

	tx, err := s.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	assertEmpty("after Rollback")

	// A commit that fails validation late (bad JSON in the last event) writes nothing.
	err = commit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		full(c, rec)
		rec.Events[1].Data = raw(`{not json`)
	})
	if err == nil {
		t.Fatal("commit with invalid event JSON succeeded")
	}
	assertEmpty("after invalid JSON")
	err = commit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		full(c, rec)
		rec.Audit = append(rec.Audit, store.AuditEntry{Actor: "bot"}) // no action
	})
	if err == nil {
		t.Fatal("commit with an audit entry without action succeeded")
	}
	assertEmpty("after invalid audit")
	mustCommit(t, s, "c1", full)
}

func testTxLifecycle(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	tx, err := s.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx, store.TurnRecord{Events: events(0, 1, "m")}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Errorf("Rollback after Commit = %v, want nil", err)
	}
	if err := tx.Commit(ctx, store.TurnRecord{Events: events(1, 1, "m")}); !errors.Is(err, store.ErrTxDone) {
		t.Errorf("second Commit = %v, want ErrTxDone", err)
	}
	tx, err = s.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	tx.Rollback(ctx)
	if err := tx.Rollback(ctx); err != nil {
		t.Errorf("second Rollback = %v, want nil", err)
	}
	if err := tx.Commit(ctx, store.TurnRecord{}); !errors.Is(err, store.ErrTxDone) {
		t.Errorf("Commit after Rollback = %v, want ErrTxDone", err)
	}
	// A failed Commit also ends the turn and releases the lock.
	tx, err = s.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx, store.TurnRecord{Events: events(5, 1, "m")}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Commit with a gap = %v, want ErrConflict", err)
	}
	tx.Rollback(ctx)
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	tx, err = s.Begin(short, "c1")
	if err != nil {
		t.Fatalf("Begin after a failed Commit: %v (lock not released?)", err)
	}
	if got := tx.Conversation().LastSeq; got != 1 {
		t.Errorf("LastSeq = %d, want 1", got)
	}
	tx.Rollback(ctx)
}

func testDeepCopies(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	rec := store.TurnRecord{
		ConversationID: "c1",
		Events:         events(0, 1, "m"),
		Snapshot:       raw(`{"a":1}`),
		SnapshotSeq:    1,
		Handoffs:       []store.Handoff{{ID: "h1", Slots: map[string]string{"k": "v"}, Transcript: []store.TranscriptLine{{From: "customer", Text: "hi"}}}},
		Tickets:        []store.Ticket{{ID: "t1", History: []store.StatusChange{{Status: "open", Actor: "bot"}}}},
	}
	tx, err := s.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx, rec); err != nil {
		t.Fatal(err)
	}
	// Mutate everything the caller still holds.
	rec.Events[0].Data[1] = 'X'
	rec.Snapshot[1] = 'X'
	rec.Handoffs[0].Slots["k"] = "mutated"
	rec.Handoffs[0].Transcript[0].Text = "mutated"
	rec.Tickets[0].History[0].Actor = "mutated"

	c, err := s.Conversation(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	c.Snapshot[1] = 'Y'
	mustCommit(t, s, "c1", func(c *store.Conversation, r *store.TurnRecord) {
		c.Snapshot[1] = 'Z'
		r.Events = events(c.LastSeq, 1, "m")
	})
	c, _ = s.Conversation(ctx, "c1")
	if string(c.Snapshot) != `{"a":1}` {
		t.Errorf("snapshot = %s, want {\"a\":1}: stored state shares memory with callers", c.Snapshot)
	}
	evs, _ := s.Events(ctx, "c1", 0, 0)
	if string(evs[0].Data) != `{"n":1}` {
		t.Errorf("event data = %s, want {\"n\":1}", evs[0].Data)
	}
	evs[1].Data[1] = 'X'
	if evs2, _ := s.Events(ctx, "c1", 0, 0); string(evs2[1].Data) != `{"n":2}` {
		t.Errorf("event data = %s after mutating a read copy", evs2[1].Data)
	}
	hs, _ := s.Handoffs(ctx, store.HandoffFilter{})
	if hs[0].Slots["k"] != "v" || hs[0].Transcript[0].Text != "hi" {
		t.Errorf("handoff = %+v, want original slots and transcript", hs[0])
	}
	hs[0].Slots["k"] = "x"
	if hs2, _ := s.Handoffs(ctx, store.HandoffFilter{}); hs2[0].Slots["k"] != "v" {
		t.Error("mutating a returned handoff changed the store")
	}
	ts, _ := s.Tickets(ctx, store.TicketFilter{})
	if ts[0].History[0].Actor != "bot" {
		t.Errorf("ticket history = %+v", ts[0].History)
	}
}

func testSerialization(t *testing.T, s store.Store) {
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			ctx := t.Context()
			tx, err := s.Begin(ctx, "c1")
			if err != nil {
				errs <- err
				return
			}
			defer tx.Rollback(ctx)
			last := tx.Conversation().LastSeq
			errs <- tx.Commit(ctx, store.TurnRecord{Events: events(last, 1, "m")})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent turn: %v", err)
		}
	}
	CheckLog(t, s, "c1", n)
}

// CheckLog asserts that a conversation's log holds exactly n events numbered
// 1..n: turns that ran concurrently neither interleaved nor lost an event.
func CheckLog(t *testing.T, s store.Store, conversationID string, n int) {
	t.Helper()
	evs, err := s.Events(ctxT(t), conversationID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var seqs, want []int64
	for i, e := range evs {
		seqs = append(seqs, e.Seq)
		want = append(want, int64(i+1))
	}
	if len(evs) != n {
		t.Errorf("log of %s has %d events, want %d", conversationID, len(evs), n)
	}
	if diff := cmp.Diff(want, seqs); diff != "" {
		t.Errorf("seqs (-want +got):\n%s", diff)
	}
}

func testParallelism(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	held, err := s.Begin(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback(ctx)
	done := make(chan error, 1)
	go func() {
		done <- commit(t, s, "b", appendEvents(1))
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("a turn on b waited for the open turn on a")
	}
	if err := held.Commit(ctx, store.TurnRecord{Events: events(0, 1, "m")}); err != nil {
		t.Fatal(err)
	}
}

// testConcurrentCommits commits many turns at once, some of which conflict:
// stores that commit turns together (group commit) must fail only those, and
// write nothing of them.
func testConcurrentCommits(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "owner", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(0, 1, "m")
		rec.Tickets = []store.Ticket{{ID: "owned", Subject: "s", Status: "open"}}
	})
	const n = 40
	txs := make([]store.Tx, n)
	for i := range txs {
		tx, err := s.Begin(ctx, fmt.Sprintf("g%d", i))
		if err != nil {
			t.Fatal(err)
		}
		txs[i] = tx
	}
	bad := func(i int) bool { return i%5 == 0 }
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, tx := range txs {
		wg.Go(func() {
			rec := store.TurnRecord{ClientMessageID: "m", Events: events(0, 2, "m"), Result: raw(`{}`),
				Audit: []store.AuditEntry{{Actor: "bot", Action: "x"}}}
			if bad(i) {
				rec.Tickets = []store.Ticket{{ID: "owned", Subject: "stolen", Status: "open"}} // another conversation's
			}
			<-start
			errs[i] = tx.Commit(ctx, rec)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		id := fmt.Sprintf("g%d", i)
		if bad(i) {
			if !errors.Is(err, store.ErrConflict) {
				t.Errorf("%s: Commit = %v, want ErrConflict", id, err)
			}
			if _, err := s.Conversation(ctx, id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: a failed turn left its conversation behind (%v)", id, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Commit = %v", id, err)
			continue
		}
		CheckLog(t, s, id, 2)
	}
	if audit, _ := s.Audit(ctx, store.AuditFilter{Action: "x"}); len(audit) != n-n/5 {
		t.Errorf("%d audit rows, want %d (one per turn that committed)", len(audit), n-n/5)
	}
	if ts, _ := s.Tickets(ctx, store.TicketFilter{}); len(ts) != 1 || ts[0].Subject != "s" {
		t.Errorf("tickets = %+v, want the owner's alone, unchanged", ts)
	}
}

func testBeginContext(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	held, err := s.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		tx, err := s.Begin(waitCtx, "c1")
		if err == nil {
			tx.Rollback(ctx)
		}
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Begin with a cancelled context = %v, want context.Canceled", err)
	}
	// A deadline while waiting on the held lock.
	short, cancel2 := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel2()
	if tx, err := s.Begin(short, "c1"); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			tx.Rollback(ctx)
		}
		t.Errorf("Begin on a held conversation past its deadline = %v, want context.DeadlineExceeded", err)
	}
	held.Rollback(ctx)
	tx, err := s.Begin(ctx, "c1")
	if err != nil {
		t.Fatalf("Begin after the holder rolled back: %v", err)
	}
	tx.Rollback(ctx)
}

func testTickets(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := turn.Now().Add(-time.Hour)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.CustomerID = "cus1"
		rec.Tickets = []store.Ticket{
			{ID: "t1", Queue: "billing", Subject: "refund", Priority: "high", Status: "open", CreatedAt: at,
				History: []store.StatusChange{{Status: "open", Actor: "bot", At: at}}},
			{ID: "t2", Queue: "shipping", Subject: "late", Status: "open", CreatedAt: at.Add(time.Second)},
		}
	})
	mustCommit(t, s, "c2", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Tickets = []store.Ticket{{Queue: "billing", Subject: "invoice", Status: "pending", CreatedAt: at.Add(2 * time.Second)}}
	})
	ids := func(ts []store.Ticket) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	all, err := s.Tickets(ctx, store.TicketFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[2].ID == "" {
		t.Fatalf("tickets = %+v, want 3 with generated id", all)
	}
	generated := all[2].ID
	if all[0].CustomerID != "cus1" || all[2].ConversationID != "c2" {
		t.Errorf("defaults not filled: %+v", all)
	}
	for _, tc := range []struct {
		filter store.TicketFilter
		want   []string
	}{
		{store.TicketFilter{}, []string{"t1", "t2", generated}},
		{store.TicketFilter{ConversationID: "c1"}, []string{"t1", "t2"}},
		{store.TicketFilter{Queue: "billing"}, []string{"t1", generated}},
		{store.TicketFilter{Status: "pending"}, []string{generated}},
		{store.TicketFilter{Queue: "billing", Status: "open"}, []string{"t1"}},
		{store.TicketFilter{Limit: 2}, []string{"t2", generated}},
		{store.TicketFilter{Queue: "none"}, nil},
	} {
		got, err := s.Tickets(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
			t.Errorf("Tickets(%+v) (-want +got):\n%s", tc.filter, diff)
		}
	}

	// Upsert within a turn appends history; SetTicketStatus appends too.
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Tickets = []store.Ticket{{ID: "t1", Queue: "billing", Subject: "refund", Priority: "high", Status: "pending",
			History: []store.StatusChange{{Status: "pending", Actor: "bot", At: at.Add(time.Minute)}}}}
	})
	got, err := s.SetTicketStatus(ctx, "t1", store.StatusChange{Status: "solved", Actor: "agent:ann", At: at.Add(2 * time.Minute), Note: "refunded"})
	if err != nil {
		t.Fatal(err)
	}
	want := store.Ticket{ID: "t1", ConversationID: "c1", CustomerID: "cus1", Queue: "billing", Subject: "refund", Priority: "high", Status: "solved", CreatedAt: at,
		History: []store.StatusChange{
			{Status: "open", Actor: "bot", At: at},
			{Status: "pending", Actor: "bot", At: at.Add(time.Minute)},
			{Status: "solved", Actor: "agent:ann", At: at.Add(2 * time.Minute), Note: "refunded"},
		}}
	if diff := cmp.Diff(want, got, ignoreTicketAt); diff != "" {
		t.Errorf("SetTicketStatus (-want +got):\n%s", diff)
	}
	stored, _ := s.Tickets(ctx, store.TicketFilter{ConversationID: "c1", Status: "solved"})
	if diff := cmp.Diff([]store.Ticket{want}, stored, ignoreTicketAt); diff != "" {
		t.Errorf("stored ticket (-want +got):\n%s", diff)
	}
	// An agent's change is audited: who, when and what.
	audit, err := s.Audit(ctx, store.AuditFilter{ConversationID: "c1", Action: "ticket.status"})
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 1 || audit[0].Actor != "agent:ann" || !strings.Contains(string(audit[0].Detail), `"solved"`) {
		t.Errorf("audit after SetTicketStatus = %+v, want one ticket.status entry by agent:ann", audit)
	}
	if _, err := s.SetTicketStatus(ctx, "nope", store.StatusChange{Status: "closed"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetTicketStatus(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.SetTicketStatus(ctx, "t1", store.StatusChange{}); err == nil {
		t.Error("SetTicketStatus without status succeeded")
	}
	// A ticket id belongs to one conversation.
	err = commit(t, s, "c2", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Tickets = []store.Ticket{{ID: "t1", Status: "closed"}}
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("taking over another conversation's ticket: %v, want ErrConflict", err)
	}
}

func testHandoffs(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := turn.Now().Add(-time.Hour)
	h1 := store.Handoff{ID: "h1", Queue: "support", Skill: "fr", Priority: "high", Reason: "asked for a human", Summary: "wants a refund",
		Slots:      map[string]string{"order": "A1"},
		Unverified: map[string]string{"email": "ann@example.com", "name": "Ann"},
		Transcript: []store.TranscriptLine{{From: "customer", Text: "hi", At: at}, {From: "bot", Text: "hello", At: at}},
		Status:     "waiting", CreatedAt: at, CustomerID: "cus1", ConversationID: "c1",
		History: []store.StatusChange{{Status: "waiting", Actor: "bot", At: at}}}
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) { rec.Handoffs = []store.Handoff{h1} })
	mustCommit(t, s, "c2", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Handoffs = []store.Handoff{{ID: "h2", Queue: "sales", Status: "waiting", CreatedAt: at.Add(time.Second)}}
	})
	got, err := s.Handoffs(ctx, store.HandoffFilter{ConversationID: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Handoff{h1}, got, ignoreUpdatedAt); diff != "" {
		t.Errorf("Handoffs (-want +got):\n%s", diff)
	}
	if len(got) == 1 && got[0].UpdatedAt.Before(h1.CreatedAt) {
		t.Errorf("UpdatedAt %v before CreatedAt %v", got[0].UpdatedAt, h1.CreatedAt)
	}
	for _, tc := range []struct {
		filter store.HandoffFilter
		want   int
	}{
		{store.HandoffFilter{}, 2},
		{store.HandoffFilter{Queue: "sales"}, 1},
		{store.HandoffFilter{Status: "waiting", Limit: 1}, 1},
		{store.HandoffFilter{Status: "assigned"}, 0},
	} {
		got, err := s.Handoffs(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tc.want {
			t.Errorf("Handoffs(%+v) returned %d, want %d", tc.filter, len(got), tc.want)
		}
	}
	if got, _ := s.Handoffs(ctx, store.HandoffFilter{Limit: 1}); len(got) != 1 || got[0].ID != "h2" {
		t.Errorf("Handoffs(Limit 1) = %+v, want the newest, h2", got)
	}
	h, err := s.SetHandoffStatus(ctx, "h1", store.StatusChange{Status: "assigned", Actor: "agent:ann", At: at.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if h.Status != "assigned" || len(h.History) != 2 || h.Summary != h1.Summary {
		t.Errorf("SetHandoffStatus = %+v", h)
	}
	if _, err := s.SetHandoffStatus(ctx, "nope", store.StatusChange{Status: "closed"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetHandoffStatus(unknown) = %v, want ErrNotFound", err)
	}
	// Upsert in a turn replaces fields and appends history.
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		up := h1
		up.Status, up.Summary = "returned", "done"
		up.History = []store.StatusChange{{Status: "returned", Actor: "agent:ann", At: at.Add(2 * time.Minute)}}
		rec.Handoffs = []store.Handoff{up}
	})
	got, _ = s.Handoffs(ctx, store.HandoffFilter{ConversationID: "c1"})
	if len(got) != 1 || got[0].Status != "returned" || got[0].Summary != "done" || len(got[0].History) != 3 {
		t.Errorf("after upsert: %+v", got)
	}
}

func testAudit(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := turn.Now().Add(-time.Hour)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Audit = []store.AuditEntry{
			{At: at, Actor: "bot", Action: "connector.call", Detail: raw(`{"name":"orders"}`)},
			{At: at.Add(time.Second), Actor: "bot", Action: "rule.decision"},
		}
	})
	mustCommit(t, s, "c2", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Audit = []store.AuditEntry{{At: at.Add(2 * time.Second), Actor: "bot", Action: "connector.call", ConversationID: "c2"}}
	})
	all, err := s.Audit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.AuditEntry{
		{At: at, Actor: "bot", Action: "connector.call", ConversationID: "c1", Detail: raw(`{"name":"orders"}`)},
		{At: at.Add(time.Second), Actor: "bot", Action: "rule.decision", ConversationID: "c1"},
		{At: at.Add(2 * time.Second), Actor: "bot", Action: "connector.call", ConversationID: "c2"},
	}
	if diff := cmp.Diff(want, all, cmpopts.IgnoreFields(store.AuditEntry{}, "ID")); diff != "" {
		t.Errorf("Audit (-want +got):\n%s", diff)
	}
	if !(all[0].ID > 0 && all[0].ID < all[1].ID && all[1].ID < all[2].ID) {
		t.Errorf("audit ids %d %d %d, want increasing from 1", all[0].ID, all[1].ID, all[2].ID)
	}
	for _, tc := range []struct {
		filter store.AuditFilter
		want   []store.AuditEntry
	}{
		{store.AuditFilter{ConversationID: "c1"}, want[:2]},
		{store.AuditFilter{Action: "connector.call"}, []store.AuditEntry{want[0], want[2]}},
		{store.AuditFilter{Since: at.Add(time.Second)}, want[1:]},
		{store.AuditFilter{Limit: 1}, want[2:]},
		{store.AuditFilter{Action: "connector.call", Limit: 1}, want[2:]},
		{store.AuditFilter{Action: "none"}, nil},
	} {
		got, err := s.Audit(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(store.AuditEntry{}, "ID"), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Audit(%+v) (-want +got):\n%s", tc.filter, diff)
		}
	}
}

func testUnansweredSatisfaction(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := turn.Now().Add(-time.Hour)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Unanswered = []store.UnansweredQuestion{{Question: "do you ship to Mars?", At: at}}
		rec.Satisfaction = []store.Satisfaction{{Score: 4, Comment: "quick", At: at}}
	})
	mustCommit(t, s, "c2", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Unanswered = []store.UnansweredQuestion{{Question: "gift wrap?", At: at.Add(time.Second)}}
		rec.Satisfaction = []store.Satisfaction{{Score: 1, At: at.Add(time.Second)}}
	})
	u, err := s.Unanswered(ctx, store.UnansweredFilter{})
	if err != nil {
		t.Fatal(err)
	}
	wantU := []store.UnansweredQuestion{
		{Question: "do you ship to Mars?", ConversationID: "c1", At: at},
		{Question: "gift wrap?", ConversationID: "c2", At: at.Add(time.Second)},
	}
	if diff := cmp.Diff(wantU, u); diff != "" {
		t.Errorf("Unanswered (-want +got):\n%s", diff)
	}
	if u, _ := s.Unanswered(ctx, store.UnansweredFilter{Since: at.Add(time.Second)}); len(u) != 1 {
		t.Errorf("Unanswered(Since) = %+v", u)
	}
	if u, _ := s.Unanswered(ctx, store.UnansweredFilter{Limit: 1}); len(u) != 1 || u[0].Question != "gift wrap?" {
		t.Errorf("Unanswered(Limit 1) = %+v", u)
	}
	sat, err := s.Satisfaction(ctx, store.SatisfactionFilter{ConversationID: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Satisfaction{{ConversationID: "c1", Score: 4, Comment: "quick", At: at}}, sat); diff != "" {
		t.Errorf("Satisfaction (-want +got):\n%s", diff)
	}
	if sat, _ := s.Satisfaction(ctx, store.SatisfactionFilter{Since: at.Add(time.Second)}); len(sat) != 1 || sat[0].Score != 1 {
		t.Errorf("Satisfaction(Since) = %+v", sat)
	}
}

func testPurge(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	old := func(id string) {
		mustCommit(t, s, id, func(c *store.Conversation, rec *store.TurnRecord) {
			rec.ClientMessageID = "m1"
			rec.Events = events(c.LastSeq, 3, "message")
			rec.Snapshot, rec.SnapshotSeq = raw(`{"name":"Ann"}`), 2
			rec.Tickets = []store.Ticket{{ID: "t-" + id, Subject: "refund for Ann", Status: "open",
				History: []store.StatusChange{{Status: "open", Actor: "bot", Note: "Ann is angry"}, {Status: "open", Actor: "bot"}}}}
			rec.Handoffs = []store.Handoff{{ID: "h-" + id, Reason: "asked", Summary: "Ann wants a refund", Slots: map[string]string{"email": "ann@example.com"},
				Unverified: map[string]string{"name": "Ann"},
				Transcript: []store.TranscriptLine{{From: "customer", Text: "I am Ann"}}, Status: "waiting"}}
			rec.Audit = []store.AuditEntry{{Actor: "bot", Action: "ticket.open"}}
			rec.Unanswered = []store.UnansweredQuestion{{Question: "Ann asks"}}
			rec.Satisfaction = []store.Satisfaction{{Score: 2, Comment: "Ann says meh"}}
		})
	}
	old("old1")
	old("old2")
	old("busy")
	for _, id := range []string{"old1", "busy"} {
		if _, _, err := s.EnqueueOutbox(ctx, store.OutboxMessage{ID: "re-" + id, ConversationID: id, Channel: "sms", To: "+15550001", Replies: []store.OutboxReply{{Text: "Ann's refund"}}}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := s.Conversation(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	// The cut-off must be strictly after every old conversation's UpdatedAt.
	for !turn.Now().After(c.UpdatedAt) {
	}
	cutoff := turn.Now()
	for !turn.Now().After(cutoff) {
	}
	mustCommit(t, s, "new", appendEvents(2))

	busy, err := s.Begin(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Purge(ctx, cutoff, "admin:root")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(store.PurgeResult{Conversations: 2, Events: 6}, res); diff != "" {
		t.Errorf("Purge (-want +got):\n%s", diff)
	}
	// The skipped conversation can still complete its turn.
	if err := busy.Commit(ctx, store.TurnRecord{Events: events(busy.Conversation().LastSeq, 1, "m")}); err != nil {
		t.Errorf("commit on the conversation skipped by Purge: %v", err)
	}

	for _, id := range []string{"old1", "old2"} {
		if _, err := s.Conversation(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Conversation(%s) after purge = %v, want ErrNotFound", id, err)
		}
		if _, err := s.Events(ctx, id, 0, 0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Events(%s) after purge = %v, want ErrNotFound", id, err)
		}
		if ms, _ := s.Outbox(ctx, store.OutboxFilter{ConversationID: id}); len(ms) != 0 {
			t.Errorf("outbox of %s after purge = %+v, want none", id, ms)
		}
		ts, _ := s.Tickets(ctx, store.TicketFilter{ConversationID: id})
		if len(ts) != 1 || ts[0].Subject != store.Purged || ts[0].History[0].Note != store.Purged || ts[0].History[1].Note != "" || ts[0].Status != "open" {
			t.Errorf("ticket of %s after purge = %+v, want anonymized", id, ts)
		}
		hs, _ := s.Handoffs(ctx, store.HandoffFilter{ConversationID: id})
		if len(hs) != 1 || hs[0].Summary != store.Purged || len(hs[0].Slots) != 0 || len(hs[0].Unverified) != 0 || len(hs[0].Transcript) != 0 || hs[0].Reason != "asked" {
			t.Errorf("handoff of %s after purge = %+v, want anonymized", id, hs)
		}
		if a, _ := s.Audit(ctx, store.AuditFilter{ConversationID: id}); len(a) != 1 {
			t.Errorf("audit of %s after purge has %d rows, want 1 kept", id, len(a))
		}
		if sat, _ := s.Satisfaction(ctx, store.SatisfactionFilter{ConversationID: id}); len(sat) != 1 || sat[0].Comment != store.Purged || sat[0].Score != 2 {
			t.Errorf("satisfaction of %s after purge = %+v, want score kept and comment purged", id, sat)
		}
		// A purged id starts afresh; its old message ids are forgotten.
		tx, err := s.Begin(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if tx.Conversation().LastSeq != 0 {
			t.Errorf("%s after purge: LastSeq %d, want 0", id, tx.Conversation().LastSeq)
		}
		if _, ok, _ := tx.Processed(ctx, "m1"); ok {
			t.Errorf("%s after purge: m1 still processed", id)
		}
		tx.Rollback(ctx)
	}
	if u, _ := s.Unanswered(ctx, store.UnansweredFilter{}); len(u) != 1 || u[0].ConversationID != "busy" {
		t.Errorf("unanswered after purge = %+v, want only busy's", u)
	}
	for _, id := range []string{"busy", "new"} {
		if _, err := s.Conversation(ctx, id); err != nil {
			t.Errorf("Conversation(%s) after purge: %v", id, err)
		}
	}
	a, err := s.Audit(ctx, store.AuditFilter{Action: "retention.purge"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 1 || a[0].Actor != "admin:root" {
		t.Fatalf("retention.purge audit = %+v", a)
	}
	var detail struct{ Conversations, Events int }
	if err := json.Unmarshal(a[0].Detail, &detail); err != nil || detail.Conversations != 2 || detail.Events != 6 {
		t.Errorf("retention.purge detail = %s (%v)", a[0].Detail, err)
	}
	// Nothing older: a no-op, still audited.
	res, err = s.Purge(ctx, cutoff, "system")
	if err != nil || res != (store.PurgeResult{}) {
		t.Errorf("second Purge = %+v, %v; want nothing", res, err)
	}
}

func testCustomers(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	a, err := s.ResolveCustomer(ctx, "web", "cookie-1")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.CreatedAt.IsZero() {
		t.Fatalf("ResolveCustomer = %+v", a)
	}
	again, err := s.ResolveCustomer(ctx, "web", "cookie-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, again); diff != "" {
		t.Errorf("second ResolveCustomer (-first +second):\n%s", diff)
	}
	b, err := s.ResolveCustomer(ctx, "email", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if b.ID == a.ID {
		t.Fatal("two identities resolved to one customer before linking")
	}
	if err := s.LinkIdentity(ctx, a.ID, "whatsapp", "+33600000000"); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkIdentity(ctx, a.ID, "whatsapp", "+33600000000"); err != nil {
		t.Errorf("relinking to the same customer: %v", err)
	}
	if err := s.LinkIdentity(ctx, a.ID, "email", "ann@example.com"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("linking another customer's identity = %v, want ErrConflict", err)
	}
	if err := s.LinkIdentity(ctx, "nope", "sms", "1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LinkIdentity(unknown customer) = %v, want ErrNotFound", err)
	}
	viaWhatsapp, err := s.ResolveCustomer(ctx, "whatsapp", "+33600000000")
	if err != nil {
		t.Fatal(err)
	}
	want := store.Customer{ID: a.ID, CreatedAt: a.CreatedAt, Identities: []store.Identity{{Channel: "web", ExternalID: "cookie-1"}, {Channel: "whatsapp", ExternalID: "+33600000000"}}}
	if diff := cmp.Diff(want, viaWhatsapp); diff != "" {
		t.Errorf("customer across channels (-want +got):\n%s", diff)
	}
	got, err := s.Customer(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Customer (-want +got):\n%s", diff)
	}
	if _, err := s.Customer(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Customer(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.ResolveCustomer(ctx, "", "x"); err == nil {
		t.Error("ResolveCustomer with empty channel succeeded")
	}
	// Concurrent first sight of one identity yields one customer.
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			c, err := s.ResolveCustomer(ctx, "sms", "+1555")
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = c.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Errorf("concurrent ResolveCustomer gave %v, want one id", ids)
			break
		}
	}
}

func testKnowledge(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	chunks := []store.Chunk{
		{ID: "a", Source: "faq.md", Title: "Shipping", Content: "We ship in 2 days", Hash: "ha", Embedder: "e3", Embedding: []float32{1, 0, 0}},
		{ID: "b", Source: "faq.md", Title: "Returns", Content: "30 days", Hash: "hb", Embedder: "e3", Embedding: []float32{0.8, 0.6, 0}},
		{ID: "c", Source: "faq.md", Title: "Hours", Content: "9-5", Hash: "hc", Embedder: "e3", Embedding: []float32{0, 0, 1}},
		{ID: "d", Source: "old.md", Title: "Other dims", Content: "x", Hash: "hd", Embedder: "e2", Embedding: []float32{1, 0}},
	}
	if err := s.UpsertChunks(ctx, chunks); err != nil {
		t.Fatal(err)
	}
	got, err := s.SearchChunks(ctx, []float32{2, 0, 0}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.ChunkScore{{ID: "a", Embedder: "e3", Score: 1}, {ID: "b", Embedder: "e3", Score: 0.8}}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-5)); diff != "" {
		t.Errorf("SearchChunks (-want +got):\n%s", diff)
	}
	if got, _ := s.SearchChunks(ctx, []float32{0, 1}, 10); len(got) != 1 || got[0].ID != "d" {
		t.Errorf("search among 2-dimension chunks = %+v, want d", got)
	}
	if got, _ := s.SearchChunks(ctx, []float32{1, 0, 0}, 0); len(got) != 0 {
		t.Errorf("k=0 returned %d chunks", len(got))
	}
	hashes, err := s.ChunkHashes(ctx, "e3")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"a": "ha", "b": "hb", "c": "hc"}, hashes); diff != "" {
		t.Errorf("ChunkHashes (-want +got):\n%s", diff)
	}
	// Replace b so it points the other way, then drop everything but a and b.
	chunks[1].Embedding, chunks[1].Hash = []float32{-1, 0, 0}, "hb2"
	if err := s.UpsertChunks(ctx, chunks[1:2]); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteChunksNotIn(ctx, []string{"a", "b"})
	if err != nil || n != 2 {
		t.Errorf("DeleteChunksNotIn = %d, %v; want 2", n, err)
	}
	got, _ = s.SearchChunks(ctx, []float32{1, 0, 0}, 5)
	want = []store.ChunkScore{{ID: "a", Embedder: "e3", Score: 1}, {ID: "b", Embedder: "e3", Score: -1}}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-5)); diff != "" {
		t.Errorf("SearchChunks after reindex (-want +got):\n%s", diff)
	}
	for _, bad := range []store.Chunk{{ID: "", Embedding: []float32{1}}, {ID: "x"}} {
		if err := s.UpsertChunks(ctx, []store.Chunk{bad}); err == nil {
			t.Errorf("UpsertChunks(%+v) succeeded", bad)
		}
	}
	if n, err := s.DeleteChunksNotIn(ctx, nil); err != nil || n != 2 {
		t.Errorf("DeleteChunksNotIn(nil) = %d, %v; want 2", n, err)
	}
}

func testClosed(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	mustCommit(t, s, "c1", appendEvents(1))
	open, err := s.Begin(ctx, "c2")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := open.Commit(ctx, store.TurnRecord{Events: events(0, 1, "m")}); err == nil {
		t.Error("Commit after Close succeeded")
	}
	open.Rollback(ctx)
	if _, err := s.Begin(ctx, "c1"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Begin after Close = %v, want ErrClosed", err)
	}
	if _, err := s.Conversation(ctx, "c1"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Conversation after Close = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func testCrash(t *testing.T, s store.Store, reopen func(t *testing.T, s store.Store) store.Store) {
	ctx := ctxT(t)
	var log []store.Event
	for range 3 {
		mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
			rec.ClientMessageID = fmt.Sprintf("m%d", c.LastSeq)
			rec.Events = events(c.LastSeq, 2, "message")
			rec.Snapshot, rec.SnapshotSeq = raw(fmt.Sprintf(`{"at":%d}`, c.LastSeq+1)), c.LastSeq+1
			rec.Result = raw(`{"ok":true}`)
			rec.Tickets = []store.Ticket{{ID: fmt.Sprintf("t%d", c.LastSeq), Status: "open"}}
			log = append(log, rec.Events...)
		})
	}
	before, err := s.Conversation(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	// Turns in flight when the process dies: one on an existing conversation, one
	// on a new conversation.
	for _, id := range []string{"c1", "c2"} {
		tx, err := s.Begin(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		_ = tx // never committed
	}
	s = reopen(t, s)
	t.Cleanup(func() { _ = s.Close() })

	after, err := s.Conversation(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("conversation after restart (-before +after):\n%s", diff)
	}
	all, _ := s.Events(ctx, "c1", 0, 0)
	if diff := cmp.Diff(log, all); diff != "" {
		t.Errorf("log after restart (-want +got):\n%s", diff)
	}
	if _, err := s.Conversation(ctx, "c2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("uncommitted conversation after restart: %v, want ErrNotFound", err)
	}
	if ts, _ := s.Tickets(ctx, store.TicketFilter{}); len(ts) != 3 {
		t.Errorf("%d tickets after restart, want 3", len(ts))
	}
	// The locks died with the process and idempotency survived it.
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	tx, err := s.Begin(short, "c1")
	if err != nil {
		t.Fatalf("Begin after restart: %v", err)
	}
	if r, ok, err := tx.Processed(ctx, "m2"); err != nil || !ok || string(r) != `{"ok":true}` {
		t.Errorf("Processed(m2) after restart = %s, %v, %v", r, ok, err)
	}
	if err := tx.Commit(ctx, store.TurnRecord{Events: events(6, 1, "m")}); err != nil {
		t.Errorf("commit after restart: %v", err)
	}
}
