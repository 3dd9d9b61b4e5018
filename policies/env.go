package policies

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// Env evaluates any number of expressions against one scope. Use it when a turn
// evaluates many expressions; the Bot methods of the same names make a new Env
// on each call.
//
// An Env builds nothing up front. Most expressions (slot.order_id,
// call.order.total < var.limit, a reply's template) are evaluated straight from
// the scope, reading just the values they name (see fasteval.go); any other
// expression is handed to HCL in a context holding the namespaces it reads,
// each built once, the first time it is needed. Both give the same values and
// the same diagnostics as HCL over the whole scope; tests check every fast
// evaluation against HCL's (CheckEvaluations).
type Env struct {
	bot  *Bot
	base *evalBase
	// scope holds what the Env has been told so far: all of it for an Env of
	// a Scope, the namespaces read so far (nil for none) for one of a
	// ScopeSource.
	scope  *Scope
	src    ScopeSource
	filled nsSet
	// ctx holds the namespaces built so far (nil for none) and funcs.
	ctx   *hcl.EvalContext
	funcs map[string]function.Function
	built nsSet
	// locals are the values of local.NAME evaluated so far, and depth the
	// locals being evaluated now (a guard against a cycle a broken bot has).
	locals map[string]cty.Value
	depth  int
	// values is src when it gives values one by one; read, the first few
	// read (an expression reads a slot or a call's field several times).
	values ValueSource
	read   [4]sourceValue
	nread  int
	check  bool
}

// sourceValue is slot.name (field "") or call.name.field.
type sourceValue struct {
	ns          ns
	ok          bool
	name, field string
	value       cty.Value
}

// A ScopeSource gives an Env the scope bit by bit, as its expressions read it:
// a turn evaluates many expressions, but each reads a few values.
type ScopeSource interface {
	// FillScope sets the fields of s that the namespace reads (for "slot",
	// Slots; for "conversation", Conversation; for "business_hours",
	// BusinessOpen; for "queues", AgentsOnline; and so on).
	FillScope(s *Scope, namespace string)
}

// checkEvaluations turns CheckEvaluations on for every Env: this package's
// tests do.
var checkEvaluations = false

// A ValueSource is a ScopeSource that also gives single values of what the
// bot defines, without converting the rest: most expressions read a slot or
// a field of a call's result or two.
type ValueSource interface {
	ScopeSource
	// Slot is slot.NAME when the slot has a value (Scope.Slots[NAME]), or
	// false.
	Slot(name string) (cty.Value, bool)
	// CallField is call.NAME.FIELD, the FIELD attribute of Scope.Calls[NAME],
	// or false when the call has no result or the result no such attribute.
	CallField(call, field string) (cty.Value, bool)
}

// Env returns an evaluator for the scope.
func (b *Bot) Env(s Scope) *Env {
	e := &Env{bot: b, base: evalBaseOf(b), scope: &s, filled: allNamespaces, check: checkEvaluations}
	e.funcs = e.base.functions(s.Conversation.Language)
	return e
}

// NewEnv returns an evaluator whose scope comes from src, one namespace at a
// time, when an expression first reads it. lang is the conversation's
// language, which label() and dialog_title() speak. The Env reads each
// namespace once: a caller whose scope changes makes a new Env.
func (b *Bot) NewEnv(lang string, src ScopeSource) *Env {
	e := &Env{bot: b, base: evalBaseOf(b), src: src, check: checkEvaluations}
	e.values, _ = src.(ValueSource)
	e.funcs = e.base.functions(lang)
	return e
}

// CheckEvaluations makes the Env evaluate every expression a second time with
// HCL over the whole scope, and panic if the two disagree. Tests turn it on.
func (e *Env) CheckEvaluations() { e.check = true }

// fill asks the source for the part of the scope n reads.
func (e *Env) fill(n ns) *Scope {
	if e.scope == nil {
		e.scope = &Scope{}
	}
	if e.filled&n.set() == 0 {
		e.filled |= n.set()
		if e.src != nil {
			e.src.FillScope(e.scope, nsNames[n])
		}
	}
	return e.scope
}

// context is the evaluation context of the namespaces built so far.
func (e *Env) context() *hcl.EvalContext {
	if e.ctx == nil {
		e.ctx = &hcl.EvalContext{Variables: make(map[string]cty.Value, nsCount), Functions: e.funcs}
	}
	return e.ctx
}

// need builds the namespaces of set that are not built yet.
func (e *Env) need(set nsSet) *hcl.EvalContext {
	ctx := e.context()
	missing := set &^ e.built
	if missing == 0 {
		return ctx
	}
	if missing&nsLocal.set() != 0 {
		missing |= e.base.localReads &^ e.built
	}
	for n := range nsCount {
		if missing&n.set() == 0 || n == nsLocal {
			continue
		}
		ctx.Variables[nsNames[n]] = e.base.namespace(e.bot, n, e.fill(n))
		e.built |= n.set()
	}
	if missing&nsLocal.set() != 0 {
		if e.bot != nil {
			evalLocals(e.bot.Locals, ctx)
		} else {
			ctx.Variables["local"] = cty.EmptyObjectVal
		}
		e.built |= nsLocal.set()
	}
	return ctx
}

// Context is the evaluation context of the whole scope.
func (e *Env) Context() *hcl.EvalContext {
	return e.need(allNamespaces)
}

// eval is expr's value: straight from the scope when it can be, else HCL's.
func (e *Env) eval(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if v, ok := e.fast(expr); ok {
		if e.check {
			e.checkValue(expr, v)
		}
		return v, nil
	}
	return e.slow(expr)
}

// slow is HCL's evaluation of expr, in a context with the namespaces it reads.
func (e *Env) slow(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	return expr.Value(e.need(e.base.readsOf(expr).all()))
}

// checkValue panics unless v is what HCL makes of expr over the whole scope.
func (e *Env) checkValue(expr hcl.Expression, v cty.Value) {
	want, diags := expr.Value(e.wholeContext())
	if diags.HasErrors() || !want.RawEquals(v) {
		panic(fmt.Sprintf("evaluating %T at %s gave %#v; HCL gives %#v (%v)", expr, expr.Range(), v, want, diags))
	}
}

// wholeContext is a new context of the whole scope, for checks.
func (e *Env) wholeContext() *hcl.EvalContext {
	for n := range nsCount {
		e.fill(n)
	}
	ctx := e.bot.EvalContext(*e.scope)
	ctx.Functions = e.funcs
	return ctx
}

// Queue evaluates an expression that chooses a queue (customer.vip ?
// queue.vip : queue.general) to the queue's name. A name that is not one of
// the bot's queues is an error.
func (e *Env) Queue(expr hcl.Expression) (string, hcl.Diagnostics) {
	child := e.need(e.base.readsOf(expr).withQueue()).NewChild()
	child.Variables = map[string]cty.Value{"queue": e.base.queueRefs}
	v, diags := expr.Value(child)
	if diags.HasErrors() {
		return "", diags
	}
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		r := expr.Range()
		return "", append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No queue", Detail: "The expression gave no queue name.", Subject: &r})
	}
	name := v.AsString()
	if e.bot == nil || e.bot.Queues[name] == nil {
		r := expr.Range()
		return "", append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown queue", Detail: fmt.Sprintf("There is no queue named %q.", name), Subject: &r})
	}
	return name, diags
}

// Value evaluates expr in the scope. A nil expr is null.
func (b *Bot) Value(expr hcl.Expression, s Scope) (cty.Value, hcl.Diagnostics) {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	return b.Env(s).Value(expr)
}

// Cond evaluates a condition. A nil expr holds. A condition that is null or not
// yet known (it reads a call that has not run) does not hold; evaluation errors
// make it false and are returned.
func (b *Bot) Cond(expr hcl.Expression, s Scope) (bool, hcl.Diagnostics) {
	if expr == nil {
		return true, nil
	}
	return b.Env(s).Cond(expr)
}

// Render evaluates a message template to text. Unlike plain HCL, an interpolation
// whose value is null becomes "" instead of an error, so "${slot.product}" is
// empty while the slot is unfilled. Numbers print without noise: 320, 0.5,
// 1280.25. A value that is not known yet (a call that has not run), or a list or
// object, is an error.
func (b *Bot) Render(expr hcl.Expression, s Scope) (string, hcl.Diagnostics) {
	if expr == nil {
		return "", nil
	}
	return b.Env(s).Render(expr)
}

// Value is Bot.Value with this Env's scope.
func (e *Env) Value(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	return e.eval(expr)
}

// Cond is Bot.Cond with this Env's scope.
func (e *Env) Cond(expr hcl.Expression) (bool, hcl.Diagnostics) {
	if expr == nil {
		return true, nil
	}
	v, diags := e.eval(expr)
	if diags.HasErrors() {
		return false, diags
	}
	if !v.IsKnown() || v.IsNull() {
		return false, diags
	}
	v, err := convert.Convert(v, cty.Bool)
	if err != nil {
		// The diagnostic shows the values the expression read.
		ctx := e.need(e.base.readsOf(expr).all())
		r := expr.Range()
		return false, append(diags, &hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Condition is not true or false",
			Detail:      "A condition must be true or false: " + err.Error() + ".",
			Subject:     &r,
			Expression:  expr,
			EvalContext: ctx,
		})
	}
	return v.True(), diags
}

// Render is Bot.Render with this Env's scope.
func (e *Env) Render(expr hcl.Expression) (string, hcl.Diagnostics) {
	if expr == nil {
		return "", nil
	}
	switch t := expr.(type) {
	case *hclsyntax.TemplateExpr:
		if len(t.Parts) == 1 {
			return e.renderValue(t.Parts[0])
		}
		var out strings.Builder
		out.Grow(templateSize(t))
		var diags hcl.Diagnostics
		for _, part := range t.Parts {
			text, partDiags := e.renderPart(part)
			diags = append(diags, partDiags...)
			out.WriteString(text)
		}
		if diags.HasErrors() {
			return "", diags
		}
		return out.String(), diags
	case *hclsyntax.TemplateWrapExpr:
		return e.renderValue(t.Wrapped)
	}
	return e.renderValue(expr)
}

// templateSize guesses the length of a template's text: its literal parts
// and a short value for each of the others.
func templateSize(t *hclsyntax.TemplateExpr) int {
	n := 0
	for _, part := range t.Parts {
		if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			n += len(lit.Val.AsString())
		} else {
			n += 16
		}
	}
	return n
}

// renderPart is the text of one part of a template, and what went wrong.
func (e *Env) renderPart(part hcl.Expression) (string, hcl.Diagnostics) {
	if v, ok := e.fast(part); ok {
		if text, ok := plainText(v); ok {
			if e.check {
				e.checkValue(part, v)
			}
			return text, nil
		}
	}
	v, diags := e.slow(part)
	if diags.HasErrors() {
		return "", diags
	}
	text, d := textOf(v, part, e.ctx)
	return text, append(diags, d...)
}

func (e *Env) renderValue(expr hcl.Expression) (string, hcl.Diagnostics) {
	text, diags := e.renderPart(expr)
	if diags.HasErrors() {
		return "", diags
	}
	return text, diags
}

// plainText is textOf for the values it turns into text without a complaint.
func plainText(v cty.Value) (string, bool) {
	if !v.IsKnown() || v.IsMarked() {
		return "", false
	}
	switch {
	case v.IsNull():
		return "", true
	case v.Type() == cty.String:
		return v.AsString(), true
	case v.Type() == cty.Number:
		return FormatNumber(v.AsBigFloat()), true
	case v.Type() == cty.Bool:
		return strconv.FormatBool(v.True()), true
	}
	return "", false
}

// textOf turns one interpolated value into text.
func textOf(v cty.Value, expr hcl.Expression, ctx *hcl.EvalContext) (string, hcl.Diagnostics) {
	v, _ = v.Unmark()
	if text, ok := plainText(v); ok {
		return text, nil
	}
	r := expr.Range()
	diag := &hcl.Diagnostic{Severity: hcl.DiagError, Subject: &r, Expression: expr, EvalContext: ctx}
	if !v.IsKnown() {
		diag.Summary, diag.Detail = "Value not available yet", "This value depends on a call that has not run yet, so it can't be shown in a message."
	} else {
		diag.Summary, diag.Detail = "Value can't be shown in a message", "A message can show text, numbers and true/false, not "+v.Type().FriendlyName()+". Use join() for lists or pick one field."
	}
	return "", hcl.Diagnostics{diag}
}
