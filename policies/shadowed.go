package policies

import (
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// checkShadowedHandoffs warns about a handoff policy that never applies
// because one above it holds whenever it does: every condition the one above
// joins with && is also one of this one's, as intent.name == "human" is in
// customer.vip && intent.name == "human". Policies are checked top to bottom
// and the first that matches hands off, so the specific one must come first;
// split over files, "above" is the file whose name sorts first, which is easy
// to miss.
func (c *checker) checkShadowedHandoffs() {
	policies := c.bot.Handoffs
	for i, p := range policies {
		if p.When == nil || c.errorIn(p.When) {
			continue
		}
		own := conjuncts(p.When)
		for _, above := range policies[:i] {
			if above.When == nil || above.Once || c.errorIn(above.When) || !allIn(conjuncts(above.When), own) {
				continue
			}
			where, fix := "above it", "first"
			if above.Range.Filename != p.Range.Filename {
				where = fmt.Sprintf("in %s, which is read before %s (files are read in the order of their paths),", c.botPath(above.Range.Filename), c.botPath(p.Range.Filename))
				fix = "first, in the same file"
			}
			c.warnf(p.Range, "Never applies", "Handoff policy %q never applies: handoff policy %q %s holds whenever it does, and the first policy that matches hands off. Put the more specific policy %s.", p.Name, above.Name, where, fix)
			break
		}
	}
}

// botPath names a file by its path in the bot's folder, the order files are
// read in: sub/a.hcl, not a.hcl, which would seem to come before z.hcl.
func (c *checker) botPath(filename string) string {
	if rel, err := filepath.Rel(c.bot.Dir, filename); err == nil && c.bot.Dir != "" {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(filename)
}

// conjuncts splits a condition into the parts && joins, looking through
// parentheses.
func conjuncts(expr hcl.Expression) []hcl.Expression {
	expr = unparen(expr)
	if b, ok := expr.(*hclsyntax.BinaryOpExpr); ok && b.Op == hclsyntax.OpLogicalAnd {
		return append(conjuncts(b.LHS), conjuncts(b.RHS)...)
	}
	return []hcl.Expression{expr}
}

func allIn(parts, in []hcl.Expression) bool {
	for _, p := range parts {
		found := false
		for _, q := range in {
			found = found || sameExpr(p, q)
		}
		if !found {
			return false
		}
	}
	return true
}

func unparen(expr hcl.Expression) hcl.Expression {
	for {
		p, ok := expr.(*hclsyntax.ParenthesesExpr)
		if !ok {
			return expr
		}
		expr = p.Expression
	}
}

// sameExpr reports whether two expressions are written the same, up to
// spacing and parentheses. It knows the forms conditions are made of and
// says false for any other, so a warning built on it is never wrong.
func sameExpr(a, b hcl.Expression) bool {
	a, b = unparen(a), unparen(b)
	switch x := a.(type) {
	case *hclsyntax.BinaryOpExpr:
		y, ok := b.(*hclsyntax.BinaryOpExpr)
		return ok && x.Op == y.Op && sameExpr(x.LHS, y.LHS) && sameExpr(x.RHS, y.RHS)
	case *hclsyntax.UnaryOpExpr:
		y, ok := b.(*hclsyntax.UnaryOpExpr)
		return ok && x.Op == y.Op && sameExpr(x.Val, y.Val)
	case *hclsyntax.ScopeTraversalExpr:
		y, ok := b.(*hclsyntax.ScopeTraversalExpr)
		return ok && sameTraversal(x.Traversal, y.Traversal)
	case *hclsyntax.LiteralValueExpr:
		y, ok := b.(*hclsyntax.LiteralValueExpr)
		return ok && x.Val.RawEquals(y.Val)
	case *hclsyntax.TemplateExpr:
		y, ok := b.(*hclsyntax.TemplateExpr)
		if !ok || len(x.Parts) != len(y.Parts) {
			return false
		}
		for i := range x.Parts {
			if !sameExpr(x.Parts[i], y.Parts[i]) {
				return false
			}
		}
		return true
	case *hclsyntax.FunctionCallExpr:
		y, ok := b.(*hclsyntax.FunctionCallExpr)
		if !ok || x.Name != y.Name || x.ExpandFinal != y.ExpandFinal || len(x.Args) != len(y.Args) {
			return false
		}
		for i := range x.Args {
			if !sameExpr(x.Args[i], y.Args[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func sameTraversal(a, b hcl.Traversal) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		switch x := a[i].(type) {
		case hcl.TraverseRoot:
			y, ok := b[i].(hcl.TraverseRoot)
			if !ok || x.Name != y.Name {
				return false
			}
		case hcl.TraverseAttr:
			y, ok := b[i].(hcl.TraverseAttr)
			if !ok || x.Name != y.Name {
				return false
			}
		case hcl.TraverseIndex:
			y, ok := b[i].(hcl.TraverseIndex)
			if !ok || !x.Key.RawEquals(y.Key) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
