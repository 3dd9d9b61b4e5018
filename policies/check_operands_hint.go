package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// unquoteHint is the fix for a number or bool written in quotes, as in
// slot.amount > "3000": people carry quotes over from other settings.
func unquoteHint(e hclsyntax.Expression, want cty.Type) string {
	tmpl, ok := e.(*hclsyntax.TemplateExpr)
	if !ok || !tmpl.IsStringLiteral() {
		return ""
	}
	v, diags := tmpl.Value(nil)
	if diags.HasErrors() || v.IsNull() {
		return ""
	}
	if _, err := convert.Convert(v, want); err != nil {
		return ""
	}
	return fmt.Sprintf(" Write it without quotes: %s.", v.AsString())
}
