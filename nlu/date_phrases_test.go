package nlu

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Values customers write that were not read: a currency code joined to the
// number, British set phrases for days, holidays on a fixed day, the end of
// a month or a year, and the week after next in Chinese. Today is Monday
// 2026-11-23.
func TestValuesSaidAsPhrases(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		in   string
		want []ent
	}{
		// money: the code joined to the number, before or after it
		{"GBP350", []ent{{"money", "350.00", "GBP350", 350, "GBP"}}},
		{"refund USD20 please", []ent{{"money", "20.00", "USD20", 20, "USD"}}},
		{"EUR 1,200", []ent{{"money", "1200.00", "EUR 1,200", 1200, "EUR"}}},
		{"350GBP", []ent{{"money", "350.00", "350GBP", 350, "GBP"}}},
		{"ABC350", nil}, // a code, not an amount
		// a week or a fortnight from a day
		{"in a fortnight", []ent{{"date", "2026-12-07", "in a fortnight", 0, ""}}},
		{"a fortnight ago", []ent{{"date", "2026-11-09", "a fortnight ago", 0, ""}}},
		{"a week today", []ent{{"date", "2026-11-30", "a week today", 0, ""}}},
		{"a week tomorrow", []ent{{"date", "2026-12-01", "a week tomorrow", 0, ""}}},
		{"a week on Saturday", []ent{{"date", "2026-12-05", "a week on Saturday", 0, ""}}},
		{"a fortnight on Friday", []ent{{"date", "2026-12-11", "a fortnight on Friday", 0, ""}}},
		{"next weekend", []ent{{"date_range", "2026-12-05/2026-12-06", "next weekend", 0, ""}}},
		// holidays on a fixed day
		{"boxing day", []ent{{"date", "2026-12-26", "boxing day", 0, ""}}},
		{"on Christmas Eve", []ent{{"date", "2026-12-24", "Christmas Eve", 0, ""}}},
		{"new year's day", []ent{{"date", "2027-01-01", "new year's day", 0, ""}}},
		{"元旦", []ent{{"date", "2027-01-01", "元旦", 0, ""}}},
		// a deadline at the end of a month or a year: its last day
		{"by the end of the month", []ent{{"date", "2026-11-30", "by the end of the month", 0, ""}}},
		{"by end of next month", []ent{{"date", "2026-12-31", "by end of next month", 0, ""}}},
		{"by the end of the year", []ent{{"date", "2026-12-31", "by the end of the year", 0, ""}}},
		{"before end of February", []ent{{"date", "2027-02-28", "before end of February", 0, ""}}},
		{"月底前", []ent{{"date", "2026-11-30", "月底前", 0, ""}}},
		{"下个月底之前", []ent{{"date", "2026-12-31", "下个月底之前", 0, ""}}},
		{"下个月月底以前", []ent{{"date", "2026-12-31", "下个月月底以前", 0, ""}}},
		{"明年年底前", []ent{{"date", "2027-12-31", "明年年底前", 0, ""}}},
		// the end or the start of a month named from today, said alone: its
		// last or its first day; a start without a month looks ahead
		{"the end of the month", []ent{{"date", "2026-11-30", "end of the month", 0, ""}}},
		{"at the end of next month", []ent{{"date", "2026-12-31", "end of next month", 0, ""}}},
		{"end of last month", []ent{{"date", "2026-10-31", "end of last month", 0, ""}}},
		{"beginning of next month", []ent{{"date", "2026-12-01", "beginning of next month", 0, ""}}},
		{"the beginning of the month", []ent{{"date", "2026-12-01", "beginning of the month", 0, ""}}},
		{"start of this month", []ent{{"date", "2026-11-01", "start of this month", 0, ""}}},
		{"月底", []ent{{"date", "2026-11-30", "月底", 0, ""}}},
		{"本月底", []ent{{"date", "2026-11-30", "本月底", 0, ""}}},
		{"这个月末发货", []ent{{"date", "2026-11-30", "这个月末", 0, ""}}},
		{"上个月底", []ent{{"date", "2026-10-31", "上个月底", 0, ""}}},
		{"月初", []ent{{"date", "2026-12-01", "月初", 0, ""}}},
		{"下个月初", []ent{{"date", "2026-12-01", "下个月初", 0, ""}}},
		{"本月初", []ent{{"date", "2026-11-01", "本月初", 0, ""}}},
		{"每月底结算", nil},
		{"3个月底", []ent{{"number", "3", "3", 3, ""}}}, // three months: no day
		// the week after next
		{"下下周一", []ent{{"date", "2026-12-07", "下下周一", 0, ""}}},
		{"下下周", []ent{{"date_range", "2026-12-07/2026-12-13", "下下周", 0, ""}}},
	}
	for _, tt := range tests {
		got := m.Parse(tt.in, testOpts)
		if diff := cmp.Diff(tt.want, project(got.Entities)); diff != "" {
			t.Errorf("Parse(%q).Entities (-want +got):\n%s", tt.in, diff)
		}
	}
}
