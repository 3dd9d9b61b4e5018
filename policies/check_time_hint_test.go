package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTimeHints: a stranger wrote a clinic's "free up to 24 hours before" as
// starts_at < timeadd(now, "24h"), and asked for a slot of type time; the
// fixes name hours_between and the way to read a time of day.
func TestTimeHints(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/time_compared", testOptions)
	var got []string
	for _, d := range diags {
		got = append(got, d.Detail)
	}
	want := []string{
		`"time" is neither a builtin type (text, number, money, email, phone, date, date_range, person, yes_no) nor an entity. There is no time type: a date slot takes the day of "tomorrow 3pm" and leaves the hour; read a time of day with an entity of your own (see "Times of day" in docs/language.md).`,
		"< compares numbers, but dates are text. Count the hours between them instead: hours_between(now, call.booking.starts_at) < 24.",
		"<= compares numbers, but dates are text. Count the hours between them instead: hours_between(now, call.booking.starts_at) >= 1.5.",
		"> compares numbers, but dates are text. Count the hours between them instead, as in hours_between(now, call.booking.starts_at) < 24 (less than a day ahead).",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}
