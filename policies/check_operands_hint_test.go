package policies

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func TestConvertHint(t *testing.T) {
	tests := []struct {
		src        string
		have, want cty.Type
		hint       string
	}{
		{"slot.reading", cty.String, cty.Number, " Convert it with tonumber(slot.reading)."},
		{"call.bill.balance", cty.Number, cty.String, " Convert it with tostring(call.bill.balance)."},
		{`"${slot.a}${slot.b}"`, cty.String, cty.Number, ""},
		{"slot.flag", cty.Bool, cty.Number, ""},
	}
	for _, tt := range tests {
		expr, diags := hclsyntax.ParseExpression([]byte(tt.src), "x.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if got := convertHint(expr, tt.have, tt.want); got != tt.hint {
			t.Errorf("convertHint(%s) = %q, want %q", tt.src, got, tt.hint)
		}
	}
}
