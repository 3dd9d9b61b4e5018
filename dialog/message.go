package dialog

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parleyhq/parley/policies"
)

// ---- inputs ----

func (d *decider) onMessage(m *Message) {
	if p := d.st.Pending; p != nil {
		// The engine died between an effect and its result; the customer moved on.
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("effect %s was still awaited when a message arrived; abandoned", p.Effect.ID), Abandon: true})
	}
	if d.expired() {
		d.emit(Event{Type: EventSessionExpired, Reason: "timeout"})
	}
	top := m.NLU.Top()
	d.emit(Event{
		Type: EventMessageReceived,
		Message: &MessageRecord{
			ID: m.ID, Text: m.Text, Language: m.NLU.Language,
			Intent: top.Name, Confidence: top.Confidence, Sentiment: m.NLU.Sentiment,
			Entities: m.NLU.Entities, Cancel: m.NLU.Cancel, Correction: m.NLU.Correction,
		},
		Language: language(d.bot, d.st.Language, m.NLU.Language),
	})
	if d.st.HandedOff {
		return // a person is talking to the customer
	}
	if d.st.Surveying {
		if a, ok := parseSatisfaction(m.Text); ok {
			d.onSatisfaction(a)
			return
		}
		// Not an answer: the customer has moved on, and the bot goes with them.
		d.emit(Event{Type: EventSurveySkipped})
	}
	if strings.TrimSpace(m.Text) == "" {
		// Nothing to understand, so nothing failed: just invite the customer to speak.
		d.sayNotUnderstood()
		return
	}
	confident := d.confident()
	f := d.top()
	yesNo := ""
	if f != nil && f.Asking == askConfirm {
		yesNo = yesOrNo(m)
	}
	// A bare "yes", "no" or "never mind" with no dialog open answers the bot's
	// last words ("Anything else I can help with?"): understood, not a failure.
	bare := ""
	if f == nil && !confident {
		bare = yesOrNoText(m.Text)
		if bare == "" && m.NLU.Cancel {
			bare = "no"
		}
	}
	switch {
	case confident:
		d.emit(Event{Type: EventIntentRecognized, Intent: top.Name, Confidence: top.Confidence})
	case f == nil && bare == "" && knowledgeOf(m) == nil:
		// Counted before the handoff policies run, so "failures >= 3" sees this one.
		// A message the knowledge base answers is understood: no failure.
		d.emit(Event{Type: EventNotUnderstood})
		if m.Searched {
			d.unanswered(m)
		}
	}
	switch {
	case yesNo == "" && d.checkHandoffPolicies():
	case d.checkMessageRules():
	case f != nil:
		d.inDialog(m, yesNo)
	case bare != "":
		d.bareAnswer(bare)
	default:
		d.route(m)
	}
	d.loop()
}

// bareAnswer replies to a yes or no that answers no question of a dialog: "yes"
// invites the request, "no" is the end of it (without ending the conversation,
// since the customer may still be reading).
func (d *decider) bareAnswer(yesNo string) {
	if yesNo == "no" {
		if m := d.bot.Replies.Goodbye; m != nil {
			d.say(m)
			return
		}
		d.reply(Reply{Text: builtin("anything_else", d.lang())})
		return
	}
	d.reply(Reply{Text: builtin("what_else", d.lang())})
}

func (d *decider) expired() bool {
	return d.bot.SessionTimeout > 0 && !d.st.LastActivity.IsZero() && !d.st.HandedOff &&
		d.in.Now.Sub(d.st.LastActivity) > d.bot.SessionTimeout
}

// confident reports whether the last message's top intent is above the threshold.
func (d *decider) confident() bool {
	l := d.st.Last
	return l != nil && l.Intent != "" && l.Confidence >= d.bot.ConfidenceThreshold
}

func (d *decider) intent() string {
	if d.confident() {
		return d.st.Last.Intent
	}
	return ""
}

// ---- message handling ----

// checkHandoffPolicies hands off by the first policy whose condition holds.
func (d *decider) checkHandoffPolicies() bool {
	for _, p := range d.bot.Handoffs {
		if p == nil || !d.cond(p.When, "handoff "+p.Name) {
			continue
		}
		d.handoff(handoffOrder{queue: p.Queue, priority: p.Priority, reason: p.Name, share: p.Share, summary: p.Summary}, p.Reply, true)
		return true
	}
	return false
}

func (d *decider) checkMessageRules() bool {
	for _, r := range d.bot.Rules {
		if r == nil || r.On.Kind != "message" || !d.cond(r.When, "rule "+r.Name) {
			continue
		}
		d.emit(Event{Type: EventRuleApplied, Rule: r.Name})
		d.pushRun(Run{Ref: ActionsRef{Kind: refRule, Name: r.Name}})
		return true
	}
	return false
}

// route handles a message when no dialog is active.
func (d *decider) route(m *Message) {
	if name := d.intent(); name != "" {
		if a := d.answerFor(name); a != nil {
			d.say(a.Reply)
			if a.End {
				d.end()
			}
			return
		}
		if dlg := d.dialogFor(name); dlg != nil {
			d.startDialog(dlg.Name, m)
			return
		}
	}
	if k := knowledgeOf(m); k != nil {
		d.answerFromKnowledge(k)
		return
	}
	d.sayNotUnderstood()
}

// inDialog handles a message for the dialog on top of the stack.
func (d *decider) inDialog(m *Message, yesNo string) {
	f := d.top()
	dlg := d.dialog(f.Dialog)
	if dlg == nil {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("dialog %q no longer exists", f.Dialog), Reset: true})
		d.route(m)
		return
	}
	if f.Asking == askConfirm {
		switch {
		case yesNo == "yes":
			d.emit(Event{Type: EventConfirmAnswered, Dialog: dlg.Name, Answer: "yes"})
			return
		case yesNo == "no" || m.NLU.Cancel:
			d.emit(Event{Type: EventConfirmAnswered, Dialog: dlg.Name, Answer: "no"})
			d.declined(dlg)
			return
		}
	}
	var asked *policies.Slot
	if f.Asking != askConfirm {
		asked = slotOf(dlg, f.Asking)
	}
	cands := d.extract(dlg, f, m, asked)
	if m.NLU.Cancel && !fillsSomething(f, cands) {
		d.emit(Event{Type: EventDialogCancelled, Dialog: dlg.Name, Reason: "customer"})
		d.reply(Reply{Text: builtin("cancelled", d.lang())})
		d.resumeBelow()
		return
	}
	fillsAsked := asked != nil && slices.ContainsFunc(cands, func(c candidate) bool { return c.slot == asked })
	intent := d.intent()
	// A confident intent that is not this dialog's own is a digression: another
	// question or task in the middle of this one. The dialog's own trigger ("my
	// order is 12" while asked for the order number) is an attempt at the answer.
	if intent != "" && !slices.Contains(dlg.Triggers, intent) && !m.NLU.Correction && !fillsAsked {
		if a := d.answerFor(intent); a != nil {
			d.say(a.Reply)
			if a.End {
				d.end()
				return
			}
			d.reaskOpen(dlg)
			return
		}
		if other := d.dialogFor(intent); other != nil {
			if len(d.st.Stack) >= maxDepth {
				d.reply(Reply{Text: builtin("finish_first", d.lang())})
				d.reaskOpen(dlg)
				return
			}
			d.startDialog(other.Name, m)
			return
		}
	}
	if len(cands) == 0 {
		// A question the knowledge base answers is a digression too, like an
		// answer block's: the bot answers, then asks its question again without
		// counting a failed attempt. The dialog's own trigger is an attempt at
		// the answer, so it never digresses.
		if k := knowledgeOf(m); k != nil && !m.NLU.Correction && !slices.Contains(dlg.Triggers, intent) {
			d.answerFromKnowledge(k)
			d.reaskOpen(dlg)
			return
		}
		// A text slot would have taken the message, so the asked slot is not one:
		// whatever was searched and not found is an open question.
		if m.Searched && knowledgeOf(m) == nil {
			d.unanswered(m)
		}
		if asked == nil {
			// Neither yes nor no to the confirmation: the question still stands.
			d.reaskOpen(dlg)
			return
		}
		// Nothing else would handle the message, so it was meant as the answer
		// and is a failed attempt.
		d.reject(dlg, asked, SlotValue{Value: strings.TrimSpace(m.Text)})
		return
	}
	d.fill(dlg, cands)
}

// knowledgeOf is the message's knowledge answer, or nil when there is none
// worth saying.
func knowledgeOf(m *Message) *KnowledgeAnswer {
	if m == nil || m.Knowledge == nil || strings.TrimSpace(m.Knowledge.Text) == "" {
		return nil
	}
	return m.Knowledge
}

// answerFromKnowledge says the knowledge base's answer with the knowledge
// block's reply, or the built-in one: the answer and its source.
func (d *decider) answerFromKnowledge(k *KnowledgeAnswer) {
	r := Reply{Text: knowledgeText(k, d.lang())}
	if kb := d.bot.Knowledge; kb != nil && kb.Reply != nil {
		// A reply that can't be rendered is logged by render; the customer still
		// gets the answer, in the built-in form, rather than an error.
		if text, ok := d.render(kb.Reply); ok {
			r = Reply{Text: text, Response: kb.Reply.Name, Buttons: buttons(d.bot, kb.Reply, d.lang())}
		}
	}
	answer := *k
	if math.IsNaN(answer.Score) || math.IsInf(answer.Score, 0) {
		answer.Score = 0 // JSON can't hold it, and the log must stay writable
	}
	d.emit(Event{Type: EventKnowledgeAnswered, Knowledge: &answer})
	d.reply(r)
}

// unanswered records a searched question that neither an intent nor the
// knowledge base answered, for the people who write the bot's content.
func (d *decider) unanswered(m *Message) {
	d.emit(Event{Type: EventUnanswered, Message: &MessageRecord{ID: m.ID, Text: m.Text, Language: m.NLU.Language}})
}

// fillsSomething reports whether a message gives the dialog a value it did not
// have, which makes a cancel word part of the answer: "不想要了" (don't want it
// any more) is a refund reason, not "never mind". A text slot takes any message,
// so it alone does not count.
func fillsSomething(f *Frame, cands []candidate) bool {
	for _, c := range cands {
		if c.slot.Type == "text" {
			continue
		}
		if old, had := f.Slots[c.slot.Name]; !had || old.Value != c.value.Value {
			return true
		}
	}
	return false
}

// fill validates candidates and fills (or corrects) their slots.
func (d *decider) fill(dlg *policies.Dialog, cands []candidate) {
	for _, c := range cands {
		if !d.valid(dlg, c.slot, c.value) {
			if d.reject(dlg, c.slot, c.value) {
				return
			}
			continue
		}
		f := d.top()
		if f == nil || f.Dialog != dlg.Name {
			return
		}
		v := c.value
		if old, had := f.Slots[c.slot.Name]; had {
			if old.Value == v.Value {
				continue
			}
			d.emit(Event{Type: EventSlotCorrected, Dialog: dlg.Name, Slot: c.slot.Name, Value: &v, Invalidated: callsReading(dlg, c.slot.Name)})
			continue
		}
		d.emit(Event{Type: EventSlotFilled, Dialog: dlg.Name, Slot: c.slot.Name, Value: &v})
	}
}

// valid checks a candidate against the slot's validate expression, with slot.NAME
// set to the candidate.
func (d *decider) valid(dlg *policies.Dialog, s *policies.Slot, v SlotValue) bool {
	if s.Validate == nil {
		return true
	}
	sc := d.scope()
	sc.Slots[s.Name] = v.cty()
	ok, diags := d.bot.Cond(s.Validate, sc)
	if diags.HasErrors() {
		d.evalError("validate of slot "+dlg.Name+"."+s.Name, diags)
	}
	return ok
}

// reject records a failed attempt at a slot and says why, or gives up on the slot
// once its retries are used. It reports whether the slot was given up.
func (d *decider) reject(dlg *policies.Dialog, s *policies.Slot, v SlotValue) bool {
	f := d.top()
	retries := f.Retries[s.Name] + 1
	d.emit(Event{Type: EventSlotRejected, Dialog: dlg.Name, Slot: s.Name, Value: &v})
	if retries > s.Retries {
		d.exhaust(dlg, s)
		return true
	}
	switch {
	case s.Invalid != nil:
		d.say(s.Invalid)
	case s.Prompt != nil:
		// With no invalid message, the question itself says best what is wanted
		// (a generic "that doesn't look right" would not, for a list of reasons).
		d.say(s.Prompt)
	default:
		d.reply(Reply{Text: builtin("invalid", d.lang())})
	}
	return false
}

func (d *decider) exhaust(dlg *policies.Dialog, s *policies.Slot) {
	if s.OnExhausted != nil {
		d.pushRun(Run{Ref: ActionsRef{Kind: refOnExhausted, Dialog: dlg.Name, Name: s.Name}, Finish: finishCancel})
		return
	}
	d.sayError()
	d.cancelTop("retries_exhausted")
}

// declined handles "no" to a confirmation.
func (d *decider) declined(dlg *policies.Dialog) {
	if dlg.Confirm != nil && dlg.Confirm.OnNo != nil {
		d.pushRun(Run{Ref: ActionsRef{Kind: refOnNo, Dialog: dlg.Name}, Finish: finishCancel})
		return
	}
	d.emit(Event{Type: EventDialogCancelled, Dialog: dlg.Name, Reason: "declined"})
	d.reply(Reply{Text: builtin("cancelled", d.lang())})
	d.resumeBelow()
}

// reaskOpen repeats the question the dialog is waiting on.
func (d *decider) reaskOpen(dlg *policies.Dialog) {
	f := d.top()
	if f == nil || f.Dialog != dlg.Name {
		return
	}
	if f.Asking == askConfirm {
		d.emit(Event{Type: EventConfirmRequested, Dialog: dlg.Name})
		d.sayConfirm(dlg)
		return
	}
	if s := slotOf(dlg, f.Asking); s != nil {
		d.ask(dlg, s, false, false, nil)
	}
}

func (d *decider) startDialog(name string, m *Message) {
	dlg := d.dialog(name)
	if dlg == nil {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("dialog %q does not exist", name)})
		d.sayError()
		return
	}
	if len(d.st.Stack) >= maxDepth {
		d.reply(Reply{Text: builtin("finish_first", d.lang())})
		return
	}
	d.emit(Event{Type: EventDialogStarted, Dialog: dlg.Name})
	if m != nil {
		d.fill(dlg, d.extract(dlg, d.top(), m, nil))
	}
}

func (d *decider) cancelTop(reason string) {
	if f := d.top(); f != nil {
		d.emit(Event{Type: EventDialogCancelled, Dialog: f.Dialog, Reason: reason})
		d.resumeBelow()
	}
}

// resumeBelow returns to the dialog under one that just finished: it asks its open
// question again.
func (d *decider) resumeBelow() {
	if f := d.top(); f != nil && !d.st.HandedOff && !d.st.Ended {
		d.emit(Event{Type: EventDialogResumed, Dialog: f.Dialog})
	}
}

func (d *decider) end() {
	d.emit(Event{Type: EventConversationEnded, Effect: &Effect{ID: d.nextID(), Kind: EffectEnd}})
}
