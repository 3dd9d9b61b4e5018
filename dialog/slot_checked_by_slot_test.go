package dialog

import (
	"testing"
	"time"
)

const slotCheckedBySlotDir = "testdata/slot_checked_by_slot"

// A value whose validate reads another slot still to be asked waits for that
// slot, and is checked once it is in: an hour given before the day was
// refused at once, as if it were too soon, at the cost of an attempt.
func TestValueWaitsForTheSlotItIsCheckedAgainst(t *testing.T) {
	monday10 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	runConversations(t, []conversation{{
		name: "an hour before the day is taken once the day is in",
		dir:  slotCheckedBySlotDir,
		now:  monday10,
		turns: []exchange{
			{in: say("a viewing at 19", intent("view", 0.9), entText("number", "19", "19")), replies: []string{"Which day?"}},
			{in: say("tomorrow", ent("date", "2026-11-24")), replies: []string{"Booked for 2026-11-24 at 19:00."}, stack: none()},
		},
	}, {
		name: "an hour before the day is refused once the day makes it too soon",
		dir:  slotCheckedBySlotDir,
		now:  monday10,
		turns: []exchange{
			{in: say("a viewing at 11", intent("view", 0.9), entText("number", "11", "11")), replies: []string{"Which day?"}},
			{in: say("today", ent("date", "2026-11-23")), replies: []string{"That is less than 2 hours from now. At what hour?"},
				stack: []string{"view"}},
			{in: say("15", entText("number", "15", "15")), replies: []string{"Booked for 2026-11-23 at 15:00."}, stack: none()},
		},
	}, {
		name: "both in one message are checked together",
		dir:  slotCheckedBySlotDir,
		now:  monday10,
		turns: []exchange{
			{in: say("a viewing today at 11", intent("view", 0.9), ent("date", "2026-11-23"), entText("number", "11", "11")),
				replies: []string{"That is less than 2 hours from now. At what hour?"}},
		},
	}, {
		name: "a slot read directly is waited for too",
		dir:  slotCheckedBySlotDir,
		now:  monday10,
		turns: []exchange{
			{in: say("a table, 3 children", intent("party", 0.9), entText("number", "3", "3")), replies: []string{"How many adults?"}},
			{in: say("2", entText("number", "2", "2")), replies: []string{"At most one child per adult. How many children?"}},
			{in: say("2", entText("number", "2", "2")), replies: []string{"2 adults and 2 children."}, stack: none()},
		},
	}})
}
