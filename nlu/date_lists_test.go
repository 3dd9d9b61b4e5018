package nlu

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDateLists covers lists of days that name their month once (now:
// Monday 2026-11-23).
func TestDateLists(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		in   string
		want []ent
	}{
		// a list of days names its month once: every day is in it
		{"9月3、4号", []ent{{"date", "2026-09-03", "9月3", 0, ""}, {"date", "2026-09-04", "4号", 0, ""}}},
		{"9月3号和4号", []ent{{"date", "2026-09-03", "9月3号", 0, ""}, {"date", "2026-09-04", "4号", 0, ""}}},
		{"12月1、2、3日", []ent{{"date", "2026-12-01", "12月1", 0, ""}, {"date", "2026-12-02", "2", 0, ""}, {"date", "2026-12-03", "3日", 0, ""}}},
		{"12月1日或2日都行", []ent{{"date", "2026-12-01", "12月1日", 0, ""}, {"date", "2026-12-02", "2日", 0, ""}}},
		{"Sept 3 and 4", []ent{{"date", "2026-09-03", "Sept 3", 0, ""}, {"date", "2026-09-04", "4", 0, ""}}},
		{"Dec 1, 2 or 3 works", []ent{{"date", "2026-12-01", "Dec 1", 0, ""}, {"date", "2026-12-02", "2", 0, ""}, {"date", "2026-12-03", "3", 0, ""}}},
		{"December 1st and 2nd", []ent{{"date", "2026-12-01", "December 1st", 0, ""}, {"date", "2026-12-02", "2nd", 0, ""}}},
		// not a day of the list: a count, a time, a place, another month
		{"Sept 3 and 4 nights", []ent{{"date", "2026-09-03", "Sept 3", 0, ""}, {"number", "4", "4", 4, ""}}},
		{"12月1日和2个人", []ent{{"date", "2026-12-01", "12月1日", 0, ""}, {"number", "2", "2", 2, ""}}},
		{"12月1日，5点送", []ent{{"date", "2026-12-01", "12月1日", 0, ""}, {"number", "5", "5", 5, ""}}},
		{"12月1日，3楼", []ent{{"date", "2026-12-01", "12月1日", 0, ""}, {"number", "3", "3", 3, ""}}},
		{"12月1日和1月2日", []ent{{"date", "2026-12-01", "12月1日", 0, ""}, {"date", "2027-01-02", "1月2日", 0, ""}}},
	}
	for _, tt := range tests {
		got := m.Parse(tt.in, testOpts)
		if diff := cmp.Diff(tt.want, project(got.Entities)); diff != "" {
			t.Errorf("Parse(%q).Entities (-want +got):\n%s", tt.in, diff)
		}
	}
}
