package dialog

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// Dialog control: what happens when another dialog's trigger arrives in the
// middle of one (interrupt), when a dialog is done with what interrupted it
// (resume), and when a slot can start from a remembered or default value.

// interrupt handles another dialog's trigger in the middle of dlg, the way
// dlg's interrupt setting says.
func (d *decider) interrupt(dlg, other *policies.Dialog, m *Message) {
	switch dlg.Interrupt {
	case policies.InterruptRefuse:
		d.reply(Reply{Text: builtin("finish_first", d.lang())})
		d.reaskOpen(dlg)
	case policies.InterruptAbandon:
		d.emit(Event{Type: EventDialogCancelled, Dialog: dlg.Name, Reason: "switched"})
		d.startDialog(other.Name, m)
	case policies.InterruptAsk:
		d.askSwitch(dlg, other.Name, recordOf(m))
	default:
		if len(d.st.Stack) >= maxDepth {
			d.reply(Reply{Text: builtin("finish_first", d.lang())})
			d.reaskOpen(dlg)
			return
		}
		d.startDialog(other.Name, m)
	}
}

// askSwitch asks whether to leave dlg for next.
func (d *decider) askSwitch(dlg *policies.Dialog, next string, rec *MessageRecord) {
	d.emit(Event{Type: EventSwitchAsked, Dialog: dlg.Name, Next: next, NextMessage: rec})
	if dlg.InterruptPrompt != nil && d.sayYesNo(dlg.InterruptPrompt) {
		return
	}
	lang := d.lang()
	text := fmt.Sprintf(builtin("switch", lang), d.titleOr(dlg.Name, "this_title"), d.titleOr(next, "next_title"))
	d.reply(Reply{Text: text, Buttons: yesNoButtons(lang)})
}

// atSwitch handles the answer to askSwitch. Yes starts the other dialog on
// top of this one, with the values the message that asked for it gave; no
// carries on with this one. Anything else drops the question and is handled
// as usual. It reports whether the message was dealt with.
func (d *decider) atSwitch(dlg *policies.Dialog, m *Message, yesNo string) bool {
	sw := d.top().Switch
	switch {
	case yesNo == "yes":
		d.emit(Event{Type: EventSwitchAnswered, Dialog: dlg.Name, Answer: "yes"})
		if sw != nil {
			d.startDialog(sw.Dialog, messageOf(sw.Message))
		}
		return true
	case yesNo == "no" || m.NLU.Cancel:
		d.emit(Event{Type: EventSwitchAnswered, Dialog: dlg.Name, Answer: "no"})
		return true
	}
	d.emit(Event{Type: EventSwitchAnswered, Dialog: dlg.Name})
	return false
}

// backToQuestion carries on with dlg after a side question: its open
// question again, or, with resume = "ask", whether to carry on at all.
func (d *decider) backToQuestion(dlg *policies.Dialog) {
	if dlg.Resume == policies.ResumeAsk {
		d.askResume(dlg, false, nil)
		return
	}
	d.reaskOpen(dlg)
}

// resumeBelow returns to the dialog under one that just finished: it asks its
// open question again, saying what it is for ("Back to your refund: …"), or
// with resume = "ask" asks whether to go back to it.
func (d *decider) resumeBelow() {
	f := d.top()
	// A dialog that has asked nothing yet was just started (by the dialog
	// that finished, say): there is nothing to come back to.
	if f == nil || f.Asking == "" || d.st.HandedOff || d.st.Ended {
		return
	}
	if dlg := d.dialog(f.Dialog); dlg != nil && dlg.Resume == policies.ResumeAsk {
		d.askResume(dlg, false, nil)
		return
	}
	d.emit(Event{Type: EventDialogResumed, Dialog: f.Dialog})
	d.backTo = f.Dialog
}

// askResume asks whether to carry on with dlg; reset forgets the failed
// attempts at its slots (offer_continue after they ran out).
func (d *decider) askResume(dlg *policies.Dialog, reset bool, prompt *policies.Message) {
	d.emit(Event{Type: EventResumeAsked, Dialog: dlg.Name, ResetRetries: reset})
	switch {
	case prompt != nil && d.sayYesNo(prompt):
	case dlg.ResumePrompt != nil && d.sayYesNo(dlg.ResumePrompt):
	default:
		lang := d.lang()
		d.reply(Reply{Text: fmt.Sprintf(builtin("resume", lang), d.titleOr(dlg.Name, "this_title")), Buttons: yesNoButtons(lang)})
	}
}

// atResume handles the answer to askResume. Yes, or a value for one of the
// dialog's slots, carries on; no drops the dialog. Anything else carries on
// too, and is handled as usual. It reports whether the message was dealt with.
func (d *decider) atResume(dlg *policies.Dialog, m *Message, yesNo string) bool {
	f := d.top()
	switch {
	case fillsSomething(f, d.candidates(dlg, f, m, nil)):
		d.emit(Event{Type: EventResumeAnswered, Dialog: dlg.Name, Answer: "yes"})
		return false
	case yesNo == "yes":
		d.emit(Event{Type: EventResumeAnswered, Dialog: dlg.Name, Answer: "yes"})
		return true
	case yesNo == "no" || m.NLU.Cancel:
		d.emit(Event{Type: EventResumeAnswered, Dialog: dlg.Name, Answer: "no"})
		d.emit(Event{Type: EventDialogCancelled, Dialog: dlg.Name, Reason: "not_resumed"})
		d.reply(Reply{Text: fmt.Sprintf(builtin("dropped", d.lang()), d.titleOr(dlg.Name, "that_title"))})
		d.resumeBelow()
		return true
	}
	d.emit(Event{Type: EventResumeAnswered, Dialog: dlg.Name})
	return false
}

// prefill gives the slots of a dialog that just started the values they start
// with: a default, or what the conversation remembers when the message refers
// back to it ("refund it", "这个订单"). A slot with a reuse_prompt has its value
// offered when it is asked, instead.
func (d *decider) prefill(dlg *policies.Dialog, m *Message) {
	refers := m != nil && refersBack(m.Text)
	for _, s := range dlg.Slots {
		f := d.top()
		if f == nil || f.Dialog != dlg.Name {
			return
		}
		if _, filled := f.Slots[s.Name]; filled {
			continue
		}
		if _, held := f.Held[s.Name]; held {
			continue
		}
		v, ok := d.initialValue(dlg, s, refers || s.ReusePrompt != nil)
		if !ok {
			continue
		}
		if s.ReusePrompt != nil {
			d.emit(Event{Type: EventSlotOffered, Dialog: dlg.Name, Slot: s.Name, Value: &v})
			continue
		}
		// A value that does not fit is not a mistake of the customer's: it is
		// quietly not used, and the slot is asked as usual. One that a call
		// must check waits for it, like a value the customer gave.
		switch {
		case d.waitsForCalls(dlg, f, s, v, nil, false):
			d.emit(Event{Type: EventSlotHeld, Dialog: dlg.Name, Slot: s.Name, Value: &v, Invalidated: validatingCalls(dlg, s), Preset: true})
		case d.validNow(dlg, s, v):
			d.setSlot(dlg, s, v)
		}
	}
}

// initialValue is the value a slot starts with: its default, else (when
// recall is set) what the conversation remembers for it.
func (d *decider) initialValue(dlg *policies.Dialog, s *policies.Slot, recall bool) (SlotValue, bool) {
	if s.Default != nil {
		v, diags := d.env().Value(s.Default)
		if diags.HasErrors() {
			d.evalError("default of slot "+dlg.Name+"."+s.Name, diags)
		} else if v, ok := d.slotValueOf(s.Type, v); ok {
			return v, true
		}
	}
	if s.Remember && recall {
		if raw, ok := d.st.Memory[s.Name]; ok {
			return d.slotValueOf(s.Type, toCty(raw))
		}
	}
	return SlotValue{}, false
}

// refersBack reports whether a message points back at something said before:
// "it", "that order", "the same one", "这个订单", "它".
func refersBack(text string) bool {
	t := strings.ToLower(text)
	for _, w := range []string{"这个", "那个", "这单", "那单", "该订单", "它", "刚才", "上面", "同一个", "同一"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		switch w {
		case "it", "it's", "its", "that", "this", "same", "them", "those", "these":
			return true
		}
	}
	return false
}

// slotValueOf turns a value of an expression into a value of a slot type.
func (d *decider) slotValueOf(typ string, v cty.Value) (SlotValue, bool) {
	if v == cty.NilVal || !v.IsWhollyKnown() || v.IsNull() {
		return SlotValue{}, false
	}
	switch v.Type() {
	case cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return SlotValue{Value: policies.FormatNumber(v.AsBigFloat()), Number: &f}, true
	case cty.Bool:
		if v.True() {
			return SlotValue{Value: "yes"}, true
		}
		return SlotValue{Value: "no"}, true
	case cty.String:
		s := v.AsString()
		if strings.TrimSpace(s) == "" {
			return SlotValue{}, false
		}
		if parsed, ok := d.parseAs(typ, s); ok {
			return parsed, true
		}
		if typ == "text" || d.bot.Entities[typ] == nil {
			return SlotValue{Value: s}, true
		}
	}
	return SlotValue{}, false
}

// offer asks whether to use the value on offer for s.
func (d *decider) offer(dlg *policies.Dialog, s *policies.Slot) {
	d.emit(Event{Type: EventSlotRequested, Dialog: dlg.Name, Slot: s.Name, Offer: true})
	if !d.sayYesNo(s.ReusePrompt) {
		d.ask(dlg, s, false, false, nil) // the offer was not said: ask for the value instead
	}
}

// atReuse handles the answer to offer: a value for the slot takes its place,
// yes takes the offered value, no asks the slot's own question. Anything else
// is handled as an answer to that question. It reports whether the message
// was dealt with.
func (d *decider) atReuse(dlg *policies.Dialog, m *Message, yesNo string) bool {
	f := d.top()
	s := slotOf(dlg, f.askedSlot())
	if s == nil {
		return false
	}
	cands := d.candidates(dlg, f, m, nil)
	for _, c := range cands {
		if c.slot == s {
			d.fill(dlg, cands)
			return true
		}
	}
	switch yesNo {
	case "yes":
		// Checked like a value the customer gave: held first when a call
		// must check it.
		d.fill(dlg, []candidate{{slot: s, value: f.Offers[s.Name]}})
		return true
	case "no":
		d.emit(Event{Type: EventOfferDeclined, Dialog: dlg.Name, Slot: s.Name})
		return true
	}
	return false
}

// titleOr is how the bot names a dialog to the customer, or a built-in stand-in.
func (d *decider) titleOr(dialog, fallback string) string {
	if t := d.bot.DialogTitle(dialog, d.lang()); t != "" {
		return t
	}
	return builtin(fallback, d.lang())
}

// sayYesNo says a yes-or-no question, with yes and no buttons unless it has
// buttons of its own. It reports false, saying nothing, when the message
// can't be rendered: the caller says its built-in question instead, so the
// customer's yes or no answers a question they saw.
func (d *decider) sayYesNo(m *policies.Message) bool {
	text, ok := d.render(m)
	if !ok {
		return false
	}
	r := Reply{Text: d.prefixed(text), Response: m.Name, Buttons: d.buttons(m)}
	if len(r.Buttons) == 0 {
		r.Buttons = yesNoButtons(d.lang())
	}
	d.reply(r)
	return true
}

// prefixed puts "Back to your refund: " before the first question of a dialog
// the bot has just come back to, so the customer knows what it is for.
func (d *decider) prefixed(text string) string {
	f := d.top()
	if d.backTo == "" || f == nil || f.Dialog != d.backTo {
		return text
	}
	d.backTo = ""
	lang := d.lang()
	if t := d.bot.DialogTitle(f.Dialog, lang); t != "" {
		return fmt.Sprintf(builtin("back_to", lang), t) + text
	}
	return builtin("back", lang) + text
}

func yesNoButtons(lang string) []ReplyButton {
	return []ReplyButton{{Label: builtin("yes", lang), Payload: "yes"}, {Label: builtin("no", lang), Payload: "no"}}
}

// recordOf is what a message's record keeps of it, to act on it later.
func recordOf(m *Message) *MessageRecord {
	if m == nil {
		return nil
	}
	return &MessageRecord{ID: m.ID, Text: m.Text, Language: m.NLU.Language, Entities: m.NLU.Entities}
}

// messageOf rebuilds a message from its record, for its values.
func messageOf(rec *MessageRecord) *Message {
	if rec == nil {
		return nil
	}
	return &Message{ID: rec.ID, Text: rec.Text, NLU: nlu.Result{Text: rec.Text, Language: rec.Language, Entities: rec.Entities}}
}

// looksLikeQuestion reports whether a message is plainly worded as a
// question (nlu.LooksLikeQuestion).
func looksLikeQuestion(text string) bool { return nlu.LooksLikeQuestion(text) }

// acknowledgements are short replies that carry no question: yes and no (see
// yesNoWords), thanks, ok.
var acknowledgements = map[string]bool{
	"thanks": true, "thank you": true, "thx": true, "ty": true, "cheers": true, "great": true, "cool": true,
	"ok thanks": true, "okay thanks": true, "thanks a lot": true, "many thanks": true, "got it": true, "fine": true,
	"alright": true, "all right": true, "perfect": true, "noted": true, "understood": true,
	"谢谢": true, "谢谢你": true, "多谢": true, "好": true, "好吧": true, "行吧": true, "知道了": true, "明白": true,
	"明白了": true, "收到": true, "没问题": true, "嗯嗯": true, "哦": true, "噢": true, "好嘞": true,
}

// IsAcknowledgement reports whether a message is a short acknowledgement
// ("yes", "no", "ok", "thanks", "好的", "谢谢"): never a question to look up in
// the knowledge base.
func IsAcknowledgement(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.Trim(t, " .!?,~。！？，～")
	if t == "" {
		return false
	}
	if yesNoWords[t] != "" || acknowledgements[t] {
		return true
	}
	// "ok, thanks!", "好的，谢谢": every part an acknowledgement.
	parts := strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune(" ,，.。!！~～", r) })
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if yesNoWords[p] == "" && !acknowledgements[p] {
			return false
		}
	}
	return true
}

// answerWords are the small words that may surround a value in a message
// that only answers the question asked.
var answerWords = map[string]bool{
	"it": true, "it's": true, "its": true, "is": true, "was": true, "the": true, "a": true, "an": true,
	"my": true, "our": true, "number": true, "no": true, "num": true, "nr": true, "id": true, "code": true,
	"please": true, "pls": true, "thanks": true, "thank": true, "you": true, "ok": true, "okay": true,
	"yes": true, "yeah": true, "sure": true, "here": true, "this": true, "that": true, "one": true,
	"use": true, "i": true, "mean": true, "meant": true, "think": true, "actually": true, "sorry": true,
	"oh": true, "um": true, "and": true, "of": true, "for": true, "to": true, "from": true, "in": true, "on": true,
	"with": true, "about": true, "just": true, "try": true, "s": true,
	// Count words after a number: "1 person", "3 of us" only answer "How many
	// people?", as "3个人" does in Chinese.
	"person": true, "persons": true, "people": true, "ppl": true, "pax": true,
	"adult": true, "adults": true, "us": true, "me": true,
}

// answerWordsZH are what may surround a value in a Chinese answer, count
// words among them: "俩人" and "3个人" only answer "几位用餐？".
var answerWordsZH = []string{"我的", "我们的", "订单号", "订单", "单号", "编号", "号码", "号", "是", "的", "为", "吧", "呢", "啊", "哦", "嗯", "就", "这个", "那个", "用", "请", "好的", "对", "谢谢", "邮箱", "电话", "手机",
	"我们", "一共", "总共", "个人", "人", "位", "个"}

// onlyValue reports whether a message says nothing but a value for slot s:
// what is left when the values are taken out is small words, the slot's name
// ("order" for order_id) or its type's, or words of the question that asked
// for it ("I bought it on 1 June" to "When did you buy it?").
func (d *decider) onlyValue(m *Message, s *policies.Slot) bool {
	if s == nil {
		return false
	}
	question := ""
	if f := d.top(); f != nil && f.Asking == s.Name {
		question = f.Question
	}
	rest := []byte(m.Text)
	for _, e := range m.NLU.Entities {
		if e.Start >= 0 && e.End <= len(rest) && e.Start < e.End {
			for i := e.Start; i < e.End; i++ {
				rest[i] = ' '
			}
		}
	}
	text := strings.ToLower(string(rest))
	own := map[string]bool{}
	for _, name := range []string{s.Name, s.Type} {
		for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' }) {
			own[w] = true
		}
	}
	for _, w := range answerWordsZH {
		text = strings.ReplaceAll(text, w, " ")
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		if !answerWords[w] && !own[w] && !nlu.EchoesQuestion(question, w) {
			return false
		}
	}
	return true
}
