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

// TestDayComparedWithTime: a stranger refused today's date with
// slot.date != add_days(now, 0), which holds for every day, since a date slot
// holds "2026-11-23" and now "2026-11-23T10:00:00+08:00".
func TestDayComparedWithTime(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/day_compared_with_time", testOptions)
	var got []string
	for _, d := range diags {
		got = append(got, d.Detail)
	}
	const is = ` is a day, written like "2026-11-23", and `
	const time = ` a time, written like "2026-11-23T10:00:00+08:00", so `
	want := []string{
		"slot.visit_date" + is + "now" + time + "!= is always true. Count the days between them instead: days_between(now, slot.visit_date) != 0.",
		"slot.stay.start" + is + "add_days(now, 1)" + time + "== is never true. Count the days between them instead: days_between(now, slot.stay.start) == 1.",
		"add_days(slot.visit_date, -1)" + is + `timeadd(now, "1h")` + time + "== is never true. Count the days between them instead, as in days_between(now, add_days(slot.visit_date, -1)) == 0 (add_days(slot.visit_date, -1) is today).",
		"slot.visit_date" + is + "now" + time + "== is never true. Count the days between them instead: days_between(now, slot.visit_date) == 0.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}
