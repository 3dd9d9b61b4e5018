package policies

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// checkCoalesceEmpty warns about coalesce(x, ""): coalesce skips "" as it
// skips null, so that last argument is never returned and the call fails
// whenever x is null or "", which is exactly when the fallback was meant to
// apply. The failure is silent where it matters most: a condition on it is
// false, and a local reading it is unknown.
func (c *checker) checkCoalesceEmpty(expr hcl.Expression) {
	syn, ok := expr.(hclsyntax.Expression)
	if !ok {
		return
	}
	hclsyntax.VisitAll(syn, func(node hclsyntax.Node) hcl.Diagnostics {
		call, ok := node.(*hclsyntax.FunctionCallExpr)
		if !ok || call.Name != "coalesce" || len(call.Args) < 2 || call.ExpandFinal {
			return nil
		}
		last := call.Args[len(call.Args)-1]
		if !isEmptyStringLiteral(last) {
			return nil
		}
		what := "the arguments before it are"
		if len(call.Args) == 2 {
			what = "its first argument is"
			if t, ok := call.Args[0].(*hclsyntax.ScopeTraversalExpr); ok && traversalName(t.Traversal) != "" {
				what = traversalName(t.Traversal) + " is"
			}
		}
		c.warnf(last.Range(), "coalesce never returns \"\"",
			"coalesce returns its first argument that is neither null nor \"\", and fails when there is none: the last \"\" is skipped like the others, so whenever %s null or \"\" the expression fails (a condition on it is false, a local reading it is unknown, a message showing it gives the error reply). End with a value that is not empty, such as \"-\", or choose the empty text yourself: x != null ? x : \"\".",
			what)
		return nil
	})
}

// isEmptyStringLiteral reports whether expr is written "" (a template with
// no parts, or one empty literal part).
func isEmptyStringLiteral(expr hclsyntax.Expression) bool {
	switch x := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		return x.Val.Type() == cty.String && x.Val.IsKnown() && !x.Val.IsNull() && x.Val.AsString() == ""
	case *hclsyntax.TemplateExpr:
		if len(x.Parts) == 0 {
			return true
		}
		if len(x.Parts) == 1 {
			return isEmptyStringLiteral(x.Parts[0])
		}
	}
	return false
}
