package policies

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// check resolves the references decoding collected and checks the bot as a whole:
// everything `parley validate` must catch before a conversation runs.
func (d *decoder) check(bot *Bot) hcl.Diagnostics {
	c := &checker{bot: bot, d: d}
	bot.Memory = memoryNames(bot)
	var more hcl.Diagnostics
	bot.Locals, more = orderLocals(bot.Locals)
	c.diags = append(c.diags, more...)
	linkLocalReads(bot)
	c.resolveMessages()
	c.resolveRefs()
	c.decodeTestConnectors()
	c.checkMocks()
	c.checkTestSurveys()
	c.checkTestKnowledge()
	c.checkTestTickets()
	c.checkMessages()
	c.checkExamples()
	c.checkPatternWords()
	c.checkAnnotationsShadowed()
	c.checkPatternsTakeBuiltins()
	c.checkBuiltinAnnotationsShadowed()
	c.checkAnswers()
	c.checkKnowledge()
	c.checkPrivacy()
	c.checkDialogsReachable()
	c.checkCallInputs()
	c.checkCallsReadTicket()
	c.checkCallsWaitForOptional()
	c.checkApprovals()
	c.typeCheck()
	c.checkDecisions()
	bot.ReadsAgents = c.readsAgents()
	c.checkQuickReplies()
	c.checkCustomerLookup()
	c.checkShadowedHandoffs()
	return c.diags
}

// readsAgents reports whether any expression reads the agents online.
func (c *checker) readsAgents() bool {
	found := false
	look := func(e hcl.Expression) {
		for _, trav := range e.Variables() {
			switch trav.RootName() {
			case "queues":
				found = true
			case "handoff":
				if len(trav) > 1 {
					if a, ok := trav[1].(hcl.TraverseAttr); ok && a.Name == "agents_online" {
						found = true
					}
				}
			}
		}
	}
	for _, l := range c.bot.Locals {
		look(l.Expr)
	}
	c.walk(visitor{
		expr: func(e hcl.Expression, _ exprKind, _ *typeScope) { look(e) },
		message: func(m **Message, _ *typeScope) {
			for _, e := range (*m).expressions() {
				look(e)
			}
			for _, cs := range (*m).Cases {
				look(cs.When)
			}
		},
	}, newScopeSet(c.bot))
	return found
}

type checker struct {
	bot   *Bot
	d     *decoder
	diags hcl.Diagnostics
	// yesNoWarned are the places already warned about a yes_no value used
	// as true or false: a response is checked at each place it is said.
	yesNoWarned map[hcl.Range]bool
	// dayTimeWarned likewise, for a day compared with a time.
	dayTimeWarned map[hcl.Range]bool
	// equalityWarned likewise, for a value compared with a constant of
	// another type.
	equalityWarned map[hcl.Range]bool
	// knownValueWarned likewise, for a value compared with a text it never
	// holds (slot.product == "bed frame" for bed_frame).
	knownValueWarned map[hcl.Range]bool
	// entityExpectWarned likewise, for a test's expected entity value.
	entityExpectWarned map[string]bool
}

func (c *checker) errorf(rng hcl.Range, summary, format string, args ...any) {
	c.diags = append(c.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  rng.Ptr(),
	})
}

func (c *checker) warnf(rng hcl.Range, summary, format string, args ...any) {
	c.diags = append(c.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  rng.Ptr(),
	})
}

// ---- walking the model ----

// exprKind says what an expression must evaluate to.
type exprKind int

const (
	kindCondition exprKind = iota // true or false
	kindText                      // something a message can show
	kindObject                    // a call's input
	kindNumber                    // an amount reports sum
	kindValue                     // any value (a default, a local)
	kindQueue                     // chooses a queue: may read queue.NAME
)

// visitor receives every expression and message of the bot with the scope it is
// evaluated in. Message fields are passed by address so references can be resolved.
type visitor struct {
	expr    func(expr hcl.Expression, kind exprKind, sc *typeScope)
	message func(m **Message, sc *typeScope)
	actions func(a *Actions, sc *typeScope)
	call    func(cl *Call, sc *typeScope)
}

func (c *checker) walk(v visitor, scopes *scopeSet) {
	expr := func(e hcl.Expression, kind exprKind, sc *typeScope) {
		if e != nil && v.expr != nil {
			v.expr(e, kind, sc)
		}
	}
	msg := func(m **Message, sc *typeScope) {
		if *m != nil && v.message != nil {
			v.message(m, sc)
		}
	}
	// A call's input sees the calls before it; its handlers see it too. See
	// typeScope for where a call's result exists.
	var actions func(a *Actions, parent *typeScope, owner string)
	call := func(cl *Call, in *typeScope, owner string) {
		mark := len(c.diags)
		defer func() { annotateUse(c.diags[mark:], cl.Shared, cl.Range, in.where) }()
		if v.call != nil {
			v.call(cl, in)
		}
		expr(cl.Input, kindObject, in)
		expr(cl.IdempotencyKey, kindText, in)
		setIn := owner
		if cl.Approval != nil {
			setIn = fmt.Sprintf("the on_approve block and error handlers of call %q in %s", cl.Name, owner)
		}
		ran := scopes.after(in, cl, setIn)
		for _, h := range cl.Handlers() {
			actions(h, ran, fmt.Sprintf("an error handler of call %q in %s", cl.Name, owner))
		}
		walkApproval(cl, expr, actions, in, ran, owner)
	}
	actions = func(a *Actions, parent *typeScope, owner string) {
		sc := scopes.enter(parent, a, owner)
		for _, cl := range a.Calls {
			call(cl, sc, owner)
			if cl.Approval == nil {
				sc = scopes.after(sc, cl, owner)
			}
		}
		if v.actions != nil {
			v.actions(a, sc)
		}
		if a.Ticket != nil {
			expr(a.Ticket.QueueExpr, kindQueue, sc)
			expr(a.Ticket.Subject, kindText, sc)
			expr(a.Ticket.Description, kindText, sc)
			expr(a.Ticket.Priority, kindText, sc)
		}
		expr(a.Remember, kindObject, sc)
		for i := range a.Reply {
			msg(&a.Reply[i], sc)
		}
		msg(&a.OfferContinue, sc)
		if a.Handoff != nil {
			expr(a.Handoff.QueueExpr, kindQueue, sc)
			expr(a.Handoff.Summary, kindText, sc)
		}
	}

	b := c.bot
	for _, l := range b.Locals {
		// Read like a response (any dialog's slots and calls), but a
		// message about it names the local, not "a response".
		sc := *scopes.shared
		sc.where = fmt.Sprintf("in local.%s (a local may read the slots and calls of any dialog)", l.Name)
		expr(l.Expr, kindValue, &sc)
	}
	msg(&b.Replies.NotUnderstood, scopes.shared)
	msg(&b.Replies.Error, scopes.shared)
	msg(&b.Replies.Goodbye, scopes.shared)
	msg(&b.Replies.Survey, scopes.shared)
	msg(&b.Replies.SurveyThanks, scopes.shared)
	for _, name := range sortedKeys(b.Responses) {
		m := b.Responses[name]
		msg(&m, scopes.shared)
	}
	for _, a := range b.Answers {
		for i := range a.Reply {
			msg(&a.Reply[i], scopes.global)
		}
	}
	if b.Knowledge != nil {
		// Said outside a dialog or as a digression inside any of them, so it
		// sees what a response sees.
		msg(&b.Knowledge.Reply, scopes.shared)
	}
	for _, dl := range b.Dialogs {
		sc := scopes.dialog(dl)
		expr(dl.When, kindCondition, sc)
		msg(&dl.InterruptPrompt, sc)
		msg(&dl.ResumePrompt, sc)
		for _, s := range dl.Slots {
			mark := len(c.diags)
			expr(s.RequiredWhen, kindCondition, sc)
			expr(s.Validate, kindCondition, sc)
			expr(s.Default, kindValue, sc)
			msg(&s.Prompt, sc)
			msg(&s.Invalid, sc)
			msg(&s.ReusePrompt, sc)
			if s.OnExhausted != nil {
				actions(s.OnExhausted, sc, fmt.Sprintf("on_exhausted of slot %q", s.Name))
			}
			annotateUse(c.diags[mark:], s.Shared, s.Range, sc.where)
		}
		for _, cl := range dl.Calls {
			call(cl, sc, fmt.Sprintf("dialog %q", dl.Name))
		}
		if dl.Confirm != nil {
			expr(dl.Confirm.When, kindCondition, sc)
			msg(&dl.Confirm.Prompt, sc)
			if dl.Confirm.OnNo != nil {
				actions(dl.Confirm.OnNo, sc, fmt.Sprintf("on_no of dialog %q", dl.Name))
			}
		}
		for _, o := range dl.Outcomes {
			what := fmt.Sprintf("outcome %q of dialog %q", o.Name, dl.Name)
			deciding := scopes.deciding(sc, o, what)
			expr(o.When, kindCondition, deciding)
			expr(o.Reporting.Amount, kindNumber, deciding)
			actions(&o.Actions, sc, what)
		}
	}
	for _, r := range b.Rules {
		sc := scopes.rule(r)
		expr(r.When, kindCondition, sc)
		expr(r.Reporting.Amount, kindNumber, sc)
		actions(&r.Actions, sc, fmt.Sprintf("rule %q", r.Name))
	}
	for _, h := range b.Handoffs {
		expr(h.When, kindCondition, scopes.global)
		expr(h.QueueExpr, kindQueue, scopes.global)
		for i := range h.Reply {
			msg(&h.Reply[i], scopes.global)
		}
		expr(h.Summary, kindText, scopes.global)
	}
	walkTickets(b, expr, msg, scopes)
}

// ---- memory ----

// memoryNames are the values a conversation can remember: slots with
// remember = true, typed as the slot, and keys of remember actions.
func memoryNames(bot *Bot) map[string]cty.Type {
	out := map[string]cty.Type{}
	add := func(name string, ty cty.Type) {
		if prev, ok := out[name]; ok && !prev.Equals(ty) {
			ty = cty.DynamicPseudoType
		}
		out[name] = ty
	}
	for _, dl := range bot.Dialogs {
		for _, s := range dl.Slots {
			if s.Remember {
				add(s.Name, ValueType(s.Type))
			}
		}
	}
	for _, a := range allActions(bot) {
		for _, key := range rememberKeys(a.Remember) {
			add(key, cty.DynamicPseudoType)
		}
	}
	return out
}

// rememberKeys are the names a remember action's object sets.
func rememberKeys(expr hcl.Expression) []string {
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	var out []string
	for _, item := range obj.Items {
		key := hcl.ExprAsKeyword(item.KeyExpr)
		if key == "" {
			if v, diags := item.KeyExpr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				key = v.AsString()
			}
		}
		if key != "" {
			out = append(out, key)
		}
	}
	return out
}

// allActions lists every action list of the bot, nested ones included.
func allActions(bot *Bot) []*Actions {
	var out []*Actions
	var add func(a *Actions)
	addCall := func(cl *Call) {
		for _, h := range cl.Handlers() {
			add(h)
		}
		if cl.Approval != nil {
			for _, h := range cl.Approval.Handlers() {
				add(h)
			}
		}
	}
	add = func(a *Actions) {
		if a == nil {
			return
		}
		out = append(out, a)
		for _, cl := range a.Calls {
			addCall(cl)
		}
	}
	for _, dl := range bot.Dialogs {
		for _, s := range dl.Slots {
			add(s.OnExhausted)
		}
		for _, cl := range dl.Calls {
			addCall(cl)
		}
		if dl.Confirm != nil {
			add(dl.Confirm.OnNo)
		}
		for _, o := range dl.Outcomes {
			add(&o.Actions)
		}
	}
	for _, r := range bot.Rules {
		add(&r.Actions)
	}
	return out
}

// ---- references ----

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

func (c *checker) intentNames() []string {
	var out []string
	for _, it := range c.bot.Intents {
		out = append(out, it.Name)
	}
	return out
}

func (c *checker) dialogNames() []string {
	var out []string
	for _, dl := range c.bot.Dialogs {
		out = append(out, dl.Name)
	}
	return out
}

func (c *checker) findDialog(name string) *Dialog {
	for _, dl := range c.bot.Dialogs {
		if dl.Name == name {
			return dl
		}
	}
	return nil
}

// slotNotEntity explains an entity reference that names a slot, as in the
// annotation "[May 1 to May 5](stay)": values are marked with the slot's type,
// which is how the NLU knows them whatever slot they fill.
func (c *checker) slotNotEntity(r reference) string {
	if r.kind != "entity" {
		return ""
	}
	for _, dl := range c.bot.Dialogs {
		for _, s := range dl.Slots {
			if s.Name == r.name && s.Type != "" && s.Type != r.name {
				return fmt.Sprintf(" %q is a slot of dialog %q: name its type instead, %s.", r.name, dl.Name, s.Type)
			}
		}
	}
	return ""
}

func (c *checker) typeNames() []string {
	return append(slices.Clone(BuiltinTypes), sortedKeys(c.bot.Entities)...)
}

// allSlots maps each slot name declared in any dialog to its value type.
func (c *checker) allSlots() map[string]cty.Type {
	out := map[string]cty.Type{}
	for _, dl := range c.bot.Dialogs {
		for _, s := range dl.Slots {
			ty := ValueType(s.Type)
			if prev, ok := out[s.Name]; ok && !prev.Equals(ty) {
				ty = cty.DynamicPseudoType
			}
			out[s.Name] = ty
		}
	}
	return out
}

func (c *checker) resolveRefs() {
	for _, r := range c.d.refs {
		mark := len(c.diags)
		c.resolveRef(r)
		if r.use != nil {
			annotateUse(c.diags[mark:], r.use.def, r.use.use, r.use.where)
		}
	}
}

// existing says which names of a kind (plural: "slots") exist, for a message
// about one that does not, with a suggestion when one is close.
func existing(given, kinds string, names []string) string {
	if len(names) == 0 {
		return fmt.Sprintf(" There are no %s here.", kinds)
	}
	list := names
	if len(list) > 12 {
		list = append(slices.Clone(list[:12]), fmt.Sprintf("%d more", len(names)-12))
	}
	return fmt.Sprintf(" The %s here are %s.%s", kinds, joinAnd(list), didYouMean(given, names))
}

func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func (c *checker) resolveRef(r reference) {
	b := c.bot
	{
		switch r.kind {
		case "intent":
			if !slices.Contains(c.intentNames(), r.name) {
				c.errorf(r.rng, "Unknown intent", "There is no intent named %q.%s", r.name, didYouMean(r.name, c.intentNames()))
			}
		case "queue":
			if _, ok := b.Queues[r.name]; !ok {
				c.errorf(r.rng, "Unknown queue", "There is no queue named %q.%s", r.name, didYouMean(r.name, sortedKeys(b.Queues)))
			}
		case "triage":
			if !slices.Contains(c.triageNames(), r.name) {
				c.errorf(r.rng, "Unknown triage block", "There is no triage block named %q.%s", r.name, existing(r.name, "triage blocks", c.triageNames()))
			}
		case "dialog":
			if c.findDialog(r.name) == nil {
				c.errorf(r.rng, "Unknown dialog", "There is no dialog named %q.%s", r.name, existing(r.name, "dialogs", c.dialogNames()))
			}
		case "response":
			if _, ok := b.Responses[r.name]; !ok {
				c.errorf(r.rng, "Unknown response", "There is no response named %q.%s", r.name, didYouMean(r.name, sortedKeys(b.Responses)))
			}
		case "operation":
			conn, ok := b.Connectors[r.name]
			if !ok {
				c.errorf(r.rng, "Unknown connector", "There is no connector named %q.%s", r.name, didYouMean(r.name, sortedKeys(b.Connectors)))
				return
			}
			if _, ok := conn.Operations[r.op]; !ok {
				c.errorf(r.rng, "Unknown operation", "Connector %q has no operation named %q.%s", r.name, r.op, didYouMean(r.op, sortedKeys(conn.Operations)))
			}
		case "type", "entity":
			if slices.Contains(BuiltinTypes, r.name) {
				return
			}
			if e, ok := b.Entities[r.name]; ok && r.expect != cty.NilVal {
				c.checkExpectedEntityValue(e, r)
			}
			if _, ok := b.Entities[r.name]; !ok {
				what := "slot type"
				if r.kind == "entity" {
					what = "entity"
				}
				hint := didYouMean(r.name, c.typeNames())
				if slotHint := c.slotNotEntity(r); slotHint != "" {
					hint = slotHint
				} else if hint == "" && r.kind == "type" {
					hint = timeTypeHint(r.name)
				} else if hint == "" {
					// "amount", "kwh": name what the bot does have.
					hint = existing(r.name, "entities", sortedKeys(b.Entities))
				}
				c.errorf(r.rng, "Unknown "+what, "%q is neither a builtin type (%s) nor an entity.%s", r.name, strings.Join(BuiltinTypes, ", "), hint)
			}
		case "slot":
			if r.dialog == "" {
				c.errorf(r.rng, "Reask outside a dialog", "reask returns to a slot of a dialog, so it can only be used inside a dialog or in a rule with on = dialog.NAME.")
				return
			}
			dl := c.findDialog(r.dialog)
			if dl == nil {
				return // reported as an unknown dialog
			}
			var names []string
			for _, s := range dl.Slots {
				names = append(names, s.Name)
			}
			if !slices.Contains(names, r.name) {
				c.errorf(r.rng, "Unknown slot", "Dialog %q has no slot named %q.%s", dl.Name, r.name, existing(r.name, "slots", names))
			} else if r.expect != cty.NilVal {
				c.checkExpectedSlotValue([]*Dialog{dl}, r)
			}
		case "anyslot":
			all := c.allSlots()
			if _, ok := all[r.name]; !ok {
				c.errorf(r.rng, "Unknown slot", "No dialog has a slot named %q. The dialogs' slots are: %s.%s", r.name, joinAnd(sortedKeys(all)), didYouMean(r.name, sortedKeys(all)))
			} else if r.expect != cty.NilVal {
				c.checkExpectedSlotValue(c.bot.Dialogs, r)
			}
		case "language":
			if !slices.Contains(b.Languages, r.name) {
				c.errorf(r.rng, "Language not spoken by the bot", "%q is not one of the bot's languages (%s).", r.name, strings.Join(b.Languages, ", "))
			}
		}
	}
}

func (c *checker) decodeTestConnectors() {
	for _, o := range c.d.testConnectors {
		conn, ok := c.bot.Connectors[o.name]
		if !ok {
			c.errorf(o.rng, "Unknown connector", "There is no connector named %q.%s", o.name, didYouMean(o.name, sortedKeys(c.bot.Connectors)))
			continue
		}
		base, ok := c.d.connectorBodies[conn]
		if !ok {
			continue // its type is unknown, which is reported already
		}
		connSpec, _, _ := c.d.connectorTypes.Lookup(conn.Type)
		var ctx *hcl.EvalContext
		if o.each != cty.NilVal {
			ctx = &hcl.EvalContext{Variables: map[string]cty.Value{"each": o.each}, Functions: functionTable}
		}
		val, diags := decodeSettingsIn(overrideBody{base: base, over: o.body}, connSpec, ctx)
		c.diags = append(c.diags, diags...)
		if o.test.Connectors == nil {
			o.test.Connectors = map[string]cty.Value{}
		}
		o.test.Connectors[o.name] = val
	}
}

// ---- messages ----

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

const minExamples = 5

func (c *checker) checkExamples() {
	type firstUse struct {
		intent string
		rng    hcl.Range
	}
	seen := map[string]firstUse{}
	for _, it := range c.bot.Intents {
		if len(it.Examples) < minExamples {
			c.warnf(it.Range, "Few examples", "Intent %q has %d examples; give at least %d varied phrasings so the bot recognises it reliably.", it.Name, len(it.Examples), minExamples)
		}
		for _, ex := range it.Examples {
			key := normalizeExample(ex.Text)
			first, dup := seen[key]
			switch {
			case !dup:
				seen[key] = firstUse{it.Name, ex.Range}
			case first.intent == it.Name:
				c.warnf(ex.Range, "Repeated example", "%q is already an example of this intent, at %s.", ex.Text, first.rng.String())
			default:
				c.errorf(ex.Range, "Duplicate example", "%q is also an example of intent %q (at %s); the bot cannot learn one phrase as two intents.", ex.Text, first.intent, first.rng.String())
			}
		}
	}
}

func (c *checker) checkAnswers() {
	seen := map[string]hcl.Range{}
	for _, a := range c.bot.Answers {
		if a.Intent == "" {
			continue
		}
		if first, dup := seen[a.Intent]; dup {
			c.errorf(a.Range, "Duplicate answer", "Intent %q already has an answer at %s; only the first would ever be used.", a.Intent, first.String())
			continue
		}
		seen[a.Intent] = a.Range
	}
}

// ---- knowledge ----

func (c *checker) checkKnowledge() {
	k := c.bot.Knowledge
	if k == nil {
		return
	}
	if len(k.Sources) == 0 && len(c.bot.FAQs) == 0 {
		c.warnf(k.Range, "Empty knowledge base", `This knowledge block lists no sources and the bot has no faq blocks, so there is nothing to answer from. Add sources = ["knowledge/*.md"] or faq blocks.`)
	}
	if c.bot.Dir == "" {
		return // loaded from memory: there are no files to match
	}
	for i, glob := range k.Sources {
		if sourceGlobProblem(glob) != "" || i >= len(k.SourceRanges) {
			continue // reported when decoded
		}
		files, err := SourceFiles(c.bot.Dir, glob)
		if err != nil {
			c.errorf(k.SourceRanges[i], "Knowledge source matches no file", "%s", noSourceFileDetail(c.bot.Dir, glob))
			continue
		}
		c.checkSourceKinds(k.SourceRanges[i], glob, files)
	}
}

// ---- dialogs ----

func (c *checker) checkDialogsReachable() {
	started := map[string]bool{}
	c.walk(visitor{actions: func(a *Actions, _ *typeScope) {
		if a.Start != "" {
			started[a.Start] = true
		}
	}}, newScopeSet(c.bot))

	// An answer takes its intent before any dialog does, so a trigger that
	// has one never starts the dialog. Only a warning, so that bots written
	// before this check keep validating.
	answered := map[string]string{}
	for _, a := range c.bot.Answers {
		if _, ok := answered[a.Intent]; a.Intent != "" && !ok {
			answered[a.Intent] = a.Name
		}
	}
	// A dialog without a when condition always takes its triggers, so a later
	// dialog with the same trigger never gets it.
	owner := map[string]string{}
	for _, dl := range c.bot.Dialogs {
		var shadowed, byAnswer []string
		for _, t := range dl.Triggers {
			if first, ok := owner[t]; ok {
				shadowed = append(shadowed, fmt.Sprintf("intent.%s (dialog %q)", t, first))
			} else if a, ok := answered[t]; ok {
				byAnswer = append(byAnswer, fmt.Sprintf("intent.%s (answer %q)", t, a))
			}
		}
		for _, t := range dl.Triggers {
			if _, ok := owner[t]; !ok && dl.When == nil {
				owner[t] = dl.Name
			}
		}
		switch {
		case started[dl.Name]:
		case len(dl.Triggers) == 0 && c.d != nil && (c.d.triggerWritten[dl] || c.d.startBroken):
			continue
		case len(dl.Triggers) == 0:
			c.errorf(dl.Range, "Dialog can never start", "Dialog %q has no trigger and no rule or action starts it: add trigger = [intent.NAME] or start = dialog.%s somewhere.", dl.Name, dl.Name)
			continue
		case len(shadowed) == len(dl.Triggers):
			c.errorf(dl.Range, "Dialog can never start", "Every trigger of dialog %q already starts an earlier dialog, which always wins: %s.", dl.Name, strings.Join(shadowed, ", "))
			continue
		}
		if len(shadowed) > 0 {
			c.warnf(dl.Range, "Trigger never applies", "These triggers already start an earlier dialog, which always wins: %s.", strings.Join(shadowed, ", "))
		}
		if len(byAnswer) > 0 {
			summary := "Trigger never applies"
			if len(shadowed)+len(byAnswer) == len(dl.Triggers) && !started[dl.Name] {
				summary = "Dialog can never start"
			}
			c.warnf(dl.Range, summary, "An answer takes its intent before any dialog does, so these triggers never start dialog %q: %s. Remove the answer, or the trigger.", dl.Name, strings.Join(byAnswer, ", "))
		}
	}
}

// checkCallInputs matches each call's input object with the operation's declared
// inputs: no unknown input, every required one given, each of a type the input accepts.
func (c *checker) checkCallInputs() {
	check := func(cl *Call, sc *typeScope) {
		conn, ok := c.bot.Connectors[cl.Connector]
		if !ok {
			return
		}
		op, ok := conn.Operations[cl.Operation]
		if !ok || op.Inputs == nil {
			return
		}
		names := op.InputNames()
		required := func() []string {
			var out []string
			for _, p := range op.Inputs {
				if !p.Optional {
					out = append(out, p.Name)
				}
			}
			return out
		}
		if cl.Input == nil {
			if req := required(); len(req) > 0 {
				c.errorf(cl.Range, "Missing input", "Operation %s.%s needs input %s.", cl.Connector, cl.Operation, strings.Join(req, ", "))
			}
			return
		}
		if _, isObject := cl.Input.(*hclsyntax.ObjectConsExpr); !isObject {
			return // the type check reports what is wrong
		}
		pairs, diags := hcl.ExprMap(cl.Input)
		if diags.HasErrors() {
			return
		}
		given := map[string]bool{}
		for _, p := range pairs {
			key := hcl.ExprAsKeyword(p.Key)
			if key == "" {
				s, _, more := literalString(p.Key)
				if more.HasErrors() {
					continue
				}
				key = s
			}
			given[key] = true
			param, known := op.Input(key)
			if !known {
				c.errorf(p.Key.Range(), "Unknown input", "Operation %s.%s takes no input %q; it takes %s.%s", cl.Connector, cl.Operation, key, strings.Join(names, ", "), didYouMean(key, names))
				continue
			}
			c.checkInputType(cl, param, p.Value, sc)
		}
		for _, p := range op.Inputs {
			if !given[p.Name] && !p.Optional {
				c.errorf(cl.Input.Range(), "Missing input", "Operation %s.%s needs input %q (%s).", cl.Connector, cl.Operation, p.Name, p.Type.FriendlyName())
			}
		}
	}
	c.walk(visitor{call: check}, newScopeSet(c.bot))
}

// checkInputType reports an argument whose type can never be what the input takes.
// Conversions that always work (a number where text is wanted) are fine; those
// that may fail at run time (text where a number is wanted) are not.
func (c *checker) checkInputType(cl *Call, param Param, value hcl.Expression, sc *typeScope) {
	if sc == nil || param.Type == cty.DynamicPseudoType {
		return
	}
	val, diags := value.Value(sc.ctx)
	if diags.HasErrors() {
		return // the type check reports it
	}
	ty := val.Type()
	if ty == cty.DynamicPseudoType || ty.Equals(param.Type) {
		return
	}
	if val.IsKnown() && val.IsNull() {
		if !param.Optional {
			c.errorf(value.Range(), "Invalid input", "Input %q of %s.%s is required, so it can't be null.", param.Name, cl.Connector, cl.Operation)
		}
		return
	}
	if convert.GetConversion(ty, param.Type) == nil {
		c.errorf(value.Range(), "Wrong input type", "Input %q of %s.%s is %s, but this is %s.%s", param.Name, cl.Connector, cl.Operation, param.Type.FriendlyName(), ty.FriendlyName(), convertHint(value, ty, param.Type))
	}
}

// ---- static type checking ----

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

// missingQuotes tells a bare word meant as text (priority = high, subject =
// refund) from a misspelt namespace (sentimnt), where a value is expected
// rather than a condition.
func missingQuotes(trav hcl.Traversal, kind exprKind) bool {
	if len(trav) != 1 || (kind != kindText && kind != kindValue) {
		return false
	}
	return slices.Contains(priorities, trav.RootName()) || nameSuggestion(trav.RootName(), namespaceNames()) == ""
}

var numericOps = map[*hclsyntax.Operation]string{
	hclsyntax.OpAdd: "+", hclsyntax.OpSubtract: "-", hclsyntax.OpMultiply: "*", hclsyntax.OpDivide: "/",
	hclsyntax.OpModulo: "%", hclsyntax.OpGreaterThan: ">", hclsyntax.OpGreaterThanOrEqual: ">=",
	hclsyntax.OpLessThan: "<", hclsyntax.OpLessThanOrEqual: "<=",
}

var logicalOps = map[*hclsyntax.Operation]string{
	hclsyntax.OpLogicalAnd: "&&", hclsyntax.OpLogicalOr: "||", hclsyntax.OpLogicalNot: "!",
}

// checkOperands catches what HCL lets through because it converts strings to
// numbers and bools when their values allow: with unknown values that conversion
// always "succeeds", so slot.order_id > 5 would pass and then fail on a real message.
//
// It works bottom-up and remembers each operator's type, so a chain of n
// operators (!!!x, a && b && ...) costs one evaluation per leaf rather than one
// evaluation of the whole chain below each operator, which was quadratic. An
// operator with a bad operand has no type, so the operators around it report
// nothing more: the root cause only.
func (c *checker) checkOperands(expr hcl.Expression, sc *typeScope) bool {
	syn, isSyntax := expr.(hclsyntax.Expression)
	if !isSyntax {
		return true
	}
	w := &operandWalker{c: c, sc: sc, types: map[hclsyntax.Expression]cty.Type{}, ok: true}
	hclsyntax.Walk(syn, w)
	return w.ok
}

type operandWalker struct {
	c     *checker
	sc    *typeScope
	types map[hclsyntax.Expression]cty.Type // operators' result types, once their operands are checked
	ok    bool
}

func (w *operandWalker) Enter(hclsyntax.Node) hcl.Diagnostics { return nil }

// Exit sees a node after its operands, so their types are known by then.
func (w *operandWalker) Exit(node hclsyntax.Node) hcl.Diagnostics {
	switch e := node.(type) {
	case *hclsyntax.FunctionCallExpr:
		w.c.checkHoursBetweenDays(e)
	case *hclsyntax.BinaryOpExpr:
		w.c.checkDayTimeEquality(e)
		w.checkConstantEquality(e)
		w.checkKnownValue(e)
		lhs, rhs := true, true
		if hint := w.c.dateComparisonHint(e); hint != "" && (w.typeOf(e.LHS) == cty.String || w.typeOf(e.RHS) == cty.String) {
			// One message for the comparison, not one per date in it.
			w.c.errorf(e.Range(), "Dates compared as numbers", "%s compares numbers, but dates are text.%s", numericOps[e.Op], hint)
			w.ok, lhs = false, false
		} else if op, numeric := numericOps[e.Op]; numeric {
			lhs, rhs = w.operand(e.LHS, cty.Number, op), w.operand(e.RHS, cty.Number, op)
		} else if op, logical := logicalOps[e.Op]; logical {
			lhs, rhs = w.operand(e.LHS, cty.Bool, op), w.operand(e.RHS, cty.Bool, op)
		}
		valid := lhs && rhs
		w.types[e] = w.result(valid, e.Op.Type)
	case *hclsyntax.UnaryOpExpr:
		valid := true
		if e.Op == hclsyntax.OpNegate {
			valid = w.operand(e.Val, cty.Number, "-")
		} else if e.Op == hclsyntax.OpLogicalNot {
			valid = w.operand(e.Val, cty.Bool, "!")
		}
		w.types[e] = w.result(valid, e.Op.Type)
	case *hclsyntax.ConditionalExpr:
		valid := w.operand(e.Condition, cty.Bool, "a condition (? :)")
		ty, _ := convert.UnifyUnsafe([]cty.Type{w.typeOf(e.TrueResult), w.typeOf(e.FalseResult)})
		if ty == cty.NilType {
			ty = cty.DynamicPseudoType
		}
		w.types[e] = w.result(valid, ty)
	}
	return nil
}

func (w *operandWalker) result(valid bool, ty cty.Type) cty.Type {
	if !valid {
		return cty.DynamicPseudoType
	}
	return ty
}

// typeOf is an operand's type: remembered for operators, evaluated otherwise.
func (w *operandWalker) typeOf(e hclsyntax.Expression) cty.Type {
	for {
		p, ok := e.(*hclsyntax.ParenthesesExpr)
		if !ok {
			break
		}
		e = p.Expression
	}
	if ty, ok := w.types[e]; ok {
		return ty
	}
	val, diags := e.Value(w.sc.ctx)
	if diags.HasErrors() {
		return cty.DynamicPseudoType
	}
	return val.Type()
}

// operand reports an operand of the wrong type; false when it is one.
func (w *operandWalker) operand(e hclsyntax.Expression, want cty.Type, op string) bool {
	ty := w.typeOf(e)
	if ty == cty.DynamicPseudoType || ty == want {
		return true
	}
	article := "a number"
	if want == cty.Bool {
		article = "true or false"
	}
	w.c.errorf(e.Range(), "Invalid operand", "The operand of %s must be %s, but this is %s.%s", op, article, ty.FriendlyName(), unquoteHint(e, want))
	w.ok = false
	return false
}

// checkLabelCalls checks that label("ENTITY", value) names a list entity.
func (c *checker) checkLabelCalls(expr hcl.Expression) {
	syn, ok := expr.(hclsyntax.Expression)
	if !ok {
		return
	}
	hclsyntax.VisitAll(syn, func(node hclsyntax.Node) hcl.Diagnostics {
		call, ok := node.(*hclsyntax.FunctionCallExpr)
		if !ok || call.Name != "label" || len(call.Args) != 2 {
			return nil
		}
		v, diags := call.Args[0].Value(nil)
		if diags.HasErrors() || v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
			c.errorf(call.Args[0].Range(), "Invalid label call", `label's first argument is the name of an entity, written as text: label("order_status", call.order.status).`)
			return nil
		}
		lists := append(c.listEntities(), sortedKeys(c.bot.Labels)...)
		slices.Sort(lists)
		name := v.AsString()
		if !slices.Contains(lists, name) {
			c.errorf(call.Args[0].Range(), "Unknown labels", "label reads the labels of a labels block or a list entity; there is none named %q.%s", name, existing(name, "labels blocks and list entities", lists))
		}
		return nil
	})
}

// listEntities are the names of the entities that are lists of values, sorted.
func (c *checker) listEntities() []string {
	var out []string
	for name, e := range c.bot.Entities {
		if e.Kind == EntityList {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// listEntityWithValue is the first list entity, by name, that has value as
// a canonical value, "" for none: a button written for each value of a list
// is what value_buttons does.
func (c *checker) listEntityWithValue(value string) string {
	for _, name := range c.listEntities() {
		if slices.ContainsFunc(c.bot.Entities[name].Values, func(v EntityValue) bool { return v.Canonical == value }) {
			return name
		}
	}
	return ""
}

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
