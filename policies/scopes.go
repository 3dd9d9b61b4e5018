package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// typeScope is what an expression may read where it is written. Values are unknown
// but typed, so evaluating an expression makes HCL report type mistakes the way
// Terraform's validate does, without running anything.
type typeScope struct {
	where string              // for messages: "in dialog \"refund\"" and the like
	slots map[string]cty.Type // nil: no slots here
	calls map[string]cty.Type // nil: no calls here
	ctx   *hcl.EvalContext
}

type scopeSet struct {
	bot     *Bot
	base    map[string]cty.Value
	global  *typeScope // outside any dialog: answers, handoff policies, rules on handoff or message
	shared  *typeScope // responses and the bot's replies: any slot or call of any dialog
	dialogs map[string]*typeScope
}

func newScopeSet(bot *Bot) *scopeSet {
	s := &scopeSet{bot: bot, dialogs: map[string]*typeScope{}}
	s.base = staticNamespaces(bot)
	defer func() {
		// A local's type is what it evaluates to where any slot or call may be
		// read; every scope then sees local as values of those types.
		ctx := s.shared.ctx
		evalLocals(bot.Locals, ctx)
		s.base["local"] = unknownOf(ctx.Variables["local"])
		s.global = s.scope("outside any dialog", nil, nil)
		s.shared = s.scope("in a response", s.shared.slots, s.shared.calls)
	}()
	s.global = s.scope("outside any dialog", nil, nil)
	allSlots := map[string]cty.Type{}
	allCalls := map[string]cty.Type{}
	for _, dl := range bot.Dialogs {
		for name, ty := range dialogSlots(dl) {
			if prev, ok := allSlots[name]; ok && !prev.Equals(ty) {
				ty = cty.DynamicPseudoType
			}
			allSlots[name] = ty
		}
		for name, ty := range dialogCalls(bot, dl.Name) {
			addCallType(allCalls, name, ty)
		}
	}
	for _, r := range bot.Rules {
		for _, cl := range r.Actions.Calls {
			addCallType(allCalls, cl.Name, callResultType(bot, cl))
		}
	}
	s.shared = s.scope("in a response", allSlots, allCalls)
	return s
}

// unknownOf is an object of unknown values of the types of v's attributes.
func unknownOf(v cty.Value) cty.Value {
	if !v.Type().IsObjectType() {
		return cty.EmptyObjectVal
	}
	attrs := map[string]cty.Value{}
	for name, ty := range v.Type().AttributeTypes() {
		attrs[name] = cty.UnknownVal(ty)
	}
	return cty.ObjectVal(attrs)
}

func (s *scopeSet) scope(where string, slots map[string]cty.Type, calls map[string]cty.Type) *typeScope {
	vars := make(map[string]cty.Value, len(s.base)+2)
	for k, v := range s.base {
		vars[k] = v
	}
	slotAttrs := map[string]cty.Value{}
	for name, ty := range slots {
		slotAttrs[name] = cty.UnknownVal(ty)
	}
	callAttrs := map[string]cty.Value{}
	for name, ty := range calls {
		callAttrs[name] = cty.UnknownVal(ty)
	}
	vars["slot"] = cty.ObjectVal(slotAttrs)
	vars["call"] = cty.ObjectVal(callAttrs)
	return &typeScope{where: where, slots: slots, calls: calls, ctx: &hcl.EvalContext{Variables: vars, Functions: s.bot.Functions}}
}

func (s *scopeSet) dialog(name string) *typeScope {
	if sc, ok := s.dialogs[name]; ok {
		return sc
	}
	var sc *typeScope
	if dl := findDialogIn(s.bot, name); dl != nil {
		sc = s.scope(fmt.Sprintf("in dialog %q", name), dialogSlots(dl), dialogCalls(s.bot, name))
	} else {
		sc = s.global
	}
	s.dialogs[name] = sc
	return sc
}

// rule is the scope of a rule: its dialog's, when it runs on one, plus its own calls.
func (s *scopeSet) rule(r *Rule) *typeScope {
	var slots map[string]cty.Type
	calls := map[string]cty.Type{}
	where := fmt.Sprintf("in rule %q", r.Name)
	if r.On.Kind == "dialog" {
		if dl := findDialogIn(s.bot, r.On.Dialog); dl != nil {
			slots = dialogSlots(dl)
			for name, ty := range dialogCalls(s.bot, dl.Name) {
				addCallType(calls, name, ty)
			}
		}
	}
	for _, cl := range r.Actions.Calls {
		addCallType(calls, cl.Name, callResultType(s.bot, cl))
	}
	if len(calls) == 0 {
		calls = nil
	}
	return s.scope(where, slots, calls)
}

func findDialogIn(bot *Bot, name string) *Dialog {
	for _, dl := range bot.Dialogs {
		if dl.Name == name {
			return dl
		}
	}
	return nil
}

func dialogSlots(dl *Dialog) map[string]cty.Type {
	out := map[string]cty.Type{}
	for _, s := range dl.Slots {
		out[s.Name] = ValueType(s.Type)
	}
	return out
}

// dialogCalls lists every call whose result a dialog can read: its own, those in
// its outcomes and fallbacks, and those of rules that run when it completes.
func dialogCalls(bot *Bot, name string) map[string]cty.Type {
	out := map[string]cty.Type{}
	addActions := func(a *Actions) {
		if a == nil {
			return
		}
		for _, cl := range a.Calls {
			addCallType(out, cl.Name, callResultType(bot, cl))
			for _, h := range cl.Handlers() {
				for _, inner := range h.Calls {
					addCallType(out, inner.Name, callResultType(bot, inner))
				}
			}
		}
	}
	if dl := findDialogIn(bot, name); dl != nil {
		for _, cl := range dl.Calls {
			addCallType(out, cl.Name, callResultType(bot, cl))
			for _, h := range cl.Handlers() {
				addActions(h)
			}
		}
		for _, s := range dl.Slots {
			addActions(s.OnExhausted)
		}
		if dl.Confirm != nil {
			addActions(dl.Confirm.OnNo)
		}
		for _, o := range dl.Outcomes {
			addActions(&o.Actions)
		}
	}
	for _, r := range bot.Rules {
		if r.On.Kind == "dialog" && r.On.Dialog == name {
			addActions(&r.Actions)
		}
	}
	return out
}

// callResultType is the type of call.NAME: the operation's declared output and
// the error code. Calls to operations that declare no output read as any value.
func callResultType(bot *Bot, cl *Call) cty.Type {
	conn := bot.Connectors[cl.Connector]
	if conn == nil {
		return cty.DynamicPseudoType
	}
	op := conn.Operations[cl.Operation]
	if op == nil || op.Output == cty.NilType || !op.Output.IsObjectType() {
		return cty.DynamicPseudoType
	}
	attrs := make(map[string]cty.Type, len(op.Output.AttributeTypes())+1)
	for k, t := range op.Output.AttributeTypes() {
		attrs[k] = t
	}
	attrs["error"] = cty.String
	return cty.Object(attrs)
}

// addCallType records a call name's result type; two calls of one name with
// different types (in different dialogs) can only be read as any value where both
// are visible.
func addCallType(m map[string]cty.Type, name string, ty cty.Type) {
	if prev, ok := m[name]; ok && !prev.Equals(ty) {
		ty = cty.DynamicPseudoType
	}
	m[name] = ty
}
