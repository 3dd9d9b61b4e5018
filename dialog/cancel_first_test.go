package dialog

import (
	"testing"

	"github.com/parleyhq/parley/nlu"
)

func cancelFirst() nluOpt { return func(r *nlu.Result) { r.CancelFirst = true } }

// "算了，不退了，帮我查下CD654321": the customer drops the dialog before asking
// for something else, so there is nothing to come back to.
func TestCancelThenAsk(t *testing.T) {
	runConversations(t, []conversation{
		{
			name: "cancel, then another dialog: it starts in place of the cancelled one",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")), replies: []string{"Why?"}},
				{
					in:      say("never mind, where is CD654321", intent("track", 0.8), ent("order_id", "CD654321"), cancelFirst()),
					replies: []string{"OK, I've cancelled that.", "Order CD654321 is processing."},
					calls:   []string{"orders.get_order"},
					stack:   none(),
				},
			},
		},
		{
			name: "cancel, then an answer: said, and the dialog below resumes",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("call me back", intent("callback", 0.9)), replies: []string{"Your number?"}, stack: []string{"refund", "callback"}},
				{
					in:      say("forget it, when are you open?", intent("hours", 0.9), cancelFirst()),
					replies: []string{"OK, I've cancelled that.", "We're open 9-6.", "Back to where we were: Order number?"},
					stack:   []string{"refund"},
				},
			},
		},
		{
			name: "without the cancel, the same request is a digression",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")), replies: []string{"Why?"}},
				{
					in:      say("where is CD654321", intent("track", 0.8), ent("order_id", "CD654321")),
					replies: []string{"Order CD654321 is processing.", "Back to where we were: Why?"},
					stack:   []string{"refund"},
				},
			},
		},
		{
			name: "at the confirmation, cancel then another request: no correction, the dialog is cancelled",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")), replies: []string{"Why?"}},
				{in: say("broken", entText("reason", "damaged", "broken")), responses: []string{"confirm_refund"}},
				{
					in:      say("never mind, where is CD654321", intent("track", 0.8), ent("order_id", "CD654321"), ent("yes_no", "no"), cancelFirst()),
					replies: []string{"OK, I've cancelled that.", "Order CD654321 is processing."},
					stack:   none(),
				},
			},
		},
		{
			name: "at the confirmation, a new value after no is still a correction",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")), replies: []string{"Why?"}},
				{in: say("broken", entText("reason", "damaged", "broken")), responses: []string{"confirm_refund"}},
				{in: say("no, I meant CD654321", ent("order_id", "CD654321"), ent("yes_no", "no"), correction()), responses: []string{"confirm_refund"}, slots: map[string]string{"order_id": "CD654321", "reason": "damaged"}},
			},
		},
		{
			name: "cancel, then a value for the dialog: an attempt at it, not cancelled",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{in: say("never mind, it's AB123456", intent("refund", 0.5), ent("order_id", "AB123456"), cancelFirst()), replies: []string{"Why?"}, stack: []string{"refund"}},
			},
		},
		{
			// "actually" makes it read as a correction too, but it replaces
			// nothing: the order number was still to be given.
			name: "actually never mind, then another dialog with a value for the slot asked: cancelled, not filled",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{
					in:      say("actually never mind, where is CD654321?", intent("track", 0.8), ent("order_id", "CD654321"), correction(), cancelFirst()),
					replies: []string{"OK, I've cancelled that.", "Order CD654321 is processing."},
					stack:   none(),
				},
			},
		},
		{
			name: "actually never mind with a filled slot: no correction of it, the dialog is cancelled",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")), replies: []string{"Why?"}},
				{
					in:      say("actually never mind, where is CD654321?", intent("track", 0.8), ent("order_id", "CD654321"), correction(), cancelFirst()),
					replies: []string{"OK, I've cancelled that.", "Order CD654321 is processing."},
					stack:   none(),
				},
			},
		},
		{
			name: "a question worded as a correction with a value for the empty slot asked: a digression",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}},
				{
					in:      say("actually, where is CD654321?", intent("track", 0.8), ent("order_id", "CD654321"), correction()),
					replies: []string{"Order CD654321 is processing.", "Back to where we were: Order number?"},
					stack:   []string{"refund"},
				},
			},
		},
		{
			name: "a correction of a filled slot still corrects",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456", intent("refund", 0.9), ent("order_id", "AB123456")), replies: []string{"Why?"}},
				{in: say("actually it's CD654321", ent("order_id", "CD654321"), correction()), replies: []string{"Why?"}, slots: map[string]string{"order_id": "CD654321"}, stack: []string{"refund"}},
			},
		},
	})
}
