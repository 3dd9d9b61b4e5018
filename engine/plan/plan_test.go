package plan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/plan"
	"github.com/parleyhq/parley/engine/plan/plantest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
	"github.com/parleyhq/parley/policies"
)

// stores are the stores the plan tests run on; PostgreSQL fails rather
// than skips when CI=true (pgtest.URL).
func stores() []struct {
	name string
	open func(t testing.TB) store.Store
} {
	return []struct {
		name string
		open func(t testing.TB) store.Store
	}{
		{"memory", func(t testing.TB) store.Store { return memstore.New() }},
		{"sqlite", func(t testing.TB) store.Store {
			st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "parley.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		}},
		{"postgres", func(t testing.TB) store.Store {
			url := pgtest.URL(t)
			st, err := postgres.Open(context.Background(), url, postgres.Options{Schema: pgtest.Schema(t, url)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		}},
	}
}

func loadShop(t testing.TB) *policies.Bot {
	t.Helper()
	return enginetest.Load(t, enginetest.ShopDir())
}

// record plays scripts through the engine on st and settles every contact.
func record(t *testing.T, bot *policies.Bot, st store.Store, scripts []plantest.Script) {
	t.Helper()
	rec := plantest.NewRecorder(t, bot, st, "v1")
	for _, s := range scripts {
		rec.Play(t, s)
	}
	rec.Settle(t)
}

// Replaying unchanged policies changes nothing, on every conversation
// recorded: the scripted ones, the shop's own tests played as conversations,
// and generated ones (with agents, outages, pauses and surveys), on each store.
func TestUnchangedPoliciesChangeNothing(t *testing.T) {
	for _, sc := range stores() {
		t.Run(sc.name, func(t *testing.T) {
			ctx := context.Background()
			for _, survey := range []float64{0, 0.5} {
				st := sc.open(t)
				bot := loadShop(t)
				if survey > 0 {
					bot.Survey = &policies.Survey{AfterBot: survey}
				}
				n := 120
				if sc.name == "memory" {
					n = 400
				}
				if raceEnabled {
					n /= 4
				}
				scripts := append(append(plantest.Scripted(), plantest.FromTests(bot)...), plantest.Generate(bot, uint64(7+survey*10), n)...)
				record(t, bot, st, scripts)
				// The log holds every kind of input the replay must read back.
				types := eventTypes(t, st)
				for _, typ := range []string{dialog.EventAgentJoined, dialog.EventHandoffClosed, dialog.EventHandedBack, dialog.EventSatisfactionRecorded,
					dialog.EventApprovalDecided, dialog.EventTicketUpdated, dialog.EventSessionExpired, dialog.EventKnowledgeAnswered, dialog.EventCallCompleted} {
					if types[typ] == 0 {
						t.Errorf("the recorded conversations have no %s event", typ)
					}
				}
				p, err := plan.New(ctx, bot, plan.Options{})
				if err != nil {
					t.Fatal(err)
				}
				r, err := p.Plan(ctx, st, plan.Query{})
				if err != nil {
					t.Fatal(err)
				}
				if r.Conversations != len(scripts) {
					t.Errorf("replayed %d conversations, want %d", r.Conversations, len(scripts))
				}
				if r.Changed != 0 {
					for i, c := range r.Changes {
						if i == 5 {
							break
						}
						b, _ := json.MarshalIndent(c, "", "  ")
						t.Logf("%s", b)
					}
					t.Fatalf("survey %v: %d of %d conversations changed under the same policies", survey, r.Changed, r.Conversations)
				}
				for _, tr := range r.Transitions {
					if tr.Before != tr.After {
						t.Errorf("transition %+v under the same policies", tr)
					}
				}
				if len(r.Intents) != 0 {
					t.Errorf("intents changed: %+v", r.Intents)
				}
				for _, e := range r.Rules {
					if e.Before != e.After || e.AmountBefore != e.AmountAfter {
						t.Errorf("rule effect %+v", e)
					}
				}
				// The data is varied enough to mean something.
				kinds := map[string]bool{}
				for _, tr := range r.Transitions {
					kinds[tr.Before] = true
				}
				for _, k := range []string{"bot_resolved", "agent_resolved", "ticket", "abandoned_in_queue", "abandoned", "not_understood"} {
					if !kinds[k] {
						t.Errorf("no contact came out %s; the test data should cover every outcome", k)
					}
				}
			}
		})
	}
}

// copyShop copies examples/shop to a new folder with edits: file -> old ->
// new text, each old text present exactly once. It is how an analyst makes
// a candidate: a copy, changed.
func copyShop(t *testing.T, edits map[string][][2]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "shop-v2")
	if err := os.CopyFS(dir, os.DirFS(enginetest.ShopDir())); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, ".parley"))
	for file, pairs := range edits {
		path := filepath.Join(dir, file)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, p := range pairs {
			if strings.Count(src, p[0]) != 1 {
				t.Fatalf("%s: %q is there %d times, want once", file, p[0], strings.Count(src, p[0]))
			}
			src = strings.Replace(src, p[0], p[1], 1)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// raiseLimit is the change of docs/change-a-rule.md: refunds under 800, not
// 500, are approved automatically.
var raiseLimit = map[string][][2]string{
	"bot.hcl": {{"Refunds below this amount are approved without review\"\n  value       = 500", "Refunds below this amount are approved without review\"\n  value       = 800"}},
}

// With the analyst's new test, its mock answers the refund the log never recorded.
var refundMock = map[string][][2]string{
	"tests/mocks.hcl": {{"# Only orders still being processed", `mock {
  operation = connector.orders.refund
  input     = { order_id = "GH500000", amount = 500 }
  output    = { refund_id = "RF-9", status = "approved", amount = 500 }
}

# Only orders still being processed`}},
}

// Raising auto_refund_limit from 500 to 800 changes exactly the refund of
// order GH500000 (500): refund_review gave it a ticket, refund_auto_approve
// now refunds it, which calls orders.refund, a call never recorded. Without
// mocks that conversation needs a live answer; with the analyst's mock it
// comes out resolved by the bot, with the approval as its reply.
func TestRaisingTheRefundLimit(t *testing.T) {
	for _, sc := range stores() {
		t.Run(sc.name, func(t *testing.T) {
			ctx := context.Background()
			st := sc.open(t)
			record(t, loadShop(t), st, plantest.Scripted())

			edits := map[string][][2]string{}
			maps.Copy(edits, raiseLimit)
			maps.Copy(edits, refundMock)
			bot := enginetest.Load(t, copyShop(t, edits))
			ticket := recordedTicket(t, st, "s-refund-500")

			for _, mocks := range []bool{false, true} {
				p, err := plan.New(ctx, bot, plan.Options{Mocks: mocks})
				if err != nil {
					t.Fatal(err)
				}
				r, err := p.Plan(ctx, st, plan.Query{})
				if err != nil {
					t.Fatal(err)
				}
				after := "needs_live_answer"
				if mocks {
					after = "bot_resolved"
				}
				if r.Changed != 1 || r.Conversations != len(plantest.Scripted()) {
					t.Fatalf("mocks %v: %d of %d conversations changed, want 1 of %d: %+v", mocks, r.Changed, r.Conversations, len(plantest.Scripted()), r.Changes)
				}
				var changed []plan.Transition
				for _, tr := range r.Transitions {
					if tr.Before != tr.After {
						changed = append(changed, tr)
					}
				}
				if diff := cmp.Diff([]plan.Transition{{Before: "ticket", After: after, Count: 1}}, changed); diff != "" {
					t.Errorf("mocks %v: transitions (-want +got):\n%s", mocks, diff)
				}
				effect := map[string][2]float64{}
				for _, e := range r.Rules {
					effect[e.Name] = [2]float64{float64(e.ConversationsAfter - e.ConversationsBefore), e.AmountAfter - e.AmountBefore}
				}
				if diff := cmp.Diff([2]float64{1, 500}, effect["refund_auto_approve"]); diff != "" {
					t.Errorf("refund_auto_approve: (conversations, amount) (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([2]float64{-1, -500}, effect["refund_review"]); diff != "" {
					t.Errorf("refund_review: (conversations, amount) (-want +got):\n%s", diff)
				}
				c := r.Changes[0]
				want := &plan.TurnDiff{
					Turn: 2, From: "customer", Text: "yes please",
					Before: []string{"Your refund request for order GH500000 is with our refunds team (ticket " + ticket + "). You'll hear from us within 2 working days."},
					After:  []string{"Done! Your refund of ¥500.00 for order GH500000 is approved (reference RF-9). It reaches your account in 3-5 working days."},
					Why: []string{
						"rule refund_auto_approve applies: when call.order.total < var.auto_refund_limit",
						"rule refund_review no longer applies: when call.order.total >= var.auto_refund_limit && call.order.total <= var.supervisor_limit",
						"tickets: refund_review, now none",
						"calls: none, now orders.refund",
					},
				}
				if !mocks {
					want.After = nil
					want.Why = append([]string{`needs a live answer: orders.refund {"amount":500,"order_id":"GH500000","reason":"wrong_item"} was never recorded (-mocks answers it from the bot's top-level mock blocks, if one matches)`}, want.Why...)
				}
				if diff := cmp.Diff(want, c.FirstDifference, cmpopts.EquateEmpty()); c.ID != "s-refund-500" || diff != "" {
					t.Errorf("mocks %v: %s, first difference (-want +got):\n%s", mocks, c.ID, diff)
				}
				if mocks != (len(c.Mocked) == 1) || mocks == (c.NeedsLiveAnswer != nil) {
					t.Errorf("mocks %v: mocked %v, needs live answer %+v", mocks, c.Mocked, c.NeedsLiveAnswer)
				}
			}
		})
	}
}

// recordedTicket is the id of the ticket a conversation opened.
func recordedTicket(t *testing.T, st store.Store, id string) string {
	t.Helper()
	ts, err := st.Tickets(context.Background(), store.TicketFilter{ConversationID: id})
	if err != nil || len(ts) != 1 {
		t.Fatalf("tickets of %s: %v, %v", id, ts, err)
	}
	return ts[0].ID
}

// Raising the confidence threshold to 0.9 makes the bot understand fewer
// messages: they are listed as recognised differently (now not
// understood), and a changed conversation says so, with the best guess.
func TestRaisingTheConfidenceThreshold(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	record(t, loadShop(t), st, plantest.Scripted())
	bot := enginetest.Load(t, copyShop(t, map[string][][2]string{"bot.hcl": {{"confidence_threshold = 0.45", "confidence_threshold = 0.90"}}}))
	p, err := plan.New(ctx, bot, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Plan(ctx, st, plan.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Changed == 0 || len(r.Intents) == 0 {
		t.Fatalf("changed %d, intents %+v", r.Changed, r.Intents)
	}
	for _, ic := range r.Intents {
		if ic.Before == "" || ic.After != "" || ic.Count == 0 || len(ic.Examples) == 0 {
			t.Errorf("a higher threshold only loses intents: %+v", ic)
		}
	}
	found := false
	for _, c := range r.Changes {
		for _, why := range c.FirstDifference.Why {
			if strings.Contains(why, "now not understood (best ") && strings.Contains(why, "below 0.90)") {
				found = true
			}
		}
	}
	if !found {
		t.Error("no changed conversation says its intent is now not understood")
	}
}

// eventTypes counts the events of every conversation in st by type.
func eventTypes(t *testing.T, st store.Store) map[string]int {
	t.Helper()
	ctx := context.Background()
	convs, err := st.Conversations(ctx, store.ConversationFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, c := range convs {
		evs, err := st.Events(ctx, c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			out[ev.Type]++
		}
	}
	return out
}

// A rule that now opens a ticket besides what it said before changes every
// conversation it applies in, though no reply differs: the plan shows the
// turn it applies in and names the rule. A conversation whose recording
// opened a ticket later keeps that ticket's id, so its later replies (which
// quote it) are not reported as different.
func TestARuleThatNowOpensATicket(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	sunday := time.Date(2026, 11, 22, 21, 0, 0, 0, time.FixedZone("CST", 8*3600))
	say := func(texts ...string) []plantest.Step {
		var steps []plantest.Step
		for _, text := range texts {
			steps = append(steps, plantest.Step{Say: text})
		}
		return steps
	}
	record(t, loadShop(t), st, []plantest.Script{
		{ID: "left-a-message", Start: sunday, Steps: say("talk to a human", "13812345678", "My laptop screen flickers, please call me")},
		{ID: "went-away", Start: sunday, Steps: say("talk to a human")},
		{ID: "tracked", Start: sunday, Steps: say("where is my order AB123456?")},
	})
	bot := enginetest.Load(t, copyShop(t, map[string][][2]string{"rules.hcl": {{
		"  reply       = response.after_hours\n  start       = dialog.leave_message\n",
		"  reply       = response.after_hours\n  start       = dialog.leave_message\n\n  ticket {\n    queue    = queue.callbacks\n    subject  = \"After hours\"\n    priority = \"normal\"\n  }\n",
	}}}))
	p, err := plan.New(ctx, bot, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Plan(ctx, st, plan.Query{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*plan.TurnDiff{}
	for _, c := range r.Changes {
		got[c.ID] = c.FirstDifference
	}
	greeting := []string{
		"Our team is available 9:00-18:00 on weekdays and 10:00-16:00 on Saturdays (Beijing time). I can take a message and we'll call you back.",
		"What number should we call you on?",
	}
	first := &plan.TurnDiff{Turn: 1, From: "customer", Text: "talk to a human", Before: greeting, After: greeting,
		Why: []string{"tickets: none, now callbacks (rule after_hours)"}}
	want := map[string]*plan.TurnDiff{"left-a-message": first, "went-away": first}
	if diff := cmp.Diff(want, got); diff != "" || r.Changed != 2 {
		t.Errorf("%d changed; first differences (-want +got):\n%s", r.Changed, diff)
	}
	if diff := cmp.Diff([]plan.TicketEffect{{Queue: "callbacks", Before: 1, After: 3}}, r.Tickets); diff != "" {
		t.Errorf("tickets by queue (-want +got):\n%s", diff)
	}
	var text bytes.Buffer
	if err := plan.Write(&text, r, bot, "text", plan.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := "Tickets opened, by queue, recorded → replayed:\n  callbacks  +2 (1 → 3)\n"; !strings.Contains(text.String(), want) {
		t.Errorf("the plan has no %q:\n%s", want, text.String())
	}
}
