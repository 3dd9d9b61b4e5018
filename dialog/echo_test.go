package dialog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A yes_no slot asked reads an answer that echoes its question: the frame
// keeps the question's text, and the echo wins over a yes that opened the
// message.
func TestYesNoEchoesTheQuestion(t *testing.T) {
	const dir = "testdata/troubleshoot"
	asked := func(want string) func(*testing.T, turn, *convo) {
		return func(t *testing.T, _ turn, c *convo) {
			t.Helper()
			var got string
			if n := len(c.st.Stack); n > 0 {
				got = c.st.Stack[n-1].Question
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("frame question (-want +got):\n%s", diff)
			}
		}
	}
	runConversations(t, []conversation{
		{
			name: "it's green, it's still not back",
			dir:  dir,
			turns: []exchange{
				{in: say("my internet is down", intent("internet_down", 0.9)), responses: []string{"ask_lights"},
					check: asked("Is the light on your router green?")},
				{in: say("it's green"), responses: []string{"ask_restarted"}, slots: map[string]string{"lights_green": "yes"},
					check: asked("Please restart the router. Is the internet back?")},
				{in: say("it's still not back", intent("internet_down", 0.95)), replies: []string{"A technician will call."}, stack: none()},
			},
		},
		{
			name: "a negated echo is no after a yes",
			dir:  dir,
			turns: []exchange{
				{in: say("my internet is down", intent("internet_down", 0.9)), responses: []string{"ask_lights"}},
				{in: say("yes, it isn't", ent("yes_no", "yes")), replies: []string{"The router has a fault."}, stack: none()},
			},
		},
		{
			name: "an echo of something else is asked again",
			dir:  dir,
			turns: []exchange{
				{in: say("my internet is down", intent("internet_down", 0.9)), responses: []string{"ask_lights"}},
				{in: say("it's red"), responses: []string{"ask_lights"}, slots: map[string]string{}},
				{in: say("it isn't"), replies: []string{"The router has a fault."}, stack: none()},
			},
		},
	})
}
