package policies

import "testing"

func TestTakesDigits(t *testing.T) {
	tests := []struct {
		pattern string
		want    bool
	}{
		{"[A-Z0-9]{6}", true},
		{"(?i)[A-Z0-9]{6}", true},
		{"SK[0-9]{2,4}", true},
		{`\d+`, true},
		{"PNR7", true},
		{"..", true},
		{"express|standard", false},
		{"(?i)[A-Z]{3}", false},
		{"[a-z]+-[a-z]+", false},
	}
	for _, tt := range tests {
		if got := takesDigits(tt.pattern); got != tt.want {
			t.Errorf("takesDigits(%q) = %v, want %v", tt.pattern, got, tt.want)
		}
	}
}
