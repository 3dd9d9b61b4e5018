package dialog

import "testing"

// A number with a count word after it ("俩人", "3个人", "4位", "1 person")
// only answers the question asked, so a policy on the intent the word suggests does not
// take it; a request for a person with the number still does.
func TestCountWordsAroundANumberAnswerTheQuestion(t *testing.T) {
	const dir = "testdata/party_size"
	start := exchange{in: zh("我想订位", intent("book_table", 0.9)), replies: []string{"几位用餐？"}}
	var conversations []conversation
	for _, tc := range []struct{ text, number, written string }{
		{"俩人", "2", "俩"},
		{"3个人", "3", "3"},
		{"4位", "4", "4"},
		{"就一个人", "1", "一"},
	} {
		conversations = append(conversations, conversation{
			name: tc.text,
			dir:  dir,
			turns: []exchange{
				start,
				{in: zh(tc.text, intent("human", 0.6), entText("number", tc.number, tc.written)), replies: []string{"好的，" + tc.number + "位。"}},
			},
		})
	}
	for _, tc := range []struct{ text, number, written string }{
		{"1 person", "1", "1"},
		{"just me, 1 person", "1", "1"},
		{"2 ppl", "2", "2"},
		{"3 of us", "3", "3"},
	} {
		conversations = append(conversations, conversation{
			name: tc.text,
			dir:  dir,
			turns: []exchange{
				start,
				{in: say(tc.text, intent("human", 0.7), entText("number", tc.number, tc.written)), replies: []string{"好的，" + tc.number + "位。"}},
			},
		})
	}
	conversations = append(conversations, conversation{
		name: "a number and a request for a person",
		dir:  dir,
		turns: []exchange{
			start,
			{in: zh("俩人，给我转人工", intent("human", 0.8), entText("number", "2", "俩")), handoff: "service"},
		},
	})
	runConversations(t, conversations)
}
