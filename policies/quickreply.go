package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// QuickReply is a canned answer agents insert from the console's reply box
// (typing "/" lists them). Its text is filled in when an agent picks it, for
// the conversation at hand: the customer's name, the order being discussed.
type QuickReply struct {
	Name  string
	Title string // what agents search and see; the name when not given
	// Text per language: one template each.
	Text  map[string]hcl.Expression
	Range hcl.Range
}

// QuickReplyNamespaces are what a quick reply can read: it is filled in
// outside any turn, so there is no intent, message or call result.
var QuickReplyNamespaces = []string{"customer", "slot", "var", "agent", "conversation"}

// AgentFields are agent.* in a quick reply: the agent who inserts it.
var AgentFields = []NamespaceField{
	{Name: "id", Type: "string", Description: "The agent's id"},
	{Name: "name", Type: "string", Description: "The agent's name, as customers see it"},
}

var quickReplyAttrs = []string{"title"}

// decodeQuickReply reads a quick_reply block: a title and a text per language.
func decodeQuickReply(block *hcl.Block) (*QuickReply, hcl.Diagnostics) {
	q := &QuickReply{Name: block.Labels[0], Title: block.Labels[0], Text: map[string]hcl.Expression{}, Range: block.DefRange}
	// Language attributes are open-ended, as in a response.
	schema := &hcl.BodySchema{}
	if syn, ok := block.Body.(*hclsyntax.Body); ok {
		for _, name := range sortedKeys(syn.Attributes) {
			schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: name})
		}
	}
	content, diags := block.Body.Content(schema)
	if content == nil {
		return nil, diags
	}
	for _, name := range sortedKeys(content.Attributes) {
		attr := content.Attributes[name]
		switch {
		case name == "title":
			title, _, more := literalString(attr.Expr)
			diags = append(diags, more...)
			if strings.TrimSpace(title) != "" {
				q.Title = strings.TrimSpace(title)
			}
		case !isKnownLanguage(name):
			d := unknownLanguage(name, attr.NameRange)
			d.Detail += fmt.Sprintf(" A quick reply has %s and its text per language.", strings.Join(quickReplyAttrs, ", "))
			diags = append(diags, d)
		default:
			if d := notTemplate(attr.Expr); d != nil {
				diags = append(diags, d)
				continue
			}
			q.Text[name] = attr.Expr
		}
	}
	if len(q.Text) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Quick reply has no text",
			Detail:   `A quick reply gives its text per language, like en = "Hi ${customer.name}, happy to help."`,
			Subject:  block.DefRange.Ptr(),
		})
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return q, diags
}

// checkQuickReplies checks each text's language and every name it reads: a
// quick reply sees the customer, any slot, the variables, the agent and the
// conversation.
func (c *checker) checkQuickReplies() {
	if len(c.bot.QuickReplies) == 0 {
		return
	}
	scopes := newScopeSet(c.bot)
	sc := *scopes.shared
	sc.where = "in a quick reply"
	vars := make(map[string]cty.Value, len(sc.ctx.Variables)+1)
	for k, v := range sc.ctx.Variables {
		vars[k] = v
	}
	agent := map[string]cty.Value{}
	for _, f := range AgentFields {
		agent[f.Name] = cty.UnknownVal(cty.String)
	}
	vars["agent"] = cty.ObjectVal(agent)
	sc.ctx = &hcl.EvalContext{Variables: vars, Functions: sc.ctx.Functions}
	for _, q := range c.bot.QuickReplies {
		for _, lang := range sortedKeys(q.Text) {
			expr := q.Text[lang]
			if !slices.Contains(c.bot.Languages, lang) {
				c.errorf(expr.Range(), "Language not spoken by the bot", "%q is not one of the bot's languages (%s); add it to the bot's languages or remove this text.", lang, strings.Join(c.bot.Languages, ", "))
			}
			if c.checkQuickReplyNames(expr, &sc) {
				c.checkExprValue(expr, kindText, &sc)
			}
		}
	}
}

func (c *checker) checkQuickReplyNames(expr hcl.Expression, sc *typeScope) bool {
	ok := true
	for _, trav := range expr.Variables() {
		root := trav.RootName()
		rng := trav.SourceRange()
		switch {
		case root == "agent":
			if len(trav) < 2 {
				continue
			}
			step, isAttr := trav[1].(hcl.TraverseAttr)
			if isAttr && !slices.ContainsFunc(AgentFields, func(f NamespaceField) bool { return f.Name == step.Name }) {
				c.errorf(rng, "Unknown attribute", "agent has no attribute %q; it has id and name.%s", step.Name, didYouMean(step.Name, []string{"id", "name"}))
				ok = false
			}
		case findNamespace(root) != nil && !slices.Contains(QuickReplyNamespaces, root):
			c.errorf(rng, "Not available in a quick reply", "A quick reply is filled in when an agent picks it, outside any turn of the bot, so it can't read %s; it can read %s.", root, strings.Join(QuickReplyNamespaces, ", "))
			ok = false
		default:
			single := &hclsyntax.ScopeTraversalExpr{Traversal: trav, SrcRange: rng}
			ok = c.checkNames(single, sc, kindText) && ok
		}
	}
	return ok
}

// FilledQuickReply is a quick reply filled in for one conversation.
type FilledQuickReply struct {
	Text     string
	Language string
	// Missing lists what the conversation does not know yet ("slot.order_id"):
	// the text shows each as [slot.order_id] for the agent to fill in.
	Missing []string
}

// FillQuickReply fills q in for a conversation in language lang (else the
// bot's first language, else any it has), as agent (id, name) would send it.
// A value that is not known (an empty slot, a customer without a name) does
// not vanish from the sentence: it becomes a visible [placeholder].
func (b *Bot) FillQuickReply(q *QuickReply, lang string, s Scope, agentID, agentName string) FilledQuickReply {
	out := FilledQuickReply{Language: lang}
	expr, ok := q.Text[lang]
	if !ok && len(b.Languages) > 0 {
		out.Language = b.Languages[0]
		expr, ok = q.Text[out.Language]
	}
	if !ok {
		for _, l := range sortedKeys(q.Text) {
			out.Language, expr = l, q.Text[l]
			break
		}
	}
	if expr == nil {
		return out
	}
	ctx := b.EvalContext(s)
	ctx.Variables["agent"] = cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal(agentID), "name": cty.StringVal(agentName)})
	var parts []hcl.Expression
	switch t := expr.(type) {
	case *hclsyntax.TemplateExpr:
		for _, p := range t.Parts {
			parts = append(parts, p)
		}
	case *hclsyntax.TemplateWrapExpr:
		parts = []hcl.Expression{t.Wrapped}
	default:
		parts = []hcl.Expression{expr}
	}
	var text strings.Builder
	for _, part := range parts {
		if lit, isLit := part.(*hclsyntax.LiteralValueExpr); isLit && lit.Val.Type() == cty.String {
			text.WriteString(lit.Val.AsString())
			continue
		}
		v, diags := part.Value(ctx)
		var s string
		if !diags.HasErrors() {
			s, diags = textOf(v, part, ctx)
		}
		// A name with no value is a gap to fill; an expression that chose ""
		// (customer.vip ? " (VIP)" : "") said what it meant.
		_, isName := part.(*hclsyntax.ScopeTraversalExpr)
		if diags.HasErrors() || v.IsNull() || isName && strings.TrimSpace(s) == "" {
			name := b.sourceText(part.Range())
			out.Missing = append(out.Missing, name)
			text.WriteString("[" + name + "]")
			continue
		}
		text.WriteString(s)
	}
	out.Text = text.String()
	return out
}

// sourceText is the text of rng in the bot's files.
func (b *Bot) sourceText(rng hcl.Range) string {
	if f := b.Files[rng.Filename]; f != nil && rng.End.Byte <= len(f.Bytes) && rng.Start.Byte < rng.End.Byte {
		return strings.TrimSpace(string(f.Bytes[rng.Start.Byte:rng.End.Byte]))
	}
	return "…"
}
