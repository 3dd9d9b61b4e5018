package dialog

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
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
	offered := d.st.Offered // the message's event clears them
	top := m.NLU.Top()
	if IgnoresIntent(d.bot, m.Text, top.Name) || exactFAQ(m) {
		top = nlu.IntentScore{}
	}
	d.emit(Event{
		Type: EventMessageReceived,
		Message: &MessageRecord{
			ID: m.ID, Text: m.Text, Language: m.NLU.Language,
			Intent: top.Name, Confidence: top.Confidence, Sentiment: m.NLU.Sentiment,
			Entities: m.NLU.Entities, Cancel: m.NLU.Cancel, Correction: m.NLU.Correction,
			Customer: m.Profile, Searched: m.Searched, AgentsOnline: d.in.AgentsOnline, QueueStatus: d.in.Queue,
			Label: buttonLabel(d.st.Offered, m.Text),
		},
		Language: language(d.bot, d.st.Language, messageLanguage(d.st.Offered, m)),
	})
	if d.st.HandedOff {
		d.whileHandedOff(m)
		return
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
	if f != nil && asksYesNo(f) {
		yesNo = answerTo(f, m)
		if yesNo == "" {
			yesNo = typedYesNoLabel(offered, m.Text)
		}
	}
	// A bare "yes", "no" or "never mind" with no dialog open answers the bot's
	// last words ("Anything else I can help with?"): understood, not a failure.
	bare := ""
	if f == nil && !confident {
		bare = yesOrNoText(m.Text)
		switch {
		case bare != "":
		case m.NLU.Cancel:
			bare = "no"
		case IsAcknowledgement(m.Text):
			bare = "thanks"
		}
	}
	switch {
	case confident:
		d.emit(Event{Type: EventIntentRecognized, Intent: top.Name, Confidence: top.Confidence})
	case f == nil && bare == "" && d.knowledgeOf(m) == nil:
		// Counted before the handoff policies run, so "failures >= 3" sees this one.
		// A message the knowledge base answers is understood: no failure.
		d.emit(Event{Type: EventNotUnderstood})
		if d.searched(m) {
			d.unanswered(m)
		}
	}
	// A message that answers the bot's open question (yes or no to a yes-or-no
	// question, a valid value for the slot asked) is what the customer was
	// asked for: no handoff policy takes it away from the dialog.
	answers := yesNo != "" || d.answersAskedSlot(m)
	switch {
	case !answers && d.checkHandoffPolicies():
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

// exactFAQ says whether m is one of an FAQ's own wordings, word for word:
// the analyst wrote that question and its answer, so no intent takes it ("When
// is customer service open?" is no request for a person).
func exactFAQ(m *Message) bool {
	return m.Knowledge != nil && m.Knowledge.Exact && !IsAcknowledgement(m.Text)
}

// IgnoresIntent reports whether the bot does not act on the intent the NLU
// recognised in text: a bare yes or no ("no", "ok", "不用了") goes to an intent
// only when one of its examples is a bare yes or no too. "no" alone is not
// the "no signal" of a network_problem intent; it answers "Anything else?".
func IgnoresIntent(b *policies.Bot, text, intent string) bool {
	return intent != "" && IsBareYesNo(text) && !takesBareYesNo(b, intent)
}

// IsBareYesNo reports whether a message is nothing but a yes or a no.
func IsBareYesNo(text string) bool { return yesOrNoText(text) != "" }

// takesBareYesNo reports whether some example of the intent is itself a yes
// or no, so that the bot's author meant the intent to take one.
func takesBareYesNo(b *policies.Bot, intent string) bool {
	for _, in := range b.Intents {
		if in == nil || in.Name != intent {
			continue
		}
		for _, ex := range in.Examples {
			if yesOrNoText(ex.Text) != "" {
				return true
			}
		}
	}
	return false
}

// asksYesNo reports whether the frame waits for a yes or a no.
func asksYesNo(f *Frame) bool {
	return f.Asking == askConfirm || f.Asking == askSwitch || f.Asking == askResume || strings.HasPrefix(f.Asking, askReuse)
}

// answersAskedSlot reports whether a message gives a valid value for the slot
// the top dialog asks, and nothing else the bot would act on: no confident
// intent but the dialog's own, unless the value comes with nothing around it
// but small words, which the dialog takes as the answer whatever its intent
// ("Dec 14 to Dec 16 please" is no request for a person).
func (d *decider) answersAskedSlot(m *Message) bool {
	f := d.top()
	if f == nil || f.Asking == "" || strings.HasPrefix(f.Asking, "?") {
		return false
	}
	dlg := d.dialog(f.Dialog)
	s := slotOf(dlg, f.Asking)
	if s == nil {
		return false
	}
	cands := d.extract(dlg, f, m, s)
	echo := slices.ContainsFunc(cands, func(c candidate) bool { return c.slot == s && c.echo })
	if intent := d.intent(); intent != "" && !slices.Contains(dlg.Triggers, intent) && !echo && (looksLikeQuestion(m.Text) || !d.onlyValue(m, s)) {
		return false
	}
	for _, c := range cands {
		// A value a call must check first counts: the call decides, not a policy.
		if c.slot == s && (d.waitsForCalls(dlg, f, s, c.value, cands, false) || d.validNow(dlg, s, c.value)) {
			return true
		}
	}
	return false
}

// bareAnswer replies to a yes or no that answers no question of a dialog: "yes"
// invites the request, "no" is the end of it (without ending the conversation,
// since the customer may still be reading).
func (d *decider) bareAnswer(yesNo string) {
	if yesNo == "thanks" {
		d.reply(Reply{Text: builtin("anything_else", d.lang())})
		return
	}
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

// Settled says whether an intent recognised with confidence c in a message
// of language lang is beyond doubt for the bot. The bots' model sharpens the
// confidences of Chinese messages (few examples cover Chinese characters
// thinly, so they used to sit under the threshold even when ranked right), so
// a Chinese intent is settled only from halfway between confidence_threshold
// and 1; short of that it still gives way to a value for the slot asked and to
// a knowledge passage that matches better (knowledgeWins). Any other accepted
// intent is settled, as it always was.
func Settled(bot *policies.Bot, c float64, lang string) bool {
	if c < bot.ConfidenceThreshold {
		return false
	}
	return lang != "zh" || c >= (1+bot.ConfidenceThreshold)/2
}

// unsettled says whether the last message's intent is accepted but not
// Settled.
func (d *decider) unsettled(m *Message) bool {
	l := d.st.Last
	return d.confident() && l != nil && !Settled(d.bot, l.Confidence, m.NLU.Language)
}

// knowledgeWins says whether the knowledge base answers the message rather
// than its intent: the intent is not settled, and the best passage stands
// further above the knowledge threshold than the intent's confidence above
// the confidence threshold, each measured as a share of the way from its
// threshold to 1. A bot's Chinese FAQ question shares characters with some
// intent's examples, which a few examples cover thinly.
func (d *decider) knowledgeWins(m *Message) bool {
	if !d.unsettled(m) {
		return false
	}
	k := d.knowledgeOf(m)
	if k == nil {
		return false
	}
	threshold := policies.DefaultKnowledgeThreshold
	if kb := d.bot.Knowledge; kb != nil {
		threshold = kb.Threshold
	}
	return aboveThreshold(k.Score, threshold) > aboveThreshold(d.st.Last.Confidence, d.bot.ConfidenceThreshold)
}

// aboveThreshold is how far a score stands from its threshold towards 1, as a
// share of that way, so an intent's confidence and a passage's similarity
// compare.
func aboveThreshold(score, threshold float64) float64 {
	if threshold >= 1 {
		return 0
	}
	return (score - threshold) / (1 - threshold)
}

// ---- message handling ----

// checkHandoffPolicies hands off by the first policy whose condition holds. A
// policy with once = true applies at most once a session.
func (d *decider) checkHandoffPolicies() bool {
	for _, p := range d.bot.Handoffs {
		if p == nil || (p.Once && d.st.Fired["handoff "+p.Name]) || !d.cond(p.When, "handoff "+p.Name) {
			continue
		}
		queue, ok := d.queueOf(p.Queue, p.QueueExpr, "queue of handoff "+p.Name)
		if !ok {
			d.sayError()
			return true
		}
		d.emit(Event{Type: EventPolicyApplied, Rule: p.Name})
		d.handoff(handoffOrder{queue: queue, priority: p.Priority, reason: p.Name, share: p.Share, summary: p.Summary}, p.Reply, true)
		return true
	}
	return false
}

func (d *decider) checkMessageRules() bool {
	for _, r := range d.bot.Rules {
		if r == nil || r.On.Kind != "message" || (r.Once && d.st.Fired["rule "+r.Name]) || !d.cond(r.When, "rule "+r.Name) {
			continue
		}
		d.emit(Event{Type: EventRuleApplied, Rule: r.Name, Amount: d.amount(r.Reporting.Amount, "rule "+r.Name)})
		d.pushRun(Run{Ref: ActionsRef{Kind: refRule, Name: r.Name}})
		return true
	}
	return false
}

// route handles a message when no dialog is active.
func (d *decider) route(m *Message) {
	if name := d.intent(); name != "" && !d.knowledgeWins(m) {
		name, m = d.laterRequests(m, name)
		if a := d.answerFor(name); a != nil {
			d.sayAll(a.Reply)
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
	switch {
	case f.Asking == askConfirm:
		if d.atConfirm(dlg, m, yesNo) {
			return
		}
	case f.Asking == askSwitch:
		if d.atSwitch(dlg, m, yesNo) {
			return
		}
	case f.Asking == askResume:
		if d.atResume(dlg, m, yesNo) {
			return
		}
	case strings.HasPrefix(f.Asking, askReuse):
		if d.atReuse(dlg, m, yesNo) {
			return
		}
	}
	f = d.top()
	asked := slotOf(dlg, f.askedSlot())
	cands := d.candidates(dlg, f, m, asked)
	if f.Asking == askConfirm {
		cands = keptAtConfirm(f, m, cands)
	}
	if m.NLU.Cancel && !fillsSomething(f, cands) {
		d.cancelDialog(dlg)
		d.resumeBelow()
		return
	}
	intent := d.intent()
	own := slices.Contains(dlg.Triggers, intent)
	// While a slot is asked, a message that gives a value for it is the
	// answer, and anything else is a digression: an answer's intent, another
	// dialog's, or a question the knowledge base answers is dealt with first,
	// and the bot comes back to its question. A plainly worded question is a
	// digression even when it holds a value: "where is my order BX100001?"
	// while the refund asks for the order number starts tracking that order;
	// "AB123456, how long do refunds take?" is answered, and the number taken.
	// A text slot takes any message but such a question as its value.
	question := looksLikeQuestion(m.Text)
	value := asked != nil && slices.ContainsFunc(cands, func(c candidate) bool { return c.slot == asked })
	text := asked != nil && asked.Type == "text"
	// The answer: the value and at most small words and the slot's own name
	// around it ("my order is AB123456", "订单号是AB123456"). "pay my card 50"
	// while a transfer asks how much says more: pay_card, if settled, comes
	// first.
	// An echo of a yes-or-no question ("还是不行") is all answer, whatever
	// intent its words suggest.
	echo := slices.ContainsFunc(cands, func(c candidate) bool { return c.slot == asked && c.echo })
	// A value for the asked slot is also the answer when the message's
	// intent is not settled: "收到的时候已经坏了" at the refund's reason.
	answer := value && !question && (text || echo || d.unsettled(m) || d.onlyValue(m, asked))
	if text && answer && !m.NLU.Correction {
		// A text slot's answer is the customer's own words: "24寸黑色箱子" to
		// "describe the bag" is no correction of the two bags already given,
		// and "a suitcase with 4 wheels" does not make them four. "不对，是3件"
		// still corrects.
		cands = slices.DeleteFunc(cands, func(c candidate) bool {
			_, filled := f.Slots[c.slot.Name]
			return c.slot != asked && filled
		})
	}
	// A correction keeps the message in this dialog only when it replaces a
	// value given earlier: "actually, I want to cancel my subscription" while
	// a plan change asks which plan corrects nothing, and starts the
	// cancellation. A value for a slot still empty replaces nothing, so
	// "actually, when is my next payment on BN123456?" while a payoff asks
	// for the plan is a question like any other; and a message that opens
	// with a cancel ("actually never mind, ...") drops the dialog rather than
	// correcting it, as at the confirmation.
	corrects := m.NLU.Correction && !m.NLU.CancelFirst && replacesValue(f, cands)
	mayDigress := (asked == nil || asked.Digressions) && !corrects && !own && !answer
	// After a digression, a value for the asked slot the message also gave is
	// taken; a text slot's "value" is the question itself, so it is not.
	carryOn := func() {
		if value && !text {
			d.fill(dlg, cands)
			return
		}
		d.backToQuestion(dlg)
	}
	// "算了，不退了，帮我查下FN100001": the customer drops this dialog before
	// asking for something else, so what they ask for is no digression to
	// come back from.
	if m.NLU.CancelFirst && mayDigress {
		carryOn = func() { d.resumeBelow() }
	}
	if mayDigress && intent != "" && !d.knowledgeWins(m) {
		if a := d.answerFor(intent); a != nil {
			d.cancelledFirst(dlg, m)
			d.sayAll(a.Reply)
			if a.End {
				d.end()
				return
			}
			carryOn()
			return
		}
		if other := d.dialogFor(intent); other != nil {
			if d.cancelledFirst(dlg, m) {
				d.startDialog(other.Name, m)
				return
			}
			d.interrupt(dlg, other, m)
			return
		}
	}
	// A new value for a slot already filled is a change of mind about this
	// dialog ("算了还是全额退款吧" while it asks how much to refund), not a
	// question for the knowledge base, unless it is worded as one.
	changesFilled := slices.ContainsFunc(cands, func(c candidate) bool {
		old, had := f.Slots[c.slot.Name]
		return had && c.slot != asked && c.slot.Type != "text" && old.Value != c.value.Value
	})
	if mayDigress && (question || !value && !changesFilled && !d.onlyBuiltinValue(m, asked)) {
		if k := d.knowledgeOf(m); k != nil {
			d.cancelledFirst(dlg, m)
			d.answerFromKnowledge(k)
			carryOn()
			return
		}
	}
	if text && question && d.searched(m) && d.knowledgeOf(m) == nil {
		// A question nothing answered: keep it for the content team, and take
		// it as the text after all.
		d.unanswered(m)
	}
	if len(cands) == 0 {
		// A text slot would have taken the message, so the asked slot is not one:
		// whatever was searched and not found is an open question.
		if d.searched(m) && d.knowledgeOf(m) == nil {
			d.unanswered(m)
		}
		if asked == nil {
			// Not an answer to the question asked: the question still stands.
			d.reaskOpen(dlg)
			return
		}
		// Nothing else would handle the message, so it was meant as the answer
		// and is a failed attempt.
		d.reject(dlg, asked, SlotValue{Value: strings.TrimSpace(m.Text)})
		return
	}
	if asked != nil && !value {
		// No value for the question asked: the message was a failed attempt
		// at it, not an answer to a question still to come. A number that is
		// no student number ("123456") is not refused as a number of copies
		// asked for later, which would change the question.
		cands = slices.DeleteFunc(cands, func(c candidate) bool { return d.unaskedInvalid(dlg, f, c, cands) })
		if len(cands) == 0 {
			d.reject(dlg, asked, SlotValue{Value: strings.TrimSpace(m.Text)})
			return
		}
	}
	d.fill(dlg, cands)
}

// unaskedInvalid says whether c is a value for a slot not yet filled nor
// asked that its validate refuses (a value waiting for a call is not refused
// yet).
func (d *decider) unaskedInvalid(dlg *policies.Dialog, f *Frame, c candidate, cands []candidate) bool {
	if _, filled := f.Slots[c.slot.Name]; filled {
		return false // a correction: the customer hears why it is refused
	}
	return !d.waitsForCalls(dlg, f, c.slot, c.value, cands, false) && !d.validNow(dlg, c.slot, c.value)
}

// candidates are the values a message gives the dialog's slots: those a button
// carried, then what extract finds.
func (d *decider) candidates(dlg *policies.Dialog, f *Frame, m *Message, asked *policies.Slot) []candidate {
	cands := d.extract(dlg, f, m, asked)
	if asked != nil && asked.Remember && asked.Type != "text" && refersBack(m.Text) &&
		!slices.ContainsFunc(cands, func(c candidate) bool { return c.slot == asked }) {
		// "the same one", "那个" to the question: what the conversation remembers.
		if v, ok := d.initialValue(dlg, asked, true); ok {
			cands = append(cands, candidate{slot: asked, value: v})
		}
	}
	if len(m.Values) == 0 {
		return cands
	}
	var out []candidate
	for _, s := range dlg.Slots {
		raw, ok := m.Values[s.Name]
		if !ok {
			continue
		}
		v, ok := d.parseAs(s.Type, raw)
		if !ok {
			v = SlotValue{Value: raw}
		}
		out = append(out, candidate{slot: s, value: v})
	}
	for _, c := range cands {
		if !slices.ContainsFunc(out, func(o candidate) bool { return o.slot == c.slot }) {
			out = append(out, c)
		}
	}
	return out
}

// atConfirm handles a message at the confirmation. A new value for a slot is
// a correction whatever else the message says ("no, I meant CD654321"): the
// bot fills it and confirms again. It reports whether the message was dealt with.
func (d *decider) atConfirm(dlg *policies.Dialog, m *Message, yesNo string) bool {
	if d.cancelsForOther(dlg, m) {
		// "算了，帮我查下FN100001": neither a no nor a new order number for
		// this dialog, but a new request; the digression rules cancel it.
		return false
	}
	f := d.top()
	cands := keptAtConfirm(f, m, d.candidates(dlg, f, m, nil))
	if fillsSomething(f, cands) {
		d.fill(dlg, cands)
		return true
	}
	if s := negatedSlot(dlg, f, m); s != nil {
		// "not Tuesday" to "Book Tuesday for 2?" turns the day down, and "not
		// Wednesday" disputes it: neither is a new day, nor a no to the
		// whole booking. The day is asked again and the rest kept.
		d.ask(dlg, s, true, false, callsReading(dlg, s.Name))
		return true
	}
	if yesNo != "" && d.restStartsOther(dlg, m) {
		// The digression rules start the other dialog; the confirmation
		// waits and is asked again when it is done.
		return false
	}
	switch {
	case yesNo == "yes":
		d.emit(Event{Type: EventConfirmAnswered, Dialog: dlg.Name, Answer: "yes"})
		return true
	case yesNo == "no" || m.NLU.Cancel:
		d.emit(Event{Type: EventConfirmAnswered, Dialog: dlg.Name, Answer: "no"})
		d.declined(dlg)
		return true
	}
	return false
}

// keptAtConfirm leaves out, from a plain question at the confirmation that is
// not worded as a correction, the values that would replace ones given
// earlier: "今天能到账吗？" asks about a fare claim for 前天, and its 今天 is
// no new day for the journey, which the customer would then confirm. "不对，
// 能改成周二吗？" still corrects, and a value the dialog lacks is kept.
func keptAtConfirm(f *Frame, m *Message, cands []candidate) []candidate {
	if !looksLikeQuestion(m.Text) || m.NLU.Correction {
		return cands
	}
	return slices.DeleteFunc(cands, func(c candidate) bool {
		_, had := f.Slots[c.slot.Name]
		return had
	})
}

// negatedSlot finds the slot a value the customer turns down is about: the
// one that holds it, or else the dialog's one slot of its type.
func negatedSlot(dlg *policies.Dialog, f *Frame, m *Message) *policies.Slot {
	var sole *policies.Slot
	for _, e := range m.NLU.Entities {
		if !e.Negated {
			continue
		}
		v := entityValue(e)
		var ofType []*policies.Slot
		for _, s := range dlg.Slots {
			if s == nil || s.Type != e.Type && (s.Type != "money" || e.Type != "number") {
				continue
			}
			if held, ok := f.Slots[s.Name]; ok && sameValue(held, v) {
				return s
			}
			ofType = append(ofType, s)
		}
		if sole == nil && len(ofType) == 1 {
			sole = ofType[0]
		}
	}
	return sole
}

// sameValue reports whether two values are one: "500" and "500.00" are.
func sameValue(a, b SlotValue) bool {
	if a.Number != nil && b.Number != nil {
		return *a.Number == *b.Number
	}
	return a.Value == b.Value
}

// onlyBuiltinValue reports whether a message is nothing but a date, a
// period, a number or an amount (and small words): "last month" to "When did
// you buy it?" is a wrong answer, said the slot's invalid message, not a
// knowledge question that a passage about monthly instalments answers.
func (d *decider) onlyBuiltinValue(m *Message, asked *policies.Slot) bool {
	if asked == nil || len(m.NLU.Entities) == 0 {
		return false
	}
	for _, e := range m.NLU.Entities {
		switch e.Type {
		case "date", "date_range", "number", "money":
		default:
			return false
		}
	}
	return d.onlyValue(m, asked)
}

// restStartsOther reports whether a yes or no that goes on asks, in the
// rest, a question for another dialog: "yes, where is my order CD654321?"
// at a trade-in's confirmation. The question is not lost under the yes, as
// a plainly worded question is a digression while a slot is asked. Only a
// question: "no, keep it" and "算了" are the answer whatever intent their
// words suggest; an answer's intent ("yes, thanks") and the dialog's own
// trigger are still the yes.
func (d *decider) restStartsOther(dlg *policies.Dialog, m *Message) bool {
	if IsBareYesNo(m.Text) || IsAcknowledgement(m.Text) || m.NLU.Cancel || !looksLikeQuestion(m.Text) {
		return false
	}
	intent := d.intent()
	if intent == "" || slices.Contains(dlg.Triggers, intent) || d.knowledgeWins(m) || d.answerFor(intent) != nil {
		return false
	}
	return d.dialogFor(intent) != nil
}

// searched says whether the knowledge base was searched for the message.
// Asking marks the step as one that wants it searched, if it was not: what a
// search finds (nothing, an open question) changes what the step does.
func (d *decider) searched(m *Message) bool {
	if m != nil && !m.Searched && !IsAcknowledgement(m.Text) {
		d.wantsKnowledge = true
	}
	return m != nil && m.Searched
}

// knowledgeOf is the message's knowledge answer, or nil when there is none
// worth saying. Asking marks the step as one that wants the knowledge base
// searched, if it was not.
func (d *decider) knowledgeOf(m *Message) *KnowledgeAnswer {
	d.searched(m)
	return knowledgeAnswer(m)
}

// knowledgeAnswer is the message's knowledge answer without asking for a
// search. An acknowledgement ("yes", "ok", "thanks", "好的") is never a
// question, whatever the knowledge base finds for it.
func knowledgeAnswer(m *Message) *KnowledgeAnswer {
	if m == nil || m.Knowledge == nil || strings.TrimSpace(m.Knowledge.Text) == "" || IsAcknowledgement(m.Text) {
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
			r = Reply{Text: text, Response: kb.Reply.Name, Buttons: d.buttons(kb.Reply)}
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
	if IsAcknowledgement(m.Text) {
		return // "ok", "thanks": nothing to answer
	}
	d.emit(Event{Type: EventUnanswered, Message: &MessageRecord{ID: m.ID, Text: m.Text, Language: m.NLU.Language}})
}

// replacesValue reports whether a candidate changes a slot already filled
// (a text slot's is only ever its own answer).
func replacesValue(f *Frame, cands []candidate) bool {
	for _, c := range cands {
		if c.slot.Type == "text" {
			continue
		}
		if old, had := f.Slots[c.slot.Name]; had && old.Value != c.value.Value {
			return true
		}
	}
	return false
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

// fill validates candidates and fills (or corrects) their slots. A value
// whose validate reads a call that has not run yet is held until it has:
// "pay Karen 60 euros" fills the payee, the account call runs, and only then
// is 60 checked against the balance.
func (d *decider) fill(dlg *policies.Dialog, cands []candidate) {
	var rejected *policies.Slot
	changed := false
	// A refused value for a slot with required_when is decided once the
	// message's other values are in, since they decide whether it is asked.
	var conditional []candidate
	for _, c := range cands {
		f := d.top()
		if f == nil || f.Dialog != dlg.Name {
			return
		}
		if d.waitsForCalls(dlg, f, c.slot, c.value, cands, false) {
			v := c.value
			d.emit(Event{Type: EventSlotHeld, Dialog: dlg.Name, Slot: c.slot.Name, Value: &v, Invalidated: validatingCalls(dlg, c.slot)})
			changed = true
			continue
		}
		if !d.valid(dlg, c.slot, c.value) {
			if c.slot.RequiredWhen != nil {
				conditional = append(conditional, c)
				continue
			}
			if d.reject(dlg, c.slot, c.value) {
				return
			}
			if rejected == nil {
				rejected = c.slot
			}
			continue
		}
		if d.setSlot(dlg, c.slot, c.value) {
			changed = true
		}
	}
	for _, c := range conditional {
		if f := d.top(); f == nil || f.Dialog != dlg.Name {
			return
		}
		if d.dropUnasked(dlg, c.slot, c.value) {
			changed = true
			continue
		}
		if d.reject(dlg, c.slot, c.value) {
			return
		}
		if rejected == nil {
			rejected = c.slot
		}
	}
	if !changed && rejected == nil {
		// Every value was one the dialog already held ("CD654321" again while
		// the bot asks for the reason): nothing moves on, so the question
		// still stands and is asked again, at no cost.
		d.reaskOpen(dlg)
		return
	}
	d.waitFor(dlg, rejected)
}

// waitFor makes a rejected slot the question the bot waits on: its invalid
// message (or prompt) has just asked it again, so the bot must not ask
// something else first, even when the same message filled another slot.
func (d *decider) waitFor(dlg *policies.Dialog, s *policies.Slot) {
	if f := d.top(); s != nil && f != nil && f.Dialog == dlg.Name && f.Asking != s.Name {
		d.emit(Event{Type: EventSlotRequested, Dialog: dlg.Name, Slot: s.Name})
	}
}

// setSlot fills or corrects a slot with a valid value, and remembers it when
// the slot says so.
func (d *decider) setSlot(dlg *policies.Dialog, s *policies.Slot, v SlotValue) bool {
	return d.setSlotChecked(dlg, s, v, nil)
}

// setSlotChecked is setSlot for a value the calls named checked have just
// run with: a correction keeps their results, and runs only the others again.
// It reports false when the slot already held v and v answers nothing.
func (d *decider) setSlotChecked(dlg *policies.Dialog, s *policies.Slot, v SlotValue, checked []string) bool {
	f := d.top()
	if old, had := f.Slots[s.Name]; had {
		if old.Value == v.Value {
			_, held := f.Held[s.Name]
			if !held && f.Asking != s.Name {
				return false
			}
			// The value the slot keeps, given again as the answer after a
			// refused correction ("Dec 5" refused, then "Dec 4 then"): the
			// question is answered, and a value held for its calls is
			// released, or the bot would ask (or check) it forever.
			d.emit(Event{Type: EventSlotFilled, Dialog: dlg.Name, Slot: s.Name, Value: &v})
			return true
		}
		rerun := slices.DeleteFunc(callsReading(dlg, s.Name), func(c string) bool { return slices.Contains(checked, c) })
		d.emit(Event{Type: EventSlotCorrected, Dialog: dlg.Name, Slot: s.Name, Value: &v, Invalidated: rerun})
	} else {
		d.emit(Event{Type: EventSlotFilled, Dialog: dlg.Name, Slot: s.Name, Value: &v})
	}
	if s.Remember {
		if old, ok := d.st.Memory[s.Name]; !ok || old != v.goValue() {
			d.emit(Event{Type: EventRemembered, Memory: map[string]any{s.Name: v.goValue()}})
		}
	}
	return true
}

// waitsForCalls reports whether value v for s must wait for a call its
// validate reads: a call that has not run and can run once the slots this
// message gives are in ("pay Karen 60": the balance of the account given),
// or one that reads s itself and so must run with v first (an email checked
// against the directory before it is taken). held is set when v is already
// held, waiting for those calls.
func (d *decider) waitsForCalls(dlg *policies.Dialog, f *Frame, s *policies.Slot, v SlotValue, cands []candidate, held bool) bool {
	if s.Validate == nil {
		return false
	}
	if d.waitsForSlots(dlg, f, s, cands) {
		return true
	}
	for _, name := range validateCalls(s) {
		c := callOf(dlg.Calls, name)
		if c == nil {
			continue
		}
		_, ran := f.Calls[name]
		if slices.Contains(c.Reads, s.Name) {
			cur, filled := f.Slots[s.Name]
			if ran && (held || (filled && cur.Value == v.Value)) {
				continue // it ran with this value
			}
		} else if ran {
			continue
		}
		// The call will run once its inputs are in: those given now, held, or
		// still to be asked. An input the dialog will not ask for (optional, or
		// not required) may never come, so the value is checked now instead.
		runnable := true
		for _, r := range c.Reads {
			_, filled := f.Slots[r]
			_, waiting := f.Held[r]
			given := r == s.Name || slices.ContainsFunc(cands, func(o candidate) bool { return o.slot.Name == r })
			if !filled && !waiting && !given && !d.willAsk(dlg, slotOf(dlg, r)) {
				runnable = false
			}
		}
		if runnable {
			return true
		}
	}
	return false
}

// waitsForSlots reports whether s's validate reads another slot the dialog
// will still ask for: "晚上7点" given before the day it is checked against
// waits for the day, instead of being refused for a check that can't hold
// yet. A slot given in the same message, or itself held, is not waited for:
// it is checked as it always was, so two values never wait for each other.
func (d *decider) waitsForSlots(dlg *policies.Dialog, f *Frame, s *policies.Slot, cands []candidate) bool {
	for _, name := range s.ValidateSlots {
		if _, filled := f.Slots[name]; filled {
			continue
		}
		if _, waiting := f.Held[name]; waiting {
			continue
		}
		if slices.ContainsFunc(cands, func(o candidate) bool { return o.slot.Name == name }) {
			continue
		}
		if d.willAsk(dlg, slotOf(dlg, name)) {
			return true
		}
	}
	return false
}

// willAsk reports whether the dialog will ask for an empty slot.
func (d *decider) willAsk(dlg *policies.Dialog, s *policies.Slot) bool {
	if s == nil || s.Optional {
		return false
	}
	if s.RequiredWhen == nil {
		return true
	}
	ok, _ := d.env().Cond(s.RequiredWhen)
	return ok
}

// validatingCalls are the calls a slot's validate reads that read the slot
// too: their results belong to the value they were run with.
func validatingCalls(dlg *policies.Dialog, s *policies.Slot) []string {
	if s == nil || s.Validate == nil {
		return nil
	}
	var out []string
	for _, name := range validateCalls(s) {
		if c := callOf(dlg.Calls, name); c != nil && slices.Contains(c.Reads, s.Name) && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// checkHeld checks the held values whose calls have run; it reports whether it
// did anything.
func (d *decider) checkHeld(dlg *policies.Dialog) bool {
	f := d.top()
	for _, s := range dlg.Slots {
		v, ok := f.Held[s.Name]
		if !ok || d.waitsForCalls(dlg, f, s, v, nil, true) {
			continue
		}
		if !d.valid(dlg, s, v) {
			if !d.dropUnasked(dlg, s, v) && !d.reject(dlg, s, v) {
				d.waitFor(dlg, s)
			}
			return true
		}
		d.setSlotChecked(dlg, s, v, validatingCalls(dlg, s))
		return true
	}
	return false
}

// dropUnasked refuses, without a word, a value for a slot the dialog will not
// ask, its required_when being false: "dropped my tv" on a damage claim whose
// item is asked only for a finished move, the move being under way. Saying
// the slot's invalid message would ask a question the dialog does not need,
// and wait for its answer. The refusal is logged, and counts as an attempt.
// Only a required_when already decided counts: one that reads a call yet to
// run, or a local, may still hold, and the value is refused as before.
func (d *decider) dropUnasked(dlg *policies.Dialog, s *policies.Slot, v SlotValue) bool {
	if s.RequiredWhen == nil || d.willAsk(dlg, s) {
		return false
	}
	f := d.top()
	for _, trav := range s.RequiredWhen.Variables() {
		if trav.RootName() == "local" {
			return false
		}
	}
	for _, name := range callReads(s.RequiredWhen) {
		if _, ran := f.Calls[name]; !ran {
			return false
		}
	}
	checking := validatingCalls(dlg, s)
	d.emit(Event{Type: EventSlotRejected, Dialog: dlg.Name, Slot: s.Name, Value: &v, Invalidated: checking})
	d.scopeChanged() // a held value, which expressions saw, is gone
	return true
}

// valid checks a candidate against the slot's validate expression, with slot.NAME
// set to the candidate.
func (d *decider) valid(dlg *policies.Dialog, s *policies.Slot, v SlotValue) bool {
	ok, diags := d.validate(s, v)
	if diags.HasErrors() {
		d.evalError("validate of slot "+dlg.Name+"."+s.Name, diags)
	}
	return ok
}

// validNow is valid without recording errors, for looking ahead.
func (d *decider) validNow(_ *policies.Dialog, s *policies.Slot, v SlotValue) bool {
	ok, _ := d.validate(s, v)
	return ok
}

func (d *decider) validate(s *policies.Slot, v SlotValue) (bool, hcl.Diagnostics) {
	if s.Validate == nil {
		return true, nil
	}
	env := d.bot.NewEnv(d.lang(), candidateScope{d, s.Name, v.cty()})
	if verifyEnvCache {
		env.CheckEvaluations()
	}
	return env.Cond(s.Validate)
}

// candidateScope is the scope with a value in question for a slot, which its
// validate reads as slot.NAME.
type candidateScope struct {
	d     *decider
	slot  string
	value cty.Value
}

func (c candidateScope) FillScope(sc *policies.Scope, namespace string) {
	c.d.FillScope(sc, namespace)
	if namespace == "slot" {
		sc.Slots[c.slot] = c.value
	}
}

// reject records a failed attempt at a slot and says why, or gives up on the slot
// once its retries are used. It reports whether the slot was given up.
func (d *decider) reject(dlg *policies.Dialog, s *policies.Slot, v SlotValue) bool {
	f := d.top()
	// A default or remembered value a call refused was not the customer's
	// attempt: it is said why (the invalid message reads it), at no cost.
	held, isHeld := f.Held[s.Name]
	preset := slices.Contains(f.Preset, s.Name) && isHeld && held.Value == v.Value
	retries := f.Retries[s.Name]
	if !preset {
		retries++
	}
	// A call run to check this value answered about it alone, so the frame
	// forgets it; only the invalid message still reads it.
	checking := validatingCalls(dlg, s)
	var checks map[string]CallResult
	for _, name := range checking {
		if r, ok := f.Calls[name]; ok {
			if checks == nil {
				checks = map[string]CallResult{}
			}
			checks[name] = r
		}
	}
	d.emit(Event{Type: EventSlotRejected, Dialog: dlg.Name, Slot: s.Name, Value: &v, Invalidated: checking, Preset: preset})
	if retries > s.Retries {
		d.exhaust(dlg, s)
		return true
	}
	// The invalid message reads the rejected value as slot.NAME: "Sorry,
	// "super high" is not a priority", and the calls that checked it.
	d.rejected = &rejection{candidate: candidate{slot: s, value: v}, checks: checks, declared: dlg.Calls}
	d.scopeChanged()
	defer func() {
		d.rejected = nil
		d.scopeChanged()
	}()
	if s.Invalid != nil && d.trySay(s.Invalid) {
		return false
	}
	if s.Prompt != nil {
		// With no invalid message, or one that reads what this answer does
		// not have (the call that checks a value, for an answer with none),
		// the question itself says best what is wanted (a generic "that
		// doesn't look right" would not, for a list of reasons).
		d.say(s.Prompt)
		return false
	}
	d.reply(Reply{Text: builtin("invalid", d.lang())})
	return false
}

func (d *decider) exhaust(dlg *policies.Dialog, s *policies.Slot) {
	if s.OnExhausted != nil {
		d.pushRun(Run{Ref: ActionsRef{Kind: refOnExhausted, Dialog: dlg.Name, Name: s.Name}, Finish: finishCancel})
		return
	}
	if !d.bot.Replies.ErrorBuiltin {
		d.sayError() // the bot's own words, as bots have always said here
	} else {
		// The built-in error text ("something went wrong, try again in a
		// moment") told a customer whose answers were refused that the
		// system had failed, and to try the same again.
		d.reply(Reply{Text: fmt.Sprintf(builtin("gave_up", d.lang()), d.titleOr(dlg.Name, "this_title"))})
	}
	d.cancelTop("retries_exhausted")
}

// declined handles "no" to a confirmation.
func (d *decider) declined(dlg *policies.Dialog) {
	if dlg.Confirm != nil && dlg.Confirm.OnNo != nil {
		d.pushRun(Run{Ref: ActionsRef{Kind: refOnNo, Dialog: dlg.Name}, Finish: finishCancel})
		return
	}
	d.emit(Event{Type: EventDialogCancelled, Dialog: dlg.Name, Reason: "declined"})
	d.reply(Reply{Text: builtin("not_done", d.lang())})
	d.resumeBelow()
}

// reaskOpen repeats the question the dialog is waiting on.
func (d *decider) reaskOpen(dlg *policies.Dialog) {
	f := d.top()
	if f == nil || f.Dialog != dlg.Name {
		return
	}
	switch {
	case f.Asking == askConfirm:
		d.emit(Event{Type: EventConfirmRequested, Dialog: dlg.Name})
		d.sayConfirm(dlg)
	case f.Asking == askSwitch && f.Switch != nil:
		d.askSwitch(dlg, f.Switch.Dialog, f.Switch.Message)
	case f.Asking == askResume:
		d.askResume(dlg, false, nil)
	case strings.HasPrefix(f.Asking, askReuse):
		if s := slotOf(dlg, f.askedSlot()); s != nil {
			d.offer(dlg, s)
		}
	default:
		if s := slotOf(dlg, f.Asking); s != nil {
			d.ask(dlg, s, false, false, nil)
		}
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
	d.emit(Event{Type: EventDialogStarted, Dialog: dlg.Name, Text: d.saidFor})
	d.saidFor = ""
	if m != nil {
		d.fill(dlg, d.candidates(dlg, d.top(), m, nil))
	}
	d.prefill(dlg, m)
}

func (d *decider) cancelTop(reason string) {
	if f := d.top(); f != nil {
		d.emit(Event{Type: EventDialogCancelled, Dialog: f.Dialog, Reason: reason})
		d.resumeBelow()
	}
}

func (d *decider) end() {
	d.emit(Event{Type: EventConversationEnded, Effect: &Effect{ID: d.nextID(), Kind: EffectEnd}})
}

// cancelDialog ends dlg, the active dialog, at the customer's word.
func (d *decider) cancelDialog(dlg *policies.Dialog) {
	d.emit(Event{Type: EventDialogCancelled, Dialog: dlg.Name, Reason: "customer"})
	d.reply(Reply{Text: builtin("cancelled", d.lang())})
}

// cancelledFirst cancels dlg when the message opened with a cancel before
// asking for something else, and reports whether it did.
func (d *decider) cancelledFirst(dlg *policies.Dialog, m *Message) bool {
	if !m.NLU.CancelFirst {
		return false
	}
	d.cancelDialog(dlg)
	return true
}

// cancelsForOther says whether the message opens with a cancel and asks,
// confidently, for another dialog or an answer.
func (d *decider) cancelsForOther(dlg *policies.Dialog, m *Message) bool {
	if !m.NLU.CancelFirst {
		return false
	}
	intent := d.intent()
	if intent == "" || slices.Contains(dlg.Triggers, intent) {
		return false
	}
	return d.answerFor(intent) != nil || d.dialogFor(intent) != nil
}
