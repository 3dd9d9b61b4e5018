package dialog

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

const shopDir = "../examples/shop"

// orderData is the orders connector's data with one order, as the shop's
// conversation tests set it.
func orderData(id, status string, total float64) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"orders": cty.ObjectVal(map[string]cty.Value{
			id: cty.ObjectVal(map[string]cty.Value{
				"status": cty.StringVal(status), "total": cty.NumberFloatVal(total),
				"carrier": cty.StringVal("SF Express"), "eta": cty.StringVal("2026-11-20"),
			}),
		}),
	})
}

func withOrder(id, status string, total float64) func(*convo) {
	return func(c *convo) { c.withData("orders", orderData(id, status, total)) }
}

func replyContains(sub string) func(t *testing.T, tn turn, c *convo) {
	return func(t *testing.T, tn turn, c *convo) {
		t.Helper()
		for _, r := range tn.Replies {
			if strings.Contains(r, sub) {
				return
			}
		}
		t.Errorf("no reply contains %q: %q", sub, tn.Replies)
	}
}

// refundWrongItem is "refund AB123456, it's the wrong item" as the NLU reads it.
func refundWrongItem() Input {
	return say("refund AB123456, it's the wrong item", intent("refund", 0.93),
		ent("order_id", "AB123456"), entText("refund_reason", "wrong_item", "wrong item"))
}

func yes() Input { return say("yes", ent("yes_no", "yes")) }

// TestShopConversations plays examples/shop/tests/refunds.hcl (and more) with a
// hand-written NLU.
func TestShopConversations(t *testing.T) {
	sunday9pm := time.Date(2026, 11, 22, 21, 0, 0, 0, shanghai(t))
	runConversations(t, []conversation{
		{
			name:  "refund of 499 is approved automatically",
			dir:   shopDir,
			setup: withOrder("AB123456", "delivered", 499),
			turns: []exchange{
				{
					in:        say("I want a refund for order AB123456", intent("refund", 0.91), ent("order_id", "AB123456")),
					responses: []string{"ask_refund_reason"},
					slots:     map[string]string{"order_id": "AB123456"},
					calls:     []string{"orders.get_order"},
					stack:     []string{"refund"},
				},
				{
					in:        say("I changed my mind", entText("refund_reason", "changed_mind", "changed my mind")),
					slots:     map[string]string{"order_id": "AB123456", "reason": "changed_mind"},
					responses: []string{"confirm_refund"},
					check:     replyContains("AB123456 (¥499.00)"),
				},
				{
					in:        yes(),
					calls:     []string{"orders.refund"},
					responses: []string{"refund_approved"},
					stack:     none(),
					check:     replyContains("reference RF-AB123456"),
				},
			},
		},
		{
			name:  "refund of 500 goes to review",
			dir:   shopDir,
			setup: withOrder("AB123456", "delivered", 500),
			turns: []exchange{
				{in: refundWrongItem(), slots: map[string]string{"order_id": "AB123456", "reason": "wrong_item"}, responses: []string{"confirm_refund"}},
				{
					in: say("yes please", ent("yes_no", "yes")), calls: none(), ticket: "refund_review", responses: []string{"refund_under_review"},
					check: func(t *testing.T, tn turn, c *convo) {
						want := &TicketRequest{Queue: "refund_review", Subject: "Refund review: AB123456 (¥500.00), reason: wrong_item", Priority: "normal", Language: "en"}
						if diff := cmp.Diff(want, tn.Ticket); diff != "" {
							t.Errorf("ticket (-want +got):\n%s", diff)
						}
						replyContains("(ticket T-1)")(t, tn, c)
					},
				},
			},
		},
		{
			name:  "refund of 5000 goes to review",
			dir:   shopDir,
			setup: withOrder("AB123456", "delivered", 5000),
			turns: []exchange{
				{in: refundWrongItem()},
				{in: yes(), ticket: "refund_review", responses: []string{"refund_under_review"}},
			},
		},
		{
			name:  "refund of 5001 waits for a supervisor's approval",
			dir:   shopDir,
			setup: withOrder("AB123456", "delivered", 5001),
			turns: []exchange{
				{in: refundWrongItem()},
				{
					in: yes(), calls: none(), responses: []string{"refund_needs_supervisor"}, stack: none(),
					check: func(t *testing.T, tn turn, c *convo) {
						want := []ApprovalRequest{{
							Call: CallRequest{Name: "refund", Connector: "orders", Operation: "refund",
								Input: map[string]any{"order_id": "AB123456", "amount": float64(5001), "reason": "wrong_item"}, IdempotencyKey: "refund-AB123456"},
							Queue: "supervisors", Role: "supervisor", ExpiresIn: 48 * time.Hour,
							Reason: "Refund of ¥5,001.00 for order AB123456 (wrong_item) is over the ¥5,000.00 limit",
						}}
						if diff := cmp.Diff(want, approvals(tn)); diff != "" {
							t.Errorf("approval (-want +got):\n%s", diff)
						}
					},
				},
				{in: say("hello?", intent("greet", 0.8)), responses: []string{"greet"}}, // not handed off: the bot answers
			},
		},
		{
			name:  "a person after hours takes a message",
			dir:   shopDir,
			now:   sunday9pm,
			setup: withOrder("AB123456", "delivered", 8000),
			turns: []exchange{
				// "I'm connecting you now" would be false: the after-hours rule speaks instead.
				{in: say("I want to talk to a person", intent("human", 0.9)), responses: []string{"after_hours", "ask_phone"}, stack: []string{"leave_message"}},
				{in: say("13812345678", ent("phone", "13812345678")), slots: map[string]string{"phone": "13812345678"}, responses: []string{"ask_message"}},
				{
					in:     say("Please approve my refund for AB123456", intent("refund", 0.8), ent("order_id", "AB123456")),
					ticket: "callbacks", responses: []string{"message_taken"}, stack: none(),
					check: func(t *testing.T, tn turn, c *convo) {
						want := &TicketRequest{Queue: "callbacks", Subject: "Call back 138****5678: Please approve my refund for AB123456", Priority: "normal", Language: "en"}
						if diff := cmp.Diff(want, tn.Ticket); diff != "" {
							t.Errorf("ticket (-want +got):\n%s", diff)
						}
					},
				},
			},
		},
		{
			name: "damaged item asks for details",
			dir:  shopDir,
			turns: []exchange{
				{
					in: say("my headphones arrived broken, I want a refund", intent("refund", 0.88),
						entText("product", "headphones", "headphones"), entText("refund_reason", "damaged", "arrived broken")),
					slots:     map[string]string{"reason": "damaged", "product": "headphones"},
					responses: []string{"ask_order_id"},
				},
				{in: say("AB123456", ent("order_id", "AB123456")), check: replyContains("describe the damage")},
				{
					in:        say("the left earbud is cracked", entText("refund_reason", "damaged", "cracked")),
					slots:     map[string]string{"order_id": "AB123456", "reason": "damaged", "product": "headphones", "damage": "the left earbud is cracked"},
					responses: []string{"confirm_refund"},
				},
				{in: say("no", ent("yes_no", "no")), responses: []string{"refund_kept"}, stack: none()},
			},
		},
		{
			name: "track a shipped order",
			dir:  shopDir,
			turns: []exchange{
				{in: say("where is my order", intent("track_order", 0.9)), responses: []string{"ask_order_id"}},
				{in: say("ab123456"), replies: []string{"Order AB123456 has shipped with SF Express and should arrive on 2026-11-25."}, stack: none()},
			},
		},
		{
			name: "track an unknown order: not found reasks, then the retries hand off",
			dir:  shopDir,
			turns: []exchange{
				{in: say("where is ZZ000000", intent("track_order", 0.9), ent("order_id", "ZZ000000")), responses: []string{"order_not_found", "ask_order_id"}},
				{in: say("ZZ000001", ent("order_id", "ZZ000001")), responses: []string{"order_not_found", "ask_order_id"}},
				{in: say("ZZ000002", ent("order_id", "ZZ000002")), responses: []string{"order_not_found", "handoff_general"}, handoff: "general"},
			},
		},
		{
			name: "change the address of a processing order",
			dir:  shopDir,
			turns: []exchange{
				{in: say("change the address of CD654321", intent("change_address", 0.9), ent("order_id", "CD654321")), responses: []string{"ask_address"}},
				{in: say("Main St"), responses: []string{"address_too_short"}},
				{in: say("12 Main St, Springfield 12345"), responses: []string{"confirm_address"}},
				{in: yes(), calls: []string{"orders.update_address"}, replies: []string{"Done. Order CD654321 will go to 12 Main St, Springfield 12345."}, stack: none()},
			},
		},
		{
			name: "the address of a shipped order can't change: no question, no confirmation",
			dir:  shopDir,
			turns: []exchange{
				{in: say("change the address of AB123456", intent("change_address", 0.9), ent("order_id", "AB123456")), responses: []string{"address_too_late"}, stack: none()},
			},
		},
		{
			name:     "a VIP asking for a person gets the VIP team",
			dir:      shopDir,
			customer: cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("Ann"), "vip": cty.True}),
			turns: []exchange{
				{
					in: say("talk to a human", intent("human", 0.95)), replies: []string{"Of course, Ann. I'm connecting you to your VIP care team now."}, handoff: "vip",
					check: func(t *testing.T, tn turn, c *convo) {
						if tn.Handoff.Summary != "VIP customer Ann asked for a person" || tn.Handoff.Priority != "urgent" || tn.Handoff.Skill != "vip_care" {
							t.Errorf("handoff = %+v", tn.Handoff)
						}
					},
				},
			},
		},
		{
			name: "an angry message goes to the priority queue",
			dir:  shopDir,
			turns: []exchange{
				{in: say("this is useless!!!", sentiment(-0.8)), responses: []string{"handoff_angry"}, handoff: "priority"},
			},
		},
		{
			name: "three misunderstandings in a row bring in a person",
			dir:  shopDir,
			turns: []exchange{
				{in: say("qwerty"), responses: []string{"not_understood"}},
				{in: say("asdf"), responses: []string{"not_understood"}},
				{in: say("zxcv"), responses: []string{"handoff_stuck"}, handoff: "general"},
			},
		},
		{
			name: "Chinese greeting, return policy digression mid-refund",
			dir:  shopDir,
			turns: []exchange{
				{in: say("你好", intent("greet", 0.9), lang("zh")), replies: []string{"您好！我可以帮您查订单、办退款、改地址。请问有什么可以帮您？"}},
				{in: say("我要退款", intent("refund", 0.9), lang("zh")), replies: []string{"请提供您的订单号，格式如 AB123456。"}},
				{in: say("可以退货吗", intent("return_policy", 0.8), lang("zh")), responses: []string{"return_policy", "ask_order_id"}},
				{in: say("再见", intent("goodbye", 0.9), lang("zh")), replies: []string{"感谢您的光临，再见！"}, ended: true},
			},
		},
	})
}

// TestShopRefundBoundaries checks the refund rules at the edges of their
// thresholds (var.auto_refund_limit = 500, var.supervisor_limit = 5000).
func TestShopRefundBoundaries(t *testing.T) {
	for _, tc := range []struct {
		total    float64
		response string
		ticket   string
		handoff  string
		calls    []string
	}{
		{total: 0, response: "refund_approved", calls: []string{"orders.refund"}},
		{total: 499, response: "refund_approved", calls: []string{"orders.refund"}},
		{total: 499.99, response: "refund_approved", calls: []string{"orders.refund"}},
		{total: 500, response: "refund_under_review", ticket: "refund_review", calls: []string{}},
		{total: 5000, response: "refund_under_review", ticket: "refund_review", calls: []string{}},
		{total: 5000.01, response: "refund_needs_supervisor", calls: []string{}},
		{total: 5001, response: "refund_needs_supervisor", calls: []string{}},
	} {
		c := newConvo(t, loadBot(t, shopDir), "conv-boundary")
		c.withData("orders", orderData("AB123456", "delivered", tc.total))
		c.send(refundWrongItem())
		c.now = c.now.Add(time.Minute)
		tn := c.send(yes())
		if diff := cmp.Diff([]string{tc.response}, tn.Responses); diff != "" {
			t.Errorf("total %v: responses (-want +got):\n%s", tc.total, diff)
		}
		if diff := cmp.Diff(tc.calls, tn.Calls, stateOpts); diff != "" {
			t.Errorf("total %v: calls (-want +got):\n%s", tc.total, diff)
		}
		if got := queueOf(tn.Ticket); got != tc.ticket {
			t.Errorf("total %v: ticket queue %q, want %q", tc.total, got, tc.ticket)
		}
		if got := handoffQueue(tn.Handoff); got != tc.handoff {
			t.Errorf("total %v: handoff queue %q, want %q", tc.total, got, tc.handoff)
		}
	}
}

func queueOf(t *TicketRequest) string {
	if t == nil {
		return ""
	}
	return t.Queue
}

func handoffQueue(h *HandoffRequest) string {
	if h == nil {
		return ""
	}
	return h.Queue
}

func shanghai(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	return loc
}
