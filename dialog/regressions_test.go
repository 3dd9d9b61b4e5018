package dialog

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/policies"
)

// Regressions found when the engine's golden transcripts were first read
// (engine/testdata/transcripts), replayed here with the NLU results the shop's
// NLU gives for those messages.

func zh(text string, opts ...nluOpt) Input {
	return say(text, append([]nluOpt{lang("zh")}, opts...)...)
}

func refundAskingReasonZH() []exchange {
	return []exchange{
		{in: zh("我要退款", intent("refund", 0.89)), responses: []string{"ask_order_id"}},
		{in: zh("订单 AB123456", intent("track_order", 0.41), ent("order_id", "AB123456")), responses: []string{"ask_refund_reason"}},
	}
}

func TestCancelWordsThatAnswer(t *testing.T) {
	runConversations(t, []conversation{
		{
			name: "a cancel word that is the asked refund reason fills it",
			dir:  shopDir,
			turns: append(refundAskingReasonZH(),
				exchange{
					in:        zh("不想要了", intent("refund", 0.37), entText("refund_reason", "changed_mind", "不想要了"), cancel()),
					responses: []string{"confirm_refund"},
					slots:     map[string]string{"order_id": "AB123456", "reason": "changed_mind"},
					stack:     []string{"refund"},
				},
				exchange{in: zh("是的", ent("yes_no", "yes")), calls: []string{"orders.refund"}, responses: []string{"refund_approved"}, stack: none()},
			),
		},
		{
			name: "a cancel word at the confirmation is a no",
			dir:  shopDir,
			turns: append(refundAskingReasonZH(),
				exchange{in: zh("不想要了", entText("refund_reason", "changed_mind", "不想要了"), cancel()), responses: []string{"confirm_refund"}},
				exchange{in: zh("不要了", entText("refund_reason", "changed_mind", "不要了"), cancel()), responses: []string{"refund_kept"}, calls: none(), stack: none()},
			),
		},
		{
			name: "a cancel word that fills nothing cancels",
			dir:  shopDir,
			turns: []exchange{
				{in: say("change my delivery address", intent("change_address", 0.98)), responses: []string{"ask_order_id"}},
				{in: zh("算了", intent("goodbye", 0.17), entText("yes_no", "no", "算了"), cancel()), replies: []string{"好的，已取消。"}, stack: none()},
			},
		},
		{
			name: "a cancel naming the value already given cancels",
			dir:  shopDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.95), ent("order_id", "AB123456")), responses: []string{"ask_refund_reason"}},
				{in: say("cancel the refund for AB123456", intent("refund", 0.9), ent("order_id", "AB123456"), cancel()), replies: []string{"OK, I've cancelled that."}, stack: none()},
			},
		},
		{
			name: "a cancel while a text slot is asked cancels rather than becoming the text",
			dir:  shopDir,
			turns: []exchange{
				{in: say("can someone call me back", intent("leave_message", 0.9)), responses: []string{"ask_phone"}},
				{in: say("13812345678", ent("phone", "13812345678")), responses: []string{"ask_message"}},
				{in: say("never mind", cancel()), replies: []string{"OK, I've cancelled that."}, stack: none(), check: noTicket},
			},
		},
	})
}

func noTicket(t *testing.T, tn turn, _ *convo) {
	t.Helper()
	if tn.Ticket != nil {
		t.Errorf("ticket = %+v, want none", tn.Ticket)
	}
}

func TestOwnTriggerIsAnAttempt(t *testing.T) {
	invalidThrice := func(last exchange) []exchange {
		return []exchange{
			{in: say("track my order", intent("track_order", 0.94)), responses: []string{"ask_order_id"}},
			{
				in: say("my order is 12", intent("track_order", 0.87), entText("number", "12", "12")), responses: []string{"invalid_order_id"}, stack: []string{"track_order"},
				check: retries(1),
			},
			{in: say("it's the blue one", intent("refund", 0.27)), responses: []string{"invalid_order_id"}, check: retries(2)},
			last,
		}
	}
	runConversations(t, []conversation{
		{
			name: "the third failed attempt runs on_exhausted",
			dir:  shopDir,
			turns: invalidThrice(exchange{
				in: say("no idea", ent("yes_no", "no")), handoff: "general", responses: []string{"handoff_general"}, stack: none(),
			}),
		},
		{
			name: "after hours the exhausted slot's handoff becomes a message, without the announcement",
			dir:  shopDir,
			now:  time.Date(2026, 11, 22, 21, 0, 0, 0, shanghai(t)),
			turns: invalidThrice(exchange{
				in: say("no idea", ent("yes_no", "no")), responses: []string{"after_hours", "ask_phone"}, stack: []string{"leave_message"},
				check: func(t *testing.T, tn turn, _ *convo) {
					if tn.Handoff != nil {
						t.Errorf("handoff = %+v, want none after hours", tn.Handoff)
					}
				},
			}),
		},
		{
			name: "another intent is still a digression",
			dir:  shopDir,
			turns: []exchange{
				{in: say("track my order", intent("track_order", 0.94)), responses: []string{"ask_order_id"}},
				{in: say("what's your return policy?", intent("return_policy", 0.96)), responses: []string{"return_policy", "ask_order_id"}, check: retries(0)},
			},
		},
	})
}

// retries checks the failed attempts at the top dialog's order_id.
func retries(want int) func(t *testing.T, tn turn, c *convo) {
	return func(t *testing.T, _ turn, c *convo) {
		t.Helper()
		if got := c.st.Stack[len(c.st.Stack)-1].Retries["order_id"]; got != want {
			t.Errorf("order_id retries = %d, want %d", got, want)
		}
	}
}

func TestHandoffAnnouncementAfterHours(t *testing.T) {
	sunday9pm := time.Date(2026, 11, 22, 21, 0, 0, 0, shanghai(t))
	// An action list that replies and hands off: the order number slot's
	// on_exhausted, after three answers that are not order numbers.
	tests := []struct {
		name      string
		now       time.Time
		in        Input
		responses []string
		handoff   string
		rule      string // the rule_applied of a rule on = handoff
		reason    string // the handoff it replaced
	}{
		{name: "rule reply and handoff in hours", now: monday10, in: say("no idea"), responses: []string{"handoff_general"}, handoff: "general"},
		{name: "rule reply and handoff after hours", now: sunday9pm, in: say("no idea"), responses: []string{"after_hours", "ask_phone"}, rule: "after_hours", reason: "track_order.order_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newConvo(t, loadBot(t, shopDir), "conv-"+tc.name)
			c.now = tc.now
			c.send(say("track my order", intent("track_order", 0.9)))
			c.send(say("my order is 12"))
			c.send(say("it's the blue one"))
			tn := c.send(tc.in)
			if diff := cmp.Diff(tc.responses, tn.Responses); diff != "" {
				t.Errorf("responses (-want +got):\n%s\nreplies: %q", diff, tn.Replies)
			}
			gotQueue := ""
			if tn.Handoff != nil {
				gotQueue = tn.Handoff.Queue
			}
			if gotQueue != tc.handoff {
				t.Errorf("handoff queue = %q, want %q", gotQueue, tc.handoff)
			}
			var rule, reason string
			for _, ev := range tn.Events {
				if ev.Type == EventRuleApplied && ev.Rule == "after_hours" {
					rule, reason = ev.Rule, ev.Reason
				}
			}
			if diff := cmp.Diff([2]string{tc.rule, tc.reason}, [2]string{rule, reason}); diff != "" {
				t.Errorf("handoff rule and the handoff it replaced (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIntentNameIsConfident: intent.name is "" below the confidence threshold,
// so an angry message the NLU half-reads as "human" is not a VIP asking for a
// person; intent.confidence stays the raw top confidence.
func TestIntentNameIsConfident(t *testing.T) {
	vip := cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("Bo"), "vip": cty.True})
	furious := func(conf float64) Input {
		return say("This is ridiculous! Worst service ever, I'm furious", intent("human", conf), sentiment(-0.93))
	}
	tests := []struct {
		name       string
		in         Input
		now        time.Time
		wantIntent policies.IntentInfo
		handoff    string // queue
		replaced   string // after hours: the handoff the rule replaced
	}{
		{name: "unsure human is no intent", in: furious(0.24), now: monday10, wantIntent: policies.IntentInfo{Confidence: 0.24}, handoff: "priority"},
		{name: "confident human is the intent", in: furious(0.8), now: monday10, wantIntent: policies.IntentInfo{Name: "human", Confidence: 0.8}, handoff: "vip"},
		{name: "unsure human after hours", in: furious(0.24), now: time.Date(2026, 11, 22, 21, 0, 0, 0, shanghai(t)), wantIntent: policies.IntentInfo{Confidence: 0.24}, replaced: "angry"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bot := loadBot(t, shopDir)
			c := newConvo(t, bot, "conv-"+tc.name)
			c.now, c.customer = tc.now, vip
			tn := c.send(tc.in)

			in := tc.in
			in.Now, in.Customer = tc.now, vip
			d := &decider{bot: bot, st: Apply(NewState("x"), Event{Type: EventMessageReceived, Message: &MessageRecord{
				Text: in.Message.Text, Intent: "human", Confidence: in.Message.NLU.Intents[0].Confidence,
			}}), in: in}
			if diff := cmp.Diff(tc.wantIntent, d.scope().Intent); diff != "" {
				t.Errorf("scope intent (-want +got):\n%s", diff)
			}
			gotQueue := ""
			if tn.Handoff != nil {
				gotQueue = tn.Handoff.Queue
			}
			if gotQueue != tc.handoff {
				t.Errorf("handoff queue = %q, want %q", gotQueue, tc.handoff)
			}
			replaced := ""
			for _, ev := range tn.Events {
				if ev.Type == EventRuleApplied {
					replaced = ev.Reason
				}
			}
			if replaced != tc.replaced {
				t.Errorf("the after-hours rule replaced the %q handoff, want %q", replaced, tc.replaced)
			}
		})
	}
}

// TestBareYesNo: a yes or no with no dialog open answers the bot's "Anything else
// I can help with?"; it is not a message the bot failed to understand.
func TestBareYesNo(t *testing.T) {
	tests := []struct {
		name     string
		dir      string // default: the shop
		in       Input
		replies  []string
		failures int
	}{
		{name: "no", in: say("no", ent("yes_no", "no")), replies: []string{"Thanks for shopping with us. Goodbye!"}},
		{name: "no thanks in Chinese", in: zh("不用了", ent("yes_no", "no")), replies: []string{"感谢您的光临，再见！"}},
		{name: "never mind", in: zh("算了", entText("yes_no", "no", "算了"), cancel()), replies: []string{"感谢您的光临，再见！"}},
		{name: "yes", in: say("yes", ent("yes_no", "yes")), replies: []string{"Sure, what can I help you with?"}},
		{name: "a no inside other words is not understood", in: say("no idea", ent("yes_no", "no")), replies: []string{"Sorry, I didn't get that. Could you say it another way?"}, failures: 1},
		// A stranger's carrier bot: "no" scored 0.59 for network_problem, whose
		// examples say "no signal", and started the network dialog.
		{name: "an intent whose examples only start with no does not take a bare no", dir: "testdata/bare_no",
			in: say("no", intent("network_problem", 0.59), ent("yes_no", "no")), replies: []string{"Goodbye!"}},
		{name: "nor a bare yes", dir: "testdata/bare_no",
			in: say("ok", intent("network_problem", 0.5), ent("yes_no", "yes")), replies: []string{"Sure, what can I help you with?"}},
		{name: "an intent with a bare no among its examples takes one", dir: "testdata/bare_no",
			in: say("nope", intent("decline_offer", 0.7), ent("yes_no", "no")), replies: []string{"Fair enough, no offer then."}},
		{name: "a no with more words goes to the intent", dir: "testdata/bare_no",
			in: say("no signal here", intent("network_problem", 0.9), ent("yes_no", "no")), replies: []string{"Where is the signal missing?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir
			if dir == "" {
				dir = shopDir
			}
			c := newConvo(t, loadBot(t, dir), "c")
			tn := c.send(tc.in)
			if diff := cmp.Diff(tc.replies, tn.Replies); diff != "" {
				t.Errorf("replies (-want +got):\n%s", diff)
			}
			if c.st.Failures != tc.failures || tn.Ended {
				t.Errorf("failures = %d, ended = %v; want %d, false", c.st.Failures, tn.Ended, tc.failures)
			}
		})
	}
}

// Issue 14, with the NLU results the shop's NLU gives for these messages.
func TestShopIssue14(t *testing.T) {
	// The fixture's orders: AB123456 (shipped, 320), CD654321 (processing, 1280).
	refundAsking := exchange{in: say("I want a refund", intent("refund", 0.95)), responses: []string{"ask_order_id"}}
	runConversations(t, []conversation{
		{
			// "No, I meant CD654321" was taken as no and cancelled the refund.
			name: "a correction at the confirmation is not a no",
			dir:  shopDir,
			turns: []exchange{
				{in: refundWrongItem(), responses: []string{"confirm_refund"}},
				{in: say("no, I meant CD654321", intent("refund", 0.2), ent("yes_no", "no"), ent("order_id", "CD654321"), correction()),
					calls: []string{"orders.get_order"}, responses: []string{"confirm_refund"}, stack: []string{"refund"},
					slots: map[string]string{"order_id": "CD654321", "reason": "wrong_item"}, check: replyContains("CD654321")},
			},
		},
		{
			// "where is my order BX100001?" (track_order 0.97) filled the refund's slot.
			name: "a plain question for another dialog is not the answer to the slot",
			dir:  shopDir,
			turns: []exchange{
				refundAsking,
				{in: say("where is my order CD654321?", intent("track_order", 0.97), ent("order_id", "CD654321")),
					responses: []string{"order_status", "ask_order_id"}, stack: []string{"refund"}, slots: map[string]string{},
					check: replyContains("Back to your refund: What's your order number?")},
			},
		},
		{
			name: "the value with small words around it is the answer, whatever the intent",
			dir:  shopDir,
			turns: []exchange{
				refundAsking,
				{in: say("my order is AB123456", intent("track_order", 0.89), ent("order_id", "AB123456")),
					responses: []string{"ask_refund_reason"}, slots: map[string]string{"order_id": "AB123456"}},
			},
		},
		{
			name: "the value with a request for another dialog around it starts that dialog",
			dir:  shopDir,
			turns: []exchange{
				refundAsking,
				{in: say("track AB123456 for me", intent("track_order", 0.9), ent("order_id", "AB123456")),
					responses: []string{"order_shipped", "ask_order_id"}, stack: []string{"refund"}},
			},
		},
	})
}

// A stranger's ISP bot: "no internet connection" started the troubleshooting
// dialog and answered its yes/no question about the router's light, unasked.
func TestYesNoAnswersOnlyItsQuestion(t *testing.T) {
	const dir = "testdata/troubleshoot"
	runConversations(t, []conversation{
		{
			name: "a no in the message that starts the dialog answers nothing",
			dir:  dir,
			turns: []exchange{
				{in: say("no internet connection", intent("internet_down", 0.9), ent("yes_no", "no")),
					responses: []string{"ask_lights"}, slots: map[string]string{}, stack: []string{"troubleshoot"}},
				{in: say("yes", ent("yes_no", "yes")), responses: []string{"ask_restarted"}, slots: map[string]string{"lights_green": "yes"}},
				{in: say("no", ent("yes_no", "no")), replies: []string{"A technician will call."}, stack: none()},
			},
		},
		{
			name: "the asked question takes its answer",
			dir:  dir,
			turns: []exchange{
				{in: say("my internet is down", intent("internet_down", 0.9)), responses: []string{"ask_lights"}},
				{in: say("no", ent("yes_no", "no")), replies: []string{"The router has a fault."}, stack: none()},
			},
		},
	})
}

// A value with nothing around it but small words is the answer whatever its
// intent, so a handoff policy on that intent does not take it: "please" made
// a hotel's "Dec 14 to Dec 16 please" a request for a person.
func TestOnlyValueAnswerIsNotHandedOff(t *testing.T) {
	runConversations(t, []conversation{
		{
			name: "a value and please answers the question",
			dir:  shopDir,
			turns: []exchange{
				{in: say("I want a refund", intent("refund", 0.95)), responses: []string{"ask_order_id"}},
				{
					in:        say("AB123456 please", intent("human", 0.61), ent("order_id", "AB123456")),
					responses: []string{"ask_refund_reason"},
					slots:     map[string]string{"order_id": "AB123456"},
					stack:     []string{"refund"},
				},
			},
		},
		{
			name: "a value with a request for a person is handed off",
			dir:  shopDir,
			turns: []exchange{
				{in: say("I want a refund", intent("refund", 0.95)), responses: []string{"ask_order_id"}},
				{in: say("AB123456, get me a human", intent("human", 0.8), ent("order_id", "AB123456")), handoff: "general"},
			},
		},
	})
}
