package nlu

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWeekdayBeforeDay covers a weekday written before the day it falls on
// (now: Monday 2026-11-23): the day named, not the next such weekday and a
// second date or a number. "Friday 4th December" used to fill a date slot
// with Friday 27 November.
func TestWeekdayBeforeDay(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		in   string
		want []ent
	}{
		{"Friday 4 December", []ent{{"date", "2026-12-04", "Friday 4 December", 0, ""}}},
		{"saturday, 5th december please", []ent{{"date", "2026-12-05", "saturday, 5th december", 0, ""}}},
		{"fri 4th dec", []ent{{"date", "2026-12-04", "fri 4th dec", 0, ""}}},
		{"Saturday December 5th", []ent{{"date", "2026-12-05", "Saturday December 5th", 0, ""}}},
		{"friday the 4th", []ent{{"date", "2026-12-04", "friday the 4th", 0, ""}}},
		{"friday 4th", []ent{{"date", "2026-12-04", "friday 4th", 0, ""}}},
		{"next friday the 4th", []ent{{"date", "2026-12-04", "next friday the 4th", 0, ""}}},
		{"周六5号", []ent{{"date", "2026-12-05", "周六5号", 0, ""}}},
		{"星期六，12月5日上午", []ent{{"date", "2026-12-05", "星期六，12月5日", 0, ""}}},
		{"周五 十二月四号", []ent{{"date", "2026-12-04", "周五 十二月四号", 0, ""}}},
		{"12月5日周六", []ent{{"date", "2026-12-05", "12月5日", 0, ""}, {"date", "2026-11-28", "周六", 0, ""}}},
		{"周六3号楼", []ent{{"date", "2026-11-28", "周六", 0, ""}, {"number", "3", "3", 3, ""}}},
		// The day wins over a weekday it does not fall on.
		{"thursday 4th", []ent{{"date", "2026-12-04", "thursday 4th", 0, ""}}},
		// Unchanged: a weekday alone, or with what is no day of the month.
		{"friday", []ent{{"date", "2026-11-27", "friday", 0, ""}}},
		{"friday 2 people", []ent{{"date", "2026-11-27", "friday", 0, ""}, {"number", "2", "2", 2, ""}}},
		{"saturday, sunday", []ent{{"date", "2026-11-28", "saturday", 0, ""}, {"date", "2026-11-29", "sunday", 0, ""}}},
		{"friday, tomorrow", []ent{{"date", "2026-11-27", "friday", 0, ""}, {"date", "2026-11-24", "tomorrow", 0, ""}}},
		{"the 4th, a friday", []ent{{"date", "2026-12-04", "the 4th", 0, ""}, {"date", "2026-11-27", "friday", 0, ""}}},
	}
	for _, tt := range tests {
		got := m.Parse(tt.in, testOpts)
		if diff := cmp.Diff(tt.want, project(got.Entities)); diff != "" {
			t.Errorf("Parse(%q).Entities (-want +got):\n%s", tt.in, diff)
		}
	}
}
