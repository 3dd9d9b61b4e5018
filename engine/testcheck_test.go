package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func TestCheckSlotsDateRange(t *testing.T) {
	got := map[string]string{"period": "2026-10-01/2026-10-31"}
	tests := []struct {
		name string
		want cty.Value
		msgs []string
	}{
		{"as the object expressions read", cty.ObjectVal(map[string]cty.Value{"start": cty.StringVal("2026-10-01"), "end": cty.StringVal("2026-10-31")}), nil},
		{"as the text it is held as", cty.StringVal("2026-10-01/2026-10-31"), nil},
		{"another period", cty.ObjectVal(map[string]cty.Value{"start": cty.StringVal("2026-10-01"), "end": cty.StringVal("2026-10-30")}),
			[]string{`slot period: want "2026-10-01/2026-10-30", got "2026-10-01/2026-10-31"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := checkSlots("slot", map[string]cty.Value{"period": tt.want}, got)
			if diff := cmp.Diff(tt.msgs, msgs); diff != "" {
				t.Errorf("checkSlots (-want +got):\n%s", diff)
			}
		})
	}
}
