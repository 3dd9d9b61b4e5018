package policies

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// typeScope is what an expression may read where it is written. Values are unknown
// but typed, so evaluating an expression makes HCL report type mistakes the way
// Terraform's validate does, without running anything.
//
// A call's result exists only where the dialog engine has it: a dialog's own
// calls in the whole dialog (and in what runs when it completes); a call of an
// action list (a rule, an outcome, on_exhausted, on_no, an error handler) in
// that list after the call, and in the handlers of the call. A call that waits
// for an approval has no result in the rest of its list, which goes on while a
// person decides: only in on_approve and its error handlers. The engine reads
// every other call as not known yet, which a condition takes as false and a
// template or an input as an error.
type typeScope struct {
	where string              // for messages: "in dialog \"refund\"" and the like
	slots map[string]cty.Type // nil: no slots here
	calls map[string]cty.Type // nil: no calls here
	// notYet are calls of the lists being walked that have no result here
	// yet, with why: they run later, or wait for an approval.
	notYet map[string]string
	setIn  map[string][]string // the scope set's: where each call is set
	// unrun are the calls of the dialog's rules, outcomes and handlers. A
	// condition or an amount reads one that has no result as not known yet
	// (false; nothing recorded), which validated before calls were scoped:
	// a warning, not an error, there.
	unrun map[string]bool
	ctx   *hcl.EvalContext
}

type scopeSet struct {
	bot     *Bot
	base    map[string]cty.Value
	global  *typeScope // outside any dialog: answers, handoff policies, rules on handoff or message
	shared  *typeScope // responses and the bot's replies: any slot or call of any dialog
	dialogs map[*Dialog]*typeScope
	derived map[derivedKey]*typeScope // an action list's scopes, by what they derive from
	// setIn lists, for each call name, the blocks where its result is set,
	// for a message about reading it elsewhere.
	setIn map[string][]string
}

// derivedKey names a scope made from parent for an action list (entering it)
// or a call (after it ran).
type derivedKey struct {
	parent *typeScope
	of     any
	kind   string
}

func newScopeSet(bot *Bot) *scopeSet {
	s := &scopeSet{bot: bot, dialogs: map[*Dialog]*typeScope{}, derived: map[derivedKey]*typeScope{}, setIn: map[string][]string{}}
	s.base = staticNamespaces(bot)
	allSlots := map[string]cty.Type{}
	for _, dl := range bot.Dialogs {
		for name, ty := range dialogSlots(bot, dl) {
			if prev, ok := allSlots[name]; ok && !prev.Equals(ty) {
				ty = cty.DynamicPseudoType
			}
			allSlots[name] = ty
		}
	}
	allCalls := everyCall(bot)
	// A local's type is what it evaluates to where any slot or call may be
	// read; every scope then sees local as values of those types.
	ctx := s.scope("in a response", allSlots, allCalls).ctx
	evalLocals(bot.Locals, ctx)
	s.base["local"] = unknownOf(ctx.Variables["local"])
	s.global = s.scope("outside any dialog", nil, nil)
	s.shared = s.scope("in a response", allSlots, allCalls)
	// Walking the bot once makes every action list's scopes, which record
	// where each call is set.
	(&checker{bot: bot}).walk(visitor{}, s)
	for name, places := range s.setIn {
		slices.Sort(places)
		s.setIn[name] = slices.Compact(places)
	}
	return s
}

// everyCall is every call the bot declares, anywhere, with its result type.
func everyCall(bot *Bot) map[string]cty.Type {
	out := map[string]cty.Type{}
	for _, dl := range bot.Dialogs {
		for _, cl := range dl.Calls {
			addCallType(out, cl.Name, callResultType(bot, cl))
		}
	}
	for _, a := range allActions(bot) {
		for _, cl := range a.Calls {
			addCallType(out, cl.Name, callResultType(bot, cl))
		}
	}
	return out
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
	return &typeScope{where: where, slots: slots, calls: calls, setIn: s.setIn, ctx: &hcl.EvalContext{Variables: vars, Functions: s.bot.Functions}}
}

// dialog is the scope of a dialog's slots, calls, confirmation and the
// conditions of what runs when it completes: its slots and its own calls.
// A dialog is found by its block, since two may (wrongly) share a name.
func (s *scopeSet) dialog(dl *Dialog) *typeScope {
	if sc, ok := s.dialogs[dl]; ok {
		return sc
	}
	calls := map[string]cty.Type{}
	for _, cl := range dl.Calls {
		addCallType(calls, cl.Name, callResultType(s.bot, cl))
		s.record(cl.Name, fmt.Sprintf("dialog %q", dl.Name))
	}
	sc := s.scope(fmt.Sprintf("in dialog %q", dl.Name), dialogSlots(s.bot, dl), calls)
	sc.unrun = callsAround(s.bot, dl)
	s.dialogs[dl] = sc
	return sc
}

// rule is the scope a rule's condition and amount are evaluated in: its
// dialog's when it runs on one (see deciding).
func (s *scopeSet) rule(r *Rule) *typeScope {
	sc := s.global
	switch {
	case r.On.Kind == "":
		// on is missing or invalid, which is reported: as for an unknown
		// dialog below, so that on = "dialog.refund" is one error, not one
		// per slot the rule reads.
		sc = s.shared
	case r.On.Kind != "dialog":
	case findDialogIn(s.bot, r.On.Dialog) != nil:
		sc = s.dialog(findDialogIn(s.bot, r.On.Dialog))
	default:
		// The dialog is unknown, which is reported: what the rule reads is
		// checked as in a response, against every dialog, so that one
		// misspelt name is one error.
		sc = s.shared
	}
	return s.deciding(sc, r, ruleWhere(s.bot, r))
}

// ruleWhere names a rule in messages about what it reads, with the dialog
// it runs on: a slot of another dialog is the usual mistake there, and the
// slots listed as the ones "here" are that dialog's.
func ruleWhere(b *Bot, r *Rule) string {
	if r.On.Kind == "dialog" && findDialogIn(b, r.On.Dialog) != nil {
		return fmt.Sprintf("rule %q on dialog %q", r.Name, r.On.Dialog)
	}
	return fmt.Sprintf("rule %q", r.Name)
}

// deciding is the scope of the when and amount of a rule or outcome, what
// (`outcome "done"`): parent's, named for messages, since they are decided
// before any of its calls runs.
func (s *scopeSet) deciding(parent *typeScope, of any, what string) *typeScope {
	key := derivedKey{parent, of, "deciding"}
	if sc, ok := s.derived[key]; ok {
		return sc
	}
	sc := s.scope(fmt.Sprintf("in the when and amount of %s (decided before its calls run)", what), parent.slots, parent.calls)
	sc.unrun = maps.Clone(parent.unrun)
	if r, ok := of.(*Rule); ok {
		for _, cl := range r.Actions.Calls {
			if sc.unrun == nil {
				sc.unrun = map[string]bool{}
			}
			sc.unrun[cl.Name] = true
		}
	}
	s.derived[key] = sc
	return sc
}

// enter is the scope at the start of an action list run from parent: what
// parent reads, where its calls have not run yet.
func (s *scopeSet) enter(parent *typeScope, a *Actions, owner string) *typeScope {
	key := derivedKey{parent, a, "enter"}
	if sc, ok := s.derived[key]; ok {
		return sc
	}
	sc := s.scope("in "+owner, parent.slots, parent.calls)
	sc.unrun = parent.unrun
	sc.notYet = maps.Clone(parent.notYet)
	for _, cl := range a.Calls {
		if sc.notYet == nil {
			sc.notYet = map[string]string{}
		}
		if _, set := sc.calls[cl.Name]; set {
			continue
		}
		why := "runs later in the same list (calls run in the order written), so it has no result yet"
		if cl.Approval != nil {
			why = "waits for a person's approval while the rest of its list goes on, so its result is set only in its on_approve block and error handlers"
		}
		sc.notYet[cl.Name] = why
	}
	s.derived[key] = sc
	return sc
}

// after is sc once call cl has run: its result is set, in owner.
func (s *scopeSet) after(sc *typeScope, cl *Call, owner string) *typeScope {
	key := derivedKey{sc, cl, "after"}
	if out, ok := s.derived[key]; ok {
		return out
	}
	calls := maps.Clone(sc.calls)
	if calls == nil {
		calls = map[string]cty.Type{}
	}
	calls[cl.Name] = callResultType(s.bot, cl)
	out := s.scope(sc.where, sc.slots, calls)
	out.unrun = sc.unrun
	out.notYet = maps.Clone(sc.notYet)
	delete(out.notYet, cl.Name)
	s.record(cl.Name, owner)
	s.derived[key] = out
	return out
}

func (s *scopeSet) record(call, place string) {
	if s.setIn != nil {
		s.setIn[call] = append(s.setIn[call], place)
	}
}

func findDialogIn(bot *Bot, name string) *Dialog {
	for _, dl := range bot.Dialogs {
		if dl.Name == name {
			return dl
		}
	}
	return nil
}

// dialogSlots types a dialog's slots. A slot of an unknown type, which is
// reported, reads as any value, so its uses report nothing more.
func dialogSlots(bot *Bot, dl *Dialog) map[string]cty.Type {
	out := map[string]cty.Type{}
	for _, s := range dl.Slots {
		ty := ValueType(s.Type)
		if _, entity := bot.Entities[s.Type]; !entity && !slices.Contains(BuiltinTypes, s.Type) {
			ty = cty.DynamicPseudoType
		}
		out[s.Name] = ty
	}
	return out
}

// callsAround are the calls of a dialog's rules, outcomes and handlers:
// the calls its conditions could read before each call's result was scoped.
func callsAround(bot *Bot, dl *Dialog) map[string]bool {
	out := map[string]bool{}
	var add func(a *Actions)
	add = func(a *Actions) {
		if a == nil {
			return
		}
		for _, cl := range a.Calls {
			out[cl.Name] = true
			for _, h := range cl.Handlers() {
				add(h)
			}
		}
	}
	for _, cl := range dl.Calls {
		for _, h := range cl.Handlers() {
			add(h)
		}
	}
	for _, s := range dl.Slots {
		add(s.OnExhausted)
	}
	if dl.Confirm != nil {
		add(dl.Confirm.OnNo)
	}
	for _, o := range dl.Outcomes {
		add(&o.Actions)
	}
	for _, r := range bot.Rules {
		if r.On.Kind == "dialog" && r.On.Dialog == dl.Name {
			add(&r.Actions)
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

// callNotHere reports call.NAME read where that call has no result: it runs
// later, waits for an approval, is set only elsewhere, or does not exist. A
// condition reads such a call as not known yet, which is false, and an amount
// is then not recorded. The calls of the dialog's own blocks validated before
// scopes were exact, so reading one of them is a warning (bots that
// validated keep validating), even where it would fail and the customer would
// see it; anything else is an error.
func (c *checker) callNotHere(rng hcl.Range, name string, sc *typeScope, kind exprKind) {
	if why, ok := sc.notYet[name]; ok {
		c.warnf(rng, "Call has not run yet", "call.%s %s: reading it %s would fail and the customer would get the error reply.", name, why, sc.where)
		return
	}
	places := sc.setIn[name]
	switch {
	case len(places) == 0:
		c.errorf(rng, "Unknown call", "There is no call named %q %s; a call's result can only be read where the call is declared.%s", name, sc.where, existing(name, "calls", sortedKeys(sc.calls)))
	case kind == kindCondition && sc.unrun[name]:
		c.warnf(rng, "Condition reads a call that has not run", "call.%s is only set in %s, so it has no result %s: this condition is always false.", name, joinAnd(places), sc.where)
	case kind == kindNumber && sc.unrun[name]:
		c.warnf(rng, "Amount reads a call that has not run", "call.%s is only set in %s, so it has no result %s: no amount is ever recorded.", name, joinAnd(places), sc.where)
	case sc.unrun[name]:
		c.warnf(rng, "Call not available here", "call.%s is only set in %s, not %s: a call's result exists only in the block that declares the call, once it has run. Reading it here would fail and the customer would get the error reply.", name, joinAnd(places), sc.where)
	case kind == kindCondition || kind == kindNumber:
		c.errorf(rng, "Call not available here", "call.%s is only set in %s, so it has no result %s. A call's result exists only in the block that declares the call, once it has run.", name, joinAnd(places), sc.where)
	default:
		c.errorf(rng, "Call not available here", "call.%s is only set in %s, not %s: a call's result exists only in the block that declares the call, once it has run. Reading it here would fail and the customer would get the error reply.", name, joinAnd(places), sc.where)
	}
}
