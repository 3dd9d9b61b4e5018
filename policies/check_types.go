package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

func ctyTypeOf(name string) cty.Type {
	switch name {
	case "string":
		return cty.String
	case "number":
		return cty.Number
	case "bool":
		return cty.Bool
	}
	return cty.DynamicPseudoType
}

// staticNamespaces are the namespaces every expression sees, as unknown values of
// the right type (var is known: its values are constants).
func staticNamespaces(bot *Bot) map[string]cty.Value {
	out := map[string]cty.Value{}
	for _, ns := range Namespaces {
		switch {
		case ns.Name == "var":
			attrs := map[string]cty.Value{}
			for name, v := range bot.Variables {
				if v.Value == cty.NilVal {
					attrs[name] = cty.DynamicVal
				} else {
					attrs[name] = v.Value
				}
			}
			out["var"] = cty.ObjectVal(attrs)
		case ns.Name == "queues":
			attrs := map[string]cty.Value{}
			for name := range bot.Queues {
				attrs[name] = cty.ObjectVal(map[string]cty.Value{"agents_online": cty.UnknownVal(cty.Number)})
			}
			out["queues"] = cty.ObjectVal(attrs)
		case ns.Name == "memory":
			attrs := map[string]cty.Value{}
			for name, ty := range bot.Memory {
				attrs[name] = cty.UnknownVal(ty)
			}
			out["memory"] = cty.ObjectVal(attrs)
		case ns.Name == "local":
			out["local"] = cty.EmptyObjectVal // typed by newScopeSet, which can evaluate them
		case ns.Name == "entity":
			attrs := map[string]cty.Value{}
			for _, t := range BuiltinTypes {
				attrs[t] = cty.UnknownVal(ValueType(t))
			}
			for name := range bot.Entities {
				attrs[name] = cty.UnknownVal(cty.String)
			}
			out["entity"] = cty.ObjectVal(attrs)
		case ns.BotDefined || ns.OpenEnded:
			out[ns.Name] = cty.DynamicVal
		case ns.Type == "object":
			attrs := map[string]cty.Value{}
			for _, f := range ns.Fields {
				attrs[f.Name] = cty.UnknownVal(ctyTypeOf(f.Type))
			}
			out[ns.Name] = cty.ObjectVal(attrs)
		default:
			out[ns.Name] = cty.UnknownVal(ctyTypeOf(ns.Type))
		}
	}
	return out
}

func namespaceNames() []string {
	var out []string
	for _, ns := range Namespaces {
		out = append(out, ns.Name)
	}
	return out
}

func findNamespace(name string) *Namespace {
	for i := range Namespaces {
		if Namespaces[i].Name == name {
			return &Namespaces[i]
		}
	}
	return nil
}

func (c *checker) typeCheck() {
	scopes := newScopeSet(c.bot)
	// An expression is checked once per scope: a shared slot or call puts the
	// same expressions in several dialogs, and each dialog has its own slots.
	type use struct {
		expr hcl.Expression
		sc   *typeScope
	}
	seen := map[use]bool{}
	c.walk(visitor{
		expr: func(expr hcl.Expression, kind exprKind, sc *typeScope) {
			if !seen[use{expr, sc}] {
				seen[use{expr, sc}] = true
				c.checkExpr(expr, kind, sc)
			}
		},
		message: func(pm **Message, sc *typeScope) {
			m := *pm
			// A response is shared, so it is checked once, in the shared scope.
			if m.Name != "" && sc != scopes.shared {
				return
			}
			check := func(e hcl.Expression, kind exprKind) {
				if !seen[use{e, sc}] {
					seen[use{e, sc}] = true
					c.checkExpr(e, kind, sc)
				}
			}
			for _, lang := range sortedKeys(m.Variants) {
				for _, v := range m.Variants[lang] {
					check(v, kindText)
				}
			}
			for _, cs := range m.Cases {
				check(cs.When, kindCondition)
				for _, lang := range sortedKeys(cs.Variants) {
					for _, v := range cs.Variants[lang] {
						check(v, kindText)
					}
				}
			}
			for _, b := range m.Buttons {
				for _, name := range sortedKeys(b.Slots) {
					check(b.Slots[name], kindText)
				}
			}
			if e := m.ValueButtonsFrom; e != nil && !seen[use{e, sc}] {
				seen[use{e, sc}] = true
				if c.checkNames(e, sc, kindValue) {
					c.checkValueButtonsList(e, sc)
				}
			}
		},
		actions: func(a *Actions, sc *typeScope) {
			if a.Ticket == nil || a.Ticket.Priority == nil {
				return
			}
			val, diags := a.Ticket.Priority.Value(sc.ctx)
			if diags.HasErrors() || !val.IsKnown() || val.IsNull() || val.Type() != cty.String {
				return
			}
			if p := val.AsString(); !slices.Contains(priorities, p) {
				c.errorf(a.Ticket.Priority.Range(), "Invalid priority", "%q is not a priority; use one of %s.%s", p, strings.Join(priorities, ", "), didYouMean(p, priorities))
			}
		},
	}, scopes)
}

// checkExpr checks one expression: every name it reads exists where it is written,
// its operators get operands of the right type, and its result is of the right kind.
func (c *checker) checkExpr(expr hcl.Expression, kind exprKind, sc *typeScope) {
	if !c.checkNames(expr, sc, kind) {
		return
	}
	c.checkLocalReads(expr, sc, kind)
	c.checkExprValue(expr, kind, sc)
}

// checkExprValue is checkExpr once the names are known to exist.
func (c *checker) checkExprValue(expr hcl.Expression, kind exprKind, sc *typeScope) {
	ctx := sc.ctx
	if kind == kindQueue {
		ctx = ctx.NewChild()
		refs := map[string]cty.Value{}
		for q := range c.bot.Queues {
			refs[q] = cty.StringVal(q)
		}
		ctx.Variables = map[string]cty.Value{"queue": cty.ObjectVal(refs)}
		sc = &typeScope{where: sc.where, slots: sc.slots, calls: sc.calls, ctx: ctx}
	}
	val, diags := expr.Value(ctx)
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			c.diags = append(c.diags, d)
		}
	}
	if diags.HasErrors() {
		return
	}
	if !c.checkOperands(expr, sc) {
		return
	}
	c.checkLabelCalls(expr)
	c.checkDateLayouts(expr)
	c.checkTemplateParts(expr, ctx)
	c.checkYesNoAsBool(expr, kind)
	ty := val.Type()
	if ty == cty.DynamicPseudoType {
		return
	}
	switch kind {
	case kindCondition:
		if ty != cty.Bool {
			c.errorf(expr.Range(), "Condition is not true or false", "A condition must be true or false, but this is %s.", ty.FriendlyName())
		}
	case kindText:
		if !ty.IsPrimitiveType() {
			c.errorf(expr.Range(), "Value can't be shown as text", "This must be text, but it is %s. Pick one field, or use join() for a list.", ty.FriendlyName())
		}
	case kindObject:
		if !ty.IsObjectType() && !ty.IsMapType() {
			c.errorf(expr.Range(), "Invalid input", "A call's input is an object like { order_id = slot.order_id }, but this is %s.", ty.FriendlyName())
		}
	case kindNumber:
		if ty != cty.Number {
			c.errorf(expr.Range(), "Amount is not a number", "An amount is a number reports add up, like call.order.total, but this is %s.", ty.FriendlyName())
		}
	case kindQueue:
		if ty != cty.String {
			c.errorf(expr.Range(), "Expected a queue", "This must choose a queue, like customer.vip ? queue.vip : queue.general, but it is %s.", ty.FriendlyName())
		}
	}
}

// attrOfValue reports, as an error, an attribute read of a value that is text
// or a number, such as entity.claim_type.car for a list entity's value, where
// HCL would only say it "can't access attributes on a primitive-typed value".
func (c *checker) attrOfValue(trav hcl.Traversal, what string, ty cty.Type) bool {
	if len(trav) < 3 || !ty.IsPrimitiveType() {
		return true
	}
	step, isAttr := trav[2].(hcl.TraverseAttr)
	if !isAttr {
		return true
	}
	hint := ""
	if ty == cty.String {
		hint = fmt.Sprintf(" Compare it instead: %s == %q.", what, step.Name)
	}
	c.errorf(trav.SourceRange(), "Unknown attribute", "%s holds a %s, not an object, so it has no attribute %q.%s", what, ty.FriendlyName(), step.Name, hint)
	return false
}

// rememberedHint points a slot read outside a dialog at memory.NAME, where a
// slot of that name with remember = true keeps its value for every block.
func (c *checker) rememberedHint(name string) string {
	for _, dl := range c.bot.Dialogs {
		for _, s := range dl.Slots {
			if s != nil && s.Name == name && s.Remember {
				return fmt.Sprintf(" The slot %q of dialog %q is remembered: read it here as memory.%s (null until it is filled).", name, dl.Name, name)
			}
		}
	}
	return ""
}

// blockInExpression explains a reference such as queue.emergency written in
// an expression, where the values that name a block hold its name as text:
// the usual slip is handoff.queue == queue.emergency.
func blockInExpression(trav hcl.Traversal) string {
	root, name := trav.RootName(), "NAME"
	if len(trav) > 1 {
		if step, ok := trav[1].(hcl.TraverseAttr); ok {
			name = step.Name
		}
	}
	detail := fmt.Sprintf("%s.%s refers to a block; an expression can't read it.", root, name)
	switch root {
	case "queue":
		return detail + fmt.Sprintf(" handoff.queue holds the queue's name as text: compare it with handoff.queue == %q. (To choose a queue, write the references themselves: queue = customer.vip ? queue.vip : queue.general.)", name)
	case "dialog":
		return detail + fmt.Sprintf(" conversation.dialog holds the dialog's name as text: compare it with conversation.dialog == %q.", name)
	case "response":
		return detail + fmt.Sprintf(" conversation.last_response holds the response's name as text: compare it with conversation.last_response == %q.", name)
	case "connector":
		return detail + " A call's result is read through the dialog's call block: call.NAME.field."
	}
	return detail
}

// checkNames reports names an expression reads that do not exist in its scope.
// HCL's own messages would say "unsupported attribute"; these say what is missing
// and what was probably meant.
func (c *checker) checkNames(expr hcl.Expression, sc *typeScope, kind exprKind) bool {
	queues := kind == kindQueue
	ok := true
	for _, trav := range expr.Variables() {
		root := trav.RootName()
		rng := trav.SourceRange()
		if queues && root == "queue" {
			continue // decodeQueue checked them
		}
		ns := findNamespace(root)
		if ns == nil {
			if _, isKind := kindArticle[root]; isKind {
				c.errorf(rng, "A block is not a value", "%s", blockInExpression(trav))
				ok = false
				continue
			}
			if missingQuotes(trav, kind) {
				// priority = high in a ticket: an expression, so HCL reads the
				// word as a name, where the analyst meant the text.
				c.errorf(rng, "Missing quotes", "This value is text, written in quotes: %q. A bare word is read as a name, and %q is not something an expression can read.", root, root)
				ok = false
				continue
			}
			suggestion := didYouMean(root, namespaceNames())
			if suggestion == "" && len(trav) == 1 {
				// A bare word (label(plan, ...)) is most often text that lost
				// its quotes.
				suggestion = fmt.Sprintf(" If it is text, write it in quotes: %q.", root)
			}
			c.errorf(rng, "Unknown namespace", "%q is not something an expression can read; it can read %s.%s", root, strings.Join(namespaceNames(), ", "), suggestion)
			ok = false
			continue
		}
		if len(trav) < 2 {
			continue
		}
		step, isAttr := trav[1].(hcl.TraverseAttr)
		if !isAttr {
			continue
		}
		name := step.Name
		switch root {
		case "slot":
			if sc.slots == nil {
				c.errorf(rng, "Slot outside a dialog", "slot.%s is read %s, where there are no slots: slots exist inside a dialog and in rules with on = dialog.NAME.%s", name, sc.where, c.rememberedHint(name))
				ok = false
			} else if ty, found := sc.slots[name]; !found {
				c.errorf(rng, "Unknown slot", "There is no slot named %q %s.%s", name, sc.where, existing(name, "slots", sortedKeys(sc.slots)))
				ok = false
			} else if !c.attrOfValue(trav, "slot."+name, ty) {
				ok = false
			}
		case "call":
			if _, found := sc.calls[name]; !found {
				c.callNotHere(rng, name, sc, kind)
				ok = false
			}
		case "var":
			if _, found := c.bot.Variables[name]; !found {
				c.errorf(rng, "Unknown variable", "There is no variable named %q.%s", name, didYouMean(name, sortedKeys(c.bot.Variables)))
				ok = false
			}
		case "local":
			if !slices.ContainsFunc(c.bot.Locals, func(l *Local) bool { return l.Name == name }) {
				var names []string
				for _, l := range c.bot.Locals {
					names = append(names, l.Name)
				}
				slices.Sort(names)
				c.errorf(rng, "Unknown local", "There is no local named %q; locals are declared in a locals block.%s", name, existing(name, "locals", names))
				ok = false
			}
		case "queues":
			if _, found := c.bot.Queues[name]; !found {
				c.errorf(rng, "Unknown queue", "There is no queue named %q.%s", name, didYouMean(name, sortedKeys(c.bot.Queues)))
				ok = false
			}
		case "memory":
			if _, found := c.bot.Memory[name]; !found {
				c.errorf(rng, "Unknown memory value", "Nothing is remembered as %q: a memory value is a slot with remember = true, or a key of a remember action.%s", name, existing(name, "memory values", sortedKeys(c.bot.Memory)))
				ok = false
			}
		case "entity":
			if _, found := c.bot.Entities[name]; !found && !slices.Contains(BuiltinTypes, name) {
				c.errorf(rng, "Unknown entity", "There is no entity or builtin type named %q.%s", name, didYouMean(name, c.typeNames()))
				ok = false
			} else if found && !c.attrOfValue(trav, "entity."+name, cty.String) {
				ok = false
			}
		default:
			if ns.Type != "object" {
				// HCL would say "Can't access attributes on a primitive-typed value",
				// which names neither the namespace nor how to read it.
				c.errorf(rng, "Unknown attribute", "%s is a %s, not an object, so it has no attribute %q. Read it whole, like %s.", root, ns.Type, name, ns.Example)
				ok = false
				continue
			}
			if ns.OpenEnded || ns.BotDefined || len(ns.Fields) == 0 {
				continue
			}
			var fields []string
			for _, f := range ns.Fields {
				fields = append(fields, f.Name)
			}
			if !slices.Contains(fields, name) {
				hint := didYouMean(name, fields)
				if root == "intent" && slices.ContainsFunc(c.bot.Intents, func(i *Intent) bool { return i.Name == name }) {
					// intent.refund names the block in a trigger or a test, so it
					// looks right in a condition too.
					hint = fmt.Sprintf(" In an expression, intent is the intent of the current message: compare its name, intent.name == %q.", name)
				}
				c.errorf(rng, "Unknown attribute", "%s has no attribute %q; it has %s.%s", root, name, strings.Join(fields, ", "), hint)
				ok = false
			}
		}
	}
	return ok
}
