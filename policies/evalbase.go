package policies

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// queuesObject is queues.NAME.agents_online for every queue of the bot.
func (base *evalBase) queuesObject(online map[string]int) cty.Value {
	if len(online) == 0 && base.emptyQueues != cty.NilVal {
		return base.emptyQueues
	}
	attrs := make(map[string]cty.Value, len(base.queueNames))
	for _, q := range base.queueNames {
		attrs[q] = cty.ObjectVal(map[string]cty.Value{"agents_online": intVal(online[q])})
	}
	return cty.ObjectVal(attrs)
}

// functions is the function table for a language: the bot's, with label and
// dialog_title speaking that language.
func (base *evalBase) functions(lang string) map[string]function.Function {
	if f, ok := base.funcsByLang[lang]; ok {
		return f
	}
	return base.funcs
}

// evalBase is the part of every evaluation context that depends only on the bot.
// It is never modified once built, so all turns share it.
type evalBase struct {
	vars cty.Value
	// slots holds every slot name the bot declares anywhere, as null, so a rule or
	// policy reading a slot of a dialog that is not active sees null rather than
	// failing.
	slots map[string]cty.Value
	// calls holds every call the bot declares, as unknown until it has run, so a
	// condition on its result is false (not an error) before the call happens.
	calls map[string]cty.Value
	// entities holds every built-in type and entity, as null.
	entities map[string]cty.Value
	// memory holds every name the conversation can remember, as null.
	memory map[string]cty.Value
	// The objects of the maps above, for scopes that set nothing in them.
	emptySlots, emptyCalls, emptyEntities, emptyMemory cty.Value
	// queueNames are the bot's queues; emptyQueues has no agent online in any.
	queueNames  []string
	emptyQueues cty.Value
	// queueRefs is queue.NAME = "NAME", for expressions that choose a queue.
	queueRefs cty.Value
	funcs     map[string]function.Function
	// funcsByLang holds, per bot language, funcs with the functions that
	// speak it (label, dialog_title).
	funcsByLang map[string]map[string]function.Function
	// signatures are the functions' parameters, which Function.Params copies
	// on every call.
	signatures map[string]signature
	// locals are the bot's locals by name; localReads, the namespaces they
	// read, which local.* needs built.
	locals     map[string]*Local
	localReads nsSet
	// reads caches what each expression reads (see readsOf).
	reads  sync.Map // hcl.Expression -> exprReads
	nreads atomic.Int64
}

// evalBases caches the evalBase of each live Bot. The key is a weak pointer so a
// bot that is replaced (a reload) can be collected; its entry is dropped then.
// A cache beside the Bot, rather than a field in it, keeps Bot a plain value
// that Load builds and nobody mutates.
var evalBases sync.Map // weak.Pointer[Bot] -> *evalBase

var nilBotBase = sync.OnceValue(func() *evalBase { return newEvalBase(nil) })

// evalBaseOf returns the bot's evalBase, building it on first use. Safe for
// concurrent use; two turns racing on a new bot may both build it, and one wins.
// A bot changed after its first evaluation would keep its old placeholders,
// which is one more reason Bot is immutable once loaded.
func evalBaseOf(b *Bot) *evalBase {
	if b == nil {
		return nilBotBase()
	}
	key := weak.Make(b)
	if v, ok := evalBases.Load(key); ok {
		return v.(*evalBase)
	}
	v, loaded := evalBases.LoadOrStore(key, newEvalBase(b))
	if !loaded {
		runtime.AddCleanup(b, func(k weak.Pointer[Bot]) { evalBases.Delete(k) }, key)
	}
	return v.(*evalBase)
}

func newEvalBase(b *Bot) *evalBase {
	base := &evalBase{
		slots:    map[string]cty.Value{},
		calls:    map[string]cty.Value{},
		entities: map[string]cty.Value{},
		memory:   map[string]cty.Value{},
		funcs:    functionTable,
	}
	vars := map[string]cty.Value{}
	for _, t := range BuiltinTypes {
		base.entities[t] = cty.NullVal(cty.DynamicPseudoType)
	}
	if b != nil {
		if b.Functions != nil {
			base.funcs = b.Functions
		}
		for name, v := range b.Variables {
			if v != nil {
				vars[name] = orNull(v.Value)
			}
		}
		for name := range b.Entities {
			base.entities[name] = cty.NullVal(cty.DynamicPseudoType)
		}
		for name := range b.Memory {
			base.memory[name] = cty.NullVal(cty.DynamicPseudoType)
		}
		addCalls := func(calls []*Call) {
			for _, c := range calls {
				if c != nil {
					base.calls[c.Name] = cty.DynamicVal
				}
			}
		}
		for _, d := range b.Dialogs {
			if d == nil {
				continue
			}
			addCalls(d.Calls)
			for _, o := range d.Outcomes {
				if o != nil {
					addCalls(o.Actions.Calls)
				}
			}
			for _, sl := range d.Slots {
				if sl == nil {
					continue
				}
				base.slots[sl.Name] = cty.NullVal(cty.DynamicPseudoType)
				if sl.OnExhausted != nil {
					addCalls(sl.OnExhausted.Calls)
				}
			}
		}
		for _, r := range b.Rules {
			if r != nil {
				addCalls(r.Actions.Calls)
			}
		}
	}
	base.vars = cty.ObjectVal(vars)
	base.emptySlots = cty.ObjectVal(base.slots)
	base.emptyCalls = cty.ObjectVal(base.calls)
	base.emptyEntities = cty.ObjectVal(base.entities)
	base.emptyMemory = cty.ObjectVal(base.memory)
	if b != nil {
		base.queueNames = sortedKeys(b.Queues)
		base.funcsByLang = map[string]map[string]function.Function{}
		for _, lang := range b.Languages {
			base.funcsByLang[lang] = b.languageFunctions(base.funcs, lang)
		}
	}
	base.emptyQueues = base.queuesObject(nil)
	base.signatures = map[string]signature{}
	addSignatures := func(funcs map[string]function.Function) {
		for name, f := range funcs {
			base.signatures[name] = signature{params: f.Params(), varParam: f.VarParam()}
		}
	}
	addSignatures(base.funcs)
	for _, funcs := range base.funcsByLang {
		addSignatures(funcs)
	}
	base.locals = map[string]*Local{}
	if b != nil {
		for _, l := range b.Locals {
			base.locals[l.Name] = l
			base.localReads |= base.readsOf(l.Expr).all()
		}
	}
	base.localReads &^= nsLocal.set()
	refs := map[string]cty.Value{}
	for _, q := range base.queueNames {
		refs[q] = cty.StringVal(q)
	}
	base.queueRefs = cty.ObjectVal(refs)
	return base
}

// signature is what a call of a function must match.
type signature struct {
	params   []function.Parameter
	varParam *function.Parameter
}

// localTime is t (or the wall clock when t is zero) in the bot's time zone.
func (b *Bot) localTime(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	if b != nil && b.BusinessHours != nil && b.BusinessHours.Location != nil {
		return t.In(b.BusinessHours.Location)
	}
	return t
}

// defaultCustomer is the customer object when nothing is known.
var defaultCustomer = sync.OnceValue(func() cty.Value { return cty.ObjectVal(customerDefaults()) })

func customerDefaults() map[string]cty.Value {
	attrs := make(map[string]cty.Value, len(CustomerFields))
	for _, f := range CustomerFields {
		if f.Type == "bool" {
			attrs[f.Name] = cty.False
		} else {
			attrs[f.Name] = cty.StringVal("")
		}
	}
	return attrs
}

func customerObject(c cty.Value) cty.Value {
	if c == cty.NilVal || !c.IsKnown() || c.IsNull() || !(c.Type().IsObjectType() || c.Type().IsMapType()) || c.LengthInt() == 0 {
		return defaultCustomer()
	}
	attrs := customerDefaults()
	for it := c.ElementIterator(); it.Next(); {
		k, v := it.Element()
		key := k.AsString()
		// A null from the CRM must not turn a known field into one that breaks
		// comparisons like customer.vip && ...
		if v.IsNull() {
			if _, known := attrs[key]; known {
				continue
			}
		}
		attrs[key] = v
	}
	return cty.ObjectVal(attrs)
}

// finite maps NaN and infinities, which cty refuses with a panic, to 0: a
// broken score from a model must not take a turn down.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func orNull(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v
}
