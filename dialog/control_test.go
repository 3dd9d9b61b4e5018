package dialog

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

// The tests of dialog control, memory and the other features of the
// language's second edition, on policies/testdata/valid/second_edition, which the
// policies tests also hold to validate cleanly.

const controlDir = "../policies/testdata/valid/second_edition"

// remembering starts a conversation that remembers values, as the log of an
// earlier dialog would.
func remembering(values map[string]any) func(c *convo) {
	return func(c *convo) {
		ev := Event{Type: EventRemembered, Memory: values, At: c.now}
		c.st = Apply(c.st, ev)
		c.log = append(c.log, ev)
	}
}

func memoryIs(want map[string]any) func(t *testing.T, tn turn, c *convo) {
	return func(t *testing.T, _ turn, c *convo) {
		t.Helper()
		if diff := cmp.Diff(want, c.st.Memory); diff != "" {
			t.Errorf("memory (-want +got):\n%s", diff)
		}
	}
}

func TestMemoryAcrossDialogs(t *testing.T) {
	runConversations(t, []conversation{
		{
			// Issue 14: "Thanks! Can you cancel it?" after tracking asked for the order again.
			name: "a remembered order starts the next dialog",
			dir:  controlDir,
			turns: []exchange{
				{in: say("where is AB123456", intent("track", 0.9), ent("order_id", "AB123456")), responses: []string{"status"},
					calls: []string{"bank.get_order"}, check: memoryIs(map[string]any{"order_id": "AB123456"})},
				{in: say("refund it", intent("refund", 0.9)), responses: []string{"ask_reason"}, calls: []string{"bank.get_order"},
					slots: map[string]string{"order_id": "AB123456"}},
				{in: say("it's broken", entText("reason", "damaged", "broken")),
					replies:   []string{"Refunding AB123456 because: It arrived damaged.", "Anything else?"},
					responses: []string{"refunded", "anything_else"},
					check:     memoryIs(map[string]any{"order_id": "AB123456", "last_refund": "AB123456"})},
			},
		},
		{
			// "Track an order" after tracking one is about another order.
			name: "without a word pointing back, the remembered order is not assumed; \"the same one\" is it",
			dir:  controlDir,
			turns: []exchange{
				{in: say("where is AB123456", intent("track", 0.9), ent("order_id", "AB123456"))},
				{in: say("/track", intent("track", 1)), replies: []string{"Order number?"}},
				{in: say("the same one"), responses: []string{"status"}, calls: []string{"bank.get_order"}},
				{in: zh("这个订单我要退款", intent("refund", 0.9)), responses: []string{"ask_reason"}, slots: map[string]string{"order_id": "AB123456"}},
			},
		},
		{
			name: "a value in the message wins over the remembered one",
			dir:  controlDir,
			turns: []exchange{
				{in: say("where is AB123456", intent("track", 0.9), ent("order_id", "AB123456"))},
				{in: say("refund CD654321", intent("refund", 0.9), ent("order_id", "CD654321")), slots: map[string]string{"order_id": "CD654321"},
					check: memoryIs(map[string]any{"order_id": "CD654321"})},
			},
		},
		{
			name: "a remember action adds up over the conversation",
			dir:  controlDir,
			turns: []exchange{
				{in: say("pay 50", intent("pay_card", 0.9), entText("money", "50", "50")), replies: []string{"Paid 50; 50 in all."}},
				{in: say("pay 20 more", intent("pay_card", 0.9), entText("money", "20", "20")), replies: []string{"Paid 20; 70 in all."},
					check: memoryIs(map[string]any{"paid": 70.0})},
			},
		},
		{
			name: "a session that times out forgets",
			dir:  controlDir,
			turns: []exchange{
				{in: say("where is AB123456", intent("track", 0.9), ent("order_id", "AB123456"))},
				{in: say("refund please", intent("refund", 0.9)), advance: 31 * time.Minute, replies: []string{"Order number?"}},
			},
		},
		{
			name: "a remembered value with a reuse_prompt is offered; yes takes it",
			dir:  controlDir,
			turns: []exchange{
				{in: say("contact", intent("contact", 0.9)), replies: []string{"Your email?"}},
				{in: say("ann@example.com", ent("email", "ann@example.com")), replies: []string{"What about?"}},
				{in: say("my invoice"), replies: []string{"We'll write to ann@example.com about my invoice."}},
				{in: say("contact", intent("contact", 0.9)), replies: []string{"Use ann@example.com again?"}},
				{in: yes(), replies: []string{"What about?"}, slots: map[string]string{"email": "ann@example.com"}},
			},
		},
		{
			name:  "no to the offered value asks; another value replaces it",
			dir:   controlDir,
			setup: remembering(map[string]any{"email": "ann@example.com"}),
			turns: []exchange{
				{in: say("contact", intent("contact", 0.9)), replies: []string{"Use ann@example.com again?"}},
				{in: say("no", ent("yes_no", "no")), replies: []string{"Your email?"}},
				{in: say("bo@example.com", ent("email", "bo@example.com")), replies: []string{"What about?"},
					check: memoryIs(map[string]any{"email": "bo@example.com"})},
			},
		},
		{
			name:  "an email instead of yes or no is the answer",
			dir:   controlDir,
			setup: remembering(map[string]any{"email": "ann@example.com"}),
			turns: []exchange{
				{in: say("contact", intent("contact", 0.9)), replies: []string{"Use ann@example.com again?"}},
				{in: say("no, use bo@example.com", ent("yes_no", "no"), ent("email", "bo@example.com")), replies: []string{"What about?"},
					slots: map[string]string{"email": "bo@example.com"}},
			},
		},
		{
			// Issue 18: the intent that starts a search fixes its kind.
			name: "a default read from the trigger intent",
			dir:  controlDir,
			turns: []exchange{
				{in: say("search returns", intent("search_returns", 0.9)), replies: []string{"Searching returns."}},
				{in: say("search", intent("search", 0.9)), replies: []string{"Search what?"}},
			},
		},
	})
}

func TestDialogStackControl(t *testing.T) {
	transferAsking := []exchange{
		{in: say("transfer", intent("transfer", 0.9)), replies: []string{"From which account?"}},
		{in: say("savings", entText("account", "savings", "savings")), calls: []string{"bank.balance"}, replies: []string{"How much?"}},
	}
	runConversations(t, []conversation{
		{
			name: "interrupt ask: yes stacks the other dialog, then asks to go back",
			dir:  controlDir,
			turns: append(transferAsking,
				exchange{in: say("pay my card 50", intent("pay_card", 0.9), entText("money", "50", "50")),
					replies: []string{"We haven't finished your transfer yet. Switch to paying your card?"}, stack: []string{"transfer"}},
				exchange{in: yes(), replies: []string{"Paid 50; 50 in all.", "Go back to the transfer?"}, stack: []string{"transfer"}},
				exchange{in: yes(), replies: []string{"How much?"}},
				exchange{in: say("100", entText("money", "100", "100")), replies: []string{"Sent 102, fee included."}, stack: none()},
			),
		},
		{
			name: "interrupt ask: no carries on",
			dir:  controlDir,
			turns: append(transferAsking,
				exchange{in: say("pay my card", intent("pay_card", 0.9)), replies: []string{"We haven't finished your transfer yet. Switch to paying your card?"}},
				exchange{in: say("no", ent("yes_no", "no")), replies: []string{"How much?"}, stack: []string{"transfer"}},
			),
		},
		{
			name: "resume ask: no drops the interrupted dialog",
			dir:  controlDir,
			turns: append(transferAsking,
				exchange{in: say("pay my card 50", intent("pay_card", 0.9), entText("money", "50", "50"))},
				exchange{in: yes(), replies: []string{"Paid 50; 50 in all.", "Go back to the transfer?"}},
				exchange{in: say("no", ent("yes_no", "no")), replies: []string{"OK, I've left your transfer. What else can I help you with?"}, stack: none()},
			),
		},
		{
			name: "resume ask after a side question",
			dir:  controlDir,
			turns: append(transferAsking,
				exchange{in: say("when are you open?", intent("hours", 0.9)), replies: []string{"We're open 9-6.", "Go back to the transfer?"}},
				exchange{in: say("100", entText("money", "100", "100")), replies: []string{"Sent 102, fee included."}},
			),
		},
		{
			name: "interrupt abandon: the other dialog takes over",
			dir:  controlDir,
			turns: []exchange{
				{in: say("search", intent("search", 0.9)), replies: []string{"Search what?"}},
				{in: say("where is AB123456", intent("track", 0.9), ent("order_id", "AB123456")), responses: []string{"status"}, stack: none()},
			},
		},
		{
			// Issue 14: after a nested dialog the bot re-asked a bare question.
			name: "back to the dialog below, saying what for",
			dir:  controlDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("track AB123456", intent("track", 0.9), ent("order_id", "AB123456")), replies: []string{"Order AB123456 is on its way.", "Back to your refund: Order number?"}},
			},
		},
		{
			name: "the dialogs' when and messages see the stack",
			dir:  controlDir,
			turns: append(transferAsking,
				exchange{in: say("pay my card 50", intent("pay_card", 0.9), entText("money", "50", "50")), check: func(t *testing.T, _ turn, c *convo) {
					sc := (&decider{bot: c.bot, st: c.st}).scope()
					if sc.Conversation.Dialog != "transfer" || sc.Conversation.NextDialog != "pay_card" || len(sc.Conversation.Dialogs) != 1 {
						t.Errorf("conversation = %+v", sc.Conversation)
					}
				}},
			),
		},
	})
}

func TestOfferToContinue(t *testing.T) {
	runConversations(t, []conversation{
		{
			name: "after the retries run out the dialog keeps its slots and asks to carry on",
			dir:  controlDir,
			turns: []exchange{
				{in: say("transfer from checking", intent("transfer", 0.9), entText("account", "checking", "checking")), calls: []string{"bank.balance"}, replies: []string{"How much?"}},
				{in: say("500", entText("money", "500", "500")), replies: []string{"Not enough money for 500 plus the fee."}},
				{in: say("400", entText("money", "400", "400")), replies: []string{"Shall we carry on with the transfer?"}, stack: []string{"transfer"}},
				{in: yes(), replies: []string{"How much?"}, slots: map[string]string{"account": "checking"}},
				{in: say("90", entText("money", "90", "90")), replies: []string{"Sent 92, fee included."}},
			},
		},
	})
}

// Issue 18: "Pay Karen 60 euros" answered "you don't have enough money", since
// the validate that reads the balance ran before the balance call.
func TestValidateAfterTheCallsItReads(t *testing.T) {
	runConversations(t, []conversation{
		{
			name: "every slot in the first message",
			dir:  controlDir,
			turns: []exchange{
				{in: say("transfer 60 from savings", intent("transfer", 0.9), entText("money", "60", "60"), entText("account", "savings", "savings")),
					calls: []string{"bank.balance"}, replies: []string{"Sent 62, fee included."}},
			},
		},
		{
			// Issue 18: a failed validation re-asked without the invalid message.
			name: "an amount given while the account is asked waits for the account's balance",
			dir:  controlDir,
			turns: []exchange{
				{in: say("transfer", intent("transfer", 0.9)), replies: []string{"From which account?"}},
				{in: say("send 500", entText("money", "500", "500")), calls: none(), replies: []string{"From which account?"}},
				{in: say("checking", entText("account", "checking", "checking")), calls: []string{"bank.balance"},
					replies: []string{"Not enough money for 500 plus the fee."}},
				{in: say("60", entText("money", "60", "60")), replies: []string{"Sent 62, fee included."}},
			},
		},
		{
			name: "too much, from the first message: the invalid message, then the question stands",
			dir:  controlDir,
			turns: []exchange{
				{in: say("transfer 600 from checking", intent("transfer", 0.9), entText("money", "600", "600"), entText("account", "checking", "checking")),
					calls: []string{"bank.balance"}, replies: []string{"Not enough money for 600 plus the fee."}},
				{in: say("50", entText("money", "50", "50")), replies: []string{"Sent 52, fee included."}},
			},
		},
	})
}

// Rasa's validate_email: a value is checked by calling a system with it.
func TestValidateByACallThatReadsTheSlot(t *testing.T) {
	runConversations(t, []conversation{{
		name: "an unknown email is refused, a known one taken",
		dir:  controlDir,
		turns: []exchange{
			{in: say("open an incident", intent("incident", 0.9)), replies: []string{"Your email?"}},
			{in: say("bo@example.com", ent("email", "bo@example.com")), calls: []string{"bank.find_user"},
				replies: []string{`Sorry, "bo@example.com" isn't in our directory.`}, stack: []string{"incident"}},
			{in: say("ann@example.com", ent("email", "ann@example.com")), calls: []string{"bank.find_user"},
				replies: []string{"Incident opened for U1."}, stack: none()},
		},
	}, {
		name: "given with the trigger",
		dir:  controlDir,
		turns: []exchange{
			{in: say("open an incident for ann@example.com", intent("incident", 0.9), ent("email", "ann@example.com")),
				calls: []string{"bank.find_user"}, replies: []string{"Incident opened for U1."}},
		},
	}})
}

func TestSeveralRepliesAndLastResponse(t *testing.T) {
	runConversations(t, []conversation{
		{
			name: "an answer says two responses; yes after the offer gets a thumbs up",
			dir:  controlDir,
			turns: []exchange{
				{in: say("hi", intent("greet", 0.9)), responses: []string{"greet", "offer_help"}},
				{in: yes(), replies: []string{"👍 What can I do?"}},
				{in: yes(), replies: []string{"Sure, what can I help you with?"}},
				// once = true: the rule does not apply again.
				{in: say("hi", intent("greet", 0.9)), responses: []string{"greet", "offer_help"}},
				{in: yes(), replies: []string{"Sure, what can I help you with?"}},
			},
		},
	})
}

func TestResponseCasesLabelsAndButtons(t *testing.T) {
	track := func(id string) Input { return say("where is "+id, intent("track", 0.9), ent("order_id", id)) }
	runConversations(t, []conversation{
		{
			// Issue 14: "当前状态：delivered", and a delivered order that "should arrive".
			name: "a case for a delivered order, labels in Chinese",
			dir:  controlDir,
			turns: []exchange{
				{in: track("CD654321"), replies: []string{"Order CD654321 was delivered."}},
				{in: zh("AB123456 到哪了", intent("track", 0.9), ent("order_id", "AB123456")), replies: []string{"订单 AB123456：已发货。"}},
			},
		},
		{
			name:  "a case per channel",
			dir:   controlDir,
			setup: func(c *convo) { c.channel = "sms" },
			turns: []exchange{{in: track("AB123456"), replies: []string{"AB123456: shipped"}}},
		},
		{
			name: "a button carries the order; value buttons offer the reasons",
			dir:  controlDir,
			turns: []exchange{
				{in: track("AB123456"), check: func(t *testing.T, tn turn, _ *convo) {
					want := []ReplyButton{{Label: "Refund it", Payload: `/refund{"order_id":"AB123456"}`}}
					if diff := cmp.Diff(want, lastReply(tn).Buttons); diff != "" {
						t.Errorf("buttons (-want +got):\n%s", diff)
					}
				}},
				{in: func() Input {
					in := say("/refund", intent("refund", 1))
					in.Message.Values = map[string]string{"order_id": "CD654321"}
					return in
				}(), slots: map[string]string{"order_id": "CD654321"}, check: func(t *testing.T, tn turn, _ *convo) {
					want := []ReplyButton{{Label: "It arrived damaged", Payload: "damaged"}, {Label: "It came too late", Payload: "late"}}
					if diff := cmp.Diff(want, lastReply(tn).Buttons); diff != "" {
						t.Errorf("buttons (-want +got):\n%s", diff)
					}
				}},
			},
		},
	})
}

func lastReply(tn turn) *Reply {
	for i := len(tn.Effects) - 1; i >= 0; i-- {
		if r := tn.Effects[i].Reply; r != nil {
			return r
		}
	}
	return &Reply{}
}

func TestPayload(t *testing.T) {
	tests := []struct {
		in, base string
		values   map[string]string
	}{
		{`/refund{"order_id":"AB123456"}`, "/refund", map[string]string{"order_id": "AB123456"}},
		{`/inform{"priority":"high","n":3}`, "/inform", map[string]string{"priority": "high", "n": "3"}},
		{`/refund`, "/refund", nil},
		{`I paid {"a":1}`, `I paid {"a":1}`, nil},
		{`/refund{broken`, `/refund{broken`, nil},
	}
	for _, tt := range tests {
		base, values := ParsePayload(tt.in)
		if base != tt.base || !cmp.Equal(values, tt.values) {
			t.Errorf("ParsePayload(%q) = %q, %v; want %q, %v", tt.in, base, values, tt.base, tt.values)
		}
	}
	if got := FormatPayload("/refund", map[string]string{"order_id": "AB123456"}); got != `/refund{"order_id":"AB123456"}` {
		t.Errorf("FormatPayload = %q", got)
	}
}

func TestHandoffTargetsAndLiveFacts(t *testing.T) {
	sunday := time.Date(2026, 11, 22, 21, 0, 0, 0, shanghai(t))
	runConversations(t, []conversation{
		{
			// Issue 14: queue = customer.vip ? queue.vip : queue.general failed to validate.
			name:     "a queue chosen by a condition",
			dir:      controlDir,
			customer: cty.ObjectVal(map[string]cty.Value{"vip": cty.True}),
			turns:    []exchange{{in: say("human", intent("human", 0.9)), handoff: "vip", replies: []string{"Connecting you."}}},
		},
		{
			// The README's demo at 06:33 in Shanghai took a message although an
			// agent was online.
			name:  "after hours with an agent online: handed off",
			dir:   controlDir,
			now:   sunday,
			setup: func(c *convo) { c.agents = map[string]int{"general": 1} },
			turns: []exchange{{in: say("human", intent("human", 0.9)), handoff: "general"}},
		},
		{
			name: "after hours with nobody online: the rule sees which policy and queue",
			dir:  controlDir,
			now:  sunday,
			turns: []exchange{{in: say("human", intent("human", 0.9)),
				replies: []string{"Closed (asked wanted general); leave a message.", "Your number?"}, stack: []string{"leave_message"}}},
		},
	})
}

// Issue 14: after hours, stuck (failures >= 2) plus the on-handoff rule that
// starts leave_message looped: the phone number was never accepted.
func TestStuckPolicyAfterHoursTakesTheMessage(t *testing.T) {
	sunday := time.Date(2026, 11, 22, 21, 0, 0, 0, shanghai(t))
	runConversations(t, []conversation{{
		name: "stuck, then a message",
		dir:  controlDir,
		now:  sunday,
		turns: []exchange{
			{in: say("blah")},
			{in: say("blah blah"), replies: []string{"Closed (stuck wanted general); leave a message.", "Your number?"}, stack: []string{"leave_message"}},
			{in: say("qwerty"), replies: []string{"That's not a number."}, stack: []string{"leave_message"}},
			{in: say("13812345678", ent("phone", "13812345678")), replies: []string{"Your message?"}, stack: []string{"leave_message"}},
			{in: say("call me"), ticket: "callbacks", stack: none()},
		},
	}})
}

// Issue 14: a handoff policy fired again and again in one conversation.
func TestHandoffPolicyOnce(t *testing.T) {
	runConversations(t, []conversation{{
		name: "an angry customer is handed off once",
		dir:  controlDir,
		turns: []exchange{
			{in: say("this is rubbish", sentiment(-0.9)), handoff: "general", replies: []string{"Sorry! Getting someone."}},
			{in: Input{HandBack: &HandBack{Agent: "ann"}}},
			{in: say("still rubbish", sentiment(-0.9)), replies: []string{"Sorry, I didn't understand that. Could you put it another way?"}},
		},
	}})
}

func TestLooksLikeQuestion(t *testing.T) {
	for text, want := range map[string]bool{
		"where is my order BX100001?":   true,
		"who pays for return shipping":  true,
		"do you ship abroad":            true,
		"do it":                         false,
		"my order is AB123456":          false,
		"12 Main Street, London N1 2AB": false,
		"这个订单到哪了":                       true,
		"退货运费谁出":                        true,
		"送到北京市朝阳区":                      false,
		"":                              false,
	} {
		if got := looksLikeQuestion(text); got != want {
			t.Errorf("looksLikeQuestion(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestIsAcknowledgement(t *testing.T) {
	for text, want := range map[string]bool{
		"yes": true, "No.": true, "ok": true, "thanks!": true, "ok, thanks": true, "好的": true, "谢谢": true, "好的，谢谢": true,
		"yes please refund it": false, "thanks for nothing, where is my parcel": false, "": false,
	} {
		if got := IsAcknowledgement(text); got != want {
			t.Errorf("IsAcknowledgement(%q) = %v, want %v", text, got, want)
		}
	}
}
