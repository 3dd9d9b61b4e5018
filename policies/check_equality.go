package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// checkConstantEquality warns where == or != compares a value with a constant
// of another type: call.stock.in_stock == "true" (a bool field) or
// call.order.total == "58" (a number). Values of different types are never
// equal, so the condition is always false (or, with !=, always true) when the
// bot runs. == takes operands of any type, so this is a warning, and bots
// that validate today keep validating.
func (w *operandWalker) checkConstantEquality(e *hclsyntax.BinaryOpExpr) {
	if e.Op != hclsyntax.OpEqual && e.Op != hclsyntax.OpNotEqual {
		return
	}
	value, constant := e.LHS, e.RHS
	c, ok := constantValue(constant)
	if !ok {
		value, constant = e.RHS, e.LHS
		if c, ok = constantValue(constant); !ok {
			return
		}
	}
	if _, both := constantValue(value); both {
		return
	}
	ty := w.typeOf(value)
	if ty.IsObjectType() || ty.IsMapType() || ty.IsListType() || ty.IsTupleType() || ty.IsSetType() {
		w.warnCollectionEquality(e, value, constant, c, ty)
		return
	}
	if !ty.IsPrimitiveType() || ty.Equals(c.Type()) || w.c.isYesNo(value) {
		return
	}
	if !firstAt(&w.c.equalityWarned, e.Range()) {
		return // a response is checked at each place it is said
	}
	never := neverOrAlways(e.Op)
	name := exprText(value, "this value")
	fix := ""
	if as, ok := constantAs(c, ty); ok {
		fix = fmt.Sprintf(" Compare it with %s: %s %s %s.", typeWords(ty), name, opText(e.Op), as)
	}
	w.c.warnf(e.Range(), "Compared with a constant of another type",
		"%s is %s, and %s is %s: values of different types are never equal, so this is %s.%s",
		name, typeWords(ty), exprText(constant, "the constant"), typeWords(c.Type()), never, fix)
}

// warnCollectionEquality warns where an object or a list is compared with
// text, a number or a bool: intent == "human" for intent.name == "human", or
// call.cards.list == "4242" for contains(...). It is never equal.
func (w *operandWalker) warnCollectionEquality(e *hclsyntax.BinaryOpExpr, value, constant hclsyntax.Expression, c cty.Value, ty cty.Type) {
	if !firstAt(&w.c.equalityWarned, e.Range()) {
		return
	}
	name := exprText(value, "this value")
	what, fix := "a list", fmt.Sprintf(" To ask whether it holds the value, write contains(%s, %s).", name, exprText(constant, "the value"))
	if e.Op == hclsyntax.OpNotEqual {
		fix = fmt.Sprintf(" To ask whether it lacks the value, write !contains(%s, %s).", name, exprText(constant, "the value"))
	}
	if ty.IsObjectType() {
		var fields []string
		for f := range ty.AttributeTypes() {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		what = "an object"
		fix = ""
		if len(fields) > 0 {
			what = fmt.Sprintf("an object (with %s)", strings.Join(fields, ", "))
			field := fields[0]
			if slices.Contains(fields, "name") {
				field = "name"
			}
			fix = fmt.Sprintf(" Compare one of its fields: %s.%s %s %s.", name, field, opText(e.Op), exprText(constant, "the value"))
		}
	} else if ty.IsMapType() {
		what, fix = "an object", ""
	}
	w.c.warnf(e.Range(), "Compared with a constant of another type",
		"%s is %s, and %s is %s: they are never equal, so this is %s.%s",
		name, what, exprText(constant, "the constant"), typeWords(c.Type()), neverOrAlways(e.Op), fix)
}

// firstAt marks rng in warned, reporting whether it was not marked yet.
func firstAt(warned *map[hcl.Range]bool, rng hcl.Range) bool {
	if (*warned)[rng] {
		return false
	}
	if *warned == nil {
		*warned = map[hcl.Range]bool{}
	}
	(*warned)[rng] = true
	return true
}

// neverOrAlways is what an == (or !=) between values that are never equal
// always is.
func neverOrAlways(op *hclsyntax.Operation) string {
	if op == hclsyntax.OpNotEqual {
		return "always true"
	}
	return "never true"
}

// constantValue is the value of a literal string, number or bool.
func constantValue(e hclsyntax.Expression) (cty.Value, bool) {
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		if x.Val.IsNull() || !x.Val.Type().IsPrimitiveType() {
			return cty.NilVal, false
		}
		return x.Val, true
	case *hclsyntax.TemplateExpr:
		if !x.IsStringLiteral() {
			return cty.NilVal, false
		}
		v, diags := x.Value(nil)
		return v, !diags.HasErrors() && !v.IsNull()
	case *hclsyntax.UnaryOpExpr:
		if x.Op != hclsyntax.OpNegate {
			return cty.NilVal, false
		}
		v, diags := x.Value(nil)
		return v, !diags.HasErrors() && v.Type() == cty.Number
	}
	return cty.NilVal, false
}

// constantAs writes the constant as the value's type, when it reads as one:
// "true" as true, "58" as 58.
func constantAs(c cty.Value, ty cty.Type) (string, bool) {
	if c.Type() != cty.String {
		if ty == cty.String {
			s := c.GoString()
			if c.Type() == cty.Number {
				s = c.AsBigFloat().Text('f', -1)
			} else if c.Type() == cty.Bool {
				s = fmt.Sprint(c.True())
			}
			return fmt.Sprintf("%q", s), true
		}
		return "", false
	}
	s := strings.TrimSpace(c.AsString())
	switch ty {
	case cty.Bool:
		if s == "true" || s == "false" {
			return s, true
		}
	case cty.Number:
		if _, err := cty.ParseNumberVal(s); err == nil {
			return s, true
		}
	}
	return "", false
}

func typeWords(ty cty.Type) string {
	switch ty {
	case cty.Bool:
		return "true or false"
	case cty.Number:
		return "a number"
	case cty.String:
		return "text"
	}
	return ty.FriendlyName()
}

// isYesNo reports a value read from a yes_no slot or entity, which the
// checker types as bool but which holds the text "yes" or "no": slot.NAME,
// memory.NAME (a remembered slot), entity.yes_no, or a local that is one.
func (c *checker) isYesNo(e hclsyntax.Expression) bool {
	return c.readsYesNo(e, map[string]bool{})
}

func (c *checker) readsYesNo(e hclsyntax.Expression, seen map[string]bool) bool {
	parts, ok := refTraversal(unparen(e))
	if !ok || len(parts) != 2 {
		return false
	}
	switch parts[0] {
	case "slot", "memory":
		return c.slotTyped(parts[1], "yes_no")
	case "entity":
		return parts[1] == "yes_no"
	case "local":
		if seen[parts[1]] {
			return false // a cycle, reported elsewhere
		}
		seen[parts[1]] = true
		for _, l := range c.bot.Locals {
			if syn, isSyntax := l.Expr.(hclsyntax.Expression); isSyntax && l.Name == parts[1] {
				return c.readsYesNo(syn, seen)
			}
		}
	}
	return false
}
