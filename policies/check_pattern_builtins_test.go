package policies

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPatternTakesAmountHint: the validate the warning suggests checks as
// many digits as the pattern took. A stranger's six-digit pickup code was
// told to check for four.
func TestPatternTakesAmountHint(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/pattern_takes_builtins", testOptions)
	var got []string
	for _, d := range diags {
		if strings.HasPrefix(d.Summary, "Pattern takes the digits") {
			got = append(got, d.Detail[strings.LastIndex(d.Detail, "matches(slot.NAME"):])
		}
	}
	want := []string{
		`matches(slot.NAME, "^[0-9]{4}$").`, // card_last4: an amount, then a date
		`matches(slot.NAME, "^[0-9]{4}$").`,
		`matches(slot.NAME, "^[0-9]{6}$").`, // pickup_code
		`matches(slot.NAME, "^[0-9]{4}$").`, // model_year
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hints (-want +got):\n%s", diff)
	}
}

// A code named in privacy's mask is not told to become a text slot, which
// would keep it as typed: the warning says what that costs.
func TestPatternTakesAmountHintForAMaskedCode(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/pattern_masked_code", testOptions)
	var got []string
	for _, d := range diags {
		if strings.HasPrefix(d.Summary, "Pattern takes the digits") {
			got = append(got, d.Detail[strings.Index(d.Detail, "no amount.")+len("no amount. "):])
		}
	}
	want := []string{`Make the pattern need what an amount lacks (a prefix, say). The entity is named in privacy's mask: a text slot in its place would keep the value as typed in the conversation's messages, so where no amount the bot takes is as long as "500000", keep the entity and this warning.`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hints (-want +got):\n%s", diff)
	}
}
