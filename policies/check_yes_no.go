package policies

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// checkYesNoAsBool warns where a yes_no value is used as true or false. The
// slot holds the text "yes" or "no", so required_when = slot.lights_green,
// !slot.lights_green and slot.lights_green == true are always false when the
// bot runs; the checker's types let them through, since they type yes_no as
// bool, and turning that into an error would stop bots that validate today.
// (slot.lights_green != true is always true.)
func (c *checker) checkYesNoAsBool(expr hcl.Expression, kind exprKind) {
	syn, ok := expr.(hclsyntax.Expression)
	if !ok {
		return
	}
	if kind == kindCondition {
		c.warnYesNo(syn)
	}
	hclsyntax.VisitAll(syn, func(node hclsyntax.Node) hcl.Diagnostics {
		switch e := node.(type) {
		case *hclsyntax.UnaryOpExpr:
			if e.Op == hclsyntax.OpLogicalNot {
				c.warnYesNo(e.Val)
			}
		case *hclsyntax.BinaryOpExpr:
			switch e.Op {
			case hclsyntax.OpLogicalAnd, hclsyntax.OpLogicalOr:
				c.warnYesNo(e.LHS)
				c.warnYesNo(e.RHS)
			case hclsyntax.OpEqual, hclsyntax.OpNotEqual:
				if isBoolLiteral(e.RHS) {
					c.warnYesNo(e.LHS)
				} else if isBoolLiteral(e.LHS) {
					c.warnYesNo(e.RHS)
				}
			}
		case *hclsyntax.ConditionalExpr:
			c.warnYesNo(e.Condition)
		}
		return nil
	})
}

// warnYesNo warns, once per place, when e is a yes_no value (isYesNo).
func (c *checker) warnYesNo(e hclsyntax.Expression) {
	e = unparen(e).(hclsyntax.Expression)
	parts, ok := refTraversal(e)
	if !ok || !c.isYesNo(e) {
		return
	}
	rng := e.Range()
	if c.yesNoWarned[rng] {
		return
	}
	if c.yesNoWarned == nil {
		c.yesNoWarned = map[hcl.Range]bool{}
	}
	c.yesNoWarned[rng] = true
	ref := strings.Join(parts, ".")
	c.warnf(rng, "Yes or no used as true or false", `%s holds the text "yes" or "no", never true or false, so this does not read the answer. Compare it: %s == "yes" (or "no").`, ref, ref)
}

func isBoolLiteral(e hclsyntax.Expression) bool {
	lit, ok := e.(*hclsyntax.LiteralValueExpr)
	return ok && lit.Val.Type().Equals(cty.Bool)
}
