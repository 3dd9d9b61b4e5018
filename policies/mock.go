package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

var mockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "operation", Required: true},
		{Name: "input"},
		{Name: "output"},
		{Name: "error"},
	},
}

// mockExprs keeps where a mock's input and output are written, so the checks
// can point at the offending field.
type mockExprs struct{ input, output hcl.Expression }

// decodeMock reads a mock, in a test or at the top level. Its operation, input
// and output are checked against the operation's declared types once the
// connectors are decoded (checkMocks).
func (d *decoder) decodeMock(block *hcl.Block, te *testEval) (*Mock, hcl.Diagnostics) {
	content, diags := block.Body.Content(mockSchema)
	attrs := content.Attributes
	m := &Mock{Range: block.DefRange}
	var exprs mockExprs
	if attr, ok := attrs["operation"]; ok {
		var more hcl.Diagnostics
		m.Connector, m.Operation, more = te.operation(attr.Expr)
		diags = append(diags, more...)
	}
	object := func(name string) (cty.Value, hcl.Expression) {
		attr, ok := attrs[name]
		if !ok {
			return cty.NilVal, nil
		}
		val, more := te.value(attr.Expr)
		diags = append(diags, more...)
		if more.HasErrors() || val.IsNull() {
			return cty.NilVal, nil
		}
		if !val.Type().IsObjectType() && !val.Type().IsMapType() {
			diags = append(diags, wrongType(attr.Expr, fmt.Sprintf("an object of the operation's %s fields, like { order_id = \"AB123456\" }", name), nil)...)
			return cty.NilVal, nil
		}
		return val, attr.Expr
	}
	m.Input, exprs.input = object("input")
	m.Output, exprs.output = object("output")
	errAttr, hasErr := attrs["error"]
	if hasErr {
		code, present, more := te.string(errAttr.Expr)
		diags = append(diags, more...)
		if present {
			if more := oneOf(errAttr, code, ErrorCodes, "mock error"); more != nil {
				diags = append(diags, more...)
			} else {
				m.Error = code
			}
		}
	}
	_, hasOutput := attrs["output"]
	switch {
	case hasOutput && hasErr:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting mock result",
			Detail:   "A mock either answers with output = { ... } or fails with error = \"...\", not both.",
			Subject:  errAttr.Range.Ptr(),
		})
	case !hasOutput && !hasErr:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing mock result",
			Detail:   fmt.Sprintf("A mock says what the call returns: output = { ... }, or error = one of %s.", strings.Join(ErrorCodes, ", ")),
			Subject:  block.DefRange.Ptr(),
		})
	}
	if diags.HasErrors() {
		return nil, diags
	}
	if d.mockExprs == nil {
		d.mockExprs = map[*Mock]mockExprs{}
	}
	d.mockExprs[m] = exprs
	return m, diags
}

// checkMocks type-checks every mock against its operation: each input and
// output field must be declared and of the declared type. The values are
// converted to those types, so a mock matches calls as the system would see them.
func (c *checker) checkMocks() {
	mocks := c.bot.Mocks
	for _, t := range c.bot.Tests {
		mocks = append(mocks, t.Mocks...)
	}
	before := len(c.diags)
	for _, m := range mocks {
		conn, ok := c.bot.Connectors[m.Connector]
		if !ok {
			continue // reported as an unknown connector
		}
		op, ok := conn.Operations[m.Operation]
		if !ok {
			continue
		}
		exprs := c.d.mockExprs[m]
		where := m.Connector + "." + m.Operation
		if m.Input != cty.NilVal && op.Inputs != nil {
			attrs := map[string]cty.Value{}
			for name, v := range m.Input.AsValueMap() {
				keyRng, valRng := fieldRanges(exprs.input, name)
				param, known := op.Input(name)
				if !known {
					c.errorf(keyRng, "Unknown input", "Operation %s takes no input %q; it takes %s.%s", where, name, strings.Join(op.InputNames(), ", "), didYouMean(name, op.InputNames()))
					continue
				}
				attrs[name] = c.conformMockValue(v, param.Type, valRng, fmt.Sprintf("Input %q of %s", name, where))
			}
			m.Input = cty.ObjectVal(attrs)
		}
		if m.Output != cty.NilVal && op.Output.IsObjectType() {
			fields := op.Output.AttributeTypes()
			names := sortedKeys(fields)
			attrs := map[string]cty.Value{}
			for name, v := range m.Output.AsValueMap() {
				keyRng, valRng := fieldRanges(exprs.output, name)
				ty, known := fields[name]
				if !known {
					c.errorf(keyRng, "Unknown output field", "Operation %s has no output field %q; its output has %s.%s", where, name, strings.Join(names, ", "), didYouMean(name, names))
					continue
				}
				attrs[name] = c.conformMockValue(v, ty, valRng, fmt.Sprintf("Output field %q of %s", name, where))
			}
			m.Output = cty.ObjectVal(attrs)
		}
	}
	// A mock in a for_each test is checked once per case: say each mistake once.
	mine := c.diags[before:]
	c.diags = append(c.diags[:before], dedupe(mine)...)
}

// conformMockValue converts a mock's value to the declared type, or reports why
// it can't be one.
func (c *checker) conformMockValue(v cty.Value, ty cty.Type, rng hcl.Range, what string) cty.Value {
	if ty == cty.DynamicPseudoType || v.IsNull() {
		return v
	}
	out, err := convert.Convert(v, ty)
	if err != nil {
		c.errorf(rng, "Invalid mock value", "%s is %s, so this can't be it: %s.", what, ty.FriendlyName(), err)
		return v
	}
	return out
}

// fieldRanges finds the key and value of one field in an object written out;
// for anything else (each.value.output), the whole expression.
func fieldRanges(expr hcl.Expression, name string) (key, value hcl.Range) {
	if expr == nil {
		return hcl.Range{}, hcl.Range{}
	}
	if obj, ok := expr.(*hclsyntax.ObjectConsExpr); ok {
		for _, item := range obj.Items {
			k := hcl.ExprAsKeyword(item.KeyExpr)
			if k == "" {
				if v, diags := item.KeyExpr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && !v.IsNull() {
					k = v.AsString()
				}
			}
			if k == name {
				return item.KeyExpr.Range(), item.ValueExpr.Range()
			}
		}
	}
	return expr.Range(), expr.Range()
}

// dedupe drops diagnostics equal to an earlier one.
func dedupe(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		out = append(out, newDiagnostics(out, hcl.Diagnostics{d})...)
	}
	return out
}
