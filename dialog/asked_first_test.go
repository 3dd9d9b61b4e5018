package dialog

import "testing"

// While a slot is asked, a message with no value for it is a failed attempt
// at it: a value it holds that a later slot refuses does not change the
// question. A valid value for a later slot is still taken, and a value the
// asked slot takes brings the later one's refusal with it.
func TestAFailedAnswerIsNotRefusedForALaterSlot(t *testing.T) {
	const dir = "testdata/asked_first"
	start := exchange{in: zh("我要开成绩单", intent("transcript", 0.9)), replies: []string{"学号？"}}
	runConversations(t, []conversation{
		{
			name: "a wrong student number",
			dir:  dir,
			turns: []exchange{
				start,
				{in: zh("123456", entText("number", "123456", "123456")), replies: []string{"学号是 10 位数字。"}, slots: map[string]string{}},
				{in: zh("2023123456", ent("student_id", "2023123456")), replies: []string{"几份？"}},
			},
		},
		{
			name: "a valid later value is kept",
			dir:  dir,
			turns: []exchange{
				start,
				{in: zh("要3份", entText("number", "3", "3")), replies: []string{"学号？"}, slots: map[string]string{"copies": "3"}},
			},
		},
		{
			name: "a refused new value for a filled slot is refused for it",
			dir:  dir,
			turns: []exchange{
				start,
				{in: zh("要3份", entText("number", "3", "3")), replies: []string{"学号？"}, slots: map[string]string{"copies": "3"}},
				{in: zh("改成20份", entText("number", "20", "20")), replies: []string{"1 到 10 份。"}},
			},
		},
		{
			name: "the asked value with a refused later one",
			dir:  dir,
			turns: []exchange{
				start,
				{in: zh("2023123456，要20份", ent("student_id", "2023123456"), entText("number", "20", "20")), replies: []string{"1 到 10 份。"},
					slots: map[string]string{"student_id": "2023123456"}},
			},
		},
	})
}
