package nlu

import (
	"strings"
	"testing"
)

func TestCountedAfter(t *testing.T) {
	tests := []struct {
		text, number string
		want         Counted
	}{
		{"取一辆小车", "一", CountedObjects},
		{"我要3件", "3", CountedObjects},
		{"两台电脑", "两", CountedObjects},
		{"帮我订一桌，6个人", "一", CountedObjects}, // a table, not a party of one
		{"我25岁", "25", CountedAge},
		{"租3天", "3", CountedTime},
		{"住三晚", "三", CountedTime},
		{"两周", "两", CountedTime},
		{"3个月", "3", CountedTime},
		{"我们3位", "3", CountedPeople},
		{"两个人", "两", CountedPeople},
		{"一家三口", "三", CountedPeople},
		{"我要3个", "3", CountedAny},
		{"帮我约一个时间", "一", CountedAny},
		{"租5", "5", CountedAny},
		{"for 3 days", "3", CountedAny},
	}
	for _, tc := range tests {
		end := strings.Index(tc.text, tc.number) + len(tc.number)
		if got := CountedAfter(tc.text, end); got != tc.want {
			t.Errorf("CountedAfter(%q, after %q) = %v, want %v", tc.text, tc.number, got, tc.want)
		}
	}
}
