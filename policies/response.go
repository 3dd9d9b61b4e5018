package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var responseSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "button", LabelNames: []string{"payload"}}},
}

// decodeResponse reads a named response: text per language, plus buttons.
func decodeResponse(block *hcl.Block) (*Message, hcl.Diagnostics) {
	m := &Message{Name: block.Labels[0], Variants: map[string][]hcl.Expression{}, Range: block.DefRange}
	// Language attributes are open-ended, so the schema lists the ones present;
	// any other block type is still reported.
	schema := &hcl.BodySchema{Blocks: responseSchema.Blocks}
	if syn, ok := block.Body.(*hclsyntax.Body); ok {
		for _, name := range sortedKeys(syn.Attributes) {
			schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: name})
		}
	}
	content, diags := block.Body.Content(schema)
	attrs := content.Attributes

	for _, name := range sortedKeys(attrs) {
		attr := attrs[name]
		if !isKnownLanguage(name) {
			diags = append(diags, unknownLanguage(name, attr.NameRange))
			continue
		}
		variants, more := decodeVariants(attr.Expr)
		diags = append(diags, more...)
		m.Variants[name] = variants
	}
	if len(attrs) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Response has no text",
			Detail:   `A response gives its text per language, like en = "Hello!".`,
			Subject:  block.DefRange.Ptr(),
		})
	}

	seen := map[string]hcl.Range{}
	for _, b := range content.Blocks {
		btn, more := decodeButton(b)
		diags = append(diags, more...)
		if first, dup := seen[btn.Payload]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate button",
				Detail:   fmt.Sprintf("A button for %q is already declared at %s.", btn.Payload, first.String()),
				Subject:  b.DefRange.Ptr(),
			})
			continue
		}
		seen[btn.Payload] = b.DefRange
		m.Buttons = append(m.Buttons, btn)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return m, diags
}

func decodeButton(block *hcl.Block) (Button, hcl.Diagnostics) {
	btn := Button{Payload: block.Labels[0], Labels: map[string]string{}, Range: block.DefRange}
	attrs, diags := block.Body.JustAttributes()
	for _, name := range sortedKeys(attrs) {
		attr := attrs[name]
		if !isKnownLanguage(name) {
			diags = append(diags, unknownLanguage(name, attr.NameRange))
			continue
		}
		s, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		if present {
			btn.Labels[name] = s
		}
	}
	if len(attrs) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Button has no label",
			Detail:   `A button gives its label per language, like en = "Track an order".`,
			Subject:  block.DefRange.Ptr(),
		})
	}
	return btn, diags
}

// decodeVariants reads one template, or a list of alternative templates.
func decodeVariants(expr hcl.Expression) ([]hcl.Expression, hcl.Diagnostics) {
	if _, isTuple := expr.(*hclsyntax.TupleConsExpr); isTuple {
		elems, diags := hcl.ExprList(expr)
		if diags.HasErrors() {
			return nil, diags
		}
		if len(elems) == 0 {
			return nil, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "No message variants",
				Detail:   "Give at least one text, or leave this language out.",
				Subject:  expr.Range().Ptr(),
			}}
		}
		for _, e := range elems {
			if d := notTemplate(e); d != nil {
				diags = append(diags, d)
			}
		}
		return elems, diags
	}
	if d := notTemplate(expr); d != nil {
		return nil, hcl.Diagnostics{d}
	}
	return []hcl.Expression{expr}, nil
}

// notTemplate rejects expressions that can never be text, such as objects or bare
// references; other mistakes are left to the type checks.
func notTemplate(expr hcl.Expression) *hcl.Diagnostic {
	switch expr.(type) {
	case *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr:
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid message",
			Detail:   `A message text is a string, like "Hello ${customer.name}".`,
			Subject:  expr.Range().Ptr(),
		}
	}
	return nil
}

// decodeMessage reads a message attribute (reply, prompt, invalid, the bot's
// replies): a response.NAME reference, a string template serving every language,
// a list of such templates, or an object of languages { en = "...", zh = [...] }.
// A reference becomes a placeholder (Name set, Variants nil) that check resolves.
func decodeMessage(expr hcl.Expression) (*Message, hcl.Diagnostics) {
	if parts, ok := refTraversal(expr); ok {
		if len(parts) == 2 && parts[0] == "response" {
			return &Message{Name: parts[1], Range: expr.Range()}, nil
		}
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Expected a response reference",
			Detail:   `A message is a response reference (response.NAME), a string like "Hello", or texts per language like { en = "Hello", zh = "你好" }. To insert a value, use a template: "${slot.order_id}".`,
			Subject:  expr.Range().Ptr(),
		}}
	}
	m := &Message{Variants: map[string][]hcl.Expression{}, Range: expr.Range()}
	if _, isObject := expr.(*hclsyntax.ObjectConsExpr); isObject {
		pairs, diags := hcl.ExprMap(expr)
		if diags.HasErrors() {
			return nil, diags
		}
		for _, pair := range pairs {
			lang := hcl.ExprAsKeyword(pair.Key)
			if lang == "" {
				s, _, more := literalString(pair.Key)
				diags = append(diags, more...)
				lang = s
			}
			if !isKnownLanguage(lang) {
				diags = append(diags, unknownLanguage(lang, pair.Key.Range()))
				continue
			}
			if _, dup := m.Variants[lang]; dup {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate language",
					Detail:   fmt.Sprintf("%q is given twice.", lang),
					Subject:  pair.Key.Range().Ptr(),
				})
				continue
			}
			variants, more := decodeVariants(pair.Value)
			diags = append(diags, more...)
			m.Variants[lang] = variants
		}
		if len(pairs) == 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Empty message",
				Detail:   "Give the text for at least one language.",
				Subject:  expr.Range().Ptr(),
			})
		}
		if diags.HasErrors() {
			return nil, diags
		}
		return m, diags
	}
	variants, diags := decodeVariants(expr)
	if diags.HasErrors() {
		return nil, diags
	}
	m.Variants[""] = variants
	return m, diags
}

// expressions lists every template of the message, in a stable order.
func (m *Message) expressions() []hcl.Expression {
	var out []hcl.Expression
	for _, lang := range sortedKeys(m.Variants) {
		out = append(out, m.Variants[lang]...)
	}
	return out
}

// isPlaceholder reports whether m is an unresolved response.NAME reference.
func isPlaceholder(m *Message) bool { return m != nil && m.Name != "" && m.Variants == nil }

var answerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "intent", Required: true},
		{Name: "reply", Required: true},
		{Name: "end"},
	},
}

// decodeAnswer reads a reply to an intent that needs no dialog.
func (d *decoder) decodeAnswer(block *hcl.Block) (*Answer, hcl.Diagnostics) {
	a := &Answer{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(answerSchema)
	if attr, ok := content.Attributes["intent"]; ok {
		name, more := decodeRef(attr.Expr, "intent")
		diags = append(diags, more...)
		if name != "" {
			a.Intent = name
			d.ref("intent", name, attr.Expr.Range())
		}
	}
	if attr, ok := content.Attributes["reply"]; ok {
		m, more := decodeMessage(attr.Expr)
		diags = append(diags, more...)
		a.Reply = m
	}
	var more hcl.Diagnostics
	a.End, more = attrBool(content.Attributes, "end")
	diags = append(diags, more...)
	return a, diags
}
