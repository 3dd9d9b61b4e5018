package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestKnownValueDetails: a text a value never holds is answered with the one
// meant: the canonical value of a synonym or a label, "yes" for "Yes", the
// day's name with its capital.
func TestKnownValueDetails(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/known_value_never_equal", testOptions)
	got := detailsOf(diags, "Never equal to this text")
	const product = `slot.product holds a canonical value of entity "product" (sofa, bed_frame), never a synonym or a label, so it never equals `
	want := []string{
		`intent.name holds the name of one of the bot's intents (or ""), so it never equals "emergancy" and this is never true. Did you mean "emergency"?`,
		`intent.name holds the name of one of the bot's intents (or ""), so it never equals "Emergency" and this is never true. Write intent.name == "emergency".`,
		`conversation.dialog holds the name of one of the bot's dialogs (or ""), so it never equals "delivery" and this is never true. Did you mean "deliver"?`,
		`weekday(slot.day) gives the day's English name with a capital, "Monday" to "Sunday", so it never equals "sunday" and this is always true. Write weekday(slot.day) != "Sunday".`,
		`weekday(slot.weekday) gives the day's English name with a capital, "Monday" to "Sunday", so it is never "saturday", and contains() never finds it in this list. Write "Saturday".`,
		`weekday(slot.weekday) gives the day's English name with a capital, "Monday" to "Sunday", so it is never "Sun", and contains() never finds it in this list. Write "Sunday".`,
		`slot.stairs holds "yes" or "no", in lower case, so it never equals "Yes" and this is never true. Write slot.stairs == "yes".`,
		product + `"bed frame" and this is never true. Write slot.product == "bed_frame".`,
		product + `"Bed frame" and this is never true. Write slot.product == "bed_frame".`,
		`entity.product holds a canonical value of entity "product" (sofa, bed_frame), never a synonym or a label, so it never equals "couch" and this is never true. Write entity.product == "sofa".`,
		`handoff.reason holds the name of the handoff policy, rule or dialog block (DIALOG.NAME) that asked for the handoff (or ""), so it never equals "emergancy" and this is never true. Did you mean "emergency"?`,
		`handoff.queue holds the name of one of the bot's queues (or ""), so it never equals "generl" and this is never true. Did you mean "general"?`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}
