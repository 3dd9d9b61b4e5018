package policies

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// checkCallInputs matches each call's input object with the operation's declared
// inputs: no unknown input, every required one given, each of a type the input accepts.
func (c *checker) checkCallInputs() {
	check := func(cl *Call, sc *typeScope) {
		conn, ok := c.bot.Connectors[cl.Connector]
		if !ok {
			return
		}
		op, ok := conn.Operations[cl.Operation]
		if !ok || op.Inputs == nil {
			return
		}
		names := op.InputNames()
		required := func() []string {
			var out []string
			for _, p := range op.Inputs {
				if !p.Optional {
					out = append(out, p.Name)
				}
			}
			return out
		}
		if cl.Input == nil {
			if req := required(); len(req) > 0 {
				c.errorf(cl.Range, "Missing input", "Operation %s.%s needs input %s.", cl.Connector, cl.Operation, strings.Join(req, ", "))
			}
			return
		}
		if _, isObject := cl.Input.(*hclsyntax.ObjectConsExpr); !isObject {
			return // the type check reports what is wrong
		}
		pairs, diags := hcl.ExprMap(cl.Input)
		if diags.HasErrors() {
			return
		}
		given := map[string]bool{}
		for _, p := range pairs {
			key := hcl.ExprAsKeyword(p.Key)
			if key == "" {
				s, _, more := literalString(p.Key)
				if more.HasErrors() {
					continue
				}
				key = s
			}
			given[key] = true
			param, known := op.Input(key)
			if !known {
				c.errorf(p.Key.Range(), "Unknown input", "Operation %s.%s takes no input %q; it takes %s.%s", cl.Connector, cl.Operation, key, strings.Join(names, ", "), didYouMean(key, names))
				continue
			}
			c.checkInputType(cl, param, p.Value, sc)
		}
		for _, p := range op.Inputs {
			if !given[p.Name] && !p.Optional {
				c.errorf(cl.Input.Range(), "Missing input", "Operation %s.%s needs input %q (%s).", cl.Connector, cl.Operation, p.Name, p.Type.FriendlyName())
			}
		}
	}
	c.walk(visitor{call: check}, newScopeSet(c.bot))
}

// checkInputType reports an argument whose type can never be what the input takes.
// Conversions that always work (a number where text is wanted) are fine; those
// that may fail at run time (text where a number is wanted) are not.
func (c *checker) checkInputType(cl *Call, param Param, value hcl.Expression, sc *typeScope) {
	if sc == nil || param.Type == cty.DynamicPseudoType {
		return
	}
	val, diags := value.Value(sc.ctx)
	if diags.HasErrors() {
		return // the type check reports it
	}
	ty := val.Type()
	if ty == cty.DynamicPseudoType || ty.Equals(param.Type) {
		return
	}
	if val.IsKnown() && val.IsNull() {
		if !param.Optional {
			c.errorf(value.Range(), "Invalid input", "Input %q of %s.%s is required, so it can't be null.", param.Name, cl.Connector, cl.Operation)
		}
		return
	}
	if convert.GetConversion(ty, param.Type) == nil {
		c.errorf(value.Range(), "Wrong input type", "Input %q of %s.%s is %s, but this is %s.%s", param.Name, cl.Connector, cl.Operation, param.Type.FriendlyName(), ty.FriendlyName(), convertHint(value, ty, param.Type))
	}
}

// ---- static type checking ----
