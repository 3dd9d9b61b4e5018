package policies

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// missingQuotes tells a bare word meant as text (priority = high, subject =
// refund) from a misspelt namespace (sentimnt), where a value is expected
// rather than a condition.
func missingQuotes(trav hcl.Traversal, kind exprKind) bool {
	if len(trav) != 1 || (kind != kindText && kind != kindValue) {
		return false
	}
	return slices.Contains(priorities, trav.RootName()) || nameSuggestion(trav.RootName(), namespaceNames()) == ""
}

var numericOps = map[*hclsyntax.Operation]string{
	hclsyntax.OpAdd: "+", hclsyntax.OpSubtract: "-", hclsyntax.OpMultiply: "*", hclsyntax.OpDivide: "/",
	hclsyntax.OpModulo: "%", hclsyntax.OpGreaterThan: ">", hclsyntax.OpGreaterThanOrEqual: ">=",
	hclsyntax.OpLessThan: "<", hclsyntax.OpLessThanOrEqual: "<=",
}

var logicalOps = map[*hclsyntax.Operation]string{
	hclsyntax.OpLogicalAnd: "&&", hclsyntax.OpLogicalOr: "||", hclsyntax.OpLogicalNot: "!",
}

// checkOperands catches what HCL lets through because it converts strings to
// numbers and bools when their values allow: with unknown values that conversion
// always "succeeds", so slot.order_id > 5 would pass and then fail on a real message.
//
// It works bottom-up and remembers each operator's type, so a chain of n
// operators (!!!x, a && b && ...) costs one evaluation per leaf rather than one
// evaluation of the whole chain below each operator, which was quadratic. An
// operator with a bad operand has no type, so the operators around it report
// nothing more: the root cause only.
func (c *checker) checkOperands(expr hcl.Expression, sc *typeScope) bool {
	syn, isSyntax := expr.(hclsyntax.Expression)
	if !isSyntax {
		return true
	}
	w := &operandWalker{c: c, sc: sc, types: map[hclsyntax.Expression]cty.Type{}, ok: true}
	hclsyntax.Walk(syn, w)
	return w.ok
}

type operandWalker struct {
	c     *checker
	sc    *typeScope
	types map[hclsyntax.Expression]cty.Type // operators' result types, once their operands are checked
	ok    bool
}

func (w *operandWalker) Enter(hclsyntax.Node) hcl.Diagnostics { return nil }

// Exit sees a node after its operands, so their types are known by then.
func (w *operandWalker) Exit(node hclsyntax.Node) hcl.Diagnostics {
	switch e := node.(type) {
	case *hclsyntax.FunctionCallExpr:
		w.c.checkHoursBetweenDays(e)
		w.checkKnownValueIn(e)
	case *hclsyntax.BinaryOpExpr:
		w.c.checkDayTimeEquality(e)
		w.checkConstantEquality(e)
		w.checkKnownValue(e)
		lhs, rhs := true, true
		if hint := w.c.dateComparisonHint(e); hint != "" && (w.typeOf(e.LHS) == cty.String || w.typeOf(e.RHS) == cty.String) {
			// One message for the comparison, not one per date in it.
			w.c.errorf(e.Range(), "Dates compared as numbers", "%s compares numbers, but dates are text.%s", numericOps[e.Op], hint)
			w.ok, lhs = false, false
		} else if op, numeric := numericOps[e.Op]; numeric {
			lhs, rhs = w.operand(e.LHS, cty.Number, op), w.operand(e.RHS, cty.Number, op)
		} else if op, logical := logicalOps[e.Op]; logical {
			lhs, rhs = w.operand(e.LHS, cty.Bool, op), w.operand(e.RHS, cty.Bool, op)
		}
		valid := lhs && rhs
		w.types[e] = w.result(valid, e.Op.Type)
	case *hclsyntax.UnaryOpExpr:
		valid := true
		if e.Op == hclsyntax.OpNegate {
			valid = w.operand(e.Val, cty.Number, "-")
		} else if e.Op == hclsyntax.OpLogicalNot {
			valid = w.operand(e.Val, cty.Bool, "!")
		}
		w.types[e] = w.result(valid, e.Op.Type)
	case *hclsyntax.ConditionalExpr:
		valid := w.operand(e.Condition, cty.Bool, "a condition (? :)")
		ty, _ := convert.UnifyUnsafe([]cty.Type{w.typeOf(e.TrueResult), w.typeOf(e.FalseResult)})
		if ty == cty.NilType {
			ty = cty.DynamicPseudoType
		}
		w.types[e] = w.result(valid, ty)
	}
	return nil
}

func (w *operandWalker) result(valid bool, ty cty.Type) cty.Type {
	if !valid {
		return cty.DynamicPseudoType
	}
	return ty
}

// typeOf is an operand's type: remembered for operators, evaluated otherwise.
func (w *operandWalker) typeOf(e hclsyntax.Expression) cty.Type {
	for {
		p, ok := e.(*hclsyntax.ParenthesesExpr)
		if !ok {
			break
		}
		e = p.Expression
	}
	if ty, ok := w.types[e]; ok {
		return ty
	}
	val, diags := e.Value(w.sc.ctx)
	if diags.HasErrors() {
		return cty.DynamicPseudoType
	}
	return val.Type()
}

// operand reports an operand of the wrong type; false when it is one.
func (w *operandWalker) operand(e hclsyntax.Expression, want cty.Type, op string) bool {
	ty := w.typeOf(e)
	if ty == cty.DynamicPseudoType || ty == want {
		return true
	}
	article := "a number"
	if want == cty.Bool {
		article = "true or false"
	}
	w.c.errorf(e.Range(), "Invalid operand", "The operand of %s must be %s, but this is %s.%s", op, article, ty.FriendlyName(), unquoteHint(e, want))
	w.ok = false
	return false
}

// checkLabelCalls checks that label("ENTITY", value) names a list entity.
func (c *checker) checkLabelCalls(expr hcl.Expression) {
	syn, ok := expr.(hclsyntax.Expression)
	if !ok {
		return
	}
	hclsyntax.VisitAll(syn, func(node hclsyntax.Node) hcl.Diagnostics {
		call, ok := node.(*hclsyntax.FunctionCallExpr)
		if !ok || call.Name != "label" || len(call.Args) != 2 {
			return nil
		}
		v, diags := call.Args[0].Value(nil)
		if diags.HasErrors() || v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
			c.errorf(call.Args[0].Range(), "Invalid label call", `label's first argument is the name of an entity, written as text: label("order_status", call.order.status).`)
			return nil
		}
		lists := append(c.listEntities(), sortedKeys(c.bot.Labels)...)
		slices.Sort(lists)
		name := v.AsString()
		if !slices.Contains(lists, name) {
			c.errorf(call.Args[0].Range(), "Unknown labels", "label reads the labels of a labels block or a list entity; there is none named %q.%s", name, existing(name, "labels blocks and list entities", lists))
		}
		return nil
	})
}

// listEntities are the names of the entities that are lists of values, sorted.
func (c *checker) listEntities() []string {
	var out []string
	for name, e := range c.bot.Entities {
		if e.Kind == EntityList {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// listEntityWithValue is the first list entity, by name, that has value as
// a canonical value, "" for none: a button written for each value of a list
// is what value_buttons does.
func (c *checker) listEntityWithValue(value string) string {
	for _, name := range c.listEntities() {
		if slices.ContainsFunc(c.bot.Entities[name].Values, func(v EntityValue) bool { return v.Canonical == value }) {
			return name
		}
	}
	return ""
}
