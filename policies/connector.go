package policies

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var connectorSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type", Required: true},
		{Name: "timeout"},
		{Name: "description"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "operation", LabelNames: []string{"name"}}},
}

var operationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "input"},
	},
}

const defaultConnectorTimeout = 10 * time.Second

// decodeConnector reads a connector. Parley's own arguments come first; whatever
// else the body holds is decoded with the connector type's spec, which also
// reports arguments neither knows.
func (d *decoder) decodeConnector(block *hcl.Block) (*Connector, hcl.Diagnostics) {
	c := &Connector{Name: block.Labels[0], Operations: map[string]*Operation{}, Settings: cty.EmptyObjectVal, Range: block.DefRange}
	content, remain, diags := block.Body.PartialContent(connectorSchema)
	var more hcl.Diagnostics
	c.Timeout, more = attrDuration(content.Attributes, "timeout", defaultConnectorTimeout)
	diags = append(diags, more...)
	_, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)

	var connSpec, opSpec hcldec.Spec
	known := false
	if attr, ok := content.Attributes["type"]; ok {
		typ, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		c.Type = typ
		if present {
			if d.connectorTypes != nil {
				connSpec, opSpec, known = d.connectorTypes.Lookup(typ)
			}
			if !known {
				var names []string
				if d.connectorTypes != nil {
					names = d.connectorTypes.Names()
				}
				detail := fmt.Sprintf("There is no connector type %q.", typ)
				if len(names) > 0 {
					detail += fmt.Sprintf(" Known types: %v.", names) + didYouMean(typ, names)
				} else {
					detail += " No connector types are registered."
				}
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unknown connector type",
					Detail:   detail,
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
		}
	}
	if known {
		c.Settings, more = decodeSettings(remain, connSpec)
		diags = append(diags, more...)
		d.connectorBodies[c] = remain
	}

	for _, b := range content.Blocks {
		diags = append(diags, checkName(b)...)
		name := b.Labels[0]
		if first, dup := c.Operations[name]; dup {
			diags = append(diags, duplicateIn("operation", name, first.Range, b.DefRange))
			continue
		}
		op, more := decodeOperation(b, opSpec, known)
		diags = append(diags, more...)
		c.Operations[name] = op
	}
	return c, diags
}

func decodeOperation(block *hcl.Block, spec hcldec.Spec, known bool) (*Operation, hcl.Diagnostics) {
	op := &Operation{Name: block.Labels[0], Settings: cty.EmptyObjectVal, Range: block.DefRange}
	content, remain, diags := block.Body.PartialContent(operationSchema)
	var more hcl.Diagnostics
	op.Description, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)
	if attr, ok := content.Attributes["input"]; ok {
		inputs, _, more := attrStringList(content.Attributes, "input")
		diags = append(diags, more...)
		seen := map[string]bool{}
		for _, in := range inputs {
			switch {
			case !hclsyntax.ValidIdentifier(in):
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid input name",
					Detail:   fmt.Sprintf("%q is not a valid input name.", in),
					Subject:  attr.Expr.Range().Ptr(),
				})
			case seen[in]:
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate input",
					Detail:   fmt.Sprintf("%q is listed twice.", in),
					Subject:  attr.Expr.Range().Ptr(),
				})
			default:
				seen[in] = true
				op.Inputs = append(op.Inputs, in)
			}
		}
	}
	if known {
		op.Settings, more = decodeSettings(remain, spec)
		diags = append(diags, more...)
	}
	return op, diags
}

// decodeSettings decodes what a connector type adds to a block. With no spec, any
// argument left is a mistake.
func decodeSettings(body hcl.Body, spec hcldec.Spec) (val cty.Value, diags hcl.Diagnostics) {
	if spec == nil {
		_, diags := body.Content(&hcl.BodySchema{})
		return cty.EmptyObjectVal, diags
	}
	// A connector type's spec is third-party code; a bug in it must not crash validate.
	defer func() {
		if r := recover(); r != nil {
			val = cty.NilVal
			diags = hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Connector settings cannot be decoded",
				Detail:   fmt.Sprintf("The connector type's settings decoder failed: %v.", r),
				Subject:  body.MissingItemRange().Ptr(),
			}}
		}
	}()
	return hcldec.Decode(body, spec, nil)
}
