package dialog

import "testing"

// "yes, where is my other order?" at a confirmation: the rest is a request
// of its own, which is not lost under the yes. The other dialog starts on
// top, and the confirmation is asked again when it is done.
func TestYesWithAnotherRequestAtConfirm(t *testing.T) {
	refundToConfirm := []exchange{
		{in: say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")), replies: []string{"Why?"}},
		{in: say("broken", entText("reason", "damaged", "broken")), responses: []string{"confirm_refund"}},
	}
	runConversations(t, []conversation{
		{
			name: "yes and another dialog's request: the other dialog, then the confirmation again",
			dir:  miniDir,
			turns: append(refundToConfirm,
				exchange{
					in:      say("yes, and where is my other order?", intent("track", 0.9), ent("yes_no", "yes")),
					replies: []string{"Which order?"},
					calls:   []string{},
					stack:   []string{"refund", "track"},
				},
				exchange{in: say("CD654321", ent("order_id", "CD654321")), responses: []string{"confirm_refund"}, stack: []string{"refund"}},
			),
		},
		{
			name: "no and another dialog's request: the refund is not declined",
			dir:  miniDir,
			turns: append(refundToConfirm,
				exchange{
					in:    say("no, where is my other order?", intent("track", 0.9), ent("yes_no", "no")),
					stack: []string{"refund", "track"},
				},
			),
		},
		{
			name: "yes and an answer's intent is still the yes",
			dir:  miniDir,
			turns: append(refundToConfirm,
				exchange{in: say("yes, hours", intent("hours", 0.9), ent("yes_no", "yes")), stack: none()},
			),
		},
		{
			name: "no and words another intent claims, not a question, is the no",
			dir:  miniDir,
			turns: append(refundToConfirm,
				exchange{in: say("no, track it instead", intent("track", 0.9), ent("yes_no", "no")), stack: none()},
			),
		},
		{
			name: "yes and the dialog's own intent is the yes",
			dir:  miniDir,
			turns: append(refundToConfirm,
				exchange{in: say("yes, refund it", intent("refund", 0.9), ent("yes_no", "yes")), stack: none()},
			),
		},
	})
}

// A yes or no button's label typed as text, where no yes word or echo says
// it ("Accept" to "Accept the offer?"), is that button.
func TestTypedButtonLabelAtConfirm(t *testing.T) {
	const dir = "testdata/typed_label"
	toConfirm := exchange{in: say("trade in my iphone", intent("trade_in", 0.9), entText("model", "iphone", "iphone")), responses: []string{"confirm_offer"}}
	runConversations(t, []conversation{
		{name: "the yes label", dir: dir, turns: []exchange{toConfirm, {in: say("accept!"), replies: []string{"Offer accepted."}, stack: none()}}},
		{name: "the no label", dir: dir, turns: []exchange{toConfirm, {in: say("No thanks"), replies: []string{"Offer declined."}, stack: none()}}},
		{name: "more than the label is no press", dir: dir, turns: []exchange{toConfirm, {in: say("accept what?"), responses: []string{"confirm_offer"}, stack: []string{"trade_in"}}}},
	})
}
