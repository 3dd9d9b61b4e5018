package nlu

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRelativeDateWords covers the boundaries of Chinese relative-date words
// (now: Monday 2026-11-23): 今早 in 如今早已 is no date.
func TestRelativeDateWords(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		in   string
		want []ent
	}{
		{"今早发的货", []ent{{"date", "2026-11-23", "今早", 0, ""}}},
		{"今晚会到吗", []ent{{"date", "2026-11-23", "今晚", 0, ""}}},
		{"如今早已发货", nil},
		{"至今晚点了三次", []ent{{"number", "3", "三", 3, ""}}},
		{"至今天还没到", []ent{{"date", "2026-11-23", "今天", 0, ""}}}, // 天还 is no word: up to today
		{"你说明天送", []ent{{"date", "2026-11-24", "明天", 0, ""}}},  // said tomorrow, not 说明
		{"然后天气就变了", nil},
		{"售后天数是多少", nil},
		{"之前天天催", nil},
		{"如今日子难过", nil},
		{"说明儿童票价", nil},
		{"一周一次", []ent{{"number", "1", "一", 1, ""}, {"number", "1", "一", 1, ""}}}, // once a week, not Monday
		{"两周三次", []ent{{"number", "2", "两", 2, ""}, {"number", "3", "三", 3, ""}}},
		{"每周一送", []ent{{"date", "2026-11-23", "周一", 0, ""}}},
		{"周一天气好吗", []ent{{"date", "2026-11-23", "周一", 0, ""}}},
		{"如今天气冷", nil},
		{"明早到", []ent{{"date", "2026-11-24", "明早", 0, ""}}},
		{"说明天数不对", nil},
		{"证明日期", nil},
		{"标明日期", nil},
		{"聪明早就知道", nil},
		{"说明早上几点送", nil},
		{"昨天到的", []ent{{"date", "2026-11-22", "昨天", 0, ""}}},
		{"我明天来", []ent{{"date", "2026-11-24", "明天", 0, ""}}},
		{"今天下午", []ent{{"date", "2026-11-23", "今天", 0, ""}}},
	}
	for _, tt := range tests {
		got := m.Parse(tt.in, testOpts)
		if diff := cmp.Diff(tt.want, project(got.Entities)); diff != "" {
			t.Errorf("Parse(%q).Entities (-want +got):\n%s", tt.in, diff)
		}
	}
}
