package nlu

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMeasureAfter(t *testing.T) {
	tests := []struct {
		text, number string
		want         Measure
	}{
		{"取一辆小车", "一", Measure{CountedObjects, ""}},
		{"我要3件", "3", Measure{CountedObjects, ""}},
		{"两台电脑", "两", Measure{CountedObjects, ""}},
		{"帮我订一桌，6个人", "一", Measure{CountedObjects, ""}}, // a table, not a party of one
		{"寄3箱", "3", Measure{CountedObjects, "box"}},
		{"我25岁", "25", Measure{CountedAge, ""}},
		{"租3天", "3", Measure{CountedTime, "day"}},
		{"住三晚", "三", Measure{CountedTime, "night"}},
		{"两周", "两", Measure{CountedTime, "week"}},
		{"租一个星期", "一", Measure{CountedTime, "week"}},
		{"3个月", "3", Measure{CountedTime, "month"}},
		{"我们3位", "3", Measure{CountedPeople, "person"}},
		{"两个人", "两", Measure{CountedPeople, "person"}},
		{"一家三口", "三", Measure{CountedPeople, "person"}},
		{"我要3个", "3", Measure{}},
		{"帮我约一个时间", "一", Measure{}},
		{"租5", "5", Measure{}},
		// English: the word after the number, a hyphen or a space between.
		{"for 3 days", "3", Measure{CountedTime, "day"}},
		{"2 nights please", "2", Measure{CountedTime, "night"}},
		{"two weeks", "two", Measure{CountedTime, "week"}},
		{"for a week", "a", Measure{CountedTime, "week"}},
		{"a 3-day rental", "3", Measure{CountedTime, "day"}},
		{"4 people", "4", Measure{CountedPeople, "person"}},
		{"3 adults and 2 kids", "3", Measure{CountedPeople, "person"}},
		{"5 boxes", "5", Measure{CountedObjects, "box"}},
		{"5 Boxes", "5", Measure{CountedObjects, "box"}},
		{"3 items", "3", Measure{CountedObjects, ""}},
		{"I'm 25 years old", "25", Measure{CountedAge, ""}},
		{"25 years", "25", Measure{CountedTime, "year"}},
		{"3 of them", "3", Measure{}},
		{"5", "5", Measure{}},
		{"5 daysy", "5", Measure{}},
	}
	for _, tc := range tests {
		end := strings.Index(tc.text, tc.number) + len(tc.number)
		if diff := cmp.Diff(tc.want, MeasureAfter(tc.text, end)); diff != "" {
			t.Errorf("MeasureAfter(%q, after %q) (-want +got):\n%s", tc.text, tc.number, diff)
		}
		if got := CountedAfter(tc.text, end); got != tc.want.Counted {
			t.Errorf("CountedAfter(%q, after %q) = %v, want %v", tc.text, tc.number, got, tc.want.Counted)
		}
	}
}

func TestMeasureAsked(t *testing.T) {
	tests := []struct {
		question string
		want     Measure
	}{
		{"租几天？", Measure{CountedTime, "day"}},
		{"您要住几晚？", Measure{CountedTime, "night"}},
		{"请问几位？", Measure{CountedPeople, "person"}},
		{"几点几个人？", Measure{CountedPeople, "person"}},
		{"要寄多少箱？", Measure{CountedObjects, "box"}},
		{"How many nights?", Measure{CountedTime, "night"}},
		{"How many boxes are you sending?", Measure{CountedObjects, "box"}},
		{"How many guests?", Measure{CountedPeople, "person"}},
		{"How many would you like?", Measure{}},
		{"要几个？", Measure{}},
		{"What is your name?", Measure{}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, MeasureAsked(tc.question)); diff != "" {
			t.Errorf("MeasureAsked(%q) (-want +got):\n%s", tc.question, diff)
		}
	}
}

// "a" or "an" before a unit of time is 1 where it says how long, as 一 is
// in "租一周"; not where it says how often or when.
func TestArticleCountsTime(t *testing.T) {
	tests := []struct {
		text string
		want []string // the numbers found
	}{
		{"for a week", []string{"1"}},
		{"a night please", []string{"1"}},
		{"for an hour", []string{"1"}},
		{"once a week", nil},
		{"twice a day", nil},
		{"I ordered it a week ago", nil},
		{"for a week later", nil},
		{"a box", nil},
		{"for a few days", nil},
		{"for two weeks", []string{"2"}},
	}
	for _, tc := range tests {
		var got []string
		for _, c := range englishNumberCandidates(nil, tc.text) {
			got = append(got, c.ent.Value)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("numbers in %q (-want +got):\n%s", tc.text, diff)
		}
	}
}
