package dialog

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/policies"
)

const miniDir = "testdata/mini"

// exchange is one input and what must hold after the bot's turn. Unset fields
// are not checked; replies: []string{} means the bot says nothing.
type exchange struct {
	in      Input
	advance time.Duration // move the clock before this input
	replies []string
	// responses are the response blocks the replies came from (inline replies have none).
	responses []string
	calls     []string
	slots     map[string]string
	stack     []string // the dialog stack after the turn; []string{} for none
	handoff   string   // queue
	ticket    string   // queue
	ended     bool
	check     func(t *testing.T, tn turn, c *convo)
}

type conversation struct {
	name     string
	dir      string
	bot      *policies.Bot // instead of dir
	now      time.Time
	customer cty.Value
	setup    func(c *convo)
	turns    []exchange
}

func runConversations(t *testing.T, cases []conversation) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bot := tc.bot
			if bot == nil {
				bot = loadBot(t, tc.dir)
			}
			c := newConvo(t, bot, "conv-"+tc.name)
			if !tc.now.IsZero() {
				c.now = tc.now
			}
			c.customer = tc.customer
			if tc.setup != nil {
				tc.setup(c)
			}
			for i, x := range tc.turns {
				c.now = c.now.Add(time.Second + x.advance)
				tn := c.send(x.in)
				where := func() string {
					if x.in.Message != nil {
						return x.in.Message.Text
					}
					return "(hand back)"
				}
				if x.replies != nil {
					if diff := cmp.Diff(x.replies, tn.Replies, stateOpts); diff != "" {
						t.Errorf("turn %d %q: replies (-want +got):\n%s\nevents: %v\nerrors: %q", i, where(), diff, tn.eventTypes(), tn.errors())
					}
				}
				if x.responses != nil {
					if diff := cmp.Diff(x.responses, tn.Responses, stateOpts); diff != "" {
						t.Errorf("turn %d %q: responses (-want +got):\n%s\nreplies: %q\nerrors: %q", i, where(), diff, tn.Replies, tn.errors())
					}
				}
				if x.calls != nil {
					if diff := cmp.Diff(x.calls, tn.Calls, stateOpts); diff != "" {
						t.Errorf("turn %d %q: calls (-want +got):\n%s", i, where(), diff)
					}
				}
				if x.slots != nil {
					if diff := cmp.Diff(x.slots, c.slots()); diff != "" {
						t.Errorf("turn %d %q: slots (-want +got):\n%s", i, where(), diff)
					}
				}
				if x.stack != nil {
					if diff := cmp.Diff(x.stack, c.stack(), stateOpts); diff != "" {
						t.Errorf("turn %d %q: stack (-want +got):\n%s", i, where(), diff)
					}
				}
				if x.handoff != "" {
					if tn.Handoff == nil || tn.Handoff.Queue != x.handoff {
						t.Errorf("turn %d %q: handoff = %+v, want queue %q", i, where(), tn.Handoff, x.handoff)
					}
				}
				if x.ticket != "" {
					if tn.Ticket == nil || tn.Ticket.Queue != x.ticket {
						t.Errorf("turn %d %q: ticket = %+v, want queue %q", i, where(), tn.Ticket, x.ticket)
					}
				}
				if tn.Ended != x.ended {
					t.Errorf("turn %d %q: ended = %v, want %v", i, where(), tn.Ended, x.ended)
				}
				if x.check != nil {
					x.check(t, tn, c)
				}
			}
		})
	}
}

func none() []string { return []string{} }

func handBack() Input { return Input{HandBack: &HandBack{Agent: "amy", Note: "sorted"}} }

func TestMiniConversations(t *testing.T) {
	orderEnt := func(id string) nluOpt { return ent("order_id", id) }
	runConversations(t, []conversation{
		{
			name: "several slots from one message, then confirm yes",
			dir:  miniDir,
			turns: []exchange{
				{
					in:      say("refund AB123456 it is broken", intent("refund", 0.9), orderEnt("AB123456"), entText("reason", "damaged", "broken")),
					replies: []string{"Refund AB123456 (320)?"},
					calls:   []string{"orders.get_order"},
					slots:   map[string]string{"order_id": "AB123456", "reason": "damaged"},
					stack:   []string{"refund"},
					check: func(t *testing.T, tn turn, c *convo) {
						var buttons []ReplyButton
						for _, e := range tn.Effects {
							if e.Reply != nil {
								buttons = e.Reply.Buttons
							}
						}
						want := []ReplyButton{{Label: "Yes", Payload: "yes"}, {Label: "No", Payload: "no"}}
						if diff := cmp.Diff(want, buttons); diff != "" {
							t.Errorf("buttons (-want +got):\n%s", diff)
						}
					},
				},
				{
					in:      say("yes"),
					replies: []string{"Refunded AB123456: RF-AB123456."},
					calls:   []string{"orders.refund"},
					stack:   none(),
				},
			},
		},
		{
			name: "slots one at a time; a reply read as the asked type without an entity",
			dir:  miniDir,
			turns: []exchange{
				{in: say("I want a refund", intent("refund", 0.9)), replies: []string{"Order number?"}, calls: none()},
				{in: say("ab123456"), replies: []string{"Why?"}, calls: []string{"orders.get_order"}, slots: map[string]string{"order_id": "AB123456"}},
				{in: say("too late", entText("reason", "late", "too late")), replies: []string{"Refund AB123456 (320)?"}},
				// Neutral: "cancelled" would read as if the order itself was (issue 14).
				{in: say("no"), replies: []string{"OK, I won't go ahead with that."}, stack: none(), calls: none()},
			},
		},
		{
			name: "invalid value re-asks with the validation message, then the retry limit hands off",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund please", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("my order is lost"), replies: []string{"Bad order number."}, stack: []string{"refund"}},
				{in: say("the one from Tuesday"), replies: []string{"Let me get someone."}, handoff: "general", stack: none(),
					check: func(t *testing.T, tn turn, c *convo) {
						want := &HandoffRequest{
							Queue: "general", Skill: "cs", Priority: "normal", Reason: "refund",
							Summary:     `Abandoned refund, asked as "refund please"; its answers were not accepted. Reason: refund.order_id.`,
							Share:       []string{"transcript", "slots", "summary"},
							AutoSummary: true,
						}
						if diff := cmp.Diff(want, tn.Handoff, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Reason" }, cmp.Ignore())); diff != "" {
							t.Errorf("handoff (-want +got):\n%s", diff)
						}
					}},
			},
		},
		{
			name: "digression to an answer, then back to the open question",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("when are you open?", intent("hours", 0.8)), replies: []string{"We're open 9-6.", "Order number?"}, stack: []string{"refund"}},
				{in: say("AB123456", orderEnt("AB123456")), replies: []string{"Why?"}},
			},
		},
		{
			name: "the asked value with a Chinese intent not settled is the answer",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), orderEnt("AB123456")), replies: []string{"Why?"}},
				{
					in:      zh("收到的时候已经坏了", intent("track", 0.7), entText("reason", "damaged", "坏了")),
					replies: []string{"退款 AB123456？"},
					stack:   []string{"refund"},
					slots:   map[string]string{"order_id": "AB123456", "reason": "damaged"},
				},
			},
		},
		{
			// any English intent the bot accepts is settled
			name: "the asked value with a settled intent of another dialog is a digression",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), orderEnt("AB123456")), replies: []string{"Why?"}},
				{
					in:    say("it was already broken when it came", intent("track", 0.6), entText("reason", "damaged", "broken")),
					stack: []string{"refund", "track"},
				},
			},
		},
		{
			name: "digression to another dialog and resumption",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), orderEnt("AB123456")), replies: []string{"Why?"}},
				{
					in:      say("where is CD654321", intent("track", 0.8), orderEnt("CD654321")),
					replies: []string{"Order CD654321 is processing.", "Back to where we were: Why?"},
					calls:   []string{"orders.get_order"},
					stack:   []string{"refund"},
					slots:   map[string]string{"order_id": "AB123456"},
					check: func(t *testing.T, tn turn, c *convo) {
						want := []string{
							"message_received", "intent_recognized", "dialog_started", "slot_filled", "call_requested",
							"call_completed", "rule_applied", "reply_sent", "dialog_completed", "dialog_resumed",
							"slot_requested", "reply_sent",
						}
						if diff := cmp.Diff(want, tn.eventTypes()); diff != "" {
							t.Errorf("events (-want +got):\n%s", diff)
						}
					},
				},
				{in: say("broken", entText("reason", "damaged", "broken")), replies: []string{"Refund AB123456 (320)?"}, calls: none()},
			},
		},
		{
			name: "correcting a filled slot re-runs the call that reads it",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), orderEnt("AB123456")), calls: []string{"orders.get_order"}},
				{in: say("broken", entText("reason", "damaged", "broken")), replies: []string{"Refund AB123456 (320)?"}},
				{
					in:      say("actually it's CD654321", orderEnt("CD654321"), correction()),
					replies: []string{"Refund CD654321 (1280)?"},
					calls:   []string{"orders.get_order"},
					slots:   map[string]string{"order_id": "CD654321", "reason": "damaged"},
				},
				{in: say("yes"), replies: []string{"Refunded CD654321: RF-CD654321."}},
			},
		},
		{
			name: "a question at the confirmation is answered, then the confirmation is asked again",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456 broken", intent("refund", 0.9), orderEnt("AB123456"), entText("reason", "damaged", "broken")), replies: []string{"Refund AB123456 (320)?"}},
				{in: say("when are you open", intent("hours", 0.9)), replies: []string{"We're open 9-6.", "Refund AB123456 (320)?"}},
				{in: say("hmm"), replies: []string{"Refund AB123456 (320)?"}},
				{in: say("好的", lang("zh")), replies: []string{"Refunded AB123456: RF-AB123456."}},
			},
		},
		{
			name: "cancel in English",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("never mind", cancel()), replies: []string{"OK, I've cancelled that."}, stack: none()},
			},
		},
		{
			name: "cancel in Chinese",
			dir:  miniDir,
			turns: []exchange{
				{in: say("我要退款", intent("refund", 0.9), lang("zh")), replies: []string{"Order number?"}},
				{in: say("算了", cancel(), lang("zh")), replies: []string{"好的，已取消。"}, stack: none()},
				{in: say("什么", lang("zh")), replies: []string{"什么？"}},
			},
		},
		{
			name: "cancelling a digressed dialog resumes the one below",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("call me back", intent("callback", 0.9)), replies: []string{"Your number?"}, stack: []string{"refund", "callback"}},
				{in: say("forget it", cancel()), replies: []string{"OK, I've cancelled that.", "Back to where we were: Order number?"}, stack: []string{"refund"}},
			},
		},
		{
			name: "dialog stack limit",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("track", intent("track", 0.9)), replies: []string{"Which order?"}, stack: []string{"refund", "track"}},
				{in: say("callback", intent("callback", 0.9)), replies: []string{"Your number?"}, stack: []string{"refund", "track", "callback"}},
				{
					in:      say("refund", intent("refund", 0.9)),
					replies: []string{"Let's finish this first, then I'll help with that.", "Your number?"},
					stack:   []string{"refund", "track", "callback"},
				},
			},
		},
		{
			name: "handed-off silence and hand-back",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("get me a human", intent("human", 0.9)), replies: []string{"Connecting you."}, handoff: "general", stack: none()},
				{in: say("hello?"), replies: none(), check: func(t *testing.T, tn turn, c *convo) {
					if diff := cmp.Diff([]string{"message_received"}, tn.eventTypes()); diff != "" {
						t.Errorf("events (-want +got):\n%s", diff)
					}
				}},
				{in: handBack(), replies: none(), check: func(t *testing.T, tn turn, c *convo) {
					if diff := cmp.Diff([]string{"handed_back"}, tn.eventTypes()); diff != "" {
						t.Errorf("events (-want +got):\n%s", diff)
					}
					if c.st.HandedOff {
						t.Error("still handed off after the hand-back")
					}
				}},
				{in: say("when are you open", intent("hours", 0.9)), replies: []string{"We're open 9-6."}},
				{in: handBack(), replies: none(), check: func(t *testing.T, tn turn, c *convo) {
					if len(tn.Events) != 0 {
						t.Errorf("a hand-back while the bot has the conversation logged %v", tn.eventTypes())
					}
				}},
			},
		},
		{
			name: "not understood three times reaches the stuck policy",
			dir:  miniDir,
			turns: []exchange{
				{in: say("blah"), replies: []string{"Sorry?"}},
				{in: say("blah blah", intent("track", 0.2)), replies: []string{"Sorry?"}},
				{in: say("   "), replies: []string{"Sorry?"}}, // empty: not a failure
				{in: say("blah blah blah"), replies: []string{"Let me get a colleague."}, handoff: "general",
					check: func(t *testing.T, tn turn, c *convo) {
						if tn.Handoff.Summary != `The bot failed to understand the customer 3 times; last: "blah blah blah". Reason: stuck.` {
							t.Errorf("summary = %q", tn.Handoff.Summary)
						}
					}},
			},
		},
		{
			name: "a confident intent resets the failure count",
			dir:  miniDir,
			turns: []exchange{
				{in: say("blah"), replies: []string{"Sorry?"}},
				{in: say("blah"), replies: []string{"Sorry?"}},
				{in: say("hours?", intent("hours", 0.9)), replies: []string{"We're open 9-6."}},
				{in: say("blah"), replies: []string{"Sorry?"}},
				{in: say("blah"), replies: []string{"Sorry?"}, check: func(t *testing.T, tn turn, c *convo) {
					if c.st.Failures != 2 {
						t.Errorf("failures = %d, want 2", c.st.Failures)
					}
				}},
			},
		},
		{
			name: "session expiry starts over",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("AB123456", orderEnt("AB123456")), advance: 31 * time.Minute, replies: []string{"Sorry?"}, stack: none(),
					check: func(t *testing.T, tn turn, c *convo) {
						if tn.Events[0].Type != EventSessionExpired {
							t.Errorf("first event = %s, want session_expired", tn.Events[0].Type)
						}
					}},
				{in: say("refund", intent("refund", 0.9)), advance: 29 * time.Minute, replies: []string{"Order number?"}},
				{in: say("AB123456", orderEnt("AB123456")), advance: 29 * time.Minute, replies: []string{"Why?"}},
			},
		},
		{
			name: "after-hours handoff takes a message instead",
			dir:  miniDir,
			now:  time.Date(2026, 11, 22, 13, 0, 0, 0, time.UTC), // Sunday 21:00 in Shanghai
			turns: []exchange{
				{in: say("human please", intent("human", 0.9)), replies: []string{"We're closed; leave a message.", "Your number?"}, stack: []string{"callback"}},
				{in: say("12345", entText("number", "12345", "12345")), replies: []string{"Too short."}},
				{in: say("13812345678", ent("phone", "13812345678")), replies: []string{"Your message?"}, slots: map[string]string{"phone": "13812345678"}},
				{in: say("please call about my refund", intent("refund", 0.9)), replies: []string{"Ticket T-1."}, ticket: "callbacks", stack: none(),
					check: func(t *testing.T, tn turn, c *convo) {
						want := &TicketRequest{Queue: "callbacks", Subject: "Call 13812345678: please call about my refund", Priority: "low", Language: "en"}
						if diff := cmp.Diff(want, tn.Ticket); diff != "" {
							t.Errorf("ticket (-want +got):\n%s", diff)
						}
					}},
			},
		},
		{
			name: "connector error reasks the slot, then the retry limit applies",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund ZZ999999", intent("refund", 0.9), orderEnt("ZZ999999")), replies: []string{"No order ZZ999999.", "Order number?"}, calls: []string{"orders.get_order"}, slots: map[string]string{}},
				{in: say("AB123456", orderEnt("AB123456")), replies: []string{"Why?"}, calls: []string{"orders.get_order"}},
			},
		},
		{
			name: "connector errors exhaust the slot",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund ZZ999999", intent("refund", 0.9), orderEnt("ZZ999999")), replies: []string{"No order ZZ999999.", "Order number?"}},
				{in: say("ZZ999998", orderEnt("ZZ999998")), replies: []string{"No order ZZ999998.", "Let me get someone."}, handoff: "general"},
			},
		},
		{
			name: "a call without on_error says the error reply and cancels",
			dir:  miniDir,
			turns: []exchange{
				{in: say("track ZZ999999", intent("track", 0.9), orderEnt("ZZ999999")), replies: []string{"Oops."}, stack: none()},
			},
		},
		{
			name: "dialogs that start each other hit the step limit",
			dir:  miniDir,
			turns: []exchange{
				{in: say("loop", intent("loop", 0.9)), replies: []string{"Oops."}, stack: none(), check: func(t *testing.T, tn turn, c *convo) {
					if len(tn.errors()) != 1 {
						t.Errorf("errors = %q, want one", tn.errors())
					}
				}},
				{in: say("hours", intent("hours", 0.9)), replies: []string{"We're open 9-6."}},
			},
		},
		{
			name: "an answer with end ends the conversation; the next message starts over",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("bye", intent("bye", 0.9)), replies: []string{"Bye!"}, ended: true, stack: none()},
				{in: say("hello again"), replies: []string{"Sorry?"}},
			},
		},
		{
			name: "a text slot takes the whole message, even one that looks like an intent",
			dir:  miniDir,
			turns: []exchange{
				{in: say("callback", intent("callback", 0.9)), replies: []string{"Your number?"}},
				{in: say("+86 138-1234-5678"), replies: []string{"Your message?"}, slots: map[string]string{"phone": "+8613812345678"}},
				{in: say("my order never came, please call", intent("track", 0.9)), replies: []string{"Ticket T-1."}},
			},
		},
		{
			// A number in a description ("24寸", "4 wheels") silently changed a
			// slot already filled, or had the bot refuse it as that slot's value.
			name: "a text slot's answer does not correct the slots already filled",
			dir:  miniDir,
			turns: []exchange{
				{in: say("callback", intent("callback", 0.9)), replies: []string{"Your number?"}},
				{in: say("+86 138-1234-5678"), replies: []string{"Your message?"}},
				{in: say("my other line 139 0000 1111 is dead", ent("phone", "13900001111")), replies: []string{"Ticket T-1."}, ticket: "callbacks",
					check: func(t *testing.T, tn turn, c *convo) {
						if want := "Call +8613812345678: my other line 139 0000 1111 is dead"; tn.Ticket.Subject != want {
							t.Errorf("ticket subject = %q, want %q", tn.Ticket.Subject, want)
						}
					}},
			},
		},
		{
			name: "a correction at a text slot still corrects",
			dir:  miniDir,
			turns: []exchange{
				{in: say("callback", intent("callback", 0.9)), replies: []string{"Your number?"}},
				{in: say("+86 138-1234-5678"), replies: []string{"Your message?"}},
				{in: say("actually it's 139 0000 1111", ent("phone", "13900001111"), correction()), slots: map[string]string{"phone": "13900001111"}},
			},
		},
		{
			// Issue 14: "who pays for return shipping?" became the new address.
			name: "a plain question in a text slot is a digression",
			dir:  miniDir,
			turns: []exchange{
				{in: say("callback", intent("callback", 0.9)), replies: []string{"Your number?"}},
				{in: say("+86 138-1234-5678"), replies: []string{"Your message?"}},
				{in: say("where is my order CD654321?", intent("track", 0.9), ent("order_id", "CD654321")), calls: []string{"orders.get_order"},
					replies: []string{"Order CD654321 is processing.", "Back to where we were: Your message?"}, stack: []string{"callback"}},
				{in: say("please call me about my sofa"), replies: []string{"Ticket T-1."}, stack: none()},
			},
		},
		{
			name: "Chinese variants and buttons",
			dir:  miniDir,
			turns: []exchange{
				{in: say("啊啊", lang("zh")), replies: []string{"什么？"}, check: func(t *testing.T, tn turn, c *convo) {
					want := []ReplyButton{{Label: "查询", Payload: "/track"}}
					if diff := cmp.Diff(want, tn.Effects[0].Reply.Buttons); diff != "" {
						t.Errorf("buttons (-want +got):\n%s", diff)
					}
				}},
				// A language the bot doesn't speak keeps the conversation's language.
				{in: say("xx", lang("fr")), replies: []string{"什么？"}},
			},
		},
	})
}

func TestIdempotencyKeysAreDeterministic(t *testing.T) {
	bot := loadBot(t, miniDir)
	st := NewState("conv-123")
	in := say("refund AB123456 broken", intent("refund", 0.9), ent("order_id", "AB123456"), entText("reason", "damaged", "broken"))
	in.Now = monday10
	st1, effs1, evs1 := Step(bot, st, in)
	st2, effs2, evs2 := Step(bot, st, in) // a retried turn
	if diff := cmp.Diff(effs1, effs2); diff != "" {
		t.Fatalf("effects differ on retry:\n%s", diff)
	}
	if diff := cmp.Diff(evs1, evs2); diff != "" {
		t.Fatalf("events differ on retry:\n%s", diff)
	}
	if diff := cmp.Diff(st1, st2); diff != "" {
		t.Fatalf("states differ on retry:\n%s", diff)
	}
	aw := st1.Awaiting()
	if aw == nil || aw.Call == nil {
		t.Fatalf("awaiting %+v, want the get_order call", aw)
	}
	want := &CallRequest{Name: "order", Connector: "orders", Operation: "get_order", Input: map[string]any{"order_id": "AB123456"}, IdempotencyKey: aw.Call.IdempotencyKey}
	if diff := cmp.Diff(want, aw.Call); diff != "" {
		t.Errorf("call (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(aw.Call.IdempotencyKey, aw.ID+"/") {
		t.Errorf("idempotency key %q does not start with the effect id %q", aw.Call.IdempotencyKey, aw.ID)
	}
	// The same log position with another request (a commit failed, then the
	// customer gave another order) must not reuse the key.
	other := say("refund CD654321 broken", intent("refund", 0.9), ent("order_id", "CD654321"), entText("reason", "damaged", "broken"))
	other.Now = monday10
	st3, _, _ := Step(bot, st, other)
	if aw3 := st3.Awaiting(); aw3 == nil || aw3.ID != aw.ID || aw3.Call.IdempotencyKey == aw.Call.IdempotencyKey {
		t.Errorf("another request at the same position: awaiting %+v, want the same effect id and a different key than %q", aw3, aw.Call.IdempotencyKey)
	}
	// message_received, intent_recognized, dialog_started, slot_filled x2, call_requested.
	if aw.ID != "conv-123/6" {
		t.Errorf("effect id = %q, want conv-123/6 (the seq of call_requested)", aw.ID)
	}
}

func TestStaleResultIsIgnored(t *testing.T) {
	bot := loadBot(t, miniDir)
	c := newConvo(t, bot, "conv-stale")
	c.send(say("refund", intent("refund", 0.9)))
	st, effs, evs := Step(bot, c.st, Input{Now: c.now, Result: &Result{EffectID: "conv-stale/1"}})
	if len(effs) != 0 || len(evs) != 1 || evs[0].Type != EventError {
		t.Fatalf("effects %v events %v, want one error event", effs, evs)
	}
	if diff := cmp.Diff(c.st.Stack, st.Stack); diff != "" {
		t.Errorf("stack changed:\n%s", diff)
	}
}

func TestMessageWhileAwaitingAbandonsTheEffect(t *testing.T) {
	bot := loadBot(t, miniDir)
	st := NewState("conv-abandon")
	in := say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456"))
	in.Now = monday10
	st, _, _ = Step(bot, st, in)
	if st.Awaiting() == nil {
		t.Fatal("not awaiting the call")
	}
	in = say("hello?")
	in.Now = monday10.Add(time.Minute)
	st, _, evs := Step(bot, st, in)
	if evs[0].Type != EventError || !evs[0].Abandon {
		t.Errorf("first event %+v, want an error that abandons the effect", evs[0])
	}
	// The dialog asks for the call again, with a new key.
	if aw := st.Awaiting(); aw == nil || aw.Call == nil || aw.Call.Name != "order" {
		t.Errorf("awaiting %+v, want the order call again", aw)
	}
}

func TestNilBot(t *testing.T) {
	st, effs, evs := Step(nil, NewState("c"), say("hi"))
	if len(effs) != 1 || effs[0].Reply == nil || effs[0].Reply.Text == "" {
		t.Errorf("effects = %+v, want an error reply", effs)
	}
	if diff := cmp.Diff(st, Replay(nil, NewState("c"), evs)); diff != "" {
		t.Errorf("replay differs:\n%s", diff)
	}
}
