package dialog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decide is a person's decision on the approval the bot asked for last.
func (c *convo) decide(decision string) Input {
	c.t.Helper()
	if len(c.st.Approvals) == 0 {
		c.t.Fatal("no approval is awaited")
	}
	a := c.st.Approvals[len(c.st.Approvals)-1]
	return Input{Approval: &ApprovalDecision{ApprovalID: "apr_1", Request: a.Request, Decision: decision, Agent: "sue", Note: "ok"}}
}

func approvals(tn turn) []ApprovalRequest {
	var out []ApprovalRequest
	for _, e := range tn.Effects {
		if e.Kind == EffectApproval {
			out = append(out, *e.Approval)
		}
	}
	return out
}

func TestApprovalAskedThenApproved(t *testing.T) {
	c := newConvo(t, loadBot(t, "testdata/approvals"), "big")
	tn := c.send(say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")))
	if diff := cmp.Diff([]string{"orders.get_order"}, tn.Calls); diff != "" {
		t.Errorf("calls before the decision (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Refund AB123456 waits for a supervisor."}, tn.Replies); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	want := []ApprovalRequest{{
		Call:  CallRequest{Name: "refund", Connector: "orders", Operation: "refund", Input: map[string]any{"order_id": "AB123456", "amount": float64(8999)}, IdempotencyKey: "refund-AB123456"},
		Queue: "supervisors", Role: "supervisor", Reason: "Refund of 8999 for AB123456", ExpiresIn: 2 * 3600e9,
	}}
	if diff := cmp.Diff(want, approvals(tn)); diff != "" {
		t.Errorf("approval requests (-want +got):\n%s", diff)
	}
	if len(c.st.Approvals) != 1 || len(c.st.Stack) != 0 {
		t.Fatalf("after the request: approvals %+v, stack %v; want one approval and the dialog done", c.st.Approvals, c.stack())
	}

	// Meanwhile the customer starts something else, and is handed to a person.
	c.send(say("track my order", intent("track", 0.9)))
	if tn := c.send(say("human please", intent("human", 0.9))); tn.Handoff == nil {
		t.Fatal("no handoff")
	}

	decision := c.decide(ApprovalApproved)
	tn = c.send(decision)
	if diff := cmp.Diff([]string{"orders.refund"}, tn.Calls); diff != "" {
		t.Errorf("calls after approval (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Approved: RF-AB123456 for AB123456."}, tn.Replies); diff != "" {
		t.Errorf("replies after approval (-want +got):\n%s", diff)
	}
	for _, e := range tn.Effects {
		if e.Kind == EffectCall && (e.Call.IdempotencyKey != "refund-AB123456" || e.Call.Input["amount"] != float64(8999)) {
			t.Errorf("the approved call ran as %+v, not as asked", e.Call)
		}
	}
	if len(c.st.Approvals) != 0 || !c.st.HandedOff {
		t.Errorf("after the decision: approvals %+v, handed off %v; want none awaited and still with the person", c.st.Approvals, c.st.HandedOff)
	}

	// The same decision again does nothing.
	again := c.send(decision)
	if len(again.Calls) != 0 || len(again.Replies) != 0 || len(again.errors()) != 1 {
		t.Errorf("a second decision: calls %v, replies %v, errors %v; want only an error event", again.Calls, again.Replies, again.errors())
	}
}

func TestApprovalRejectedAndExpired(t *testing.T) {
	bot := loadBot(t, "testdata/approvals")
	c := newConvo(t, bot, "reject")
	c.send(say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")))
	tn := c.send(c.decide(ApprovalRejected))
	if len(tn.Calls) != 0 {
		t.Errorf("a rejected call ran: %v", tn.Calls)
	}
	if diff := cmp.Diff([]string{"Sorry, the refund of 8999 for AB123456 was declined."}, tn.Replies); diff != "" {
		t.Errorf("rejection (-want +got):\n%s", diff)
	}

	// Expiry says on_expire; the outcome's other actions ran at request time.
	c = newConvo(t, bot, "expire")
	tn = c.send(say("track CD654321", intent("track", 0.9), ent("order_id", "CD654321")))
	if diff := cmp.Diff([]string{"Tracking CD654321, pending approval."}, tn.Replies); diff != "" {
		t.Errorf("outcome with an approval (-want +got):\n%s", diff)
	}
	tn = c.send(c.decide(ApprovalExpired))
	if len(tn.Calls) != 0 || !cmp.Equal([]string{"Expired."}, tn.Replies) {
		t.Errorf("expiry: calls %v, replies %v", tn.Calls, tn.Replies)
	}
}

// An approved call that fails goes to the call's own error handler.
func TestApprovedCallFails(t *testing.T) {
	c := newConvo(t, loadBot(t, "testdata/approvals"), "fails")
	c.send(say("track CD654321", intent("track", 0.9), ent("order_id", "CD654321")))
	tn := c.send(c.decide(ApprovalApproved))
	if diff := cmp.Diff([]string{"orders.refund_down"}, tn.Calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"The order system is down; nothing was refunded."}, tn.Replies); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
}

func TestTicketUpdate(t *testing.T) {
	bot := loadBot(t, "testdata/approvals")
	c := newConvo(t, bot, "ticket")
	c.send(say("你好", lang("zh")))
	tn := c.send(Input{TicketUpdate: &TicketUpdate{Event: "solved", ID: "T-7", Subject: "Broken screen", Status: "solved"}})
	if diff := cmp.Diff([]string{"工单 T-7 已解决。"}, tn.Replies); diff != "" {
		t.Errorf("notice (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{EventTicketUpdated, EventReplySent}, tn.eventTypes()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	// An event the bot has no notice for is recorded and says nothing.
	if tn := c.send(Input{TicketUpdate: &TicketUpdate{Event: "pending", ID: "T-7"}}); len(tn.Replies) != 0 {
		t.Errorf("pending: %v, want no notice", tn.Replies)
	}
	r, ok := TicketNotice(bot, "en", TicketUpdate{Event: "solved", ID: "T-8", Subject: "Invoice"}, monday10)
	if !ok || r.Text != "Ticket T-8 (Invoice) is solved." {
		t.Errorf("TicketNotice = %+v, %v", r, ok)
	}
	if _, ok := TicketNotice(bot, "en", TicketUpdate{Event: "closed", ID: "T-8"}, monday10); ok {
		t.Error("TicketNotice without a notice for the event: ok")
	}
}
