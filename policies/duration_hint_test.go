package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDurationHint(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"5d", ` Days are written in hours: "120h".`},
		{"1 day", ` Days are written in hours: "24h".`},
		{"2w", ` Weeks are written in hours: "336h".`},
		{"2 hours", ` Did you mean "2h"?`},
		{"30 Minutes", ` Did you mean "30m"?`},
		{"90 seconds", ` Did you mean "90s"?`},
		{"soon", ""},
		{"-1s", ""},
		{"0d", ""},
		{"3 fortnights", ""},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, durationHint(tt.in)); diff != "" {
			t.Errorf("durationHint(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
