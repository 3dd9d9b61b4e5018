// Package shop_test runs the shop bot's conversation tests in tests/*.hcl, on
// their mocks and against its real backend (package backend, started
// in-process), and checks what happens when the order system fails, slows down
// or is down for a while.
package shop_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	_ "github.com/parleyhq/parley/connectors/httpconn"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/examples/shop/backend"
	"github.com/parleyhq/parley/policies"
)

// startBackend serves a freshly seeded backend and points the bot's orders
// connector at it (connectors.hcl reads SHOP_API_URL).
func startBackend(t *testing.T) *backend.Server {
	t.Helper()
	shop := backend.New(backend.Options{Faults: true})
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	t.Setenv("SHOP_API_URL", srv.URL)
	return shop
}

func loadBot(t *testing.T) *policies.Bot {
	t.Helper()
	bot, diags := engine.Load(".", nil)
	if diags.HasErrors() {
		t.Fatalf("load the shop bot: %s", diags.Error())
	}
	return bot
}

// TestConversations runs tests/*.hcl as `parley test examples/shop` does: with
// no order system at all, on the tests' mocks.
func TestConversations(t *testing.T) {
	t.Setenv("SHOP_API_URL", "http://127.0.0.1:1") // nothing listens there: a call that escaped the mocks would fail
	var out bytes.Buffer
	sum, err := engine.RunTests(context.Background(), loadBot(t), engine.TestOptions{}, &out)
	if err != nil {
		t.Fatalf("RunTests: %v\n%s", err, out.String())
	}
	if sum.Failed > 0 || sum.Passed < 100 || sum.Skipped > 0 {
		t.Errorf("%d passed, %d failed, %d skipped (want 100+ passed, none skipped):\n%s", sum.Passed, sum.Failed, sum.Skipped, out.String())
	}
	if sum.Coverage.Percent < 100 {
		t.Errorf("the tests reach %.1f%% of the bot, want all of it:\n%+v", sum.Coverage.Percent, sum.Coverage.Items)
	}
}

// TestConversationsLive runs the same tests against the real backend, as
// `parley test -live` does in make test: the mocks must tell the truth.
func TestConversationsLive(t *testing.T) {
	startBackend(t)
	var out bytes.Buffer
	sum, err := engine.RunTests(context.Background(), loadBot(t), engine.TestOptions{Live: true}, &out)
	if err != nil {
		t.Fatalf("RunTests: %v\n%s", err, out.String())
	}
	if sum.Failed > 0 || sum.Passed < 100 {
		t.Errorf("%d passed, %d failed, %d skipped:\n%s", sum.Passed, sum.Failed, sum.Skipped, out.String())
	}
}

// monday10 is inside the shop's business hours, so failures open tickets
// rather than taking messages.
var monday10 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// manualClock is the engine's clock; the circuit breaker reads it too, so a
// test can let its cooldown pass without waiting.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// shopRig is the bot on an in-memory store, talking to a real backend.
type shopRig struct {
	shop   *backend.Server
	engine *engine.Engine
	store  store.Store
	clock  *manualClock
	sent   int // messages so far, for their ids
}

// attemptTimeout replaces the bot's 3s per-attempt timeout in the tests that
// time out, so they wait 1s per attempt instead; the injected latency is far
// longer either way.
const attemptTimeout = time.Second

func newRig(t *testing.T, timeout time.Duration) *shopRig {
	t.Helper()
	shop := startBackend(t)
	bot := loadBot(t)
	if timeout > 0 {
		bot.Connectors["orders"].Timeout = timeout
	}
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	clock := &manualClock{now: monday10}
	e, err := engine.New(context.Background(), bot, engine.Options{
		Store: st,
		Clock: clock.Now,
		NewID: engine.SequentialIDs(),
		// Retries go out at once: the tests check what is retried, not the backoff.
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return &shopRig{shop: shop, engine: e, store: st, clock: clock}
}

// say plays one customer message and returns the names of the responses the
// bot replied with.
func (r *shopRig) say(t *testing.T, conv, text string) (*engine.TurnResult, []string) {
	t.Helper()
	r.clock.Advance(5 * time.Second)
	r.sent++
	res, err := r.engine.Handle(context.Background(), engine.Message{ConversationID: conv, ClientMessageID: fmt.Sprint("m", r.sent), Text: text})
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	var responses []string
	for _, reply := range res.Replies {
		responses = append(responses, reply.Response)
	}
	return res, responses
}

// callAudit is what the engine audits about one connector call.
type callAudit struct {
	Operation     string   `json:"operation"`
	Outcome       string   `json:"outcome"`
	Attempts      int      `json:"attempts"`
	AttemptErrors []string `json:"attempt_errors"`
	Circuit       string   `json:"circuit"`
	Key           string   `json:"idempotency_key"`
}

func (r *shopRig) calls(t *testing.T, conv string) []callAudit {
	t.Helper()
	entries, err := r.store.Audit(context.Background(), store.AuditFilter{ConversationID: conv, Action: "connector.call"})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]callAudit, len(entries))
	for i, e := range entries {
		if err := json.Unmarshal(e.Detail, &out[i]); err != nil {
			t.Fatalf("audit detail %s: %v", e.Detail, err)
		}
	}
	return out
}

// essentials keeps only the codes of failed attempts ("timeout after 1002ms"
// becomes "timeout"): how long they took is no business of a test. It also
// drops the keys the engine generates from the log position for calls without
// an idempotency_key: only the refund's business key matters here.
func essentials(calls []callAudit) []callAudit {
	for i := range calls {
		if calls[i].Operation != "refund" {
			calls[i].Key = ""
		}
		for j, e := range calls[i].AttemptErrors {
			var code string
			fmt.Sscan(e, &code)
			calls[i].AttemptErrors[j] = code
		}
	}
	return calls
}

// TestUnreliableOrderSystem plays conversations while the backend misbehaves,
// and checks what the customer hears, what the engine audited and what the
// backend actually did.
func TestUnreliableOrderSystem(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		faults  []backend.Fault
		lines   []string
		// wantResponses is the responses of each line's replies.
		wantResponses [][]string
		wantTickets   []string // queues of tickets opened in the last turn
		wantCalls     []callAudit
		wantRequests  map[string]int
		wantRefunds   map[string]int
		wantReplays   int
	}{
		{
			// (a) One 500 is retried; the customer never notices.
			name:          "a 500 on the order lookup is retried",
			faults:        []backend.Fault{{Method: "GET", Path: "/orders/AB123456", Status: 500, Times: 1}},
			lines:         []string{"where is my order AB123456"},
			wantResponses: [][]string{{"order_shipped"}},
			wantCalls:     []callAudit{{Operation: "get_order", Outcome: "ok", Attempts: 2, AttemptErrors: []string{"unavailable"}, Circuit: "closed", Key: ""}},
			wantRequests:  map[string]int{"GET /orders/{id}": 2},
		},
		{
			// (b) The refund is committed, but its answer comes too late: the
			// attempt times out. The retry sends the same Idempotency-Key and
			// gets the first refund back instead of a second one.
			name:    "a refund that timed out but went through is not applied twice",
			timeout: attemptTimeout,
			faults:  []backend.Fault{{Method: "POST", Path: "/orders/UV330260/refunds", LatencyMS: 30_000, AfterCommit: true, Times: 1}},
			lines:   []string{"I want a refund for UV330260", "it arrived late", "yes"},
			wantResponses: [][]string{
				{"ask_refund_reason"}, {"confirm_refund"}, {"refund_approved"},
			},
			wantCalls: []callAudit{
				{Operation: "get_order", Outcome: "ok", Attempts: 1, Circuit: "closed"},
				{Operation: "refund", Outcome: "ok", Attempts: 2, AttemptErrors: []string{"timeout"}, Circuit: "closed", Key: "refund-UV330260"},
			},
			wantRequests: map[string]int{"GET /orders/{id}": 1, "POST /orders/{id}/refunds": 2},
			wantRefunds:  map[string]int{"UV330260": 1},
			wantReplays:  1,
		},
		{
			// (d) Every attempt of a lookup times out: the customer is told and
			// a ticket is opened (on_timeout), after the retries.
			name:          "an order lookup that keeps timing out opens a ticket",
			timeout:       attemptTimeout,
			faults:        []backend.Fault{{Method: "GET", Path: "/orders/CD654321", LatencyMS: 30_000}},
			lines:         []string{"change the address of CD654321"},
			wantResponses: [][]string{{"orders_unavailable"}},
			wantTickets:   []string{"general"},
			wantCalls: []callAudit{{Operation: "get_order", Outcome: "timeout", Attempts: 3,
				AttemptErrors: []string{"timeout", "timeout", "timeout"}, Circuit: "closed"}},
			wantRequests: map[string]int{"GET /orders/{id}": 3},
		},
		{
			// (e) Not found is an answer, not a failure: no retry, the number is asked again.
			name:          "an unknown order is asked for again",
			lines:         []string{"where is my order ZZ999999"},
			wantResponses: [][]string{{"order_not_found", "ask_order_id"}},
			wantCalls:     []callAudit{{Operation: "get_order", Outcome: "not_found", Attempts: 1, Circuit: "closed"}},
			wantRequests:  map[string]int{"GET /orders/{id}": 1},
		},
		{
			// A refund the order system refuses is not retried either.
			name:          "a refund of a refunded order is refused once",
			lines:         []string{"refund LM222222, it arrived late", "yes"},
			wantResponses: [][]string{{"confirm_refund"}, {"refund_rejected"}},
			wantCalls: []callAudit{
				{Operation: "get_order", Outcome: "ok", Attempts: 1, Circuit: "closed"},
				{Operation: "refund", Outcome: "rejected", Attempts: 1, Circuit: "closed", Key: "refund-LM222222"},
			},
			wantRequests: map[string]int{"GET /orders/{id}": 1, "POST /orders/{id}/refunds": 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rig := newRig(t, tc.timeout)
			for _, f := range tc.faults {
				rig.shop.InjectFault(f)
			}
			var last *engine.TurnResult
			var got [][]string
			for _, line := range tc.lines {
				res, responses := rig.say(t, "c", line)
				got = append(got, responses)
				last = res
			}
			if diff := cmp.Diff(tc.wantResponses, got); diff != "" {
				t.Errorf("responses (-want +got):\n%s", diff)
			}
			var tickets []string
			for _, tk := range last.Tickets {
				tickets = append(tickets, tk.Queue)
			}
			if diff := cmp.Diff(tc.wantTickets, tickets); diff != "" {
				t.Errorf("tickets of the last turn (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantCalls, essentials(rig.calls(t, "c"))); diff != "" {
				t.Errorf("audited calls (-want +got):\n%s", diff)
			}
			stats := rig.shop.Stats()
			if diff := cmp.Diff(tc.wantRequests, stats.Requests); diff != "" {
				t.Errorf("requests the backend received (-want +got):\n%s", diff)
			}
			wantRefunds := tc.wantRefunds
			if wantRefunds == nil {
				wantRefunds = map[string]int{}
			}
			if diff := cmp.Diff(wantRefunds, stats.RefundsApplied); diff != "" {
				t.Errorf("refunds applied (-want +got):\n%s", diff)
			}
			if stats.IdempotentReplays != tc.wantReplays {
				t.Errorf("idempotent replays = %d, want %d", stats.IdempotentReplays, tc.wantReplays)
			}
		})
	}
}

// TestCircuitBreaker (c): while the order system answers 503, the breaker
// opens after 5 failed attempts (connectors.hcl), then calls are not sent at all
// and customers hear at once that the system is down, with a ticket each. Once
// the cooldown has passed, one trial call goes out; it works, and the circuit
// closes.
func TestCircuitBreaker(t *testing.T) {
	rig := newRig(t, 0)
	rig.shop.InjectFault(backend.Fault{Method: "GET", Path: "/orders/*", Status: 503})
	lookups := func() int { return rig.shop.Stats().Requests["GET /orders/{id}"] }

	steps := []struct {
		conv          string
		cooldownOver  bool
		wantResponses []string
		wantTickets   int
		wantCall      callAudit
		wantLookups   int // requests the backend has received in all
	}{
		{conv: "c1", wantResponses: []string{"orders_unavailable"}, wantTickets: 1, wantLookups: 3,
			wantCall: callAudit{Operation: "get_order", Outcome: "unavailable", Attempts: 3, AttemptErrors: []string{"unavailable", "unavailable", "unavailable"}, Circuit: "closed"}},
		// The 5th failure in a row opens the circuit: the third attempt is not sent.
		{conv: "c2", wantResponses: []string{"orders_unavailable"}, wantTickets: 1, wantLookups: 5,
			wantCall: callAudit{Operation: "get_order", Outcome: "unavailable", Attempts: 2, AttemptErrors: []string{"unavailable", "unavailable"}, Circuit: "open"}},
		// Open: nothing reaches the backend, the customer is told at once.
		{conv: "c3", wantResponses: []string{"orders_unavailable"}, wantTickets: 1, wantLookups: 5,
			wantCall: callAudit{Operation: "get_order", Outcome: "unavailable", Attempts: 0, Circuit: "open"}},
		// The system is back and the cooldown over: the trial call closes the circuit.
		{conv: "c4", cooldownOver: true, wantResponses: []string{"order_shipped"}, wantLookups: 6,
			wantCall: callAudit{Operation: "get_order", Outcome: "ok", Attempts: 1, Circuit: "closed"}},
		{conv: "c5", wantResponses: []string{"order_shipped"}, wantLookups: 7,
			wantCall: callAudit{Operation: "get_order", Outcome: "ok", Attempts: 1, Circuit: "closed"}},
	}
	for i, step := range steps {
		if step.cooldownOver {
			rig.shop.ClearFaults()
			rig.clock.Advance(31 * time.Second) // the cooldown is 30s
		}
		res, responses := rig.say(t, step.conv, "where is my order AB123456")
		if diff := cmp.Diff(step.wantResponses, responses); diff != "" {
			t.Errorf("step %d: responses (-want +got):\n%s", i+1, diff)
		}
		if len(res.Tickets) != step.wantTickets {
			t.Errorf("step %d: %d tickets, want %d", i+1, len(res.Tickets), step.wantTickets)
		}
		calls := essentials(rig.calls(t, step.conv))
		if diff := cmp.Diff([]callAudit{step.wantCall}, calls); diff != "" {
			t.Errorf("step %d: audited call (-want +got):\n%s", i+1, diff)
		}
		if got := lookups(); got != step.wantLookups {
			t.Errorf("step %d: the backend has received %d lookups, want %d", i+1, got, step.wantLookups)
		}
	}
}
