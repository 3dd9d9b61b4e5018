package dialog

import "testing"

// A correction of another slot while a yes-or-no question is asked corrects
// that slot and asks the question again: the "no" it opens with says the
// earlier value was wrong, not the answer. A plain no still answers.
func TestCorrectionWhileYesNoIsAsked(t *testing.T) {
	const dir = "testdata/yes_no_correction"
	start := say("return order PS000199", intent("return_food", 0.9), ent("order_id", "PS000199"))
	runConversations(t, []conversation{{
		name: "a correction is no answer",
		dir:  dir,
		turns: []exchange{
			{in: start, replies: []string{"Has the bag been opened?"}},
			{in: say("no, I meant PS000200", ent("yes_no", "no"), ent("order_id", "PS000200"), correction()),
				replies: []string{"Has the bag been opened?"}, slots: map[string]string{"order_id": "PS000200"}},
			{in: say("no", ent("yes_no", "no")), replies: []string{"Order PS000200, opened: no."}, stack: none()},
		},
	}, {
		name: "a Chinese correction is no answer",
		dir:  dir,
		turns: []exchange{
			{in: start, replies: []string{"Has the bag been opened?"}},
			{in: say("不对，是PS000200", lang("zh"), ent("yes_no", "no"), ent("order_id", "PS000200"), correction()),
				replies: []string{"Has the bag been opened?"}, slots: map[string]string{"order_id": "PS000200"}, stack: []string{"return_food"}},
		},
	}, {
		name: "a no with the same order is the answer",
		dir:  dir,
		turns: []exchange{
			{in: start, replies: []string{"Has the bag been opened?"}},
			{in: say("no, PS000199 is sealed", ent("yes_no", "no"), ent("order_id", "PS000199")),
				replies: []string{"Order PS000199, opened: no."}, stack: none()},
		},
	}})
}
