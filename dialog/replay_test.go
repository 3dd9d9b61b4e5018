package dialog

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReplayFromSnapshot: a JSON snapshot taken mid-conversation plus the events
// after it rebuild the final state, including an awaited effect's continuation.
func TestReplayFromSnapshot(t *testing.T) {
	bot := loadBot(t, shopDir)
	c := newConvo(t, bot, "conv-snap")
	c.withData("orders", orderData("AB123456", "delivered", 499))
	c.send(refundWrongItem())

	raw, err := json.Marshal(c.st)
	if err != nil {
		t.Fatal(err)
	}
	var snapshot State
	if err := json.Unmarshal(raw, &snapshot); err != nil {
		t.Fatal(err)
	}
	from := len(c.log)

	// Stop half way through the refund rule: awaiting its call.
	in := yes()
	in.Now = c.now.Add(time.Minute)
	st, _, evs := Step(bot, c.st, in)
	if aw := st.Awaiting(); aw == nil || aw.Call.Operation != "refund" {
		t.Fatalf("awaiting %+v, want the refund call", aw)
	}
	if st.Pending.Resume.Runs[0].Ref != (ActionsRef{Kind: refRule, Name: "refund_auto_approve"}) {
		t.Errorf("continuation %+v", st.Pending.Resume)
	}
	if diff := cmp.Diff(st, Replay(bot, snapshot, append(c.log[from:], evs...)), stateOpts); diff != "" {
		t.Fatalf("replay from snapshot differs (-step +replay):\n%s", diff)
	}

	// The continuation survives JSON: the rule finishes from the decoded state.
	raw, _ = json.Marshal(st)
	var decoded State
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	aw := decoded.Awaiting()
	_, effs, _ := Step(bot, decoded, Input{Now: in.Now, Result: &Result{EffectID: aw.ID, Data: map[string]any{"refund_id": "RF-9", "status": "approved"}}})
	if len(effs) != 1 || effs[0].Reply == nil || effs[0].Reply.Response != "refund_approved" {
		t.Fatalf("effects %+v, want the refund_approved reply", effs)
	}
}

func TestTicketFailureSaysErrorAndCancels(t *testing.T) {
	bot := loadBot(t, miniDir)
	c := newConvo(t, bot, "conv-ticket")
	c.send(say("callback", intent("callback", 0.9)))
	c.send(say("13812345678", ent("phone", "13812345678")))
	in := say("call me")
	in.Now = c.now.Add(time.Minute)
	st, _, _ := Step(bot, c.st, in)
	aw := st.Awaiting()
	if aw == nil || aw.Kind != EffectTicket {
		t.Fatalf("awaiting %+v, want a ticket", aw)
	}
	st, effs, evs := Step(bot, st, Input{Now: in.Now, Result: &Result{EffectID: aw.ID, Error: "unavailable"}})
	var replies []string
	for _, e := range effs {
		replies = append(replies, e.Reply.Text)
	}
	if diff := cmp.Diff([]string{"Oops."}, replies); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	if len(st.Stack) != 0 || st.Awaiting() != nil {
		t.Errorf("stack %v awaiting %v, want neither", st.Stack, st.Awaiting())
	}
	var types []string
	for _, e := range evs {
		types = append(types, e.Type)
	}
	want := []string{"ticket_opened", "error", "reply_sent", "dialog_cancelled"}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// BenchmarkRefundTurn measures the turn that confirms a refund and runs the rule
// (one awaited call), against the shop bot.
func BenchmarkRefundTurn(b *testing.B) {
	measureWithoutChecks(b)
	bot := loadBot(b, shopDir)
	c := newConvo(b, bot, "conv-bench")
	c.withData("orders", orderData("AB123456", "delivered", 499))
	c.send(refundWrongItem())
	start := c.st
	in := yes()
	in.Now = c.now.Add(time.Minute)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		st, _, _ := Step(bot, start, in)
		aw := st.Awaiting()
		Step(bot, st, Input{Now: in.Now, Result: &Result{EffectID: aw.ID, Data: map[string]any{"refund_id": "RF-1", "status": "approved"}}})
	}
}

// BenchmarkNotUnderstood is the cheapest turn: every handoff policy and message
// rule is evaluated, then the not-understood reply rendered.
func BenchmarkNotUnderstood(b *testing.B) {
	measureWithoutChecks(b)
	bot := loadBot(b, shopDir)
	st := NewState("conv-bench")
	in := say("qwerty")
	in.Now = monday10
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		Step(bot, st, in)
	}
}

// reportCPU reports the process's CPU time per op when the returned function
// runs after the loop: on a busy machine it moves far less than wall time.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if used := cpuTime() - start; used > 0 && b.N > 0 {
			b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

// measureWithoutChecks turns off the test-only check of the evaluation cache,
// which would otherwise rebuild every scope it saves.
func measureWithoutChecks(b *testing.B) {
	verifyEnvCache = false
	b.Cleanup(func() { verifyEnvCache = true })
}
