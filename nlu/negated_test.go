package nlu

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// "not Wednesday" at a confirmation of Tuesday set the day to Wednesday: a
// value the customer says they do not want is marked, so it never becomes
// a slot's value.
func TestNegatedValues(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		in   string
		want []string // the values read, negated ones with a leading !
	}{
		{"not Wednesday", []string{"!2026-11-25"}},
		{"no, not Wednesday", []string{"!2026-11-25"}},
		{"Not on Wednesday", []string{"!2026-11-25"}},
		{"not 500", []string{"!500"}},
		{"not ¥500", []string{"!500.00"}},
		{"不是周三", []string{"!2026-11-25"}},
		{"不要周三", []string{"!2026-11-25"}},
		{"不是500", []string{"!500"}},
		{"not Tuesday, Wednesday", []string{"!2026-11-24", "2026-11-25"}},
		{"not Tuesday but Wednesday", []string{"!2026-11-24", "2026-11-25"}},
		{"Wednesday, not Tuesday", []string{"2026-11-25", "!2026-11-24"}},
		{"不是周二，是周三", []string{"!2026-11-24", "2026-11-25"}},
		// Not negations: questions, suggestions, a first choice.
		{"why not Wednesday", []string{"2026-11-25"}},
		{"是不是周三", []string{"2026-11-25"}},
		{"要不要周三", []string{"2026-11-25"}},
		{"不是周三吗", []string{"2026-11-25"}},
		{"if not Tuesday then Wednesday", []string{"2026-11-24", "2026-11-25"}},
		{"Wednesday", []string{"2026-11-25"}},
		{"cannot 3", []string{"3"}},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range m.Parse(tt.in, testOpts).Entities {
			if e.Type == "yes_no" {
				continue
			}
			v := e.Value
			if e.Negated {
				v = "!" + v
			}
			got = append(got, v)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) values (-want +got):\n%s", tt.in, diff)
		}
	}
}
