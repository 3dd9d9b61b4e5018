package dialog

import (
	"fmt"
	"slices"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// Requests for later: a message that asks for two things ("Where is my
// order AB123456? Also, can I change the delivery address?") gets both, in
// the order asked: the second once nothing else is open, instead of being
// silently dropped. The NLU cuts the message
// into pieces and ranks each alone (nlu.Part); a piece is a request of its
// own when it is as confident as a message must be, asks for something
// other than the first request, and either opens with a word that adds a
// request ("also", "另外") or is a question; and when the bot does
// something with it: a dialog, or an answer to a question.

// LaterRequest is a request the customer made in a message that asked for
// something else first.
type LaterRequest struct {
	Intent string `json:"intent"`
	// Dialog is the dialog it was to start when asked for ("": an answer).
	Dialog  string         `json:"dialog,omitempty"`
	Message *MessageRecord `json:"message,omitempty"` // its piece of the message, for its values
}

// laterRequests finds the requests m makes, when it makes more than one:
// it records all but the first for later and returns the first, with the
// message to act on for it (narrowed to its piece's values). Primary is the
// intent the whole message is understood as; when no piece reads as it
// alone, the first piece's intent goes first if the bot acts on it, else
// primary does, on the whole message.
func (d *decider) laterRequests(m *Message, primary string) (string, *Message) {
	parts := m.NLU.Parts
	if len(parts) < 2 || m.NLU.Cancel || m.NLU.CancelFirst || d.st.HandedOff {
		return primary, m
	}
	own := slices.IndexFunc(parts, func(p nlu.Part) bool { return p.Top.Name == primary })
	if own < 0 && d.actsOn(m, parts[0]) && slices.ContainsFunc(parts[1:], func(p nlu.Part) bool {
		return p.Top.Name != parts[0].Top.Name && d.separateRequest(m, p)
	}) {
		// Two requests, neither what the whole message leans to: the whole
		// is a blend of them ("我想改一下预约时间。还有，你们收医保吗？" read
		// as a booking), and its first piece is the first request.
		primary, own = parts[0].Top.Name, 0
	}
	var first *policies.Dialog
	if d.answerFor(primary) == nil {
		first = d.dialogFor(primary)
	}
	var requests []int // the pieces that are requests, in the message's order
	seen := []string{primary}
	for i, p := range parts {
		switch {
		case i == own:
			requests = append(requests, i)
		case slices.Contains(seen, p.Top.Name) || !d.separateRequest(m, p) || givesFor(m, p, first, parts, own):
		default:
			seen = append(seen, p.Top.Name)
			requests = append(requests, i)
		}
	}
	now, later := primary, requests
	msg := m
	if own >= 0 {
		if len(requests) < 2 {
			return primary, m
		}
		// In the order asked: "where is my order? also change the address"
		// tracks first, whichever the whole message leans to.
		now, later = parts[requests[0]].Top.Name, requests[1:]
		msg = narrowed(m, parts, requests[0])
	}
	for _, i := range later {
		name := parts[i].Top.Name
		ev := Event{Type: EventRequestQueued, Intent: name, NextMessage: pieceRecord(m, parts, i)}
		if d.answerFor(name) == nil {
			if dlg := d.dialogFor(name); dlg != nil {
				ev.Dialog = dlg.Name
			}
		}
		d.emit(ev)
	}
	return now, msg
}

// narrowed is m with the values of its piece i and those it borrows (see
// pieceValues). It keeps the message's text, for what the words around its
// values say.
func narrowed(m *Message, parts []nlu.Part, i int) *Message {
	own, borrowed := pieceValues(m, parts[i])
	out := *m
	out.NLU.Entities = append(own, borrowed...)
	slices.SortStableFunc(out.NLU.Entities, func(a, b nlu.Entity) int { return a.Start - b.Start })
	out.NLU.Parts = nil
	return &out
}

// actsOn says whether the bot acts on piece p of m read alone: an intent as
// confident as a message must be, with a dialog or an answer.
func (d *decider) actsOn(m *Message, p nlu.Part) bool {
	name := p.Top.Name
	return name != "" && p.Top.Confidence >= d.bot.ConfidenceThreshold && !IgnoresIntent(d.bot, m.Text[p.Start:p.End], name) &&
		(d.answerFor(name) != nil || d.dialogFor(name) != nil)
}

// separateRequest says whether piece p of m, not the first request's, is a
// request of its own.
func (d *decider) separateRequest(m *Message, p nlu.Part) bool {
	if !p.Also && !p.Question || !d.actsOn(m, p) {
		return false // "I want a refund. The box was crushed." tells one thing
	}
	if a := d.answerFor(p.Top.Name); a != nil {
		return p.Question && !a.End
	}
	return true
}

// givesFor says whether piece p of m holds a date, an amount or another
// value that belongs to one request, for a slot of dlg, the first request's
// dialog, that the first request's own piece (own; -1: none) does not give:
// "我想预约洗牙。周六可以吗？" asks about the booking's day, not for
// something else.
func givesFor(m *Message, p nlu.Part, dlg *policies.Dialog, parts []nlu.Part, own int) bool {
	if dlg == nil {
		return false
	}
	for _, e := range m.NLU.Entities {
		// An order number or an email is shared by the requests (see
		// pieceValues); a date or an amount belongs to one.
		if e.Start < p.Start || e.End > p.End || e.Negated || borrowable(e.Type) {
			continue
		}
		if own >= 0 && pieceHas(m, parts[own], e.Type) {
			continue
		}
		if slices.ContainsFunc(dlg.Slots, func(s *policies.Slot) bool { return s != nil && slotTakes(s.Type, e.Type) }) {
			return true
		}
	}
	return false
}

// slotTakes says whether a slot of type slotType takes a value of entityType.
func slotTakes(slotType, entityType string) bool {
	switch {
	case slotType == entityType:
		return true
	case slotType == "date_range":
		return entityType == "date"
	case slotType == "money" || slotType == "number":
		return entityType == "money" || entityType == "number"
	}
	return false
}

// pieceRecord is piece i of m as a message of its own, with its values and
// those it borrows (see pieceValues). A borrowed value is placed at the
// piece's end, where no word around it reads as its role.
func pieceRecord(m *Message, parts []nlu.Part, i int) *MessageRecord {
	p := parts[i]
	text := m.Text[p.Start:p.End]
	own, borrowed := pieceValues(m, p)
	entities := make([]nlu.Entity, 0, len(own)+len(borrowed))
	for _, e := range own {
		e.Start -= p.Start
		e.End -= p.Start
		entities = append(entities, e)
	}
	for _, e := range borrowed {
		e.Start, e.End = len(text), len(text)
		entities = append(entities, e)
	}
	return &MessageRecord{ID: m.ID, Text: text, Language: m.NLU.Language, Entities: entities}
}

// pieceValues are the values piece p of m gives, and those it borrows: the
// values that name what it is about (an order number, a product, an email)
// when it names none of that kind and another piece does, the first such:
// "Where is AB123456? And can I change its address?". Numbers, amounts,
// dates and yes or no stay with the piece that gives them.
func pieceValues(m *Message, p nlu.Part) (own, borrowed []nlu.Entity) {
	for _, e := range m.NLU.Entities {
		if e.Start >= p.Start && e.End <= p.End {
			own = append(own, e)
		}
	}
	for _, e := range m.NLU.Entities {
		if e.Start >= p.Start && e.End <= p.End || !borrowable(e.Type) {
			continue
		}
		ofType := func(o nlu.Entity) bool { return o.Type == e.Type }
		if !slices.ContainsFunc(own, ofType) && !slices.ContainsFunc(borrowed, ofType) {
			borrowed = append(borrowed, e)
		}
	}
	return own, borrowed
}

func borrowable(entityType string) bool {
	switch entityType {
	case "number", "money", "date", "date_range", "yes_no":
		return false
	}
	return true
}

// takeLater acts on the first request kept for later, now that nothing else
// is open: its answer, or its dialog, said to be the other request ("Now
// your other request: changing the address.").
func (d *decider) takeLater() {
	l := d.st.Later[0]
	// Taken as it was queued, so the session's note of it goes.
	d.emit(Event{Type: EventRequestTaken, Intent: l.Intent, Dialog: l.Dialog})
	if a := d.answerFor(l.Intent); a != nil {
		d.sayAll(a.Reply)
		return
	}
	dlg := d.dialogFor(l.Intent)
	if dlg == nil {
		return // the bot changed since: nothing does it now
	}
	lang := d.lang()
	if title := d.bot.DialogTitle(dlg.Name, lang); title != "" {
		d.reply(Reply{Text: fmt.Sprintf(builtin("also_to", lang), title)})
	} else {
		d.reply(Reply{Text: builtin("also", lang)})
	}
	msg := messageOf(l.Message)
	if msg != nil {
		d.saidFor = msg.Text
	}
	d.startDialog(dlg.Name, msg)
}

// pieceHas says whether piece p of m holds a value of type typ.
func pieceHas(m *Message, p nlu.Part, typ string) bool {
	return slices.ContainsFunc(m.NLU.Entities, func(e nlu.Entity) bool {
		return e.Type == typ && e.Start >= p.Start && e.End <= p.End
	})
}
