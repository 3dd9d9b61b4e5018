package dialog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/nlu"
)

const silentDir = "testdata/silent"

// errorLogged checks that the turn's log says why the bot said its error reply.
func errorLogged(want string) func(t *testing.T, tn turn, _ *convo) {
	return func(t *testing.T, tn turn, _ *convo) {
		t.Helper()
		if !slices.ContainsFunc(tn.errors(), func(e string) bool { return strings.Contains(e, want) }) {
			t.Errorf("errors = %q, want one containing %q", tn.errors(), want)
		}
	}
}

func answered(t *testing.T, tn turn, _ *convo) {
	t.Helper()
	if len(tn.Replies) == 0 {
		t.Errorf("the bot said nothing; events %q", tn.eventTypes())
	}
}

// Every customer message gets a reply: a dialog that completes with no rule
// or outcome applying says so, rather than nothing.
func TestNoOutcomeApplies(t *testing.T) {
	runConversations(t, []conversation{{
		name: "outcomes on a field the system left out",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("撤单 BK000001", intent("withdraw", 0.9), ent("booking_id", "BK000001")), calls: []string{"bookings.get_booking"}, replies: []string{"确认退订吗？"}},
			{in: zh("确定", ent("yes_no", "yes")), replies: []string{"系统出了点问题，请稍后再试。"}, stack: none(),
				check: errorLogged(`dialog "withdraw" completed, and no rule or outcome applies`)},
		},
	}, {
		name: "outcomes on a status none names",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("改签 BK000003", intent("rebook", 0.9), ent("booking_id", "BK000003")), calls: []string{"bookings.get_booking"}},
			{in: zh("2026-12-01", ent("date", "2026-12-01")), replies: []string{"系统出了点问题，请稍后再试。"}, stack: none(),
				check: errorLogged(`dialog "rebook" completed, and no rule or outcome applies`)},
		},
	}, {
		name: "an outcome that applies is said as before",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("我要退订 BK000002", intent("refund", 0.9), ent("booking_id", "BK000002")), calls: []string{"bookings.get_booking"}, replies: []string{"可退金额 ¥800.00，确认退订吗？"}},
			{in: zh("确定", ent("yes_no", "yes")), replies: []string{"已退款。"}, stack: none()},
		},
	}})
}

// A question that can't be said (its message reads a field the system left
// out) is not asked: the bot says its error reply and drops the dialog, so
// the customer's next message is not taken as the answer to a question they
// never saw, and gets a reply of its own.
func TestQuestionThatFailsIsNotAsked(t *testing.T) {
	errorReply := []string{"系统出了点问题，请稍后再试。"}
	runConversations(t, []conversation{{
		name: "the confirmation",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("我要退订 BK000001", intent("refund", 0.9), ent("booking_id", "BK000001")), calls: []string{"bookings.get_booking"},
				replies: errorReply, stack: none(), check: errorLogged("response (inline)")},
			{in: zh("确定", ent("yes_no", "yes")), stack: none(), calls: none(), check: answered},
		},
	}, {
		name: "a slot's question",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("改签 BK000001", intent("rebook", 0.9), ent("booking_id", "BK000001")), calls: []string{"bookings.get_booking"},
				replies: errorReply, stack: none(), check: errorLogged("response (inline)")},
		},
	}, {
		name: "a question that can be said is asked as before",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("改签 BK000002", intent("rebook", 0.9), ent("booking_id", "BK000002")), calls: []string{"bookings.get_booking"},
				replies: []string{"改签费用按 ¥800.00 计算。请问改到哪天？"}, stack: []string{"rebook"}},
			{in: zh("2026-12-01", ent("date", "2026-12-01")), replies: []string{"已改到 2026-12-01。"}, stack: none()},
		},
	}})
}

// A yes-or-no question that can't be said is said in the built-in words
// (whether to switch, whether to carry on), or, for a value on offer, the
// slot's own question is asked instead: the customer's yes or no answers a
// question they saw.
func TestYesNoQuestionThatFailsIsSaidPlainly(t *testing.T) {
	runConversations(t, []conversation{{
		name: "switch, resume and reuse prompts that read a value not given",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("我要评价", intent("feedback", 0.9)), replies: []string{"请打分（1-5）。"}},
			{in: zh("我要退订 BK000002", intent("refund", 0.9), ent("booking_id", "BK000002")),
				replies: []string{"刚才的事情还没办完，要先处理新的问题吗？"}, stack: []string{"feedback"}, check: errorLogged("response (inline)")},
			{in: zh("是的", ent("yes_no", "yes")), calls: []string{"bookings.get_booking"}, replies: []string{"可退金额 ¥800.00，确认退订吗？"}, stack: []string{"feedback", "refund"}},
			{in: zh("确定", ent("yes_no", "yes")), replies: []string{"已退款。", "要继续刚才的事情吗？"}, stack: []string{"feedback"}, check: errorLogged("response (inline)")},
			{in: zh("是的", ent("yes_no", "yes")), replies: []string{"请打分（1-5）。"}},
			{in: zh("5", entText("number", "5", "5")), replies: []string{"请留个电话。"}, check: errorLogged("response (inline)")},
			{in: zh("13912345678", ent("phone", "13912345678")), replies: []string{"谢谢！"}, stack: none()},
		},
	}})
}

// A message that only repeats values the dialog already holds moves nothing
// on; the question still stands, so it is asked again, at no cost.
func TestRepeatedValueAsksAgain(t *testing.T) {
	runConversations(t, []conversation{{
		name: "the order number again while the reason is asked",
		dir:  shopDir,
		turns: []exchange{
			{in: say("refund AB123456", intent("refund", 0.95), ent("order_id", "AB123456")), responses: []string{"ask_refund_reason"}},
			{in: say("AB123456", ent("order_id", "AB123456")), responses: []string{"ask_refund_reason"}, stack: []string{"refund"},
				check: func(t *testing.T, _ turn, c *convo) {
					if n := c.st.Stack[0].Retries["reason"]; n != 0 {
						t.Errorf("retries of reason = %d, want 0", n)
					}
				}},
			{in: say("it's the wrong item", ent("refund_reason", "wrong_item")), responses: []string{"confirm_refund"}},
		},
	}, {
		name: "a correction that changes nothing at the confirmation",
		dir:  shopDir,
		turns: []exchange{
			{in: say("refund AB123456, wrong item", intent("refund", 0.95), ent("order_id", "AB123456"), ent("refund_reason", "wrong_item")), responses: []string{"confirm_refund"}},
			{in: say("I meant AB123456", intent("refund", 0.6), ent("order_id", "AB123456"), correction()), responses: []string{"confirm_refund"}, calls: none()},
		},
	}})
}

// TestEveryMessageGetsAReply drives the test bots with random messages (an
// intent or none, values for their slots, yes, no, cancel, corrections) and
// systems that fail, leave fields out or answer, and checks that every
// message gets a reply or a handoff: silence is only for a conversation a
// person has. It found the repeated value that asked nothing.
func TestEveryMessageGetsAReply(t *testing.T) {
	seeds := uint64(60)
	if testing.Short() {
		seeds = 10
	}
	dirs := []string{miniDir, shopDir, silentDir, checkedSlotDir, controlDir, "testdata/approvals", "testdata/troubleshoot",
		"testdata/survey_offer", "testdata/asked_first", "testdata/confirm_echo", "testdata/summary", "testdata/echo_request"}
	builtinValues := map[string][]string{"number": {"1", "5", "12"}, "money": {"50"}, "phone": {"13812345678"}, "email": {"ann@example.com"},
		"date": {"2026-12-01"}, "yes_no": {"yes", "no"}, "order_id": {"AB123456", "CD654321", "ZZ999999"}, "booking_id": {"BK000001", "BK000002", "BK000003"}}
	for _, dir := range dirs {
		bot := loadBot(t, dir)
		intents := []string{""}
		for _, in := range bot.Intents {
			intents = append(intents, in.Name)
		}
		values := map[string][]string{}
		for typ, vs := range builtinValues {
			values[typ] = vs
		}
		for name, e := range bot.Entities {
			for _, v := range e.Values {
				values[name] = append(values[name], v.Canonical)
			}
		}
		types := sortedKeys(values)
		for seed := range seeds {
			r := rand.New(rand.NewPCG(seed, 7))
			c := newConvo(t, bot, fmt.Sprintf("every-%d", seed))
			for _, name := range sortedKeys(c.conns) {
				c.conns[name] = flakySystem{c.conns[name], r}
			}
			for i := range 12 {
				res := nlu.Result{Text: fmt.Sprintf("message %d", i), Language: []string{"en", "zh"}[r.IntN(2)]}
				if r.IntN(3) > 0 {
					res.Intents = []nlu.IntentScore{{Name: intents[r.IntN(len(intents))], Confidence: 0.3 + r.Float64()*0.7}}
				}
				for range r.IntN(3) {
					typ := types[r.IntN(len(types))]
					v := values[typ][r.IntN(len(values[typ]))]
					e := nlu.Entity{Type: typ, Value: v, Text: v}
					if n, err := strconv.ParseFloat(v, 64); err == nil {
						e.Number = n
					}
					res.Entities = append(res.Entities, e)
					res.Text += " " + v
				}
				res.Cancel = r.IntN(12) == 0
				res.Correction = r.IntN(10) == 0
				personHasIt := c.st.HandedOff
				tn := c.send(Input{Message: &Message{ID: fmt.Sprint(i), Text: res.Text, NLU: res, Searched: true}})
				if len(tn.Replies) == 0 && tn.Handoff == nil && !personHasIt && !c.st.HandedOff && !tn.Ended {
					t.Fatalf("%s, seed %d: message %d (%+v) got no reply; events %q, errors %q", dir, seed, i, res, tn.eventTypes(), tn.errors())
				}
				if c.st.Ended || c.st.HandedOff {
					break
				}
			}
		}
	}
}

// flakySystem fails some calls, answers some with no fields, and passes the
// rest to the fixture.
type flakySystem struct {
	connectors.Connector
	r *rand.Rand
}

func (f flakySystem) Call(ctx context.Context, req connectors.Request) (connectors.Response, error) {
	switch f.r.IntN(8) {
	case 0:
		return connectors.Response{}, connectors.ErrUnavailable
	case 1:
		return connectors.Response{}, connectors.ErrRejected
	case 2:
		return connectors.Response{}, connectors.ErrNotFound
	case 3:
		return connectors.Response{Data: map[string]any{}}, nil
	}
	return f.Connector.Call(ctx, req)
}

// A handler that ends the dialog without a word of its own (on_error,
// on_exhausted or on_no that only remembers) says what the bot says without
// one: the error reply, or "OK, I won't go ahead with that." to a no.
func TestHandlerWithoutAWord(t *testing.T) {
	errorReply := []string{"系统出了点问题，请稍后再试。"}
	runConversations(t, []conversation{{
		name: "on_error",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("升舱 BK999999", intent("upgrade", 0.9), ent("booking_id", "BK999999")), calls: []string{"bookings.get_booking"}, replies: errorReply, stack: none(),
				check: func(t *testing.T, _ turn, c *convo) {
					if c.st.Memory["upgrade_missing"] != "BK999999" {
						t.Errorf("memory = %v: the handler did not run", c.st.Memory)
					}
				}},
		},
	}, {
		name: "on_exhausted",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("升舱", intent("upgrade", 0.9)), replies: []string{"请提供预订号。"}},
			{in: zh("不知道"), replies: errorReply, stack: none()},
		},
	}, {
		name: "on_no",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("升舱 BK000002", intent("upgrade", 0.9), ent("booking_id", "BK000002")), replies: []string{"确认升舱吗？"}},
			{in: zh("不要", ent("yes_no", "no")), replies: []string{"好的，那就先不办理了。"}, stack: none()},
		},
	}, {
		name: "a handler with a word of its own says only that",
		dir:  shopDir,
		turns: []exchange{
			{in: say("refund AB123456, wrong item", intent("refund", 0.95), ent("order_id", "AB123456"), ent("refund_reason", "wrong_item")), responses: []string{"confirm_refund"}},
			{in: say("no", ent("yes_no", "no")), responses: []string{"refund_kept"}, stack: none()},
		},
	}})
}

// A confirmation whose when can't be decided (it reads a field the system
// left out) is asked: the dialog does not act unconfirmed.
func TestConfirmWhenUndecidedAsks(t *testing.T) {
	runConversations(t, []conversation{{
		name: "amount left out",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("选座 BK000001", intent("seat", 0.9), ent("booking_id", "BK000001")), replies: []string{"选座要收费，确认吗？"}, check: errorLogged("confirm of dialog seat")},
			{in: zh("好的", ent("yes_no", "yes")), replies: []string{"已选座。"}, stack: none()},
		},
	}, {
		name: "a large amount is confirmed",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("选座 BK000002", intent("seat", 0.9), ent("booking_id", "BK000002")), replies: []string{"选座要收费，确认吗？"}},
		},
	}, {
		name: "a false when is not confirmed",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("选座 BK000003", intent("seat", 0.9), ent("booking_id", "BK000003")), replies: []string{"已选座。"}, stack: none()},
		},
	}})
}

// A confirmation whose when reads a call that never ran (the slot it needs
// was not required) is not asked: nothing is there to confirm, and the
// dialog's outcome decides, as it did before undecided whens were asked.
func TestConfirmWhenOfACallNotRunIsNotAsked(t *testing.T) {
	runConversations(t, []conversation{{
		name: "waitlisted",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("加餐 BK000003", intent("meal", 0.9), ent("booking_id", "BK000003")), replies: []string{"候补中的预订不能加餐。"}, stack: none()},
		},
	}})
}
