package dialog

import (
	"slices"
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
			name: "an echo that goes on with a request answers both",
			dir:  "testdata/echo_request",
			turns: []exchange{
				{in: say("my internet is down", intent("internet_down", 0.9)), responses: []string{"ask_lights"}},
				{in: say("it isn't, and I want a refund", intent("refund", 0.95)), replies: []string{"Refunds take 5 days.", "The router has a fault."}, stack: none()},
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

// The bot's own yes-or-no questions, a confirmation among them, read an
// answer that echoes them as a yes_no slot does: students answer "是否提交？"
// with "提交" or "不提交", not with 是 or 好的.
func TestConfirmationReadsAnEcho(t *testing.T) {
	const dir = "testdata/confirm_echo"
	asking := []exchange{
		{in: zh("我要退学费", intent("refund", 0.9)), replies: []string{"退多少钱？"}},
		{in: zh("3000", ent("number", "3000")), responses: []string{"confirm_refund"}},
	}
	var convs []conversation
	for _, tc := range []struct {
		answer  string
		opts    []nluOpt
		replies []string
	}{
		{answer: "提交", replies: []string{"已提交。"}},
		{answer: "提交吧", replies: []string{"已提交。"}},
		{answer: "嗯，提交", replies: []string{"已提交。"}},
		{answer: "不提交", replies: []string{"好的，那就先不办理了。"}},
		{answer: "对，不提交", opts: []nluOpt{ent("yes_no", "yes")}, replies: []string{"好的，那就先不办理了。"}},
	} {
		convs = append(convs, conversation{
			name: tc.answer,
			dir:  dir,
			turns: append(slices.Clone(asking),
				exchange{in: zh(tc.answer, tc.opts...), replies: tc.replies, stack: none()}),
		})
	}
	// A yes that goes on may be taken back: the question is asked again.
	for _, answer := range []string{"提交，算了", "提交，不对，不提交", "提交，等等"} {
		convs = append(convs, conversation{
			name: answer,
			dir:  dir,
			turns: append(slices.Clone(asking),
				exchange{in: zh(answer), responses: []string{"confirm_refund"}, stack: []string{"refund"}}),
		})
	}
	convs = append(convs, conversation{
		name: "an echo of something else is not an answer",
		dir:  dir,
		turns: append(slices.Clone(asking),
			exchange{in: zh("退款"), responses: []string{"confirm_refund"}, stack: []string{"refund"}}),
	})
	runConversations(t, convs)
}
