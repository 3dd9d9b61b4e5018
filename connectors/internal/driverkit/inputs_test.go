package driverkit

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/connectors"
)

func TestCheckInputs(t *testing.T) {
	declared := []connectors.Param{{Name: "order_id"}, {Name: "note", Optional: true}, {Name: "amount"}}
	tests := []struct {
		name        string
		declared    []connectors.Param
		in          map[string]any
		wantMissing []string
		wantExtra   []string
	}{
		{name: "all there", declared: declared, in: map[string]any{"order_id": "A1", "amount": 5.0, "note": nil}},
		{name: "optional left out", declared: declared, in: map[string]any{"order_id": "A1", "amount": 5.0}},
		{name: "missing in declaration order", declared: declared, in: map[string]any{},
			wantMissing: []string{"order_id", "amount"}},
		{name: "a null input is present", declared: declared, in: map[string]any{"order_id": nil, "amount": nil}},
		{name: "extra sorted", declared: declared, in: map[string]any{"order_id": "A1", "amount": 1.0, "zz": 1.0, "aa": 2.0},
			wantExtra: []string{"aa", "zz"}},
		{name: "both", declared: declared, in: map[string]any{"amount": 1.0, "x": true},
			wantMissing: []string{"order_id"}, wantExtra: []string{"x"}},
		{name: "none declared", declared: []connectors.Param{}, in: map[string]any{"x": 1.0},
			wantExtra: []string{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			missing, extra := CheckInputs(tt.declared, tt.in)
			if diff := cmp.Diff(tt.wantMissing, missing); diff != "" {
				t.Errorf("missing (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantExtra, extra); diff != "" {
				t.Errorf("extra (-want +got):\n%s", diff)
			}
		})
	}
}
