package report_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// stores are the three stores every report test runs on.
func stores(t *testing.T) map[string]func(t *testing.T) store.Store {
	return map[string]func(t *testing.T) store.Store{
		"memory": func(t *testing.T) store.Store { return memstore.New() },
		"sqlite": func(t *testing.T) store.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "parley.db"))
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		"postgres": func(t *testing.T) store.Store {
			url := pgtest.URL(t)
			s, err := postgres.Open(context.Background(), url, postgres.Options{Schema: pgtest.Schema(t, url)})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
}

// clock is a test clock the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// say sends one customer message and advances the clock 10 seconds.
func say(t *testing.T, e *engine.Engine, clk *clock, conv, customer, text string) *engine.TurnResult {
	t.Helper()
	res, err := e.Handle(context.Background(), engine.Message{ConversationID: conv, Channel: "web", CustomerID: customer, Text: text})
	if err != nil {
		t.Fatalf("%s: %q: %v", conv, text, err)
	}
	clk.Advance(10 * time.Second)
	return res
}

// TestGoldenKPIs drives eight conversations through the shop bot (with its
// real order system) and checks every figure of the report against values
// worked out by hand, on each store.
func TestGoldenKPIs(t *testing.T) { onEveryStore(t, testGolden) }

// onEveryStore runs test on a new store of each kind.
func onEveryStore(t *testing.T, test func(t *testing.T, st store.Store)) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() { st.Close() })
			test(t, st)
		})
	}
}

func testGolden(t *testing.T, st store.Store) {
	ctx := context.Background()
	start := enginetest.Monday10 // 10:00 in Shanghai, the bot's time zone
	clk := &clock{now: start}
	bot := enginetest.LoadShop(t)
	e, err := engine.New(ctx, bot, engine.Options{Store: st, Clock: clk.Now, NewID: engine.SequentialIDs(), PolicyLabel: "golden"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	inbox := desk.New(e)
	ann := store.Agent{ID: "ann", Name: "Ann", Role: store.RoleAgent}

	// 1. Ann tracks a shipped order: resolved by the bot, but she comes back
	// about it the next day (8), so not resolved at first contact.
	say(t, e, clk, "c1", "ann", "where is my order AB123456?")
	// 2. Bo's refund of 499 is approved automatically: rule refund_auto_approve, amount 499.
	say(t, e, clk, "c2", "bo", "I want a refund for order PQ000499")
	say(t, e, clk, "c2", "bo", "I changed my mind")
	say(t, e, clk, "c2", "bo", "yes")
	// 3. Cy's refund of 500 goes to review: a ticket (refund_review, normal), amount 500.
	say(t, e, clk, "c3", "cy", "refund GH500000, it's the wrong item")
	say(t, e, clk, "c3", "cy", "yes please")
	// 4. Di asks for a person; Ann joins after 2 minutes, answers after 30 s
	// more, closes 3 minutes after joining; Di scores 2, "too slow".
	res := say(t, e, clk, "c4", "di", "talk to a human")
	if res.Handoff == nil {
		t.Fatal("c4: no handoff")
	}
	clk.Advance(110 * time.Second) // joined 2 minutes after the handoff
	if _, err := inbox.Claim(ctx, res.Handoff.ID, ann, "agent:ann"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * time.Second)
	if _, err := inbox.AgentReply(ctx, res.Handoff.ID, ann, "Hi, Ann here. How can I help?", "r1"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(150 * time.Second)
	if _, _, err := inbox.CloseHandoff(ctx, res.Handoff.ID, ann, "sorted"); err != nil {
		t.Fatal(err)
	}
	say(t, e, clk, "c4", "di", "2 too slow")
	// 5. Ed asks for a person and leaves before anyone joins.
	say(t, e, clk, "c5", "ed", "I want to speak to an agent")
	// 6. Flo is not understood, and leaves.
	say(t, e, clk, "c6", "flo", "blorf zzzq wibble")
	// 7. Gus starts a refund and leaves mid-way.
	say(t, e, clk, "c7", "gus", "I want a refund")

	// Half an hour later the sweeper settles the quiet ones (1, 2, 3, 5, 6, 7).
	clk.Advance(31 * time.Minute)
	n, err := e.SettleDue(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("SettleDue settled %d contacts, want 6", n)
	}
	if n, _ := e.SettleDue(ctx, 100); n != 0 {
		t.Errorf("a second sweep settled %d more, want none", n)
	}
	// 8. The next day Ann asks about the same order again (a follow-up to 1).
	clk.Advance(24 * time.Hour)
	say(t, e, clk, "c8", "ann", "where is my order AB123456?")
	clk.Advance(31 * time.Minute)
	if _, err := e.SettleDue(ctx, 100); err != nil {
		t.Fatal(err)
	}

	day1 := time.Date(2026, 11, 23, 0, 0, 0, 0, bot.Location())
	r, err := report.Build(ctx, st, bot, report.Options{From: day1, To: day1.AddDate(0, 0, 2), Now: clk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	k := r.KPIs
	f := func(v float64) *float64 { return &v }
	// By hand: 8 contacts; bot_resolved 1, 2, 8; agent_resolved 4; ticket 3;
	// abandoned_in_queue 5; not_understood 6; abandoned 7.
	wantOutcomes := map[string]int{"bot_resolved": 3, "agent_resolved": 1, "ticket": 1, "abandoned_in_queue": 1, "not_understood": 1, "abandoned": 1}
	if diff := cmp.Diff(wantOutcomes, k.Outcomes); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	got := map[string]*float64{
		"conversations": f(float64(k.Conversations)), "containment": k.ContainmentRate, "handoff": k.HandoffRate,
		"fcr": k.FCRRate, "abandonment": k.AbandonmentRate, "tickets": k.TicketRate, "csat": k.CSATAverage,
		"satisfied": k.CSATSatisfied, "response": k.CSATResponseRate, "queue_wait_avg": k.QueueWaitAvg,
		"first_reply": k.FirstAgentReplyAvg, "handling": k.HandlingTimeAvg,
	}
	want := map[string]*float64{
		"conversations": f(8),
		"containment":   f(3.0 / 8), // 1, 2, 8
		"handoff":       f(2.0 / 8), // 4, 5
		"fcr":           f(3.0 / 8), // 2, 4, 8 (1 had a follow-up within 7 days)
		"abandonment":   f(2.0 / 8), // 5, 7
		"tickets":       f(1.0 / 8), // 3
		"csat":          f(2), "satisfied": f(0), "response": f(1),
		"queue_wait_avg": f(120), // handoff at 10:02:30, Ann joined 2 minutes later
		"first_reply":    f(150), // her first message 30 s after joining
		"handling":       f(180), // closed 3 minutes after joining
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("KPIs (-want +got):\n%s", diff)
	}
	// One queue wait of 120 s: in the (60 s, 120 s] bucket; the median is
	// interpolated halfway, the 90th percentile 90% of the way.
	if diff := cmp.Diff([]*float64{f(90), f(114)}, []*float64{k.QueueWaitP50, k.QueueWaitP90}); diff != "" {
		t.Errorf("queue wait p50, p90 (-want +got):\n%s", diff)
	}
	// Messages: 1 + 3 + 2 + 1 + 1 + 1 + 1 + 1 (a survey answer is not a
	// message of the contact it answers); one not understood.
	if k.Messages != 11 || *k.NotUnderstoodRate != 1.0/11 {
		t.Errorf("messages = %d, not understood %v; want 11 and 1/11", k.Messages, *k.NotUnderstoodRate)
	}
	if k.BotResponseP50 == nil || k.BotResponseP95 == nil || *k.BotResponseP95 > 30 {
		t.Errorf("bot response p50 %v p95 %v; want both, within the buckets", k.BotResponseP50, k.BotResponseP95)
	} else if *k.BotResponseP50 > 2**k.BotResponseAvg || *k.BotResponseP95 > 20**k.BotResponseAvg {
		// Markov: no q-quantile of times exceeds average/(1-q).
		t.Errorf("bot response p50 %v, p95 %v over an average of %v", *k.BotResponseP50, *k.BotResponseP95, *k.BotResponseAvg)
	}
	wantRules := []report.RuleRow{
		{Kind: "outcome", Name: "shipped", Dialog: "track_order", Count: 2},
		{Kind: "rule", Name: "refund_auto_approve", Dialog: "refund", Count: 1, Amount: 499},
		{Kind: "rule", Name: "refund_review", Dialog: "refund", Count: 1, Amount: 500},
	}
	if diff := cmp.Diff(wantRules, r.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]report.Count{{Name: "general", Count: 2}}, r.HandoffsByQueue); diff != "" {
		t.Errorf("handoffs by queue (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]report.TicketRow{{Queue: "refund_review", Priority: "normal", Count: 1}}, r.Tickets); diff != "" {
		t.Errorf("tickets (-want +got):\n%s", diff)
	}
	var days []string
	for _, d := range r.Days {
		days = append(days, d.Day)
	}
	if diff := cmp.Diff([]string{"2026-11-23", "2026-11-24"}, days); diff != "" {
		t.Errorf("days (-want +got):\n%s", diff)
	}
	if r.Hours[10] != 8 || r.Hours[11] != 0 {
		t.Errorf("hours: %v; want all 8 contacts started in the 10:00 hour", r.Hours)
	}

	// The policy version: on the conversation (its first turn) and on the outcome.
	conv, err := st.Conversation(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if conv.PolicyVersion != bot.Version || conv.PolicyLabel != "golden" || len(bot.Version) != 16 {
		t.Errorf("conversation policy version %q label %q; want %q and golden", conv.PolicyVersion, conv.PolicyLabel, bot.Version)
	}
	byVersion, err := report.Build(ctx, st, bot, report.Options{By: []string{"policy_version", "channel"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(byVersion.Groups) != 1 || byVersion.Groups[0].Values["policy_version"] != bot.Version || byVersion.Groups[0].KPIs.Conversations != 8 {
		t.Errorf("by policy version: %+v", byVersion.Groups)
	}
}
