package dialog

import "testing"

// A message with several values of a slot's type fills the slot with the
// first its validate takes, not the first written.
func TestSlotTakesTheValueItsValidateTakes(t *testing.T) {
	const dir = "testdata/valid_value"
	runConversations(t, []conversation{
		{
			name: "an age after a count word",
			dir:  dir,
			turns: []exchange{
				{in: zh("租车", intent("book_car", 0.9)), replies: []string{"租几天？"}},
				{
					in:      zh("取一辆小车，我25岁", entText("number", "1", "一"), entText("number", "25", "25")),
					replies: []string{"好的，1天，驾驶人25岁。"},
				},
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
