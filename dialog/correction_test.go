package dialog

import "testing"

// "Actually" and "不对" mark a correction, but a message that gives no new
// value corrects nothing: it is handled like any other message, so a change
// of mind starts the other dialog instead of counting as a failed attempt at
// the question asked (or being ignored at the confirmation).
func TestCorrectionWithNoValueIsNoCorrection(t *testing.T) {
	orderEnt := func(id string) nluOpt { return ent("order_id", id) }
	askingReason := exchange{in: say("refund AB123456", intent("refund", 0.9), orderEnt("AB123456")), replies: []string{"Why?"}}
	confirming := exchange{
		in:      say("refund AB123456 broken", intent("refund", 0.9), orderEnt("AB123456"), entText("reason", "damaged", "broken")),
		replies: []string{"Refund AB123456 (320)?"},
	}
	runConversations(t, []conversation{{
		name: "another dialog's intent at a slot",
		dir:  miniDir,
		turns: []exchange{
			askingReason,
			{in: say("actually I just want to track an order", intent("track", 0.9), correction()),
				replies: []string{"Which order?"}, stack: []string{"refund", "track"}},
		},
	}, {
		name: "another dialog's intent at the confirmation",
		dir:  miniDir,
		turns: []exchange{
			confirming,
			{in: say("不对，我想查物流", intent("track", 0.9), lang("zh"), correction()),
				replies: []string{"Which order?"}, stack: []string{"refund", "track"}},
		},
	}, {
		name: "an answer's intent at a slot",
		dir:  miniDir,
		turns: []exchange{
			askingReason,
			{in: say("actually, when are you open?", intent("hours", 0.9), correction()),
				replies: []string{"We're open 9-6.", "Why?"}, stack: []string{"refund"}},
		},
	}, {
		name: "a correction with a new value still corrects, whatever its intent",
		dir:  miniDir,
		turns: []exchange{
			confirming,
			{in: say("actually track CD654321", intent("track", 0.9), orderEnt("CD654321"), correction()),
				calls: []string{"orders.get_order"}, replies: []string{"Refund CD654321 (1280)?"}, stack: []string{"refund"},
				slots: map[string]string{"order_id": "CD654321", "reason": "damaged"}},
		},
	}})
}

// A correction that names the value it replaces as well as the new one means
// the new one, in either order: "不是AB123456，是CD654321" at the confirmation
// was a no, and "not AB123456 but CD654321" kept AB123456.
func TestCorrectionNamingTheOldValue(t *testing.T) {
	orderEnt := func(id string) nluOpt { return ent("order_id", id) }
	confirming := exchange{
		in:      say("refund AB123456 broken", intent("refund", 0.9), orderEnt("AB123456"), entText("reason", "damaged", "broken")),
		replies: []string{"Refund AB123456 (320)?"},
	}
	corrected := func(in Input, reply string) exchange {
		return exchange{in: in, calls: []string{"orders.get_order"}, replies: []string{reply}, stack: []string{"refund"},
			slots: map[string]string{"order_id": "CD654321", "reason": "damaged"}}
	}
	runConversations(t, []conversation{{
		name:  "old value first, in Chinese, after a no word",
		dir:   miniDir,
		turns: []exchange{confirming, corrected(say("不是AB123456，是CD654321", ent("yes_no", "no"), orderEnt("AB123456"), orderEnt("CD654321"), lang("zh"), correction()), "退款 CD654321？")},
	}, {
		name:  "old value first, in English",
		dir:   miniDir,
		turns: []exchange{confirming, corrected(say("not AB123456 but CD654321", orderEnt("AB123456"), orderEnt("CD654321"), correction()), "Refund CD654321 (1280)?")},
	}, {
		// The NLU reads "not X, Y" as a correction (nlu.notThenNew).
		name:  "old value first, with no but",
		dir:   miniDir,
		turns: []exchange{confirming, corrected(say("Not AB123456, CD654321", orderEnt("AB123456"), orderEnt("CD654321"), correction()), "Refund CD654321 (1280)?")},
	}, {
		name:  "old value first, with no 是",
		dir:   miniDir,
		turns: []exchange{confirming, corrected(say("不是AB123456，CD654321", ent("yes_no", "no"), orderEnt("AB123456"), orderEnt("CD654321"), lang("zh"), correction()), "退款 CD654321？")},
	}, {
		name:  "new value first",
		dir:   miniDir,
		turns: []exchange{confirming, corrected(say("actually CD654321, not AB123456", orderEnt("CD654321"), orderEnt("AB123456"), correction()), "Refund CD654321 (1280)?")},
	}})
}

// A bare number fills a money slot only as the answer to its question, so
// "actually make it 800" at the confirmation of a 1200 refund was dropped:
// the refund of 1200 was confirmed again, and a "yes" submitted it. A
// correction's number is the dialog's one amount, when no number slot could
// be meant.
func TestCorrectionOfAnAmountWithABareNumber(t *testing.T) {
	const dir = "testdata/confirm_echo"
	confirming := func(then exchange) []exchange {
		return []exchange{
			{in: say("refund my fees", intent("refund", 0.9)), replies: []string{"How much?"}},
			{in: say("1200", entText("number", "1200", "1200")), replies: []string{"A refund of 1200 yuan. Shall I submit it?"}},
			then,
		}
	}
	runConversations(t, []conversation{{
		name: "actually make it 800",
		dir:  dir,
		turns: confirming(exchange{in: say("actually make it 800", entText("number", "800", "800"), correction()),
			replies: []string{"A refund of 800 yuan. Shall I submit it?"}, slots: map[string]string{"amount": "800"}}),
	}, {
		name: "不对，退500",
		dir:  dir,
		turns: confirming(exchange{in: zh("不对，退500", entText("number", "500", "500"), correction()),
			replies: []string{"确认一下：退费 500 元，是否提交？"}, slots: map[string]string{"amount": "500"}}),
	}, {
		// "no, 1200" was a plain no that cancelled the dialog (issue docs46).
		name: "no wait, 800",
		dir:  dir,
		turns: confirming(exchange{in: say("no wait, 800", ent("yes_no", "no"), entText("number", "800", "800"), correction()),
			replies: []string{"A refund of 800 yuan. Shall I submit it?"}, slots: map[string]string{"amount": "800"}}),
	}, {
		name: "a number that is no correction changes nothing",
		dir:  dir,
		turns: confirming(exchange{in: say("800", entText("number", "800", "800")),
			replies: []string{"A refund of 1200 yuan. Shall I submit it?"}, slots: map[string]string{"amount": "1200"}}),
	}})
}

// A question at the confirmation that is not worded as a correction asks
// about the request: "今天能到账吗？" to a fare claim for 前天 moved the
// journey to today, and the customer confirmed a claim for the wrong day.
// Worded as a correction, a question still corrects.
func TestQuestionAtConfirmationKeepsValues(t *testing.T) {
	orderEnt := func(id string) nluOpt { return ent("order_id", id) }
	confirming := exchange{
		in:      say("refund AB123456 broken", intent("refund", 0.9), orderEnt("AB123456"), entText("reason", "damaged", "broken")),
		replies: []string{"Refund AB123456 (320)?"},
	}
	runConversations(t, []conversation{{
		name: "a question naming another value",
		dir:  miniDir,
		turns: []exchange{
			confirming,
			{in: say("can CD654321 be refunded too?", orderEnt("CD654321")),
				replies: []string{"Refund AB123456 (320)?"}, stack: []string{"refund"},
				slots: map[string]string{"order_id": "AB123456", "reason": "damaged"}},
		},
	}, {
		name: "a question worded as a correction",
		dir:  miniDir,
		turns: []exchange{
			confirming,
			{in: say("不对，能改成CD654321吗？", orderEnt("CD654321"), lang("zh"), correction()),
				calls: []string{"orders.get_order"}, replies: []string{"退款 CD654321？"}, stack: []string{"refund"},
				slots: map[string]string{"order_id": "CD654321", "reason": "damaged"}},
		},
	}})
}

// A number no number slot takes is no count: "不对，是一千五" at the
// confirmation of a plan over 6 months was refused as a number of months
// (2 to 12), and "a payment plan for 1.2k" opened with "2 to 12 months". The
// first changes the amount; the second leaves it to the amount's question.
func TestBareNumberNoCountTakesIsTheAmount(t *testing.T) {
	const dir = "testdata/amount_and_months"
	confirming := func(then exchange) []exchange {
		return []exchange{
			{in: say("I need a payment plan", intent("plan", 0.9)), replies: []string{"How much?"}},
			{in: say("1200", entText("number", "1200", "1200")), replies: []string{"How many months?"}},
			{in: say("6", entText("number", "6", "6")), replies: []string{"1200 over 6 months?"}},
			then,
		}
	}
	runConversations(t, []conversation{{
		name: "a correction no number slot takes is the amount",
		dir:  dir,
		turns: confirming(exchange{in: zh("不对，是一千五", entText("number", "1500", "一千五"), correction()),
			replies: []string{"1500 分 6 个月？"}, slots: map[string]string{"amount": "1500", "months": "6"}}),
	}, {
		name: "a correction the number slot takes is the count",
		dir:  dir,
		turns: confirming(exchange{in: say("actually make it 12", entText("number", "12", "12"), correction()),
			replies: []string{"1200 over 12 months?"}, slots: map[string]string{"amount": "1200", "months": "12"}}),
	}, {
		name: "a number in the opening message is left to the amount's question",
		dir:  dir,
		turns: []exchange{
			{in: say("I need a payment plan for 1.2k", intent("plan", 0.9), entText("number", "1200", "1.2k")), replies: []string{"How much?"}},
		},
	}, {
		name: "a number neither takes is refused for the count",
		dir:  dir,
		turns: []exchange{
			{in: say("I need a payment plan for 20", intent("plan", 0.9), entText("number", "20", "20")), replies: []string{"2 to 12 months. How many months?"}},
		},
	}, {
		name: "the count asked still refuses what it can't take",
		dir:  dir,
		turns: []exchange{
			{in: say("I need a payment plan", intent("plan", 0.9)), replies: []string{"How much?"}},
			{in: say("1200", entText("number", "1200", "1200")), replies: []string{"How many months?"}},
			{in: say("1500", entText("number", "1500", "1500")), replies: []string{"2 to 12 months. How many months?"}},
		},
	}})
}
