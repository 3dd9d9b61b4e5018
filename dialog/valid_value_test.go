package dialog

import "testing"

// A message with several values of a slot's type fills the slot with the
// first its validate takes, not the first written, and a number slot with
// none whose measure word counts something else ("一辆" for days).
func TestSlotTakesTheValueItsValidateTakes(t *testing.T) {
	const dir = "testdata/valid_value"
	runConversations(t, []conversation{
		{
			name: "an age after a count word",
			dir:  dir,
			turns: []exchange{
				{in: zh("租车", intent("book_car", 0.9)), replies: []string{"租几天？"}},
				// The 一 of 一辆 counts cars, not days: the age is taken, the
				// days asked again.
				{
					in:      zh("取一辆小车，我25岁", entText("number", "1", "一"), entText("number", "25", "25")),
					replies: []string{"租几天？"}, slots: map[string]string{"age": "25"},
				},
				{in: zh("3天", entText("number", "3", "3")), replies: []string{"好的，3天，驾驶人25岁。"}},
			},
		},
		{
			name: "a count of cars, days and an age: each number to the slot it counts",
			dir:  dir,
			turns: []exchange{
				{
					in:      zh("租车，两辆，5天，我30岁", intent("book_car", 0.9), entText("number", "2", "两"), entText("number", "5", "5"), entText("number", "30", "30")),
					replies: []string{"好的，5天，驾驶人30岁。"},
				},
			},
		},
		{
			name: "a count of items fills a quantity",
			dir:  dir,
			turns: []exchange{
				{in: zh("我想买", intent("buy", 0.9)), replies: []string{"要几件？"}},
				{in: zh("我要3件", entText("number", "3", "3")), replies: []string{"好的，3件。"}},
			},
		},
		{
			name: "the age comes first, the days after",
			dir:  dir,
			turns: []exchange{
				{in: say("rent a car, I'm 45, for 3 days", intent("book_car", 0.9), entText("number", "45", "45"), entText("number", "3", "3")), replies: []string{"好的，3天，驾驶人45岁。"}},
			},
		},
		{
			name: "no value its validate takes: the first is refused",
			dir:  dir,
			turns: []exchange{
				{in: zh("租车", intent("book_car", 0.9)), replies: []string{"租几天？"}},
				{in: zh("3天，司机18岁", entText("number", "3", "3"), entText("number", "18", "18")), replies: []string{"驾驶人年龄须在21至99岁之间。"}},
			},
		},
	})
}
