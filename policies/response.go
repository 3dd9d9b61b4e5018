package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var responseSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "button", LabelNames: []string{"payload"}}, {Type: "case"}},
}

// languageSchema lists the attributes a body with open-ended language keys
// holds (plus the reserved ones), so that Content reports only unknown blocks.
func languageSchema(body hcl.Body, blocks []hcl.BlockHeaderSchema) *hcl.BodySchema {
	schema := &hcl.BodySchema{Blocks: blocks}
	if syn, ok := body.(*hclsyntax.Body); ok {
		for _, name := range sortedKeys(syn.Attributes) {
			schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: name})
		}
	}
	return schema
}

// decodeLanguageTexts reads the language attributes of a body (en = "...",
// zh = [...]) into variants, leaving out the names in reserved.
func decodeLanguageTexts(attrs hcl.Attributes, reserved ...string) (map[string][]hcl.Expression, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	out := map[string][]hcl.Expression{}
	for _, name := range sortedKeys(attrs) {
		if slices.Contains(reserved, name) {
			continue
		}
		attr := attrs[name]
		if !isKnownLanguage(name) {
			diags = append(diags, unknownLanguage(name, attr.NameRange))
			continue
		}
		variants, more := decodeVariants(attr.Expr)
		diags = append(diags, more...)
		out[name] = variants
	}
	return out, diags
}

// decodeResponse reads a named response: text per language, cases, and buttons.
func decodeResponse(block *hcl.Block) (*Message, hcl.Diagnostics) {
	m := &Message{Name: block.Labels[0], Range: block.DefRange}
	// Language attributes are open-ended, so the schema lists the ones present;
	// any other block type is still reported.
	content, diags := block.Body.Content(languageSchema(block.Body, responseSchema.Blocks))
	attrs := content.Attributes

	var more hcl.Diagnostics
	m.Variants, more = decodeLanguageTexts(attrs, "value_buttons")
	diags = append(diags, more...)
	if attr, ok := attrs["value_buttons"]; ok {
		m.ValueButtons, m.ValueButtonsRange = hcl.ExprAsKeyword(attr.Expr), attr.Expr.Range()
		if m.ValueButtons == "" {
			if readsValue(attr.Expr) {
				m.ValueButtonsFrom = attr.Expr
			} else {
				diags = append(diags, valueButtonsNotEntity(attr.Expr)...)
			}
		}
	}
	if len(m.Variants) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Response has no text",
			Detail:   `A response gives its text per language, like en = "Hello!".`,
			Subject:  block.DefRange.Ptr(),
		})
	}
	for _, b := range content.Blocks {
		if b.Type != "case" {
			continue
		}
		c, more := decodeCase(b)
		diags = append(diags, more...)
		if c != nil {
			m.Cases = append(m.Cases, c)
		}
	}

	seen := map[string]hcl.Range{}
	for _, b := range content.Blocks {
		if b.Type != "button" {
			continue
		}
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
	// Declared even when it has mistakes, so that its uses are not reported
	// as unknown: those errors would only follow from these.
	return m, diags
}

// readsValue reports whether a value_buttons expression is a list to offer
// (call.order.items, a list of the customer's own, ["paper", "plastic"]),
// rather than an entity's name written wrongly ("refund_reason",
// entity.refund_reason).
func readsValue(expr hcl.Expression) bool {
	vars := expr.Variables()
	if len(vars) == 0 {
		v, diags := expr.Value(nil)
		return diags.HasErrors() || v.Type() != cty.String
	}
	for _, t := range vars {
		if t.RootName() != "entity" {
			return true
		}
	}
	return false
}

// valueButtonsNotEntity reports a value_buttons that is neither a bare entity
// name nor a list read from the conversation.
func valueButtonsNotEntity(expr hcl.Expression) hcl.Diagnostics {
	return wrongType(expr, "the name of a list entity, written bare (value_buttons = "+bareNameHint(expr, "refund_reason")+"), or a list to offer, such as value_buttons = call.order.items", nil)
}

// decodeCase reads a case of a response: a condition and texts per language.
func decodeCase(block *hcl.Block) (*MessageCase, hcl.Diagnostics) {
	attrs, diags := block.Body.JustAttributes()
	c := &MessageCase{When: exprOrNil(attrs, "when"), Range: block.DefRange}
	var more hcl.Diagnostics
	c.Variants, more = decodeLanguageTexts(attrs, "when")
	diags = append(diags, more...)
	if c.When == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Case without when",
			Detail:   `A case says when its texts are used, like when = conversation.channel == "sms"; the response's own texts are for every other case.`,
			Subject:  block.DefRange.Ptr(),
		})
	}
	if len(c.Variants) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Case has no text",
			Detail:   `A case gives its text per language, like en = "Delivered on ${call.order.eta}."`,
			Subject:  block.DefRange.Ptr(),
		})
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return c, diags
}

func decodeButton(block *hcl.Block) (Button, hcl.Diagnostics) {
	btn := Button{Payload: block.Labels[0], Labels: map[string]string{}, Range: block.DefRange}
	attrs, diags := block.Body.JustAttributes()
	if attr, ok := attrs["slots"]; ok {
		delete(attrs, "slots")
		pairs, more := hcl.ExprMap(attr.Expr)
		if more.HasErrors() {
			diags = append(diags, wrongType(attr.Expr, "an object of slot values, like { order_id = slot.order_id }", nil)...)
		}
		for _, p := range pairs {
			name := hcl.ExprAsKeyword(p.Key)
			if name == "" {
				diags = append(diags, wrongType(p.Key, "a slot name", nil)...)
				continue
			}
			if btn.Slots == nil {
				btn.Slots = map[string]hcl.Expression{}
			}
			btn.Slots[name] = p.Value
		}
	}
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
			} else if d := quotedResponseRef(e); d != nil {
				diags = append(diags, d)
			}
		}
		return elems, diags
	}
	if d := notTemplate(expr); d != nil {
		return nil, hcl.Diagnostics{d}
	}
	if d := quotedResponseRef(expr); d != nil {
		return []hcl.Expression{expr}, hcl.Diagnostics{d}
	}
	return []hcl.Expression{expr}, nil
}

// quotedResponseRef warns about a text that is only a response reference in
// quotes, such as "response.greet": the bot would say those words to the
// customer. A warning, since it is valid text and bots that have it validate.
func quotedResponseRef(expr hcl.Expression) *hcl.Diagnostic {
	s, ok := quotedText(expr)
	name, isRef := strings.CutPrefix(s, "response.")
	if !ok || !isRef || !hclsyntax.ValidIdentifier(name) {
		return nil
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "Response reference in quotes",
		Detail:   fmt.Sprintf("The bot would say the words %q to the customer. A reference is written without quotes: response.%s.", s, name),
		Subject:  expr.Range().Ptr(),
	}
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

// decodeReplyList reads a reply: one message, or a list of response references
// said one after the other, like [response.greet, response.help]. (A list of
// texts is one message with variants, as in decodeMessage.)
func decodeReplyList(expr hcl.Expression) ([]*Message, hcl.Diagnostics) {
	if tuple, ok := expr.(*hclsyntax.TupleConsExpr); ok && len(tuple.Exprs) > 0 {
		refs := 0
		for _, e := range tuple.Exprs {
			if parts, ok := refTraversal(e); ok && len(parts) == 2 && parts[0] == "response" {
				refs++
			}
		}
		if refs == len(tuple.Exprs) {
			var out []*Message
			for _, e := range tuple.Exprs {
				m, _ := decodeMessage(e)
				out = append(out, m)
			}
			return out, nil
		}
		if refs > 0 {
			return nil, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Mixed reply list",
				Detail:   "A list of response references says each in turn, like [response.greet, response.help]; a list of texts is one message said in one of those wordings. Write one or the other.",
				Subject:  expr.Range().Ptr(),
			}}
		}
	}
	m, diags := decodeMessage(expr)
	if m == nil {
		return nil, diags
	}
	return []*Message{m}, diags
}

// expressions lists every template of the message, its cases' and its
// buttons' values included, in a stable order.
func (m *Message) expressions() []hcl.Expression {
	var out []hcl.Expression
	for _, lang := range sortedKeys(m.Variants) {
		out = append(out, m.Variants[lang]...)
	}
	for _, c := range m.Cases {
		for _, lang := range sortedKeys(c.Variants) {
			out = append(out, c.Variants[lang]...)
		}
	}
	for _, b := range m.Buttons {
		for _, name := range sortedKeys(b.Slots) {
			out = append(out, b.Slots[name])
		}
	}
	if m.ValueButtonsFrom != nil {
		out = append(out, m.ValueButtonsFrom)
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
		{Name: "resolves"},
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
		m, more := decodeReplyList(attr.Expr)
		diags = append(diags, more...)
		a.Reply = m
	}
	var more hcl.Diagnostics
	a.End, more = attrBool(content.Attributes, "end")
	diags = append(diags, more...)
	if attr, ok := content.Attributes["resolves"]; ok {
		v, more := attrBool(content.Attributes, "resolves")
		diags = append(diags, more...)
		// null is the default, as if resolves were left out: not false.
		if val, _ := literalValue(attr.Expr); !more.HasErrors() && !val.IsNull() {
			a.Resolves = &v
		}
	}
	return a, diags
}

// bareNameHint is the name a mistaken reference most likely meant, for a
// message that shows it written bare: credit_reason for entity.credit_reason
// or "credit_reason"; otherwise example.
func bareNameHint(expr hcl.Expression, example string) string {
	if trav, diags := hcl.AbsTraversalForExpr(expr); !diags.HasErrors() && len(trav) > 0 {
		if a, ok := trav[len(trav)-1].(hcl.TraverseAttr); ok {
			return a.Name
		}
	}
	if v, diags := expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() && hclsyntax.ValidIdentifier(v.AsString()) {
		return v.AsString()
	}
	return example
}
