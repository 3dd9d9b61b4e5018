package testmock

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func TestInputsMatch(t *testing.T) {
	obj := func(m map[string]cty.Value) cty.Value { return cty.ObjectVal(m) }
	tests := []struct {
		name  string
		want  cty.Value
		input map[string]any
		match bool
	}{
		{"no input matches every call", cty.NilVal, map[string]any{"order_id": "AB123456"}, true},
		{"a subset of the inputs", obj(map[string]cty.Value{"order_id": cty.StringVal("AB123456")}), map[string]any{"order_id": "AB123456", "amount": 499.0}, true},
		{"a different value", obj(map[string]cty.Value{"order_id": cty.StringVal("AB123456")}), map[string]any{"order_id": "CD654321"}, false},
		{"an input the call lacks", obj(map[string]cty.Value{"reason": cty.StringVal("late")}), map[string]any{"order_id": "AB123456"}, false},
		{"numbers compare as numbers", obj(map[string]cty.Value{"amount": cty.NumberIntVal(499)}), map[string]any{"amount": 499.0}, true},
		{"a number sent as text", obj(map[string]cty.Value{"amount": cty.NumberIntVal(499)}), map[string]any{"amount": "499"}, true},
		{"null matches a missing input", obj(map[string]cty.Value{"reason": cty.NullVal(cty.String)}), map[string]any{}, true},
		{"null does not match a value", obj(map[string]cty.Value{"reason": cty.NullVal(cty.String)}), map[string]any{"reason": "late"}, false},
		{"lists compare element by element", obj(map[string]cty.Value{"tags": cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(1)})}), map[string]any{"tags": []any{"a", 1.0}}, true},
		{"objects too", obj(map[string]cty.Value{"to": obj(map[string]cty.Value{"city": cty.StringVal("Shanghai")})}), map[string]any{"to": map[string]any{"city": "Beijing"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inputsMatch(tt.want, tt.input); got != tt.match {
				t.Errorf("inputsMatch = %v, want %v", got, tt.match)
			}
		})
	}
}

func TestSuggestedMock(t *testing.T) {
	p := Problem{
		Kind: Unmatched, Connector: "crm", Operation: "profile",
		Input: map[string]any{"customer id": "C1", "vip": true, "note": nil},
		output: cty.Object(map[string]cty.Type{
			"name":   cty.String,
			"orders": cty.List(cty.String),
			"address": cty.Object(map[string]cty.Type{
				"city": cty.String, "zip": cty.Number,
			}),
		}),
	}
	want := `mock {
  operation = connector.crm.profile
  input     = { "customer id" = "C1", vip = true }
  output    = { address = { city = "", zip = 0 }, name = "", orders = [] } # or: error = "not_found" (or rejected, unavailable, timeout)
}`
	if diff := cmp.Diff(want, p.Mock()); diff != "" {
		t.Errorf("mock (-want +got):\n%s", diff)
	}
	p.output = cty.DynamicPseudoType
	p.Input = nil
	want = `mock {
  operation = connector.crm.profile
  output    = {} # or: error = "not_found" (or rejected, unavailable, timeout)
}`
	if diff := cmp.Diff(want, p.Mock()); diff != "" {
		t.Errorf("mock of an undeclared output (-want +got):\n%s", diff)
	}
}
