package dialog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/policies"
)

const (
	// maxSteps bounds the internal transitions of one input, so a loop in the bot
	// (dialogs that start each other) ends with an error reply instead of hanging.
	maxSteps = 50
	// maxDepth is how many dialogs may be stacked by digressions.
	maxDepth = 3
)

// How a run ends the dialog it belongs to.
const (
	finishComplete = "complete"
	finishCancel   = "cancel"
)

// Action kinds, for ActionsRef.
const (
	refRule        = "rule"
	refOutcome     = "outcome"
	refOnError     = "on_error"
	refOnExhausted = "on_exhausted"
	refOnNo        = "on_no"
)

// Phases of a run, in the fixed order of policies.Actions.
const (
	phaseCalls = iota
	phaseTicket
	phaseReply
	phaseFinish // reask, or complete / cancel the dialog
	phaseHandoff
	phaseStart
	phaseEnd
	phaseDone
)

// Step decides what the bot does with one input: the new state, the effects the
// engine must carry out (in order), and the events to append to the log. The
// returned state is exactly the events folded over st with Apply.
func Step(bot *policies.Bot, st State, in Input) (State, []Effect, []Event) {
	st, effects, events, _ := StepWantsKnowledge(bot, st, in)
	return st, effects, events
}

// StepWantsKnowledge is Step, and also says whether an answer from the
// knowledge base could have changed what it did: the message was not searched
// (Message.Searched is false) and reached a point where the dialog looks for
// an answer (nothing else understood it). The engine searches only then, and
// steps again from the same state with the answer; "yes" to a confirmation or
// a slot's answer costs no search.
func StepWantsKnowledge(bot *policies.Bot, st State, in Input) (State, []Effect, []Event, bool) {
	d := &decider{bot: bot, st: st, in: in}
	d.safely(d.step)
	return d.st, d.effects, d.events, d.wantsKnowledge
}

// decider carries one Step. Its state changes only through emit, which is what
// keeps Step and Replay in agreement. Runs are local: they reach the state only
// inside the Resume of an awaited effect.
type decider struct {
	bot     *policies.Bot
	st      State
	in      Input
	runs    []Run
	effects []Effect
	events  []Event
	steps   int
	// cachedEnv evaluates expressions in the current scope; nil once it changed.
	cachedEnv *policies.Env
	// wantsKnowledge: an unsearched message was looked up in the knowledge base.
	wantsKnowledge bool
}

// safely turns a panic (a bug, or a bot model nobody foresaw) into an error event
// and the error reply, so one bad conversation never takes the engine down.
func (d *decider) safely(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			d.setRuns(nil)
			func() {
				defer func() { _ = recover() }()
				d.emit(Event{Type: EventError, Error: fmt.Sprintf("internal error: %v", r), Reset: true})
				d.reply(Reply{Text: builtin("error", d.lang())})
			}()
		}
	}()
	fn()
}

func (d *decider) step() {
	if d.bot == nil {
		d.bot = &policies.Bot{}
		d.emit(Event{Type: EventError, Error: "no bot is loaded"})
		d.reply(Reply{Text: builtin("error", d.lang())})
		return
	}
	switch {
	case d.in.Message != nil:
		d.onMessage(d.in.Message)
	case d.in.Result != nil:
		d.onResult(d.in.Result)
	case d.in.HandBack != nil:
		d.onHandBack(d.in.HandBack)
	case d.in.Agent != nil:
		d.onAgent(d.in.Agent)
	case d.in.Satisfaction != nil:
		d.onSatisfaction(*d.in.Satisfaction)
	}
}

// emit records an event and folds it into the state.
func (d *decider) emit(ev Event) {
	ev.At = d.in.Now
	d.st = Apply(d.st, ev)
	d.events = append(d.events, ev)
	if ev.Effect != nil {
		d.effects = append(d.effects, *ev.Effect)
	}
	if changesScope(ev) {
		d.scopeChanged()
	}
}

// changesScope reports whether folding ev may change what expressions see. The
// events listed change only what the dialog waits for (the question asked, an
// awaited effect, retry counts) or nothing at all.
func changesScope(ev Event) bool {
	switch ev.Type {
	case EventReplySent, EventRuleApplied, EventConfirmRequested, EventConfirmAnswered,
		EventDialogResumed, EventCallRequested, EventTicketRequested, EventSlotRejected,
		EventUnanswered:
		return false
	case EventSlotRequested:
		return ev.Clear
	}
	return true
}

// pushRun starts an action list. A new run has no calls, ticket or frame yet, so
// the scope is unchanged.
func (d *decider) pushRun(r Run) { d.runs = append(d.runs, r) }

// popRun drops the innermost run, and with it the calls and frame it held.
func (d *decider) popRun() Run {
	r := d.runs[len(d.runs)-1]
	d.runs = d.runs[:len(d.runs)-1]
	d.scopeChanged()
	return r
}

func (d *decider) setRuns(runs []Run) {
	d.runs = runs
	d.scopeChanged()
}

// nextID is the id of an effect asked for by the next event: stable across a
// retried turn, unique within the conversation.
func (d *decider) nextID() string {
	return fmt.Sprintf("%s/%d", d.st.ConversationID, d.st.Seq+1)
}

func (d *decider) lang() string {
	if d.bot == nil {
		return "en"
	}
	return language(d.bot, d.st.Language, "")
}

func (d *decider) top() *Frame {
	if n := len(d.st.Stack); n > 0 {
		return &d.st.Stack[n-1]
	}
	return nil
}

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
	case f == nil && bare == "" && d.knowledgeOf(m) == nil:
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

func (d *decider) onResult(res *Result) {
	p := d.st.Pending
	if p == nil || res.EffectID != p.Effect.ID {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("result for effect %q, which is not awaited", res.EffectID)})
		return
	}
	resume := cloneResume(p.Resume)
	switch p.Effect.Kind {
	case EffectCall:
		name := ""
		if p.Effect.Call != nil {
			name = p.Effect.Call.Name
		}
		code := res.Error
		d.emit(Event{Type: EventCallCompleted, Call: name, Dialog: resume.Dialog, Data: res.Data, Error: code})
		d.setRuns(resume.Runs)
		if n := len(d.runs); n > 0 {
			r := &d.runs[n-1]
			r.Calls = setMap(r.Calls, name, CallResult{Data: res.Data, Error: code})
			r.CallIndex++
			if code != "" {
				d.runCallFailed(r.CallIndex-1, code)
			}
		} else if code != "" {
			d.dialogCallFailed(resume.Dialog, name, code)
		}
	case EffectTicket:
		d.emit(Event{Type: EventTicketOpened, TicketID: res.TicketID, Error: res.Error})
		d.setRuns(resume.Runs)
		if n := len(d.runs); n > 0 {
			if res.Error != "" || res.TicketID == "" {
				d.abortRun(fmt.Sprintf("the ticket could not be opened: %s", or(res.Error, "no ticket id")))
			} else {
				d.runs[n-1].TicketID = res.TicketID
				d.runs[n-1].Phase = phaseReply
				d.scopeChanged()
			}
		}
	}
	d.loop()
}

func (d *decider) onHandBack(hb *HandBack) {
	if !d.st.HandedOff {
		return
	}
	// The agent has dealt with the request: the bot starts over quietly.
	d.emit(Event{Type: EventHandedBack, Agent: hb.Agent, Note: hb.Note})
}

// onAgent records what a human agent does. The agent's words reach the customer
// through the engine, not as bot replies, so they are events and not effects.
func (d *decider) onAgent(a *AgentAction) {
	ev := Event{Agent: a.Agent, AgentName: a.Name}
	switch a.Kind {
	case AgentJoined:
		ev.Type = EventAgentJoined
	case AgentMessage:
		ev.Type, ev.Text = EventAgentMessage, a.Text
	case AgentNote:
		ev.Type, ev.Text = EventAgentNote, a.Text
	case AgentTransferred:
		ev.Type, ev.Queue, ev.Note = EventHandoffTransferred, a.Queue, a.Text
	case AgentClosed:
		ev.Type, ev.Note = EventHandoffClosed, a.Text
	default:
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("unknown agent action %q", a.Kind)})
		return
	}
	if !d.st.HandedOff && a.Kind != AgentNote {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("agent action %q on a conversation the bot has", a.Kind)})
		return
	}
	d.emit(ev)
	if a.Kind == AgentClosed && a.Survey {
		d.emit(Event{Type: EventSurveyRequested})
		m := d.bot.Replies.Survey
		if m == nil {
			return
		}
		if text, ok := d.render(m); ok {
			r := Reply{Text: text, Response: m.Name}
			for i := 1; i <= 5; i++ {
				n := strconv.Itoa(i)
				r.Buttons = append(r.Buttons, ReplyButton{Label: n, Payload: n})
			}
			d.reply(r)
		}
	}
}

// onSatisfaction records a survey answer and thanks the customer once.
func (d *decider) onSatisfaction(a SatisfactionAnswer) {
	if a.Score < 1 || a.Score > 5 {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("satisfaction score %d is not from 1 to 5", a.Score)})
		return
	}
	if !d.st.Surveying {
		// Only a survey the bot asked is answered, once: scores nobody asked for
		// would skew the figures.
		d.emit(Event{Type: EventError, Error: "a satisfaction score came when no survey was asked"})
		return
	}
	d.emit(Event{Type: EventSatisfactionRecorded, Score: a.Score, Comment: a.Comment})
	d.say(d.bot.Replies.SurveyThanks)
}

// parseSatisfaction reads a survey answer: a score from 1 to 5 first ("4",
// "5 quick and friendly", "3分 一般", "★★★★"), then an optional comment.
func parseSatisfaction(text string) (SatisfactionAnswer, bool) {
	s := strings.TrimSpace(text)
	if stars := strings.Count(s, "★"); stars > 0 && stars <= 5 {
		rest := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "★", ""), "☆", ""))
		return SatisfactionAnswer{Score: stars, Comment: rest}, true
	}
	if s == "" {
		return SatisfactionAnswer{}, false
	}
	r, size := utf8.DecodeRuneInString(s)
	if r < '1' || r > '5' {
		if r >= '１' && r <= '５' { // full-width digits, as Chinese keyboards type them
			r = '1' + (r - '１')
		} else {
			return SatisfactionAnswer{}, false
		}
	}
	rest := s[size:]
	if next, _ := utf8.DecodeRuneInString(rest); unicode.IsDigit(next) || next == '.' || next == '%' {
		return SatisfactionAnswer{}, false // "10", "4.5", "50%": not a score
	}
	rest = strings.TrimLeft(rest, " \t/分星!！.。,，:：-—")
	return SatisfactionAnswer{Score: int(r - '0'), Comment: strings.TrimSpace(rest)}, true
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
	if k := d.knowledgeOf(m); k != nil {
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
		if k := d.knowledgeOf(m); k != nil && !m.NLU.Correction && !slices.Contains(dlg.Triggers, intent) {
			d.answerFromKnowledge(k)
			d.reaskOpen(dlg)
			return
		}
		// A text slot would have taken the message, so the asked slot is not one:
		// whatever was searched and not found is an open question.
		if m.Searched && d.knowledgeOf(m) == nil {
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
// worth saying. Asking marks the step as one that wants the knowledge base
// searched, if it was not.
func (d *decider) knowledgeOf(m *Message) *KnowledgeAnswer {
	if m != nil && !m.Searched {
		d.wantsKnowledge = true
	}
	return knowledgeAnswer(m)
}

func knowledgeAnswer(m *Message) *KnowledgeAnswer {
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

// ---- the dialog machine ----

// loop carries the dialog on until it needs the customer or an effect's result.
func (d *decider) loop() {
	for {
		if d.st.HandedOff || d.st.Ended {
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
	for _, c := range dlg.Calls {
		if _, ran := f.Calls[c.Name]; ran || !allFilled(f, c.Reads) {
			continue
		}
		if !d.requestCall(c, Resume{Dialog: dlg.Name, Call: c.Name}) {
			d.sayError()
			d.cancelTop("call_failed")
		}
		return
	}
	for _, s := range dlg.Slots {
		if _, ok := f.Slots[s.Name]; ok || s.Optional {
			continue
		}
		if s.RequiredWhen != nil && !d.cond(s.RequiredWhen, "required_when of slot "+dlg.Name+"."+s.Name) {
			continue
		}
		d.ask(dlg, s, false, false, nil)
		return
	}
	if c := dlg.Confirm; c != nil && !f.Confirmed && d.cond(c.When, "confirm of dialog "+dlg.Name) {
		d.emit(Event{Type: EventConfirmRequested, Dialog: dlg.Name})
		d.sayConfirm(dlg)
		return
	}
	d.complete(dlg)
}

// complete applies the first matching rule for the dialog, else its first
// matching outcome.
func (d *decider) complete(dlg *policies.Dialog) {
	for _, r := range d.bot.Rules {
		if r == nil || r.On.Kind != "dialog" || r.On.Dialog != dlg.Name || !d.cond(r.When, "rule "+r.Name) {
			continue
		}
		d.emit(Event{Type: EventRuleApplied, Rule: r.Name, Dialog: dlg.Name})
		d.pushRun(Run{Ref: ActionsRef{Kind: refRule, Name: r.Name}, Finish: finishComplete})
		return
	}
	for _, o := range dlg.Outcomes {
		if o == nil || !d.cond(o.When, "outcome "+dlg.Name+"."+o.Name) {
			continue
		}
		d.emit(Event{Type: EventRuleApplied, Outcome: o.Name, Dialog: dlg.Name})
		d.pushRun(Run{Ref: ActionsRef{Kind: refOutcome, Dialog: dlg.Name, Name: o.Name}, Finish: finishComplete})
		return
	}
	d.emit(Event{Type: EventDialogCompleted, Dialog: dlg.Name})
	d.resumeBelow()
}

// ask says a slot's prompt. clear and retry make it a reask.
func (d *decider) ask(dlg *policies.Dialog, s *policies.Slot, clear, retry bool, invalidated []string) {
	d.emit(Event{Type: EventSlotRequested, Dialog: dlg.Name, Slot: s.Name, Clear: clear, Retry: retry, Invalidated: invalidated})
	if s.Prompt != nil {
		d.say(s.Prompt)
		return
	}
	d.reply(Reply{Text: fmt.Sprintf(builtin("prompt", d.lang()), strings.ReplaceAll(s.Name, "_", " "))})
}

func (d *decider) sayConfirm(dlg *policies.Dialog) {
	if dlg.Confirm != nil && dlg.Confirm.Prompt != nil {
		d.say(dlg.Confirm.Prompt)
		return
	}
	d.reply(Reply{Text: builtin("confirm", d.lang()), Buttons: []ReplyButton{{Label: "yes", Payload: "yes"}, {Label: "no", Payload: "no"}}})
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
	v, diags := d.env().Value(c.Input)
	if diags.HasErrors() {
		d.evalError("input of call "+c.Name, diags)
		return false
	}
	input, err := objectToGo(v)
	if err != nil {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("input of call %s: %v", c.Name, err)})
		return false
	}
	id := d.nextID()
	key := idempotencyKey(id, c, input)
	if c.IdempotencyKey != nil {
		k, diags := d.env().Render(c.IdempotencyKey)
		if diags.HasErrors() || strings.TrimSpace(k) == "" {
			d.evalError("idempotency_key of call "+c.Name, diags)
			return false
		}
		key = k
	}
	resume.Runs = cloneRuns(d.runs)
	d.emit(Event{
		Type: EventCallRequested, Call: c.Name, Dialog: resume.Dialog, Resume: &resume,
		Effect: &Effect{ID: id, Kind: EffectCall, Call: &CallRequest{
			Name: c.Name, Connector: c.Connector, Operation: c.Operation, Input: input, IdempotencyKey: key,
		}},
	})
	return true
}

func (d *decider) requestTicket(t *policies.TicketSpec) {
	env := d.env()
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
		priority = d.queuePriority(t.Queue)
	}
	id := d.nextID()
	d.emit(Event{
		Type: EventTicketRequested, Resume: &Resume{Runs: cloneRuns(d.runs)},
		Effect: &Effect{ID: id, Kind: EffectTicket, Ticket: &TicketRequest{Queue: t.Queue, Subject: subject, Priority: priority}},
	})
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
			if !d.requestCall(acts.Calls[r.CallIndex], Resume{}) {
				d.abortRun("call input")
			}
			return
		}
		r.Phase = phaseTicket
	case phaseTicket:
		if acts.Ticket != nil {
			d.requestTicket(acts.Ticket)
			return
		}
		r.Phase = phaseReply
	case phaseReply:
		r.Phase = phaseFinish
		// The reply of a list that hands off announces the handoff ("I'm connecting
		// you now"), so it goes out with the handoff, in phaseHandoff. When a
		// handoff rule replaces the handoff (after hours: take a message), the
		// announcement would be false: that rule's reply is said instead, exactly
		// as for a handoff policy's reply.
		if acts.Reply != nil && acts.Handoff == nil {
			d.say(acts.Reply)
		}
	case phaseFinish:
		r.Phase = phaseHandoff
		switch {
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
			d.handoff(handoffOrder{queue: h.Queue, priority: h.Priority, reason: h.Reason, share: h.Share, summary: h.Summary}, acts.Reply, !r.ForHandoff)
		}
	case phaseStart:
		r.Phase = phaseEnd
		if acts.Start != "" {
			d.startDialog(acts.Start, nil)
		}
	case phaseEnd:
		r.Phase = phaseDone
		if acts.End {
			if acts.Reply == nil && d.bot.Replies.Goodbye != nil {
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
	if acts != nil && ref.OnErrorOf > 0 {
		if ref.OnErrorOf > len(acts.Calls) || acts.Calls[ref.OnErrorOf-1] == nil {
			return nil
		}
		acts = acts.Calls[ref.OnErrorOf-1].Handler(ref.Code)
	}
	return acts
}

// ---- handoff ----

type handoffOrder struct {
	queue, priority, reason string
	share                   []string
	summary                 hcl.Expression
}

// handoff passes the conversation to a person, first saying reply, the handoff's
// announcement. Unless the handoff comes from a handoff rule itself, the handoff
// rules may replace it (after hours: take a message); the announcement is then
// not said, since the rule says what happens instead.
func (d *decider) handoff(h handoffOrder, reply *policies.Message, viaRules bool) {
	if viaRules {
		for _, r := range d.bot.Rules {
			if r == nil || r.On.Kind != "handoff" || !d.cond(r.When, "rule "+r.Name) {
				continue
			}
			// Reason keeps which handoff the rule replaced, for the audit trail.
			d.emit(Event{Type: EventRuleApplied, Rule: r.Name, Reason: h.reason})
			d.pushRun(Run{Ref: ActionsRef{Kind: refRule, Name: r.Name}, ForHandoff: true})
			return
		}
	}
	if reply != nil {
		d.say(reply)
	}
	req := &HandoffRequest{Queue: h.queue, Priority: h.priority, Reason: h.reason, Share: slices.Clone(h.share)}
	if q := d.bot.Queues[h.queue]; q != nil {
		req.Skill = q.Skill
	}
	if req.Priority == "" {
		req.Priority = d.queuePriority(h.queue)
	}
	if req.Share == nil {
		req.Share = []string{"transcript", "slots", "summary"}
	}
	frame := d.scopeFrame()
	if slices.Contains(req.Share, "slots") && frame != nil && len(frame.Slots) > 0 {
		req.Slots = map[string]string{}
		for k, v := range frame.Slots {
			req.Slots[k] = v.Value
		}
	}
	if slices.Contains(req.Share, "summary") {
		if h.summary != nil {
			s, diags := d.env().Render(h.summary)
			if diags.HasErrors() {
				d.evalError("handoff summary", diags)
			}
			req.Summary = s
		}
		if strings.TrimSpace(req.Summary) == "" {
			req.Summary = d.autoSummary(frame)
		}
	}
	d.emit(Event{Type: EventHandoffRequested, Effect: &Effect{ID: d.nextID(), Kind: EffectHandoff, Handoff: req}})
}

// autoSummary tells an agent at a glance what the customer wanted.
func (d *decider) autoSummary(f *Frame) string {
	var parts []string
	if l := d.st.Last; l != nil && l.Intent != "" {
		parts = append(parts, fmt.Sprintf("Intent: %s (%.2f).", l.Intent, l.Confidence))
	}
	if f != nil {
		parts = append(parts, "Dialog: "+f.Dialog+".")
		if len(f.Slots) > 0 {
			var kv []string
			for _, k := range sortedKeys(f.Slots) {
				kv = append(kv, k+"="+f.Slots[k].Value)
			}
			parts = append(parts, "Slots: "+strings.Join(kv, ", ")+".")
		}
	}
	if l := d.st.Last; l != nil && strings.TrimSpace(l.Text) != "" {
		parts = append(parts, fmt.Sprintf("Last message: %q.", l.Text))
	}
	if len(parts) == 0 {
		return "The customer asked for a person."
	}
	return strings.Join(parts, " ")
}

// ---- saying things ----

func (d *decider) reply(r Reply) {
	d.emit(Event{Type: EventReplySent, Effect: &Effect{ID: d.nextID(), Kind: EffectReply, Reply: &r}})
}

// say renders and sends a message; a message that can't be rendered becomes the
// error reply, never an empty one.
func (d *decider) say(msg *policies.Message) {
	if msg == nil {
		return
	}
	text, ok := d.render(msg)
	if !ok {
		d.sayError()
		return
	}
	d.reply(Reply{Text: text, Response: msg.Name, Buttons: buttons(d.bot, msg, d.lang())})
}

func (d *decider) render(msg *policies.Message) (string, bool) {
	vs := variants(d.bot, msg, d.lang())
	if len(vs) == 0 {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("response %q has no text", msg.Name)})
		return "", false
	}
	expr := vs[pick(d.st.ConversationID, d.st.Seq+1, len(vs))]
	text, diags := d.env().Render(expr)
	if diags.HasErrors() {
		d.evalError("response "+or(msg.Name, "(inline)"), diags)
		return "", false
	}
	if strings.TrimSpace(text) == "" {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("response %q rendered empty", or(msg.Name, "(inline)"))})
		return "", false
	}
	return text, true
}

func (d *decider) sayError() {
	if m := d.bot.Replies.Error; m != nil {
		if text, ok := d.render(m); ok {
			d.reply(Reply{Text: text, Response: m.Name, Buttons: buttons(d.bot, m, d.lang())})
			return
		}
	}
	d.reply(Reply{Text: builtin("error", d.lang())})
}

func (d *decider) sayNotUnderstood() {
	if m := d.bot.Replies.NotUnderstood; m != nil {
		d.say(m)
		return
	}
	d.reply(Reply{Text: builtin("not_understood", d.lang())})
}

// ---- lookups ----

func (d *decider) dialog(name string) *policies.Dialog {
	for _, dlg := range d.bot.Dialogs {
		if dlg != nil && dlg.Name == name {
			return dlg
		}
	}
	return nil
}

func (d *decider) answerFor(intent string) *policies.Answer {
	for _, a := range d.bot.Answers {
		if a != nil && a.Intent == intent {
			return a
		}
	}
	return nil
}

// dialogFor is the first dialog the intent triggers whose when holds.
func (d *decider) dialogFor(intent string) *policies.Dialog {
	for _, dlg := range d.bot.Dialogs {
		if dlg != nil && slices.Contains(dlg.Triggers, intent) && d.cond(dlg.When, "when of dialog "+dlg.Name) {
			return dlg
		}
	}
	return nil
}

func slotOf(dlg *policies.Dialog, name string) *policies.Slot {
	if dlg == nil || name == "" {
		return nil
	}
	for _, s := range dlg.Slots {
		if s != nil && s.Name == name {
			return s
		}
	}
	return nil
}

func callOf(calls []*policies.Call, name string) *policies.Call {
	for _, c := range calls {
		if c != nil && c.Name == name {
			return c
		}
	}
	return nil
}

// callsReading lists the dialog's calls whose input reads slot: their results go
// stale when it changes.
func callsReading(dlg *policies.Dialog, slot string) []string {
	var out []string
	for _, c := range dlg.Calls {
		if c != nil && slices.Contains(c.Reads, slot) {
			out = append(out, c.Name)
		}
	}
	return out
}

func allFilled(f *Frame, slots []string) bool {
	for _, s := range slots {
		if _, ok := f.Slots[s]; !ok {
			return false
		}
	}
	return true
}

func ptr[T any](v T) *T { return &v }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// idempotencyKey is stable when a turn is retried (same conversation, same log
// position, same request) and differs for any other request, so a connector that
// honours keys never answers a new request with an old result.
func idempotencyKey(effectID string, c *policies.Call, input map[string]any) string {
	canonical, _ := json.Marshal(input) // map keys are sorted: canonical
	sum := sha256.Sum256([]byte(c.Connector + "\x00" + c.Operation + "\x00" + string(canonical)))
	return effectID + "/" + hex.EncodeToString(sum[:8])
}
