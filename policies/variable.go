package policies

import (
	"github.com/hashicorp/hcl/v2"
)

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "value", Required: true},
	},
}

// decodeVariable reads a named constant that expressions use as var.NAME.
func decodeVariable(block *hcl.Block) (*Variable, hcl.Diagnostics) {
	v := &Variable{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(variableSchema)
	var more hcl.Diagnostics
	v.Description, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)
	if attr, ok := content.Attributes["value"]; ok {
		val, more := literalValue(attr.Expr)
		diags = append(diags, more...)
		if !more.HasErrors() {
			v.Value = val
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return v, diags
}
