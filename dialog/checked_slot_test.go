package dialog

import "testing"

// The invalid message of a value a call refused reads that call's answer about
// it ("the 26th is full; the 27th is free"), although the refusal forgets the
// answer, and the next value is checked with a call of its own.
func TestInvalidMessageReadsTheCallThatRefused(t *testing.T) {
	const dir = "testdata/checked_slot"
	day := func(d string) Input { return say(d, ent("date", d)) }
	runConversations(t, []conversation{{
		name: "a full day names the next free one, then a free day is taken",
		dir:  dir,
		turns: []exchange{
			{in: say("book an appointment", intent("book", 0.9)), replies: []string{"Which day?"}},
			{in: day("2026-11-26"), calls: []string{"his.availability"},
				replies: []string{"2026-11-26 is fully booked; 2026-11-27 is free. Which day?"}, stack: []string{"book"}},
			{in: day("2026-11-27"), calls: []string{"his.availability"}, replies: []string{"Booked for 2026-11-27."}, stack: none()},
		},
	}, {
		name: "a day the system does not know has no next free day",
		dir:  dir,
		turns: []exchange{
			{in: say("book for 2026-11-30", intent("book", 0.9), ent("date", "2026-11-30")), calls: []string{"his.availability"},
				replies: []string{"2026-11-30 is fully booked. Which day?"}},
			{in: day("2026-11-26"), calls: []string{"his.availability"},
				replies: []string{"2026-11-26 is fully booked; 2026-11-27 is free. Which day?"}},
		},
	}})
}
