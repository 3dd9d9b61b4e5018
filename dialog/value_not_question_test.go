package dialog

import "testing"

// "last month" to "When did you buy it?" is a wrong answer, not a question
// for a knowledge passage about monthly instalments that shares its word.
func TestOnlyAValueIsNoKnowledgeQuestion(t *testing.T) {
	const dir = "testdata/date_answer"
	monthly := KnowledgeAnswer{ChunkID: "kb.md#instalments", Title: "Instalments", Source: "kb.md", Text: "Pay in monthly instalments.", Score: 0.18}
	asked := exchange{in: say("repair my laptop", intent("repair", 0.9)), replies: []string{"When did you buy it?"}}
	invalid := "I need a day, such as 15 March 2026. When did you buy it?"
	runConversations(t, []conversation{
		{
			name: "a period to a date slot",
			dir:  dir,
			turns: []exchange{asked, {
				in:      found(say("last month", entText("date_range", `{"start":"2026-10-01","end":"2026-10-31"}`, "last month")), monthly),
				replies: []string{invalid},
				check:   events(),
			}},
		},
		{
			name: "an amount to a date slot",
			dir:  dir,
			turns: []exchange{asked, {
				in:      found(say("500 yuan", entText("money", "500", "500 yuan")), monthly),
				replies: []string{invalid},
			}},
		},
		{
			name: "a question with a value is still a question",
			dir:  dir,
			turns: []exchange{asked, {
				in:      found(say("can I pay 500 yuan monthly?", entText("money", "500", "500 yuan")), monthly),
				replies: []string{"Pay in monthly instalments.\n\nSource: Instalments", "When did you buy it?"},
			}},
		},
	})
}
