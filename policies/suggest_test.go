package policies

import "testing"

func TestNameSuggestion(t *testing.T) {
	tests := []struct {
		given      string
		candidates []string
		want       string
	}{
		{"refnd", []string{"refund", "track_order"}, "refund"},
		{"Refund", []string{"refund"}, "refund"},
		{"5", []string{"yes", "no"}, ""}, // a survey score, not a typo of "no"
		{"o", []string{"yes", "no"}, "no"},
		{"ys", []string{"yes", "no"}, "yes"},
		{"on", []string{"yes", "no"}, ""},
		{"yse", []string{"yes", "no"}, "yes"},
		{"order_idd", []string{"order_id"}, "order_id"},
		{"shipping_adress", []string{"shipping_address", "billing"}, "shipping_address"},
	}
	for _, tt := range tests {
		if got := nameSuggestion(tt.given, tt.candidates); got != tt.want {
			t.Errorf("nameSuggestion(%q, %q) = %q, want %q", tt.given, tt.candidates, got, tt.want)
		}
	}
}
