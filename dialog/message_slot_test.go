package dialog

import "testing"

// A text slot gives way to a plain question another dialog takes; one with
// digressions = false takes it as its value, as a message left after hours
// must ("我想问下明天能不能加急看牙" started a booking instead), while handoff
// policies still see it.
func TestMessageSlotTakesAQuestion(t *testing.T) {
	const dir = "testdata/message_slot"
	question := say("我想问下明天能不能预约洗牙", intent("book", 0.9))
	runConversations(t, []conversation{
		{
			name: "digressions = false: the question is the message",
			dir:  dir,
			turns: []exchange{{in: say("我要留言", intent("leave_message", 0.9)), replies: []string{"请留言："}}, {
				in:      question,
				replies: []string{"已收到留言"},
				ticket:  "front_desk",
				stack:   []string{},
			}},
		},
		{
			name: "digressions = false: a handoff policy still sees the message",
			dir:  dir,
			turns: []exchange{{in: say("我要留言", intent("leave_message", 0.9)), replies: []string{"请留言："}}, {
				in:      say("牙疼得受不了", intent("emergency", 0.9)),
				replies: []string{"马上为您转接"},
				handoff: "front_desk",
			}},
		},
		{
			name: "a text slot gives way to the question",
			dir:  dir,
			turns: []exchange{{in: say("加个备注", intent("note", 0.9)), replies: []string{"备注："}}, {
				in:      question,
				replies: []string{"哪天？"},
				stack:   []string{"note", "book"},
			}},
		},
	})
}
