package dialog

import "testing"

// A slot without on_exhausted that runs out of attempts ends its dialog.
// The bot's own error reply is said where replies give one; otherwise the
// built-in words say the answers were not taken, not that the system failed
// and the customer should try the same again in a moment.
func TestSlotOutOfAttempts(t *testing.T) {
	runConversations(t, []conversation{{
		name: "no error reply: the built-in words say the dialog was left",
		dir:  "testdata/valid_value",
		turns: []exchange{
			{in: zh("租车", intent("book_car", 0.9)), replies: []string{"租几天？"}},
			{in: zh("3天", entText("number", "3", "3")), replies: []string{"驾驶人多大年龄？"}},
			{in: zh("10岁", entText("number", "10", "10")), replies: []string{"驾驶人年龄须在21至99岁之间。"}},
			{in: zh("12岁", entText("number", "12", "12")), replies: []string{"驾驶人年龄须在21至99岁之间。"}},
			{in: zh("15岁", entText("number", "15", "15")), replies: []string{"抱歉，几次回答都没能确认，刚才的事情先不办了。还有什么可以帮您？"}, stack: none()},
		},
	}, {
		name: "the bot's error reply is said as before",
		dir:  miniDir,
		turns: []exchange{
			{in: say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")), replies: []string{"Why?"}},
			{in: say("blue"), replies: []string{"Why?"}},
			{in: say("green"), replies: []string{"Why?"}},
			{in: say("red"), replies: []string{"Oops."}, stack: none()},
		},
	}})
}
