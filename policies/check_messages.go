package policies

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func (c *checker) resolveMessages() {
	scopes := newScopeSet(c.bot)
	c.walk(visitor{message: func(m **Message, sc *typeScope) {
		if !isPlaceholder(*m) {
			return
		}
		name := (*m).Name
		if resp, ok := c.bot.Responses[name]; ok {
			if sc != scopes.shared {
				c.checkCallsAtUse(resp, (*m).Range, sc)
				c.checkSlotsAtUse(resp, (*m).Range, sc)
			}
			*m = resp
			return
		}
		c.errorf((*m).Range, "Unknown response", "There is no response named %q.%s", name, didYouMean(name, sortedKeys(c.bot.Responses)))
		*m = nil
	}}, scopes)
}

// checkCallsAtUse reports a response that reads the result of a call that
// does not exist where it is said: rendering it would fail and the customer
// would get the error reply. A response may be said from many places, so this
// is checked at each use, which is where the mistake is.
func (c *checker) checkCallsAtUse(resp *Message, use hcl.Range, sc *typeScope) {
	reported := map[string]bool{}
	for _, expr := range resp.expressions() {
		for _, trav := range expr.Variables() {
			if trav.RootName() != "call" || len(trav) < 2 {
				continue
			}
			step, ok := trav[1].(hcl.TraverseAttr)
			if !ok || reported[step.Name] {
				continue
			}
			if _, found := sc.calls[step.Name]; found {
				continue
			}
			reported[step.Name] = true
			why, later := sc.notYet[step.Name]
			places := sc.setIn[step.Name]
			switch {
			case later:
				why = "call." + step.Name + " " + why
			case len(places) > 0:
				why = fmt.Sprintf("call.%s is only set in %s", step.Name, joinAnd(places))
			default:
				continue // no call has that name: the response itself is reported, once
			}
			// A call of the dialog's own blocks validated before scopes were
			// exact: a warning keeps such bots valid; anything else is an error.
			report := c.errorf
			if later || sc.unrun[step.Name] {
				report = c.warnf
			}
			report(use, "Response reads a call that is not here",
				"Response %q reads call.%s (at %s), but %s, not %s: saying it there would fail and the customer would get the error reply.",
				resp.Name, step.Name, trav.SourceRange().String(), why, sc.where)
		}
	}
}

// checkSlotsAtUse warns about a response said in a dialog that reads a slot
// the dialog does not have, usually a response written for another dialog:
// the slot is null there, so the text has a hole, or a function given the
// null (format_date) fails and the customer gets the error reply. A warning,
// since such bots validated before.
func (c *checker) checkSlotsAtUse(resp *Message, use hcl.Range, sc *typeScope) {
	if sc.slots == nil {
		return // no dialog here, so no slot is expected either
	}
	reported := map[string]bool{}
	for _, expr := range resp.expressions() {
		for _, trav := range expr.Variables() {
			if trav.RootName() != "slot" || len(trav) < 2 {
				continue
			}
			step, ok := trav[1].(hcl.TraverseAttr)
			if !ok || reported[step.Name] {
				continue
			}
			if _, found := sc.slots[step.Name]; found || readsSlotGuarded(resp, step.Name) {
				continue
			}
			reported[step.Name] = true
			c.warnf(use, "Response reads a slot that is not here",
				"Response %q reads slot.%s (at %s), but there is no slot %q %s: it is null there, so the reply has a gap, or fails with the error reply where a function needs the value. The slots here are %s.",
				resp.Name, step.Name, trav.SourceRange().String(), step.Name, sc.where, joinAnd(sortedKeys(sc.slots)))
		}
	}
}

// readsSlotGuarded reports whether a response tests slot.NAME for null or
// passes it to coalesce or try: written to be said where the slot may not be.
func readsSlotGuarded(resp *Message, name string) bool {
	isSlot := func(e hclsyntax.Expression) bool {
		parts, ok := refTraversal(e)
		return ok && len(parts) == 2 && parts[0] == "slot" && parts[1] == name
	}
	isNull := func(e hclsyntax.Expression) bool {
		lit, ok := e.(*hclsyntax.LiteralValueExpr)
		return ok && lit.Val.IsNull()
	}
	guarded := false
	for _, expr := range resp.expressions() {
		syn, ok := expr.(hclsyntax.Node)
		if !ok {
			continue
		}
		hclsyntax.VisitAll(syn, func(node hclsyntax.Node) hcl.Diagnostics {
			switch n := node.(type) {
			case *hclsyntax.BinaryOpExpr:
				if n.Op == hclsyntax.OpEqual || n.Op == hclsyntax.OpNotEqual {
					guarded = guarded || isSlot(n.LHS) && isNull(n.RHS) || isNull(n.LHS) && isSlot(n.RHS)
				}
			case *hclsyntax.FunctionCallExpr:
				if n.Name == "coalesce" || n.Name == "try" || n.Name == "can" {
					guarded = guarded || slices.ContainsFunc(n.Args, isSlot)
				}
			}
			return nil
		})
	}
	return guarded
}

func (c *checker) checkMessages() {
	seen := map[*Message]bool{}
	c.walk(visitor{message: func(pm **Message, _ *typeScope) {
		m := *pm
		if seen[m] || isPlaceholder(m) {
			return
		}
		seen[m] = true
		for _, lang := range sortedKeys(m.Variants) {
			if lang == "" || slices.Contains(c.bot.Languages, lang) {
				continue
			}
			rng := m.Range
			if vs := m.Variants[lang]; len(vs) > 0 {
				rng = vs[0].Range()
			}
			c.errorf(rng, "Language not spoken by the bot", "%q is not one of the bot's languages (%s); add it to the bot's languages or remove this text.", lang, strings.Join(c.bot.Languages, ", "))
		}
		if m.Name != "" && m.Range.Filename != "" && m.Variants[""] == nil {
			for _, lang := range c.bot.Languages {
				if _, ok := m.Variants[lang]; !ok {
					c.warnf(m.Range, "Missing translation", "Response %q has no %q text%s get the %q text.", m.Name, lang, speakers(lang, c.bot.Languages), fallbackLanguage(m.Variants, c.bot.Languages))
				}
			}
		}
		for _, cs := range m.Cases {
			for _, lang := range sortedKeys(cs.Variants) {
				if lang != "" && !slices.Contains(c.bot.Languages, lang) {
					c.errorf(cs.Variants[lang][0].Range(), "Language not spoken by the bot", "%q is not one of the bot's languages (%s).", lang, strings.Join(c.bot.Languages, ", "))
				}
			}
			// A case that holds is said instead of the response's own texts,
			// so a language it lacks gets the case's default-language text,
			// not the response's own text in that language.
			if m.Name != "" && cs.Variants[""] == nil && len(cs.Variants) > 0 {
				for _, lang := range c.bot.Languages {
					_, own := m.Variants[lang]
					if _, ok := cs.Variants[lang]; !ok && (own || m.Variants[""] != nil) {
						c.warnf(cs.Range, "Missing translation", "This case of response %q has no %q text%s get the case's %q text when it holds, not the response's own text.", m.Name, lang, speakers(lang, c.bot.Languages), fallbackLanguage(cs.Variants, c.bot.Languages))
					}
				}
			}
		}
		if name := m.ValueButtons; name != "" {
			if e := c.bot.Entities[name]; e == nil {
				lists := c.listEntities()
				c.errorf(m.ValueButtonsRange, "Unknown entity", "value_buttons offers the values of a list entity; there is no list entity named %q.%s", name, existing(name, "list entities", lists))
			} else if e.Kind != EntityList {
				c.errorf(m.ValueButtonsRange, "Not a list entity", "value_buttons offers the values of a list entity, but %q is a pattern entity: its values can't be listed. Give the response buttons of its own, or ask for the value in words.%s", name, existing("", "list entities", c.listEntities()))
			}
		}
		for _, btn := range m.Buttons {
			all := c.allSlots()
			for _, name := range sortedKeys(btn.Slots) {
				if _, ok := all[name]; !ok {
					c.errorf(btn.Slots[name].Range(), "Unknown slot", "A button carries values for slots; no dialog has a slot named %q.%s", name, didYouMean(name, sortedKeys(all)))
				}
			}
			if len(btn.Slots) > 0 && (btn.Payload == "yes" || btn.Payload == "no") {
				c.errorf(btn.Range, "Button values on yes or no", "A button carries slot values to the dialog its intent starts or continues; a yes or no button answers a question and carries none.")
			}
			if btn.Payload != "yes" && btn.Payload != "no" && !slices.Contains(c.intentNames(), btn.Payload) {
				hint := didYouMean(btn.Payload, append(c.intentNames(), "yes", "no"))
				if _, err := strconv.Atoi(btn.Payload); err == nil {
					hint = " The survey's scores need no buttons: the bot adds 1 to 5 to its survey reply itself."
				} else if e := c.listEntityWithValue(btn.Payload); e != "" {
					hint = fmt.Sprintf(" %q is a value of the list entity %s: value_buttons = %s offers one button per value.", btn.Payload, e, e)
				}
				c.errorf(btn.Range, "Unknown button payload", "A button sends an intent name, \"yes\" or \"no\"; there is no intent named %q.%s", btn.Payload, hint)
			}
			for _, lang := range sortedKeys(btn.Labels) {
				if !slices.Contains(c.bot.Languages, lang) {
					c.errorf(btn.Range, "Language not spoken by the bot", "The label %q is not one of the bot's languages (%s).", lang, strings.Join(c.bot.Languages, ", "))
				}
			}
		}
	}}, newScopeSet(c.bot))
}

// ---- intents ----

// fallbackLanguage is the language of the text said to a customer whose
// language a message lacks, as the dialog picks it: the bot's default
// language, else the first language the message has by name.
func fallbackLanguage(texts map[string][]hcl.Expression, languages []string) string {
	if len(languages) > 0 && len(texts[languages[0]]) > 0 {
		return languages[0]
	}
	for _, lang := range sortedKeys(texts) {
		if len(texts[lang]) > 0 {
			return lang
		}
	}
	return ""
}

// speakers ends "has no "zh" text" with who goes without it: the default
// language's text is also what customers in other languages are given.
func speakers(lang string, languages []string) string {
	if len(languages) > 0 && lang == languages[0] {
		return ", the bot's default language; customers speaking it, or a language the bot does not speak,"
	}
	return "; customers speaking it"
}

// checkValueButtonsList checks that value_buttons = EXPR gives a list of
// texts or numbers, one button each, where its type is known here (a call's
// declared output, a slot's type).
func (c *checker) checkValueButtonsList(expr hcl.Expression, sc *typeScope) {
	val, diags := expr.Value(sc.ctx)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				c.diags = append(c.diags, d)
			}
		}
		return
	}
	ty := val.Type()
	if ty == cty.DynamicPseudoType {
		return
	}
	var elem cty.Type
	switch {
	case ty.IsListType(), ty.IsSetType():
		elem = ty.ElementType()
	case ty.IsTupleType():
		for _, et := range ty.TupleElementTypes() {
			if !et.IsPrimitiveType() && et != cty.DynamicPseudoType {
				elem = et
				break
			}
		}
		if elem == cty.NilType {
			return
		}
	default:
		c.errorf(expr.Range(), "Incorrect value type", "value_buttons offers one button per value of a list; this is %s. %s", withArticle(ty.FriendlyName()), listFieldHint(expr, ty))
		return
	}
	if elem == cty.String || elem == cty.Number || elem == cty.DynamicPseudoType {
		return
	}
	c.errorf(expr.Range(), "Incorrect value type", "value_buttons makes a button of each value, so the values must be texts or numbers; each of these is %s. Pick one field of each, as in [for i in call.order.items : i.sku].", withArticle(elem.FriendlyName()))
}

// listFieldHint says how to give value_buttons a list: the list field of an
// object a call returns (call.cards for call.cards.numbers), else an example.
func listFieldHint(expr hcl.Expression, ty cty.Type) string {
	if syn, ok := expr.(hclsyntax.Expression); ok && ty.IsObjectType() {
		var lists []string
		for name, at := range ty.AttributeTypes() {
			if at.IsListType() || at.IsSetType() || at.IsTupleType() {
				lists = append(lists, name)
			}
		}
		if len(lists) > 0 {
			slices.Sort(lists)
			return fmt.Sprintf("Pick its list out: %s.%s.", exprText(syn, "the value"), lists[0])
		}
	}
	return "Give it a list, such as call.order.items, or the name of a list entity."
}

func withArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
