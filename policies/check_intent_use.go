package policies

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// checkIntentsActedOn warns about an intent that nothing acts on: no answer
// names it, no dialog lists it as a trigger, and no expression compares
// intent.name with it. Customers who ask are recognised, confidently, and
// still get the not_understood reply, which the bot's author rarely means
// (an intent written down and its answer forgotten). A triage block's
// intents count: they route tickets.
func (c *checker) checkIntentsActedOn() {
	if c.d.decodeFailed || len(c.bot.Answers)+len(c.bot.Dialogs) == 0 {
		return // a bot that only triages tickets has intents for nothing else
	}
	used := map[string]bool{}
	for _, a := range c.bot.Answers {
		used[a.Intent] = true
	}
	for _, d := range c.bot.Dialogs {
		for _, t := range d.Triggers {
			used[t] = true
		}
	}
	dynamic := false // intent.name read in a way no literal names
	look := func(e hcl.Expression) {
		if !readsIntentName(e) {
			return
		}
		names := literalTexts(e)
		if len(names) == 0 {
			dynamic = true
		}
		for _, n := range names {
			used[n] = true
		}
	}
	for _, t := range c.bot.Triage {
		for _, in := range t.Intents {
			used[in] = true // routes tickets
		}
		if t.When != nil {
			look(t.When)
		}
	}
	for _, l := range c.bot.Locals {
		look(l.Expr)
	}
	c.walk(visitor{
		expr: func(e hcl.Expression, _ exprKind, _ *typeScope) { look(e) },
		message: func(m **Message, _ *typeScope) {
			for _, e := range (*m).expressions() {
				look(e)
			}
			for _, cs := range (*m).Cases {
				look(cs.When)
			}
		},
	}, newScopeSet(c.bot))
	if dynamic {
		return
	}
	for _, in := range c.bot.Intents {
		if in == nil || used[in.Name] {
			continue
		}
		c.warnf(in.Range, "Intent nothing acts on",
			"Messages recognised as %[1]q get the not_understood reply: no answer names intent.%[1]s, no dialog's trigger lists it, and no handoff policy or rule compares intent.name with %[1]q. Give it an answer (answer %[1]q { intent = intent.%[1]s, reply = ... }), add it to a dialog's trigger, or remove it.", in.Name)
	}
}

// readsIntentName reports whether e reads intent.name.
func readsIntentName(e hcl.Expression) bool {
	for _, trav := range e.Variables() {
		if trav.RootName() != "intent" || len(trav) < 2 {
			continue
		}
		if a, ok := trav[1].(hcl.TraverseAttr); ok && a.Name == "name" {
			return true
		}
	}
	return false
}

// literalTexts lists the constant texts in e, and the keys of the objects
// it builds: the intent names of intent.name == "human" and of
// lookup({ password_reset = "..." }, intent.name, "").
func literalTexts(e hcl.Expression) []string {
	node, ok := e.(hclsyntax.Node)
	if !ok {
		return nil
	}
	var out []string
	add := func(v cty.Value) {
		if v.IsKnown() && !v.IsNull() && v.Type() == cty.String && v.AsString() != "" {
			out = append(out, v.AsString())
		}
	}
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n := n.(type) {
		case *hclsyntax.LiteralValueExpr:
			add(n.Val)
		case *hclsyntax.TemplateExpr:
			if len(n.Parts) == 1 {
				if lit, ok := n.Parts[0].(*hclsyntax.LiteralValueExpr); ok {
					add(lit.Val)
				}
			}
		case *hclsyntax.ObjectConsKeyExpr:
			if kw := hcl.ExprAsKeyword(n.Wrapped); kw != "" {
				out = append(out, kw)
			}
		}
		return nil
	})
	return out
}
