package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
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
	c.checkExampleLanguages()
	c.checkExampleValues()
	c.checkPatternWords()
	c.checkAnnotationsShadowed()
	c.checkAnnotationValues()
	c.checkPatternsTakeBuiltins()
	c.checkSynonymsTakeAmounts()
	c.checkBuiltinAnnotationsShadowed()
	c.checkAnswers()
	c.checkIntentsActedOn()
	c.checkKnowledge()
	c.checkPrivacy()
	c.checkDialogsReachable()
	c.checkCallInputs()
	c.checkCallsReadTicket()
	c.checkCallsWaitForOptional()
	c.checkCallCycles()
	c.checkInvalidReadsCheckingCall()
	c.checkApprovals()
	c.typeCheck()
	c.checkDecisions()
	bot.ReadsAgents = c.readsAgents()
	c.checkQuickReplies()
	c.checkCustomerLookup()
	c.checkShadowedHandoffs()
	c.checkHandoffReads()
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
		actions(&r.Actions, sc, ruleWhere(b, r))
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
