package dialog

import (
	"testing"

	"github.com/parleyhq/parley/nlu"
)

// negated marks the message's last entity as a value turned down ("not
// Wednesday"), as the NLU does.
func negated() nluOpt {
	return func(r *nlu.Result) { r.Entities[len(r.Entities)-1].Negated = true }
}

// "not Wednesday" at "Book Tuesday for 2?" set the day to Wednesday. A value
// the customer turns down never becomes a slot's value: the slot it is about
// is asked again, whether it holds that value or another.
func TestNegatedValueAtTheConfirmation(t *testing.T) {
	const dir = "testdata/negated_value"
	const tue, wed = "2026-11-24", "2026-11-25"
	confirming := func(then ...exchange) []exchange {
		return append([]exchange{
			{in: say("book a table", intent("book", 0.9)), replies: []string{"Which day?"}},
			{in: say("Tuesday", ent("date", tue)), replies: []string{"How many?"}},
			{in: say("2", entText("number", "2", "2")), replies: []string{"Book " + tue + " for 2?"}},
		}, then...)
	}
	askedAgain := func(in Input, reply string) exchange {
		return exchange{in: in, replies: []string{reply}, slots: map[string]string{"people": "2"}}
	}
	runConversations(t, []conversation{{
		name: "not the day held",
		dir:  dir,
		turns: confirming(askedAgain(say("not Tuesday", entText("date", tue, "Tuesday"), negated()), "Which day?"),
			exchange{in: say("Thursday", ent("date", "2026-11-26")), replies: []string{"Book 2026-11-26 for 2?"},
				slots: map[string]string{"day": "2026-11-26", "people": "2"}}),
	}, {
		name:  "not another day",
		dir:   dir,
		turns: confirming(askedAgain(say("not Wednesday", entText("date", wed, "Wednesday"), negated()), "Which day?")),
	}, {
		name:  "no, not another day",
		dir:   dir,
		turns: confirming(askedAgain(say("no, not Wednesday", ent("yes_no", "no"), entText("date", wed, "Wednesday"), negated()), "Which day?")),
	}, {
		name:  "不是周三",
		dir:   dir,
		turns: confirming(askedAgain(zh("不是周三", ent("yes_no", "no"), entText("date", wed, "周三"), negated()), "哪天？")),
	}, {
		name:  "不要周二",
		dir:   dir,
		turns: confirming(askedAgain(zh("不要周二", entText("date", tue, "周二"), negated()), "哪天？")),
	}, {
		name: "not another party size",
		dir:  dir,
		turns: confirming(exchange{in: say("not 3", entText("number", "3", "3"), negated()), replies: []string{"How many?"},
			slots: map[string]string{"day": tue}}),
	}, {
		name: "not one day, another",
		dir:  dir,
		turns: confirming(exchange{in: say("not Tuesday, Wednesday", entText("date", tue, "Tuesday"), negated(), entText("date", wed, "Wednesday"), correction()),
			replies: []string{"Book " + wed + " for 2?"}, slots: map[string]string{"day": wed, "people": "2"}}),
	}, {
		name: "not one day but another",
		dir:  dir,
		turns: confirming(exchange{in: say("not Tuesday but Wednesday", entText("date", tue, "Tuesday"), negated(), entText("date", wed, "Wednesday"), correction()),
			replies: []string{"Book " + wed + " for 2?"}, slots: map[string]string{"day": wed, "people": "2"}}),
	}, {
		name: "a day turned down is no answer to the question",
		dir:  dir,
		turns: []exchange{
			{in: say("book a table", intent("book", 0.9)), replies: []string{"Which day?"}},
			{in: say("not Wednesday", entText("date", wed, "Wednesday"), negated()), replies: []string{"Which day?"}, slots: map[string]string{}},
		},
	}})
}

// "not 500" at the confirmation of a 500 refund asks the amount again, and
// "not 800" does too: neither is an amount to refund.
func TestNegatedAmountAtTheConfirmation(t *testing.T) {
	const dir = "testdata/confirm_echo"
	confirming := func(then exchange) []exchange {
		return []exchange{
			{in: say("refund my fees", intent("refund", 0.9)), replies: []string{"How much?"}},
			{in: say("500", entText("number", "500", "500")), replies: []string{"A refund of 500 yuan. Shall I submit it?"}},
			then,
		}
	}
	runConversations(t, []conversation{{
		name:  "not the amount held",
		dir:   dir,
		turns: confirming(exchange{in: say("not 500", entText("number", "500", "500"), negated()), replies: []string{"How much?"}, slots: map[string]string{}}),
	}, {
		name:  "not another amount",
		dir:   dir,
		turns: confirming(exchange{in: say("not 800", entText("number", "800", "800"), negated()), replies: []string{"How much?"}, slots: map[string]string{}}),
	}, {
		name:  "不是500",
		dir:   dir,
		turns: confirming(exchange{in: zh("不是500", ent("yes_no", "no"), entText("number", "500", "500"), negated()), replies: []string{"退多少钱？"}, slots: map[string]string{}}),
	}})
}
