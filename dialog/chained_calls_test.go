package dialog

import "testing"

// A dialog's call whose input reads another of its calls waits for that call,
// whatever the order they are written in, and runs again when the slot the
// other call read is corrected.
func TestCallReadingAnotherCallWaitsForIt(t *testing.T) {
	email := func(e string) Input { return say(e, ent("email", e)) }
	runConversations(t, []conversation{{
		name: "the lookup runs first, then the call that reads its result",
		dir:  "testdata/chained_calls",
		turns: []exchange{
			{in: say("my cases", intent("cases", 0.9)), replies: []string{"What's your email?"}, calls: none()},
			{in: email("ada@example.com"), calls: []string{"crm.find_customer", "crm.open_cases"},
				replies: []string{"You have 5 open cases."}, stack: none()},
		},
	}, {
		name: "a lookup that finds no one asks again; the dependent call waits",
		dir:  "testdata/chained_calls",
		turns: []exchange{
			{in: say("my cases", intent("cases", 0.9)), replies: []string{"What's your email?"}},
			{in: email("nobody@example.com"), calls: []string{"crm.find_customer"},
				replies: []string{"No account for nobody@example.com.", "What's your email?"}, stack: []string{"cases"}},
			{in: email("bob@example.com"), calls: []string{"crm.find_customer", "crm.open_cases"},
				replies: []string{"You have 1 open cases."}, stack: none()},
		},
	}})
}
