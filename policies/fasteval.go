package policies

import (
	"reflect"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// The fast path evaluates the expressions bots are mostly made of (a value
// read from the scope, a comparison, a function of such values, a reply's
// template, a call's input object) straight from the scope: no namespace is
// built, and none of the allocations HCL makes for each step of a traversal
// and each operator. It covers only evaluations that succeed with known
// values; for anything else it reports false and the Env asks HCL, so
// diagnostics, unknown values and every rarer construct stay exactly HCL's.
// Each case below does what the hclsyntax node's Value does on that path.

// fast evaluates expr from the scope, or reports false.
func (e *Env) fast(expr hcl.Expression) (cty.Value, bool) {
	switch x := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		return x.Val, true
	case *hclsyntax.TemplateWrapExpr:
		return e.fast(x.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return e.fast(x.Expression)
	case *hclsyntax.ScopeTraversalExpr:
		return e.traversal(x.Traversal)
	case *hclsyntax.TemplateExpr:
		return e.template(x)
	case *hclsyntax.BinaryOpExpr:
		return e.binaryOp(x)
	case *hclsyntax.UnaryOpExpr:
		return e.unaryOp(x)
	case *hclsyntax.FunctionCallExpr:
		return e.functionCall(x)
	case *hclsyntax.ObjectConsExpr:
		return e.object(x)
	}
	return cty.NilVal, false
}

// plain reports whether v is known and unmarked: the values the fast path
// works with.
func plain(v cty.Value) bool { return v.IsKnown() && !v.IsMarked() }

func (e *Env) traversal(t hcl.Traversal) (cty.Value, bool) {
	root, ok := t[0].(hcl.TraverseRoot)
	if !ok {
		return cty.NilVal, false
	}
	n, ok := namespaceNamed(root.Name)
	if !ok {
		return cty.NilVal, false
	}
	if len(t) == 1 {
		return e.namespaceValue(n), true
	}
	first, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return cty.NilVal, false
	}
	rest := t[2:]
	var v cty.Value
	if field, isAttr := at(t, 2); n == nsCall && isAttr && e.values != nil && e.filled&nsCall.set() == 0 {
		v, ok = e.sourceValue(nsCall, first.Name, field)
		rest = t[3:]
	} else {
		v, ok = e.attribute(n, first.Name)
	}
	for _, step := range rest {
		attr, isAttr := step.(hcl.TraverseAttr)
		if !ok || !isAttr {
			return cty.NilVal, false
		}
		v, ok = getAttr(v, attr.Name)
	}
	return v, ok
}

// at is the name of step i of t when it is an attribute.
func at(t hcl.Traversal, i int) (string, bool) {
	if i >= len(t) {
		return "", false
	}
	a, ok := t[i].(hcl.TraverseAttr)
	return a.Name, ok
}

// sourceValue is slot.NAME or call.NAME.FIELD from the ValueSource, read
// once per Env.
func (e *Env) sourceValue(n ns, name, field string) (cty.Value, bool) {
	for _, r := range e.read[:e.nread] {
		if r.ns == n && r.name == name && r.field == field {
			return r.value, r.ok
		}
	}
	var v cty.Value
	var ok bool
	if n == nsSlot {
		v, ok = e.values.Slot(name)
	} else {
		v, ok = e.values.CallField(name, field)
	}
	if e.nread < len(e.read) {
		e.read[e.nread] = sourceValue{n, ok, name, field, v}
		e.nread++
	}
	return v, ok
}

// getAttr is hcl.GetAttr on a known object that has the attribute.
func getAttr(v cty.Value, name string) (cty.Value, bool) {
	if v.IsNull() || !plain(v) || !v.Type().IsObjectType() || !v.Type().HasAttribute(name) {
		return cty.NilVal, false
	}
	return v.GetAttr(name), true
}

// attribute is NAMESPACE.name, read from the scope without building the
// namespace where its values come one by one.
func (e *Env) attribute(n ns, name string) (cty.Value, bool) {
	switch n {
	case nsSlot:
		if e.values != nil && e.filled&nsSlot.set() == 0 {
			if v, ok := e.sourceValue(nsSlot, name, ""); ok {
				return orNull(v), true
			}
			v, ok := e.base.slots[name]
			return v, ok
		}
		return overlaid(e.base.slots, e.fill(n).Slots, name)
	case nsCall:
		return overlaid(e.base.calls, e.fill(n).Calls, name)
	case nsEntity:
		return overlaid(e.base.entities, e.fill(n).Entities, name)
	case nsMemory:
		return overlaid(e.base.memory, e.fill(n).Memory, name)
	case nsVar:
		return getAttr(e.base.vars, name)
	case nsLocal:
		return e.local(name)
	case nsHandoff, nsKnowledge, nsIntent, nsConversation, nsTicket, nsBusinessHours:
		return fieldValue(fieldsOf(n), name, e.fill(n))
	}
	return getAttr(e.namespaceValue(n), name)
}

// namespaceValue is a namespace's value: the context's when it is built,
// else made without a context (local is always built), which for customer,
// sentiment, now, message and queues is cheap or shared.
func (e *Env) namespaceValue(n ns) cty.Value {
	if e.built&n.set() != 0 || n == nsLocal {
		return e.need(n.set()).Variables[nsNames[n]]
	}
	return e.base.namespace(e.bot, n, e.fill(n))
}

// local is local.NAME: its expression evaluated where it is read, as
// evalLocals does for all of them.
func (e *Env) local(name string) (cty.Value, bool) {
	if v, ok := e.locals[name]; ok {
		return v, true
	}
	l := e.base.locals[name]
	if l == nil || e.depth > len(e.base.locals) {
		return cty.NilVal, false
	}
	e.depth++
	v, ok := e.fast(l.Expr)
	e.depth--
	if !ok {
		return cty.NilVal, false
	}
	if e.locals == nil {
		e.locals = map[string]cty.Value{}
	}
	e.locals[name] = v
	return v, true
}

func (e *Env) template(x *hclsyntax.TemplateExpr) (cty.Value, bool) {
	if len(x.Parts) == 1 {
		// The string of one part, as HCL makes it, is the part's own.
		v, ok := e.fast(x.Parts[0])
		if !ok || !plain(v) || v.IsNull() || v.Type() != cty.String {
			return cty.NilVal, false
		}
		return v, true
	}
	var out strings.Builder
	for _, part := range x.Parts {
		v, ok := e.fast(part)
		if !ok || !plain(v) || v.IsNull() {
			return cty.NilVal, false
		}
		s, err := convert.Convert(v, cty.String)
		if err != nil {
			return cty.NilVal, false
		}
		out.WriteString(s.AsString())
	}
	return cty.StringVal(out.String()), true
}

func (e *Env) binaryOp(x *hclsyntax.BinaryOpExpr) (cty.Value, bool) {
	l, ok := e.fast(x.LHS)
	if !ok || !plain(l) {
		return cty.NilVal, false
	}
	r, ok := e.fast(x.RHS)
	if !ok || !plain(r) {
		return cty.NilVal, false
	}
	switch x.Op {
	case hclsyntax.OpEqual:
		return l.Equals(r), true
	case hclsyntax.OpNotEqual:
		return l.Equals(r).Not(), true
	}
	// Every other operator takes two values of its type, not null.
	if want := operandType(x.Op); want == cty.NilType || l.IsNull() || r.IsNull() || !l.Type().Equals(want) || !r.Type().Equals(want) {
		return cty.NilVal, false
	}
	switch x.Op {
	case hclsyntax.OpLogicalAnd:
		return l.And(r), true
	case hclsyntax.OpLogicalOr:
		return l.Or(r), true
	case hclsyntax.OpLessThan:
		return l.LessThan(r), true
	case hclsyntax.OpLessThanOrEqual:
		return l.LessThanOrEqualTo(r), true
	case hclsyntax.OpGreaterThan:
		return l.GreaterThan(r), true
	case hclsyntax.OpGreaterThanOrEqual:
		return l.GreaterThanOrEqualTo(r), true
	}
	v, err := x.Op.Impl.Call([]cty.Value{l, r})
	return v, err == nil
}

// operandType is the type of an operator's operands (its function's
// parameters), which Operation.Impl.Params would copy on every call.
func operandType(op *hclsyntax.Operation) cty.Type {
	switch op {
	case hclsyntax.OpLogicalAnd, hclsyntax.OpLogicalOr, hclsyntax.OpLogicalNot:
		return cty.Bool
	case hclsyntax.OpLessThan, hclsyntax.OpLessThanOrEqual, hclsyntax.OpGreaterThan, hclsyntax.OpGreaterThanOrEqual,
		hclsyntax.OpAdd, hclsyntax.OpSubtract, hclsyntax.OpMultiply, hclsyntax.OpDivide, hclsyntax.OpModulo, hclsyntax.OpNegate:
		return cty.Number
	}
	return cty.NilType
}

func (e *Env) unaryOp(x *hclsyntax.UnaryOpExpr) (cty.Value, bool) {
	v, ok := e.fast(x.Val)
	if want := operandType(x.Op); !ok || !plain(v) || v.IsNull() || want == cty.NilType || !v.Type().Equals(want) {
		return cty.NilVal, false
	}
	if x.Op == hclsyntax.OpLogicalNot {
		return v.Not(), true
	}
	r, err := x.Op.Impl.Call([]cty.Value{v})
	return r, err == nil
}

func (e *Env) functionCall(x *hclsyntax.FunctionCallExpr) (cty.Value, bool) {
	f, ok := e.funcs[x.Name]
	sig, known := e.base.signatures[x.Name]
	if !ok || !known || x.ExpandFinal {
		return cty.NilVal, false
	}
	if len(x.Args) < len(sig.params) || sig.varParam == nil && len(x.Args) > len(sig.params) {
		return cty.NilVal, false
	}
	args := make([]cty.Value, len(x.Args))
	for i, arg := range x.Args {
		p := sig.varParam
		if i < len(sig.params) {
			p = &sig.params[i]
		}
		v, ok := e.fast(arg)
		// HCL converts each argument to its parameter's type first; here it
		// must have that type already (or the parameter takes any).
		if !ok || !plain(v) || p.Type.IsCapsuleType() ||
			!p.Type.Equals(cty.DynamicPseudoType) && !v.Type().Equals(p.Type) {
			return cty.NilVal, false
		}
		args[i] = v
	}
	v, err := f.Call(args)
	return v, err == nil
}

func (e *Env) object(x *hclsyntax.ObjectConsExpr) (cty.Value, bool) {
	attrs, ok := e.objectAttrs(x)
	if !ok {
		return cty.NilVal, false
	}
	return cty.ObjectVal(attrs), true
}

// Attributes is the value of an object constructor ({ a = x, b = y }) as its
// attributes, for a caller that takes the object apart (a call's input), or
// false when expr is no object constructor or only HCL can evaluate it.
func (e *Env) Attributes(expr hcl.Expression) (map[string]cty.Value, bool) {
	x, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil, false
	}
	attrs, ok := e.objectAttrs(x)
	if ok && e.check {
		e.checkValue(expr, cty.ObjectVal(attrs))
	}
	return attrs, ok
}

func (e *Env) objectAttrs(x *hclsyntax.ObjectConsExpr) (map[string]cty.Value, bool) {
	attrs := make(map[string]cty.Value, len(x.Items))
	for _, item := range x.Items {
		k, ok := e.objectKey(item.KeyExpr)
		if !ok {
			return nil, false
		}
		v, ok := e.fast(item.ValueExpr)
		if !ok || !plain(v) {
			return nil, false
		}
		attrs[k] = v
	}
	return attrs, true
}

// objectKey is ObjectConsKeyExpr's Value: a bare name is the key itself.
func (e *Env) objectKey(expr hcl.Expression) (string, bool) {
	if k, ok := expr.(*hclsyntax.ObjectConsKeyExpr); ok {
		if !k.ForceNonLiteral {
			if t, ok := k.Wrapped.(*hclsyntax.ScopeTraversalExpr); ok && len(t.Traversal) > 1 {
				return "", false
			}
			if name := hcl.ExprAsKeyword(k.Wrapped); name != "" {
				return name, true
			}
		}
		expr = k.Wrapped
	}
	v, ok := e.fast(expr)
	if !ok || !plain(v) || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// exprReads is what an expression reads from the context.
type exprReads struct {
	set nsSet
	// queue: it reads queue.*, which only Queue gives.
	queue bool
	// other: it reads a name that is no namespace, so HCL's error will list
	// every name there is.
	other bool
}

// all is the namespaces HCL needs to evaluate the expression as it would
// over the whole scope.
func (r exprReads) all() nsSet {
	if r.other || r.queue {
		return allNamespaces
	}
	return r.set
}

// withQueue is all, for an expression evaluated where queue.* is defined.
func (r exprReads) withQueue() nsSet {
	if r.other {
		return allNamespaces
	}
	return r.set
}

// maxCachedReads bounds the reads cache: a bot has a fixed set of
// expressions, and anything else is worked out each time.
const maxCachedReads = 1 << 16

// readsOf is what expr reads, worked out once per expression of the bot.
func (base *evalBase) readsOf(expr hcl.Expression) exprReads {
	// The key is the expression itself: a pointer, unless some other
	// syntax made it.
	cacheable := reflect.TypeOf(expr).Kind() == reflect.Pointer
	if cacheable {
		if r, ok := base.reads.Load(expr); ok {
			return r.(exprReads)
		}
	}
	var r exprReads
	for _, t := range expr.Variables() {
		switch name := t.RootName(); name {
		case "queue":
			r.queue = true
		default:
			if n, ok := namespaceNamed(name); ok {
				r.set |= n.set()
			} else {
				r.other = true
			}
		}
	}
	if cacheable && base.nreads.Load() < maxCachedReads {
		if _, loaded := base.reads.LoadOrStore(expr, r); !loaded {
			base.nreads.Add(1)
		}
	}
	return r
}
