package dialog

import "testing"

const phoneAnswerDir = "testdata/phone_answer"

// A run of digits the NLU reads as a number answers a phone question with
// small words and words of the question around it, as it does alone: "my
// number is 5551234567" was refused as no phone number.
func TestNumberAnswersPhoneQuestion(t *testing.T) {
	start := say("call me back", intent("callback", 0.9))
	number := func(text, digits string) Input {
		in := say(text, entText("number", digits, digits))
		return in
	}
	runConversations(t, []conversation{{
		name: "alone",
		dir:  phoneAnswerDir,
		turns: []exchange{
			{in: start, replies: []string{"What number should we call you on?"}},
			{in: number("5551234567", "5551234567"), replies: []string{"We'll call 5551234567."}, stack: none()},
		},
	}, {
		name: "with small words and the question's own",
		dir:  phoneAnswerDir,
		turns: []exchange{
			{in: start, replies: []string{"What number should we call you on?"}},
			{in: number("my number is 5551234567", "5551234567"), replies: []string{"We'll call 5551234567."}, stack: none()},
		},
	}, {
		name: "two numbers are no answer",
		dir:  phoneAnswerDir,
		turns: []exchange{
			{in: start, replies: []string{"What number should we call you on?"}},
			{in: say("5551234567 or 5559876543", entText("number", "5551234567", "5551234567"), entText("number", "5559876543", "5559876543")),
				replies: []string{"That doesn't look like a phone number. What number should we call you on?"}, stack: []string{"callback"}},
		},
	}, {
		name: "a short number is no phone",
		dir:  phoneAnswerDir,
		turns: []exchange{
			{in: start, replies: []string{"What number should we call you on?"}},
			{in: number("my number is 12345", "12345"),
				replies: []string{"That doesn't look like a phone number. What number should we call you on?"}, stack: []string{"callback"}},
		},
	}})
}
