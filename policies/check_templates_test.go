package policies

import "testing"

func TestLayoutHasNoDate(t *testing.T) {
	tests := []struct {
		layout string
		want   bool
	}{
		{"DD/MM/YYYY", true},
		{"YYYY-MM-DD", true},
		{"%d/%m/%Y", true},
		{"dd MMM yyyy", true},
		{"", true},
		// The layouts docs/language.md shows.
		{"2 Jan 2006", false},
		{"Monday 2 January", false},
		{"02/01/2006", false},
		{"Jan 2, 2006 at 3:04 PM", false},
		{"2006年1月2日", false},
		{"15:04", false},
		{"Mon", false},
		{"PM", false},
	}
	for _, tt := range tests {
		if got := layoutHasNoDate(tt.layout); got != tt.want {
			t.Errorf("layoutHasNoDate(%q) = %v, want %v", tt.layout, got, tt.want)
		}
	}
}
