package dialog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parleyhq/parley/policies"
)

// ---- the dialog machine ----

// loop carries the dialog on until it needs the customer or an effect's result.
func (d *decider) loop() {
	for {
		if (d.st.HandedOff || d.st.Ended) && !d.carryingOutDecision() {
			d.setRuns(nil)
			return
		}
		if d.st.Pending != nil {
			return
		}
		d.steps++
		if d.steps > maxSteps {
			d.setRuns(nil)
			d.emit(Event{Type: EventError, Error: fmt.Sprintf("more than %d steps for one input: do dialogs start each other in a loop?", maxSteps), Reset: true})
			d.sayError()
			return
		}
		if len(d.runs) > 0 {
			d.stepRun()
			continue
		}
		f := d.top()
		if f == nil && len(d.st.Later) > 0 {
			d.takeLater()
			continue
		}
		if f == nil || f.Asking != "" {
			return
		}
		d.advance()
	}
}

// advance does the next thing the top dialog needs: a call, a question, the
// confirmation, or its completion. Each branch changes the state, so loop ends.
func (d *decider) advance() {
	f := d.top()
	dlg := d.dialog(f.Dialog)
	if dlg == nil {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("dialog %q no longer exists", f.Dialog), Reset: true})
		d.sayError()
		return
	}
	// Extract, run the calls whose inputs are in, then check the values held
	// for those calls: a validate that reads a call never sees it missing.
	for _, c := range dlg.Calls {
		if _, ran := f.Calls[c.Name]; ran || !d.callReady(dlg, f, c) {
			continue
		}
		if !d.requestCall(c, Resume{Dialog: dlg.Name, Call: c.Name}) {
			d.sayError()
			d.cancelTop("call_failed")
		}
		return
	}
	if len(f.Held) > 0 && d.checkHeld(dlg) {
		return
	}
	for _, s := range dlg.Slots {
		if _, ok := f.Slots[s.Name]; ok || s.Optional {
			continue
		}
		if _, held := f.Held[s.Name]; held {
			continue // given, and waiting for the calls that check it
		}
		if s.RequiredWhen != nil && !d.cond(s.RequiredWhen, "required_when of slot "+dlg.Name+"."+s.Name) {
			continue
		}
		if _, offered := f.Offers[s.Name]; offered && s.ReusePrompt != nil {
			d.offer(dlg, s)
			return
		}
		d.ask(dlg, s, false, false, nil)
		return
	}
	if c := dlg.Confirm; c != nil && !f.Confirmed && d.confirmWanted(dlg) {
		d.emit(Event{Type: EventConfirmRequested, Dialog: dlg.Name})
		d.sayConfirm(dlg)
		return
	}
	d.complete(dlg)
}

// confirmWanted reports whether the dialog asks its confirmation: unless its
// when is false. A when that reads a field the system left out (null, or an
// error) asks: the dialog must not act unconfirmed on a value nobody saw. A
// when that reads a call that has not run is not asked, as it always was: a
// dialog whose slots were not required (a rule ends it first) never ran the
// call its confirmation shows.
func (d *decider) confirmWanted(dlg *policies.Dialog) bool {
	when := dlg.Confirm.When
	if when == nil {
		return true
	}
	if v, diags := d.env().Value(when); !diags.HasErrors() {
		switch {
		case !v.IsKnown():
			return false
		case v.IsNull():
			return true
		}
	}
	ok, diags := d.env().Cond(when)
	if diags.HasErrors() {
		d.evalError("confirm of dialog "+dlg.Name, diags)
		return true
	}
	return ok
}

// complete applies the first matching rule for the dialog, else its first
// matching outcome, else says the error reply.
func (d *decider) complete(dlg *policies.Dialog) {
	for _, r := range d.bot.Rules {
		if r == nil || r.On.Kind != "dialog" || r.On.Dialog != dlg.Name || (r.Once && d.st.Fired["rule "+r.Name]) || !d.cond(r.When, "rule "+r.Name) {
			continue
		}
		d.emit(Event{Type: EventRuleApplied, Rule: r.Name, Dialog: dlg.Name, Amount: d.amount(r.Reporting.Amount, "rule "+r.Name)})
		d.pushRun(Run{Ref: ActionsRef{Kind: refRule, Name: r.Name}, Finish: finishComplete})
		return
	}
	for _, o := range dlg.Outcomes {
		if o == nil || !d.cond(o.When, "outcome "+dlg.Name+"."+o.Name) {
			continue
		}
		d.emit(Event{Type: EventRuleApplied, Outcome: o.Name, Dialog: dlg.Name, Amount: d.amount(o.Reporting.Amount, "outcome "+dlg.Name+"."+o.Name)})
		d.pushRun(Run{Ref: ActionsRef{Kind: refOutcome, Dialog: dlg.Name, Name: o.Name}, Finish: finishComplete})
		return
	}
	// Nothing decides what the dialog does (conditions on a field the system
	// left out, a status none names): the customer is told it did not work
	// rather than met with silence, and the dialog does not count as done.
	d.emit(Event{Type: EventError, Error: fmt.Sprintf("dialog %q completed, and no rule or outcome applies: add an outcome without when", dlg.Name)})
	d.sayError()
	d.cancelTop("no_outcome")
}

// ask says a slot's prompt. clear and retry make it a reask.
func (d *decider) ask(dlg *policies.Dialog, s *policies.Slot, clear, retry bool, invalidated []string) {
	d.emit(Event{Type: EventSlotRequested, Dialog: dlg.Name, Slot: s.Name, Clear: clear, Retry: retry, Invalidated: invalidated})
	if s.Prompt != nil {
		d.sayQuestion(s.Prompt)
		return
	}
	d.reply(Reply{Text: d.prefixed(fmt.Sprintf(builtin("prompt", d.lang()), strings.ReplaceAll(s.Name, "_", " ")))})
}

// sayQuestion says a question of the dialog, saying first what it is for when
// the bot has just come back to it. A question that can't be said (it reads
// a field the system left out) is not asked: the customer hears the error
// reply and the dialog is dropped, since their next message would otherwise
// answer, or confirm, a question they never saw.
func (d *decider) sayQuestion(m *policies.Message) {
	text, ok := d.render(m)
	if !ok {
		d.sayError()
		d.cancelTop("question_failed")
		return
	}
	d.reply(Reply{Text: d.prefixed(text), Response: m.Name, Buttons: d.buttons(m)})
}

func (d *decider) sayConfirm(dlg *policies.Dialog) {
	if dlg.Confirm != nil && dlg.Confirm.Prompt != nil {
		d.sayQuestion(dlg.Confirm.Prompt)
		return
	}
	lang := d.lang()
	d.reply(Reply{Text: d.prefixed(builtin("confirm", lang)), Buttons: yesNoButtons(lang)})
}

// reask clears a slot and asks it again, counting a failed attempt.
func (d *decider) reask(slot string, fromExhausted bool) {
	f := d.top()
	if f == nil {
		return
	}
	dlg := d.dialog(f.Dialog)
	s := slotOf(dlg, slot)
	if s == nil {
		return
	}
	if !fromExhausted && f.Retries[s.Name]+1 > s.Retries {
		// This run is done; the slot's on_exhausted takes over.
		d.popRun()
		d.emit(Event{Type: EventSlotRejected, Dialog: dlg.Name, Slot: s.Name, Value: ptr(f.Slots[s.Name])})
		d.exhaust(dlg, s)
		return
	}
	d.ask(dlg, s, true, !fromExhausted, callsReading(dlg, s.Name))
}

// requestCall asks the engine to run a call. It reports false when the call's
// input can't be evaluated.
func (d *decider) requestCall(c *policies.Call, resume Resume) bool {
	req, ok := d.callRequest(c)
	if ok {
		d.emitCall(req, resume)
	}
	return ok
}

// callRequest evaluates a call's input and idempotency key for the effect the
// next event asks for.
func (d *decider) callRequest(c *policies.Call) (CallRequest, bool) {
	input, ok := d.plainInput(c)
	if !ok {
		v, diags := d.env().Value(c.Input)
		if diags.HasErrors() {
			d.evalError("input of call "+c.Name, diags)
			return CallRequest{}, false
		}
		var err error
		if input, err = objectToGo(v); err != nil {
			d.emit(Event{Type: EventError, Error: fmt.Sprintf("input of call %s: %v", c.Name, err)})
			return CallRequest{}, false
		}
	}
	var key string
	if c.IdempotencyKey != nil {
		k, diags := d.env().Render(c.IdempotencyKey)
		if diags.HasErrors() || strings.TrimSpace(k) == "" {
			d.evalError("idempotency_key of call "+c.Name, diags)
			return CallRequest{}, false
		}
		key = k
	} else {
		key = idempotencyKey(d.nextID(), c, input)
	}
	return CallRequest{Name: c.Name, Connector: c.Connector, Operation: c.Operation, Input: input, IdempotencyKey: key}, true
}

// plainInput is objectToGo of a call's input written as an object, { order_id
// = slot.order_id }, converted attribute by attribute; false when it must be
// evaluated whole.
func (d *decider) plainInput(c *policies.Call) (map[string]any, bool) {
	attrs, ok := d.env().Attributes(c.Input)
	if !ok {
		return nil, false
	}
	out := make(map[string]any, len(attrs))
	for k, v := range attrs {
		if !whollyKnown(v) {
			return nil, false
		}
		g, err := knownToGo(v)
		if err != nil {
			return nil, false
		}
		out[k] = g
	}
	return out, true
}

// emitCall asks the engine to run req and awaits its result.
func (d *decider) emitCall(req CallRequest, resume Resume) {
	resume.Runs = cloneRuns(d.runs)
	d.emit(Event{
		Type: EventCallRequested, Call: req.Name, Dialog: resume.Dialog, Resume: &resume,
		Effect: &Effect{ID: d.nextID(), Kind: EffectCall, Call: &req},
	})
}

// requestTicket asks the engine to open a ticket; it reports false when the
// ticket's queue can't be decided.
func (d *decider) requestTicket(t *policies.TicketSpec) bool {
	env := d.env()
	queue, ok := d.queueOf(t.Queue, t.QueueExpr, "ticket queue")
	if !ok {
		return false
	}
	subject, diags := env.Render(t.Subject)
	if diags.HasErrors() || strings.TrimSpace(subject) == "" {
		if diags.HasErrors() {
			d.evalError("ticket subject", diags)
		}
		subject = "Request from conversation " + d.st.ConversationID
	}
	priority := ""
	if t.Priority != nil {
		p, diags := env.Render(t.Priority)
		if diags.HasErrors() {
			d.evalError("ticket priority", diags)
		}
		priority = p
	}
	if priority == "" {
		priority = d.queuePriority(queue)
	}
	description, diags := env.Render(t.Description)
	if diags.HasErrors() {
		d.evalError("ticket description", diags)
	}
	id := d.nextID()
	d.emit(Event{
		Type: EventTicketRequested, Resume: &Resume{Runs: cloneRuns(d.runs)},
		Effect: &Effect{ID: id, Kind: EffectTicket, Ticket: &TicketRequest{Queue: queue, Subject: subject, Description: description, Priority: priority, Language: d.lang()}},
	})
	return true
}

func (d *decider) queuePriority(queue string) string {
	if q := d.bot.Queues[queue]; q != nil && q.Priority != "" {
		return q.Priority
	}
	return "normal"
}

func (d *decider) dialogCallFailed(dialog, call, code string) {
	f := d.top()
	dlg := d.dialog(dialog)
	if f == nil || dlg == nil || f.Dialog != dialog {
		return
	}
	if c := callOf(dlg.Calls, call); c != nil && c.Handler(code) != nil {
		d.pushRun(Run{Ref: ActionsRef{Kind: refOnError, Dialog: dialog, Name: call, Code: code}, Finish: finishCancel})
		return
	}
	// A call that checks a held value ("is this email in the directory?")
	// answered: not_found or rejected is the value's validate's to judge.
	if code == "not_found" || code == "rejected" {
		for _, s := range dlg.Slots {
			if _, held := f.Held[s.Name]; held && slices.Contains(validatingCalls(dlg, s), call) {
				return
			}
		}
	}
	d.sayError()
	d.cancelTop("call_failed")
}

// runCallFailed handles the failure of call i of the top run: its error handler
// for code takes the place of the rest of the run.
func (d *decider) runCallFailed(i int, code string) {
	r := &d.runs[len(d.runs)-1]
	acts := d.resolve(r.Ref)
	if acts != nil && r.Ref.OnErrorOf == 0 && i < len(acts.Calls) && acts.Calls[i].Handler(code) != nil {
		ref := r.Ref
		ref.OnErrorOf = i + 1
		ref.Code = code
		*r = Run{Ref: ref, Finish: r.Finish, ForHandoff: r.ForHandoff, Calls: r.Calls, TicketID: r.TicketID, Frame: r.Frame}
		return
	}
	d.abortRun("call failed")
}

// abortRun drops the top run after a failure it can't recover from.
func (d *decider) abortRun(why string) {
	r := d.popRun()
	d.emit(Event{Type: EventError, Error: fmt.Sprintf("%s: %s", refString(r.Ref), why)})
	d.sayError()
	if r.Finish != "" && r.Frame == nil {
		d.cancelTop("error")
	}
}

// stepRun carries the top run one phase further.
func (d *decider) stepRun() {
	n := len(d.runs)
	r := &d.runs[n-1]
	acts := d.resolve(r.Ref)
	if acts == nil {
		d.abortRun("no longer exists")
		return
	}
	switch r.Phase {
	case phaseCalls:
		if r.CallIndex < len(acts.Calls) {
			if d.approvalStep(r, acts.Calls[r.CallIndex]) {
				return
			}
			if !d.requestCall(acts.Calls[r.CallIndex], Resume{}) {
				d.abortRun("call input")
			}
			return
		}
		r.Phase = phaseTicket
	case phaseTicket:
		if acts.Ticket != nil {
			if !d.requestTicket(acts.Ticket) {
				d.abortRun("ticket queue")
			}
			return
		}
		r.Phase = phaseRemember
	case phaseRemember:
		r.Phase = phaseReply
		if acts.Remember != nil {
			d.remember(acts.Remember)
		}
	case phaseReply:
		r.Phase = phaseFinish
		// The reply of a list that hands off announces the handoff ("I'm connecting
		// you now"), so it goes out with the handoff, in phaseHandoff. When a
		// handoff rule replaces the handoff (after hours: take a message), the
		// announcement would be false: that rule's reply is said instead, exactly
		// as for a handoff policy's reply.
		if acts.Handoff == nil {
			d.sayAll(acts.Reply)
		}
		if saysNothing(acts) && (r.Finish == finishCancel || r.Ref.OnErrorOf > 0) && r.Ref.ApprovalOf == 0 {
			// A handler that ends the dialog without a word (on_error that
			// only opens a ticket, on_no that only remembers) would leave the
			// customer's message unanswered: they hear what they would
			// without it.
			if r.Ref.Kind == refOnNo {
				d.reply(Reply{Text: builtin("not_done", d.lang())})
			} else {
				d.sayError()
			}
		}
	case phaseFinish:
		r.Phase = phaseHandoff
		switch {
		case acts.OfferContinueSet:
			// The dialog stays, with what it collected; the customer decides.
			if dlg := d.dialog(r.Ref.Dialog); dlg != nil && d.top() != nil && d.top().Dialog == dlg.Name {
				d.askResume(dlg, true, acts.OfferContinue)
			}
		case acts.Reask != "":
			d.reask(acts.Reask, r.Ref.Kind == refOnExhausted)
		case r.Finish != "":
			f := d.top()
			if f == nil || (r.Ref.Dialog != "" && f.Dialog != r.Ref.Dialog) {
				break
			}
			kept := cloneFrame(*f)
			r.Frame = &kept
			d.scopeChanged()
			typ := EventDialogCompleted
			if r.Finish == finishCancel {
				typ = EventDialogCancelled
			}
			d.emit(Event{Type: typ, Dialog: f.Dialog, Reason: reasonOf(r.Ref)})
		}
	case phaseHandoff:
		r.Phase = phaseStart
		if h := acts.Handoff; h != nil {
			queue, ok := d.queueOf(h.Queue, h.QueueExpr, "handoff of "+refString(r.Ref))
			if !ok {
				d.sayError()
				break
			}
			d.handoff(handoffOrder{queue: queue, priority: h.Priority, reason: h.Reason, share: h.Share, summary: h.Summary}, acts.Reply, !r.ForHandoff)
		}
	case phaseStart:
		r.Phase = phaseEnd
		if acts.Start != "" {
			d.startDialog(acts.Start, nil)
		}
	case phaseEnd:
		r.Phase = phaseDone
		if acts.End {
			if len(acts.Reply) == 0 && d.bot.Replies.Goodbye != nil {
				// Ending without a word would leave the customer wondering.
				d.say(d.bot.Replies.Goodbye)
			}
			d.end()
		}
	default:
		done := d.popRun()
		if done.Frame != nil && acts.Start == "" {
			d.resumeBelow()
		}
	}
}

// saysNothing reports whether actions leave the customer without a word: no
// reply, handoff, dialog started, end, or question asked.
func saysNothing(a *policies.Actions) bool {
	return len(a.Reply) == 0 && a.Handoff == nil && a.Start == "" && !a.End && a.Reask == "" && !a.OfferContinueSet
}

func reasonOf(ref ActionsRef) string {
	switch ref.Kind {
	case refOnError:
		return "call_failed"
	case refOnExhausted:
		return "retries_exhausted"
	case refOnNo:
		return "declined"
	}
	return ""
}

func refString(ref ActionsRef) string {
	s := ref.Kind
	if ref.Dialog != "" {
		s += " " + ref.Dialog
	}
	if ref.Name != "" {
		s += " " + ref.Name
	}
	if ref.OnErrorOf > 0 {
		s += fmt.Sprintf(" (on_error of call %d)", ref.OnErrorOf)
	}
	return s
}

// resolve finds the action list a run refers to, or nil when the bot changed under it.
func (d *decider) resolve(ref ActionsRef) *policies.Actions {
	var acts *policies.Actions
	switch ref.Kind {
	case refRule:
		for _, r := range d.bot.Rules {
			if r != nil && r.Name == ref.Name {
				acts = &r.Actions
				break
			}
		}
	case refOutcome:
		if dlg := d.dialog(ref.Dialog); dlg != nil {
			for _, o := range dlg.Outcomes {
				if o != nil && o.Name == ref.Name {
					acts = &o.Actions
					break
				}
			}
		}
	case refOnError:
		if dlg := d.dialog(ref.Dialog); dlg != nil {
			if c := callOf(dlg.Calls, ref.Name); c != nil {
				acts = c.Handler(ref.Code)
			}
		}
	case refOnExhausted:
		if s := slotOf(d.dialog(ref.Dialog), ref.Name); s != nil {
			acts = s.OnExhausted
		}
	case refOnNo:
		if dlg := d.dialog(ref.Dialog); dlg != nil && dlg.Confirm != nil {
			acts = dlg.Confirm.OnNo
		}
	}
	if acts != nil && ref.ApprovalOf > 0 {
		acts = decidedActions(acts, ref)
	}
	if acts != nil && ref.OnErrorOf > 0 {
		if ref.OnErrorOf > len(acts.Calls) || acts.Calls[ref.OnErrorOf-1] == nil {
			return nil
		}
		acts = acts.Calls[ref.OnErrorOf-1].Handler(ref.Code)
	}
	return acts
}
