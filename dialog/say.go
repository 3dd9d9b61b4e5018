package dialog

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/policies"
)

// ---- saying things ----

func (d *decider) reply(r Reply) {
	d.emit(Event{Type: EventReplySent, Effect: &Effect{ID: d.nextID(), Kind: EffectReply, Reply: &r}})
}

// say renders and sends a message; a message that can't be rendered becomes the
// error reply, never an empty one.
func (d *decider) say(msg *policies.Message) {
	if msg != nil && !d.trySay(msg) {
		d.sayError()
	}
}

// trySay renders and sends a message, and reports false, saying nothing, when
// it can't be rendered (render logs why): the caller says something else.
func (d *decider) trySay(msg *policies.Message) bool {
	text, ok := d.render(msg)
	if ok {
		d.reply(Reply{Text: text, Response: msg.Name, Buttons: d.buttons(msg)})
	}
	return ok
}

// sayAll says each message in turn.
func (d *decider) sayAll(msgs []*policies.Message) {
	for _, m := range msgs {
		d.say(m)
	}
}

// render picks the message's wording (the first case whose condition holds,
// else its own texts) in the customer's language and fills in the values.
func (d *decider) render(msg *policies.Message) (string, bool) {
	texts := msg.Variants
	for _, c := range msg.Cases {
		if d.cond(c.When, "case of response "+or(msg.Name, "(inline)")) {
			texts = c.Variants
			break
		}
	}
	vs := variants(d.bot, texts, d.lang())
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
	if m := d.bot.Replies.Error; m != nil && d.trySay(m) {
		return
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

// buttons renders a message's quick replies in the customer's language: its
// buttons, with the slot values they carry, then its entity's values.
func (d *decider) buttons(msg *policies.Message) []ReplyButton {
	lang := d.lang()
	out := buttons(d.bot, msg, lang)
	for i, b := range msg.Buttons {
		if len(b.Slots) == 0 {
			continue
		}
		values := map[string]string{}
		for _, name := range sortedKeys(b.Slots) {
			text, diags := d.env().Render(b.Slots[name])
			if diags.HasErrors() {
				d.evalError("button "+b.Payload+" of response "+or(msg.Name, "(inline)"), diags)
				continue
			}
			if text != "" {
				values[name] = text
			}
		}
		out[i].Payload = FormatPayload(out[i].Payload, values)
	}
	if e := d.bot.Entities[msg.ValueButtons]; e != nil {
		for _, v := range e.Values {
			out = append(out, ReplyButton{Label: d.bot.Label(e.Name, v.Canonical, lang), Payload: v.Canonical})
		}
	}
	if msg.ValueButtonsFrom != nil {
		out = append(out, d.listButtons(msg)...)
	}
	return out
}

// maxListButtons bounds value_buttons = LIST: a chat's row of quick replies
// is no place for a hundred of them.
const maxListButtons = 20

// listButtons are the buttons of value_buttons = LIST: one per text or
// number of the list as it is now, labelled as the slot being asked labels
// its values. A list that can't be read (a call that failed) gives none,
// and the question is still asked.
func (d *decider) listButtons(msg *policies.Message) []ReplyButton {
	v, diags := d.env().Value(msg.ValueButtonsFrom)
	if diags.HasErrors() {
		d.evalError("value_buttons of response "+or(msg.Name, "(inline)"), diags)
		return nil
	}
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
		return nil
	}
	labels := ""
	if f := d.top(); f != nil && f.Asking != "" {
		if s := slotOf(d.dialog(f.Dialog), f.Asking); s != nil {
			labels = s.Type
		}
	}
	var out []ReplyButton
	seen := map[string]bool{}
	for it := v.ElementIterator(); it.Next() && len(out) < maxListButtons; {
		_, el := it.Element()
		value, ok := buttonValue(el)
		if !ok || value == "" || seen[value] {
			continue
		}
		seen[value] = true
		out = append(out, ReplyButton{Label: d.bot.Label(labels, value, d.lang()), Payload: value})
	}
	return out
}

// buttonValue is a list element as a button sends it: a text as it is, a
// number in digits; anything else makes no button.
func buttonValue(v cty.Value) (string, bool) {
	if !v.IsKnown() || v.IsNull() {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return strings.TrimSpace(v.AsString()), true
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true
	}
	return "", false
}

// FormatPayload is a button payload carrying slot values:
// /refund{"order_id":"AB123456"}.
func FormatPayload(payload string, values map[string]string) string {
	if len(values) == 0 {
		return payload
	}
	raw, _ := json.Marshal(values) // keys sorted
	return payload + string(raw)
}

// ParsePayload splits a button payload that carries slot values into the
// payload the NLU reads ("/refund") and the values. Any other text comes back
// as it is, with no values.
func ParsePayload(text string) (string, map[string]string) {
	t := strings.TrimSpace(text)
	i := strings.IndexByte(t, '{')
	if !strings.HasPrefix(t, "/") || i < 2 || !strings.HasSuffix(t, "}") {
		return text, nil
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(t[i:]), &raw); err != nil {
		return text, nil
	}
	values := map[string]string{}
	for k, v := range raw {
		switch x := v.(type) {
		case string:
			values[k] = x
		case float64, bool:
			values[k] = fmt.Sprint(x)
		}
	}
	return t[:i], values
}

// remember keeps the values of a remember action in the conversation's memory.
func (d *decider) remember(expr hcl.Expression) {
	v, diags := d.env().Value(expr)
	if diags.HasErrors() {
		d.evalError("remember", diags)
		return
	}
	if v.IsNull() || !v.IsKnown() {
		return
	}
	values := map[string]any{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		g, err := ctyToGo(e)
		if err != nil {
			d.emit(Event{Type: EventError, Error: fmt.Sprintf("remember %s: %v", k.AsString(), err)})
			continue
		}
		values[k.AsString()] = g
	}
	if len(values) > 0 {
		d.emit(Event{Type: EventRemembered, Memory: values})
	}
}

// queueOf is the queue a handoff or ticket goes to: name, or what expr
// chooses. It reports false (and logs why) when expr chooses none.
func (d *decider) queueOf(name string, expr hcl.Expression, what string) (string, bool) {
	if expr == nil {
		return name, true
	}
	q, diags := d.env().Queue(expr)
	if diags.HasErrors() {
		d.evalError(what, diags)
		return "", false
	}
	return q, true
}

// validateCalls are the calls a slot's validate reads, directly or through
// locals (policies links them); a slot built by hand has only the direct ones.
func validateCalls(s *policies.Slot) []string {
	if s.ValidateCalls != nil {
		return s.ValidateCalls
	}
	return callReads(s.Validate)
}

// callReads lists the calls an expression reads.
func callReads(expr hcl.Expression) []string {
	var out []string
	for _, trav := range expr.Variables() {
		if trav.RootName() != "call" || len(trav) < 2 {
			continue
		}
		if attr, ok := trav[1].(hcl.TraverseAttr); ok {
			out = append(out, attr.Name)
		}
	}
	return out
}

// goValue is a slot value as memory keeps it: a number or text.
func (v SlotValue) goValue() any {
	if v.Number != nil {
		return *v.Number
	}
	return v.Value
}
