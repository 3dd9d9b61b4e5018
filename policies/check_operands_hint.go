package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
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

// convertHint is the function that turns a reference's text into the number
// or text an input takes, as in tonumber(slot.reading) for a slot of a
// pattern entity that holds digits as text.
func convertHint(e hcl.Expression, have, want cty.Type) string {
	parts, ok := refTraversal(e)
	if !ok {
		return ""
	}
	ref := strings.Join(parts, ".")
	switch {
	case have == cty.String && want == cty.Number:
		return fmt.Sprintf(" Convert it with tonumber(%s).", ref)
	case have == cty.Number && want == cty.String:
		return fmt.Sprintf(" Convert it with tostring(%s).", ref)
	}
	return ""
}
