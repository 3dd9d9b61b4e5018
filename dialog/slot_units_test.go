package dialog

import "testing"

// A number with a unit fills the slot its name or its question names: weeks
// asked as days are 7 days each ("租一周" is 7, not 1), a month is no number
// of days, and "4 people" or "5 boxes" go to the people or the boxes
// whatever their order.
func TestNumberUnitsFillTheirSlot(t *testing.T) {
	const dir = "testdata/slot_units"
	runConversations(t, []conversation{
		{
			name: "一周 asked in days is 7",
			dir:  dir,
			turns: []exchange{
				{in: zh("租车", intent("rent", 0.9)), replies: []string{"租几天？"}},
				{in: zh("租一周", entText("number", "1", "一")), replies: []string{"好的，租7天。"}},
			},
		},
		{
			name: "两个星期 with the request",
			dir:  dir,
			turns: []exchange{
				{in: zh("租车，两个星期", intent("rent", 0.9), entText("number", "2", "两")), replies: []string{"好的，租14天。"}},
			},
		},
		{
			name: "3天 stays 3",
			dir:  dir,
			turns: []exchange{
				{in: zh("租车", intent("rent", 0.9)), replies: []string{"租几天？"}},
				{in: zh("3天", entText("number", "3", "3")), replies: []string{"好的，租3天。"}},
			},
		},
		{
			name: "a month is no number of days: asked again",
			dir:  dir,
			turns: []exchange{
				{in: zh("租车", intent("rent", 0.9)), replies: []string{"租几天？"}},
				{in: zh("租一个月", entText("number", "1", "一")), replies: []string{"租几天？"}},
				{in: zh("30天", entText("number", "30", "30")), replies: []string{"好的，租30天。"}},
			},
		},
		{
			name: "for a week, two weeks",
			dir:  dir,
			turns: []exchange{
				{in: say("rent a car", intent("rent", 0.9)), replies: []string{"For how many days?"}},
				{in: say("for a week", entText("number", "1", "a")), replies: []string{"OK, 7 days."}},
			},
		},
		{
			name: "two weeks",
			dir:  dir,
			turns: []exchange{
				{in: say("rent a car for two weeks", intent("rent", 0.9), entText("number", "2", "two")), replies: []string{"OK, 14 days."}},
			},
		},
		{
			name: "people and nights, in either order",
			dir:  dir,
			turns: []exchange{
				{in: say("book a room, 4 people, 2 nights", intent("stay", 0.9), entText("number", "4", "4"), entText("number", "2", "2")), replies: []string{"2 nights for 4."}},
			},
		},
		{
			name: "nights asked, people given first",
			dir:  dir,
			turns: []exchange{
				{in: say("book a room", intent("stay", 0.9)), replies: []string{"How many nights?"}},
				{in: say("3 guests for 2 nights", entText("number", "3", "3"), entText("number", "2", "2")), replies: []string{"2 nights for 3."}},
			},
		},
		{
			name: "boxes and bags, each to its slot",
			dir:  dir,
			turns: []exchange{
				{in: say("send a shipment: 5 boxes and 2 bags", intent("ship", 0.9), entText("number", "5", "5"), entText("number", "2", "2")), replies: []string{"5 boxes and 2 bags."}},
			},
		},
		{
			name: "a slot named for nothing takes the unit its question asks",
			dir:  dir,
			turns: []exchange{
				{in: say("a bed in the hostel", intent("hostel", 0.9)), replies: []string{"How many nights?"}},
				{in: say("2 beds, 3 nights", entText("number", "2", "2"), entText("number", "3", "3")), replies: []string{"3 nights, 2 of you."}},
			},
		},
		{
			name: "a slot named and asked for nothing takes the number as it is",
			dir:  dir,
			turns: []exchange{
				{in: say("a bed in the hostel", intent("hostel", 0.9)), replies: []string{"How many nights?"}},
				{in: say("3", entText("number", "3", "3")), replies: []string{"And how many of you?"}},
				{in: say("two weeks", entText("number", "2", "two")), replies: []string{"3 nights, 2 of you."}},
			},
		},
	})
}
