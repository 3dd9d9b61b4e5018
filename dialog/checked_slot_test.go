package dialog

import "testing"

const checkedSlotDir = "testdata/checked_slot"

// The invalid message of a value a call refused reads that call's answer about
// it ("the 26th is full; the 27th is free"), although the refusal forgets the
// answer, and the next value is checked with a call of its own.
func TestInvalidMessageReadsTheCallThatRefused(t *testing.T) {
	day := func(d string) Input { return say(d, ent("date", d)) }
	runConversations(t, []conversation{{
		name: "a full day names the next free one, then a free day is taken",
		dir:  checkedSlotDir,
		turns: []exchange{
			{in: say("book an appointment", intent("book", 0.9)), replies: []string{"Which day?"}},
			{in: day("2026-11-26"), calls: []string{"his.availability"},
				replies: []string{"2026-11-26 is fully booked; 2026-11-27 is free. Which day?"}, stack: []string{"book"}},
			{in: day("2026-11-27"), calls: []string{"his.availability", "his.fee"}, replies: []string{"Book 2026-11-27 for 30?"}},
			{in: yes(), replies: []string{"Booked for 2026-11-27."}, stack: none()},
		},
	}, {
		// The same message for an answer with no date, where the call has no
		// result: its own text, not the error reply.
		name: "an answer with no date gets the message's own text",
		dir:  checkedSlotDir,
		turns: []exchange{
			{in: say("book an appointment", intent("book", 0.9)), replies: []string{"Which day?"}},
			{in: day("2026-11-26"), calls: []string{"his.availability"},
				replies: []string{"2026-11-26 is fully booked; 2026-11-27 is free. Which day?"}},
			{in: say("whenever"), replies: []string{"Which day? For example 27 November."}, stack: []string{"book"}},
		},
	}, {
		// An invalid message that reads the call outside a case can't be said
		// for an answer with no date: the question is asked again instead of
		// the error reply, and the dialog goes on.
		name: "an invalid message that can't be said gives way to the question",
		dir:  checkedSlotDir,
		turns: []exchange{
			{in: say("book a visit", intent("visit", 0.9)), replies: []string{"Which day would you like to visit?"}},
			{in: day("2026-11-26"), calls: []string{"his.availability"},
				replies: []string{"2026-11-26 is fully booked; 2026-11-27 is free. Which day?"}},
			{in: say("whenever"), replies: []string{"Which day would you like to visit?"}, stack: []string{"visit"}},
			{in: day("2026-11-27"), calls: []string{"his.availability"}, replies: []string{"Visit booked for 2026-11-27."}, stack: none()},
		},
	}, {
		name: "a day the system does not know has no next free day",
		dir:  checkedSlotDir,
		turns: []exchange{
			{in: say("book for 2026-11-30", intent("book", 0.9), ent("date", "2026-11-30")), calls: []string{"his.availability"},
				replies: []string{"2026-11-30 is fully booked. Which day?"}},
			{in: day("2026-11-26"), calls: []string{"his.availability"},
				replies: []string{"2026-11-26 is fully booked; 2026-11-27 is free. Which day?"}},
		},
	}})
}

// A correction at the confirmation is checked like a first answer: the call
// that checks it runs once, with the new value, and nothing else reads the
// new value before it is taken.
func TestCorrectionCheckedByACall(t *testing.T) {
	day := func(d string) Input { return say("no, make it "+d, ent("date", d)) }
	runConversations(t, []conversation{{
		name: "a full day refused at the confirmation, a free one taken",
		dir:  checkedSlotDir,
		turns: []exchange{
			{in: say("book for 2026-11-27", intent("book", 0.9), ent("date", "2026-11-27")),
				calls: []string{"his.availability", "his.fee"}, replies: []string{"Book 2026-11-27 for 30?"}},
			{in: day("2026-11-26"), calls: []string{"his.availability"},
				replies: []string{"2026-11-26 is fully booked; 2026-11-27 is free. Which day?"}, slots: map[string]string{"day": "2026-11-27"}},
			{in: day("2026-11-28"), calls: []string{"his.availability", "his.fee"}, replies: []string{"Book 2026-11-28 for 30?"},
				slots: map[string]string{"day": "2026-11-28"}},
			{in: yes(), replies: []string{"Booked for 2026-11-28."}, stack: none()},
		},
	}, {
		// After the refused correction the bot waits for the day, which still
		// holds 2026-11-27: that day given again answers it, checked again,
		// and the bot confirms (it used to loop until the step limit).
		name: "a full day refused at the confirmation, then the first day again",
		dir:  checkedSlotDir,
		turns: []exchange{
			{in: say("book for 2026-11-27", intent("book", 0.9), ent("date", "2026-11-27")),
				calls: []string{"his.availability", "his.fee"}, replies: []string{"Book 2026-11-27 for 30?"}},
			{in: day("2026-11-26"), calls: []string{"his.availability"},
				replies: []string{"2026-11-26 is fully booked; 2026-11-27 is free. Which day?"}},
			{in: say("2026-11-27 then", ent("date", "2026-11-27")), calls: []string{"his.availability"},
				replies: []string{"Book 2026-11-27 for 30?"}, slots: map[string]string{"day": "2026-11-27"}},
			{in: yes(), replies: []string{"Booked for 2026-11-27."}, stack: none()},
		},
	}, {
		name: "a free day corrected at the confirmation",
		dir:  checkedSlotDir,
		turns: []exchange{
			{in: say("book for 2026-11-27", intent("book", 0.9), ent("date", "2026-11-27")), calls: []string{"his.availability", "his.fee"}},
			{in: day("2026-11-28"), calls: []string{"his.availability", "his.fee"}, replies: []string{"Book 2026-11-28 for 30?"}},
		},
	}})
}

// Without a call, the day given again after a refused correction answered
// nothing either: the bot asked "Which day?" for ever.
func TestRefusedCorrectionThenTheSameValue(t *testing.T) {
	runConversations(t, []conversation{{
		name: "a weekend refused at the confirmation, then the first day again",
		dir:  "testdata/refused_correction",
		turns: []exchange{
			{in: say("book a visit on 2026-11-27", intent("book", 0.9), ent("date", "2026-11-27")), replies: []string{"Book 2026-11-27?"}},
			{in: say("no, make it 2026-11-28", ent("date", "2026-11-28")), replies: []string{"We're closed at weekends. Which day?"}},
			{in: say("ok 2026-11-27 then", ent("date", "2026-11-27")), replies: []string{"Book 2026-11-27?"}, slots: map[string]string{"day": "2026-11-27"}},
			{in: yes(), replies: []string{"Booked for 2026-11-27."}, stack: none()},
		},
	}})
}
