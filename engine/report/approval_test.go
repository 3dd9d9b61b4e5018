package report_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/store"
)

// TestApprovalsKeptApart: refunds that waited for a supervisor's approval are
// reported as approval, whichever way and whenever the supervisor decided,
// and automatic resolution and first-contact resolution leave them out.
func TestApprovalsKeptApart(t *testing.T) { onEveryStore(t, testApprovalsKeptApart) }

func testApprovalsKeptApart(t *testing.T, st store.Store) {
	ctx := context.Background()
	clk := &clock{now: enginetest.Monday10}
	bot := enginetest.LoadShop(t)
	e, err := engine.New(ctx, bot, engine.Options{Store: st, Clock: clk.Now, NewID: engine.SequentialIDs()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	sue := store.Agent{ID: "sue", Name: "Sue", Role: desk.RoleSupervisor, Skills: []string{"refund_approval"}}
	if _, err := st.PutAgent(ctx, sue); err != nil {
		t.Fatal(err)
	}
	d := desk.New(e)
	askRefund := func(conv, customer, order string) string {
		t.Helper()
		say(t, e, clk, conv, customer, "refund "+order+", it's the wrong item")
		res := say(t, e, clk, conv, customer, "yes")
		if len(res.Approvals) != 1 {
			t.Fatalf("%s: approvals %+v, want one asked", conv, res.Approvals)
		}
		return res.Approvals[0].ID
	}

	// 1. Bo's refund of 499 is approved automatically: resolved by the bot.
	say(t, e, clk, "c1", "bo", "I want a refund for order PQ000499")
	say(t, e, clk, "c1", "bo", "I changed my mind")
	say(t, e, clk, "c1", "bo", "yes")
	// 2. Hal's refund of 5001 waits for a supervisor; Sue rejects it while he
	// is still there.
	rejected := askRefund("c2", "hal", "RS005001")
	if _, _, err := d.Decide(ctx, rejected, sue, desk.Reject, "no photos"); err != nil {
		t.Fatal(err)
	}
	// 3. Cy's refund of 8999 waits too; she leaves, and Sue approves it after
	// the contact settled.
	late := askRefund("c3", "cy", "EF111111")
	clk.Advance(31 * time.Minute)
	if n, err := e.SettleDue(ctx, 100); err != nil || n != 3 {
		t.Fatalf("SettleDue = %d, %v; want the 3 contacts", n, err)
	}
	if _, _, err := d.Decide(ctx, late, sue, desk.Approve, ""); err != nil {
		t.Fatal(err)
	}

	rows, err := st.Outcomes(ctx, store.OutcomeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, o := range rows {
		got[o.ConversationID] = o.Outcome
	}
	if diff := cmp.Diff(map[string]string{"c1": "bot_resolved", "c2": "approval", "c3": "approval"}, got); diff != "" {
		t.Errorf("outcome rows (-want +got):\n%s", diff)
	}

	day := time.Date(2026, 11, 23, 0, 0, 0, 0, bot.Location())
	r, err := report.Build(ctx, st, bot, report.Options{From: day, To: day.AddDate(0, 0, 1), Now: clk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	k := r.KPIs
	if diff := cmp.Diff(map[string]int{"bot_resolved": 1, "approval": 2}, k.Outcomes); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	third := 1.0 / 3
	if diff := cmp.Diff([]*float64{&third, &third}, []*float64{k.ContainmentRate, k.FCRRate}); diff != "" {
		t.Errorf("containment, FCR (-want +got):\n%s", diff)
	}
	var text, page bytes.Buffer
	if err := report.Write(ctx, &text, r, "table"); err != nil {
		t.Fatal(err)
	}
	if err := report.Write(ctx, &page, r, "html"); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(strings.Split(text.String(), "\n"), func(line string) bool {
		return slices.Equal(strings.Fields(line), []string{"approval", "2", "66.7%"})
	}) {
		t.Errorf("the table lists no approvals:\n%s", text.String())
	}
	if !strings.Contains(page.String(), "Sent for a person&#39;s approval") {
		t.Error("the HTML report has no approval label")
	}
}
