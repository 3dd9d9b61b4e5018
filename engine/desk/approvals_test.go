package desk_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// A large refund waits for a supervisor; approving runs it once, through the
// connector, and the customer hears the analyst's reply.
func TestApproveRefund(t *testing.T) {
	en := newEnv(t, memKind)
	ctx := context.Background()
	a := en.askRefund("c1", "RS005001")
	if a.Status != store.ApprovalPending || a.Queue != "supervisors" || a.Role != "supervisor" || a.Call.IdempotencyKey != "refund-RS005001" ||
		!strings.Contains(a.Reason, "¥5,001.00") || !a.ExpiresAt.Equal(a.CreatedAt.Add(48*time.Hour)) {
		t.Errorf("approval asked = %+v", a)
	}
	if applied, _ := en.refunds("RS005001"); applied != 0 {
		t.Fatalf("%d refunds before the decision, want 0", applied)
	}

	// Who may decide: a supervisor who works the queue.
	for _, id := range []string{"ann", "vic"} {
		if _, _, err := en.d.Decide(ctx, a.ID, en.agent(id), desk.Approve, ""); !errors.Is(err, engine.ErrForbidden) {
			t.Errorf("%s decides: %v, want ErrForbidden", id, err)
		}
	}

	got, res, err := en.d.Decide(ctx, a.ID, en.agent("sue"), desk.Approve, "checked the photos")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.ApprovalApproved || got.DecidedBy != "agent:sue" || got.Note != "checked the photos" || got.Outcome != engine.OutcomeOK || got.CompletedAt.IsZero() {
		t.Errorf("decided = %+v", got)
	}
	if diff := cmp.Diff([]string{"orders.refund"}, res.Calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if r := texts(res); len(r) != 1 || !strings.Contains(r[0], "order RS005001 is approved (reference RF-") {
		t.Errorf("the customer was told %q", r)
	}
	if applied, requests := en.refunds("RS005001"); applied != 1 || requests != 1 {
		t.Errorf("refunds applied %d, requested %d; want 1 and 1", applied, requests)
	}
	// Everything is audited: who asked, who decided, the call, the outcome.
	for _, action := range []string{"approval.request", "approval.approved", "connector.call", "approval.complete"} {
		if rows, _ := en.st.Audit(ctx, store.AuditFilter{ConversationID: "c1", Action: action}); len(rows) == 0 {
			t.Errorf("no %s audit row", action)
		}
	}
	// The other decision afterwards is a conflict.
	if _, _, err := en.d.Decide(ctx, a.ID, en.agent("tom"), desk.Reject, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("rejecting an approved refund: %v, want ErrConflict", err)
	}
}

func TestRejectAndExpire(t *testing.T) {
	en := newEnv(t, memKind)
	ctx := context.Background()
	a := en.askRefund("c1", "RS005001")
	_, res, err := en.d.Decide(ctx, a.ID, en.agent("sue"), desk.Reject, "no photos")
	if err != nil {
		t.Fatal(err)
	}
	if r := texts(res); len(r) != 1 || !strings.Contains(r[0], "did not approve the refund of order RS005001") {
		t.Errorf("rejection told %q", r)
	}
	if applied, requests := en.refunds("RS005001"); applied != 0 || requests != 0 {
		t.Errorf("a rejected refund reached the order system: %d applied, %d requests", applied, requests)
	}

	// Nobody decides in time: the sweeper expires it, the customer hears so, and
	// the analyst's on_expire opens a ticket.
	b := en.askRefund("c2", "EF111111")
	en.clock.Advance(47 * time.Hour)
	if out, err := en.d.Sweep(ctx); err != nil || len(out.Carried) != 0 {
		t.Fatalf("sweep before the expiry: %+v, %v", out, err)
	}
	en.clock.Advance(2 * time.Hour)
	out, err := en.d.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Carried) != 1 || out.Carried[0].Approval.ID != b.ID || out.Carried[0].Approval.Status != store.ApprovalExpired {
		t.Fatalf("sweep = %+v, want %s expired", out, b.ID)
	}
	if r := texts(out.Carried[0].Result); len(r) != 1 || !strings.Contains(r[0], "Nobody could approve the refund of order EF111111") {
		t.Errorf("expiry told %q", r)
	}
	if ts, _ := en.st.Tickets(ctx, store.TicketFilter{ConversationID: "c2", Queue: "refund_review"}); len(ts) != 1 || ts[0].Priority != "high" {
		t.Errorf("on_expire tickets = %+v", ts)
	}
	// A decision after the expiry is refused.
	if _, _, err := en.d.Decide(ctx, b.ID, en.agent("sue"), desk.Approve, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("approving an expired request: %v, want ErrConflict", err)
	}
	if out, _ := en.d.Sweep(ctx); len(out.Carried) != 0 {
		t.Errorf("a second sweep did %+v", out)
	}
}

// A request past its expiry that the sweeper has not seen yet is expired,
// not approved.
func TestDecideAfterExpiry(t *testing.T) {
	en := newEnv(t, memKind)
	a := en.askRefund("c1", "RS005001")
	en.clock.Advance(49 * time.Hour)
	got, res, err := en.d.Decide(context.Background(), a.ID, en.agent("sue"), desk.Approve, "")
	if !errors.Is(err, store.ErrConflict) || got.Status != store.ApprovalExpired || got.DecidedBy != "system" {
		t.Errorf("Decide after the expiry = %s by %s, %v; want expired by system and ErrConflict", got.Status, got.DecidedBy, err)
	}
	if r := texts(res); len(r) != 1 || !strings.Contains(r[0], "Nobody could approve") {
		t.Errorf("told %q, want the expiry", r)
	}
	if applied, _ := en.refunds("RS005001"); applied != 0 {
		t.Errorf("%d refunds after an expiry", applied)
	}
}

// Exactly one refund, whatever happens around the decision: on both durable
// stores, with the shop's real order system counting.
func TestExactlyOnce(t *testing.T) {
	for _, kind := range durable {
		t.Run(kind.name, func(t *testing.T) {
			t.Run("crash between the approval and the call", func(t *testing.T) { crashAfterApproval(t, kind) })
			t.Run("crash between the call and its commit", func(t *testing.T) { crashAfterCall(t, kind) })
			t.Run("double click", func(t *testing.T) { doubleClick(t, kind) })
			t.Run("two supervisors at once", func(t *testing.T) { twoSupervisors(t, kind) })
		})
	}
}

func crashAfterApproval(t *testing.T, kind storeKind) {
	en := newEnv(t, kind)
	ctx := context.Background()
	a := en.askRefund("c1", "RS005001")
	durableStore := en.st
	en.use(&crashAfterDecision{Store: durableStore})
	if _, _, err := en.d.Decide(ctx, a.ID, en.agent("sue"), desk.Approve, ""); !errors.Is(err, errCrash) {
		t.Fatalf("Decide = %v, want the crash", err)
	}
	if applied, requests := en.refunds("RS005001"); applied != 0 || requests != 0 {
		t.Fatalf("before the restart: %d applied, %d requested; want nothing", applied, requests)
	}

	// The process restarts; its sweeper finds the decision not carried out.
	en.use(kind.reopen(t, durableStore))
	if got, _ := en.st.Approval(ctx, a.ID); got.Status != store.ApprovalApproved || !got.CompletedAt.IsZero() {
		t.Fatalf("after the restart: %+v, want approved and not carried out", got)
	}
	en.clock.Advance(time.Minute)
	out, err := en.d.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Carried) != 1 || out.Carried[0].Approval.Outcome != engine.OutcomeOK {
		t.Fatalf("sweep carried %+v, want the approval, ok", out.Carried)
	}
	if r := texts(out.Carried[0].Result); len(r) != 1 || !strings.Contains(r[0], "is approved") {
		t.Errorf("the customer was told %q", r)
	}
	// The supervisor, not sure it worked, clicks again.
	// Nothing is done again; the first result comes back, marked Duplicate,
	// for the server to re-record what the customer was told if it was lost.
	if _, res, err := en.d.Decide(ctx, a.ID, en.agent("sue"), desk.Approve, ""); err != nil || res == nil || !res.Duplicate ||
		!slices.Equal(texts(res), texts(out.Carried[0].Result)) {
		t.Errorf("approving again: result %+v, %v; want the first one, marked Duplicate", res, err)
	}
	if out, _ := en.d.Sweep(ctx); len(out.Carried) != 0 {
		t.Errorf("a later sweep carried %+v", out.Carried)
	}
	if applied, requests := en.refunds("RS005001"); applied != 1 || requests != 1 {
		t.Errorf("refunds applied %d, requested %d; want 1 and 1", applied, requests)
	}
}

func crashAfterCall(t *testing.T, kind storeKind) {
	en := newEnv(t, kind)
	ctx := context.Background()
	a := en.askRefund("c1", "RS005001")
	durableStore := en.st
	en.use(&crashBeforeCommit{Store: durableStore})
	if _, _, err := en.d.Decide(ctx, a.ID, en.agent("sue"), desk.Approve, ""); !errors.Is(err, errCrash) {
		t.Fatalf("Decide = %v, want the crash", err)
	}
	if applied, _ := en.refunds("RS005001"); applied != 1 {
		t.Fatalf("the order system applied %d refunds before the crash, want 1", applied)
	}

	en.use(kind.reopen(t, durableStore))
	en.clock.Advance(time.Minute)
	out, err := en.d.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Carried) != 1 || out.Carried[0].Approval.Outcome != engine.OutcomeOK {
		t.Fatalf("sweep carried %+v, want the approval, ok", out.Carried)
	}
	// The call ran again with the same idempotency key: the order system
	// answered with the refund it had made.
	applied, requests := en.refunds("RS005001")
	if applied != 1 || requests != 2 {
		t.Errorf("refunds applied %d, requested %d; want 1 applied (2 requests, one key)", applied, requests)
	}
	if r := texts(out.Carried[0].Result); len(r) != 1 || !strings.Contains(r[0], "is approved") {
		t.Errorf("the customer was told %q", r)
	}
}

func doubleClick(t *testing.T, kind storeKind) {
	en := newEnv(t, kind)
	ctx := context.Background()
	a := en.askRefund("c1", "RS005001")
	sue := en.agent("sue")
	_, first, err := en.d.Decide(ctx, a.ID, sue, desk.Approve, "")
	if err != nil {
		t.Fatal(err)
	}
	_, second, err := en.d.Decide(ctx, a.ID, sue, desk.Approve, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(texts(first)) != 1 || first.Duplicate || second == nil || !second.Duplicate || !slices.Equal(texts(first), texts(second)) {
		t.Errorf("first click told %q, second %+v; want one reply, then the same marked Duplicate", texts(first), second)
	}
	if applied, requests := en.refunds("RS005001"); applied != 1 || requests != 1 {
		t.Errorf("refunds applied %d, requested %d; want 1 and 1", applied, requests)
	}
	if evs, _ := en.st.Events(ctx, "c1", 0, 0); countType(evs, "approval_decided") != 1 {
		t.Errorf("%d approval_decided events, want 1", countType(evs, "approval_decided"))
	}
}

func twoSupervisors(t *testing.T, kind storeKind) {
	en := newEnv(t, kind)
	ctx := context.Background()
	a := en.askRefund("c1", "RS005001")
	var wg sync.WaitGroup
	results := make([]*engine.TurnResult, 4)
	errs := make([]error, 4)
	for i, id := range []string{"sue", "tom", "sue", "tom"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i], errs[i] = en.d.Decide(ctx, a.ID, en.agent(id), desk.Approve, "")
		}()
	}
	wg.Wait()
	told := 0
	for i := range errs {
		if errs[i] != nil {
			t.Errorf("decision %d: %v", i, errs[i])
		}
		if results[i] != nil && !results[i].Duplicate {
			told++
		}
	}
	if told != 1 {
		t.Errorf("%d decisions told the customer, want 1", told)
	}
	if applied, requests := en.refunds("RS005001"); applied != 1 || requests != 1 {
		t.Errorf("refunds applied %d, requested %d; want 1 and 1", applied, requests)
	}
	got, _ := en.st.Approval(ctx, a.ID)
	if got.Outcome != engine.OutcomeOK || countStatus(got.History, store.ApprovalApproved) != 2 { // the decision and its outcome
		t.Errorf("approval after the race = %+v", got)
	}
}

func countType(evs []store.Event, typ string) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func countStatus(h []store.StatusChange, status string) int {
	n := 0
	for _, c := range h {
		if c.Status == status {
			n++
		}
	}
	return n
}
