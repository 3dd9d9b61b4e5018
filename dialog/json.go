package dialog

import (
	"encoding/json"
	"strconv"

	"github.com/parleyhq/parley/nlu"
)

// The engine encodes every event of every turn, and the state after it, which
// took a fifth of a turn through encoding/json's reflection. AppendJSON writes
// the same bytes directly for the parts most turns have (messages, replies,
// calls, slots, frames, awaited runs, connector data), without allocating,
// and hands anything rarer (tickets, approvals, knowledge answers) to
// encoding/json. TestAppendJSON and FuzzAppendJSON hold both to json.Marshal's
// output for values with every field set, so a new field not written here
// fails them.

// AppendJSON appends ev as json.Marshal encodes it.
func (ev *Event) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.event(ev)
	if w.err != nil {
		// encoding/json says what is wrong with it (a NaN, a time it can't write).
		raw, err := json.Marshal(ev)
		return append(b, raw...), err
	}
	return w.b, nil
}

// AppendJSON appends st as json.Marshal encodes it.
func (st *State) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.state(st)
	if w.err != nil {
		raw, err := json.Marshal(st)
		return append(b, raw...), err
	}
	return w.b, nil
}

func (w *jsonWriter) event(ev *Event) {
	w.open()
	w.str("type", ev.Type)
	w.time("at", ev.At)
	if ev.Message != nil {
		w.key("message")
		w.message(ev.Message)
	}
	w.omitStr("language", ev.Language)
	w.omitStr("intent", ev.Intent)
	w.omitFloat("confidence", ev.Confidence)
	w.omitStr("dialog", ev.Dialog)
	w.omitStr("slot", ev.Slot)
	if ev.Value != nil {
		w.key("value")
		w.slotValue(*ev.Value)
	}
	if len(ev.Invalidated) > 0 {
		w.marshal("invalidated", ev.Invalidated)
	}
	w.omitBool("clear", ev.Clear)
	w.omitBool("retry", ev.Retry)
	w.omitBool("preset", ev.Preset)
	w.omitStr("answer", ev.Answer)
	w.omitStr("rule", ev.Rule)
	w.omitStr("outcome", ev.Outcome)
	if ev.Amount != nil {
		w.float("amount", *ev.Amount)
	}
	w.omitStr("call", ev.Call)
	if ev.Effect != nil {
		w.key("effect")
		w.effect(ev.Effect)
	}
	if ev.Resume != nil {
		w.key("resume")
		w.resume(ev.Resume)
	}
	w.omitAnyMap("data", ev.Data)
	w.omitStr("error", ev.Error)
	w.omitStr("ticket_id", ev.TicketID)
	if ev.Knowledge != nil {
		w.marshal("knowledge", ev.Knowledge)
	}
	w.omitAnyMap("memory", ev.Memory)
	w.omitBool("offer", ev.Offer)
	w.omitStr("next", ev.Next)
	if ev.NextMessage != nil {
		w.key("next_message")
		w.message(ev.NextMessage)
	}
	w.omitBool("reset_retries", ev.ResetRetries)
	if ev.Approval != nil {
		w.marshal("approval", ev.Approval)
	}
	if ev.Ticket != nil {
		w.marshal("ticket", ev.Ticket)
	}
	w.omitStr("agent", ev.Agent)
	w.omitStr("agent_name", ev.AgentName)
	w.omitStr("note", ev.Note)
	w.omitStr("text", ev.Text)
	w.omitStr("queue", ev.Queue)
	w.omitInt("score", int64(ev.Score))
	w.omitStr("comment", ev.Comment)
	w.omitStr("reason", ev.Reason)
	w.omitBool("reset", ev.Reset)
	w.omitBool("abandon", ev.Abandon)
	w.close()
}

func (w *jsonWriter) message(m *MessageRecord) {
	w.open()
	w.omitStr("id", m.ID)
	w.str("text", m.Text)
	w.omitStr("language", m.Language)
	w.omitStr("intent", m.Intent)
	w.omitFloat("confidence", m.Confidence)
	w.omitFloat("sentiment", m.Sentiment)
	if len(m.Entities) > 0 {
		w.key("entities")
		w.b = append(w.b, '[')
		for i := range m.Entities {
			w.elem(i)
			w.entity(&m.Entities[i])
		}
		w.endList()
	}
	w.omitBool("cancel", m.Cancel)
	w.omitBool("correction", m.Correction)
	w.omitStr("label", m.Label)
	w.key("customer")
	w.anyMap(m.Customer)
	w.omitBool("searched", m.Searched)
	omitMap(w, "agents_online", m.AgentsOnline, w.intValue)
	if q := m.QueueStatus; q != nil {
		// QueueStatus has no JSON names: its fields' own.
		w.key("queue_status")
		w.open()
		w.str("Queue", q.Queue)
		w.int("Position", int64(q.Position))
		w.int("Wait", int64(q.Wait))
		w.int("Available", int64(q.Available))
		w.close()
	}
	w.close()
}

// entity writes an nlu.Entity, which has no JSON names: its fields' own.
func (w *jsonWriter) entity(e *nlu.Entity) {
	w.open()
	w.str("Type", e.Type)
	w.str("Value", e.Value)
	w.float("Number", e.Number)
	w.str("Currency", e.Currency)
	w.str("Text", e.Text)
	w.int("Start", int64(e.Start))
	w.int("End", int64(e.End))
	w.omitBool("Negated", e.Negated)
	w.close()
}

func (w *jsonWriter) slotValue(v SlotValue) {
	w.open()
	w.str("value", v.Value)
	if v.Number != nil {
		w.float("number", *v.Number)
	}
	if r := v.Range; r != nil {
		w.key("range")
		w.open()
		w.str("start", r.Start)
		w.str("end", r.End)
		w.close()
	}
	w.close()
}

func (w *jsonWriter) effect(e *Effect) {
	w.open()
	w.str("id", e.ID)
	w.str("kind", string(e.Kind))
	if r := e.Reply; r != nil {
		w.key("reply")
		w.open()
		w.str("text", r.Text)
		w.omitStr("response", r.Response)
		w.buttons("buttons", r.Buttons)
		w.close()
	}
	if c := e.Call; c != nil {
		w.key("call")
		w.callRequest(c)
	}
	if e.Ticket != nil {
		w.marshal("ticket", e.Ticket)
	}
	if e.Handoff != nil {
		w.marshal("handoff", e.Handoff)
	}
	if e.Approval != nil {
		w.marshal("approval", e.Approval)
	}
	w.close()
}

func (w *jsonWriter) callRequest(c *CallRequest) {
	w.open()
	w.str("name", c.Name)
	w.str("connector", c.Connector)
	w.str("operation", c.Operation)
	w.key("input")
	w.anyMap(c.Input)
	w.str("idempotency_key", c.IdempotencyKey)
	w.close()
}

func (w *jsonWriter) state(st *State) {
	w.open()
	w.str("conversation_id", st.ConversationID)
	w.int("seq", st.Seq)
	w.omitStr("language", st.Language)
	w.omitInt("turns", int64(st.Turns))
	w.omitInt("failures", int64(st.Failures))
	w.time("last_activity", st.LastActivity)
	if st.Last != nil {
		w.key("last")
		w.message(st.Last)
	}
	if len(st.Stack) > 0 {
		w.key("stack")
		w.b = append(w.b, '[')
		for i := range st.Stack {
			w.elem(i)
			w.frame(&st.Stack[i])
		}
		w.endList()
	}
	if p := st.Pending; p != nil {
		w.key("pending")
		w.open()
		w.key("effect")
		w.effect(&p.Effect)
		w.key("resume")
		w.resume(&p.Resume)
		w.close()
	}
	w.omitStr("last_response", st.LastResponse)
	w.omitStr("said_before", st.SaidBefore)
	omitMap(w, "fired", st.Fired, w.boolValue)
	w.omitAnyMap("memory", st.Memory)
	w.buttons("offered", st.Offered)
	w.omitStr("ticket_id", st.TicketID)
	w.omitBool("handed_off", st.HandedOff)
	w.omitStr("handoff_queue", st.HandoffQueue)
	w.omitStr("agent", st.Agent)
	w.omitBool("surveying", st.Surveying)
	w.omitBool("ended", st.Ended)
	if len(st.Approvals) > 0 {
		w.marshal("approvals", st.Approvals)
	}
	if st.Session != nil {
		w.key("session")
		w.session(st.Session)
	}
	w.close()
}

// session: most states after the first message carry one.
func (w *jsonWriter) session(l *SessionLog) {
	w.open()
	w.omitInt("messages", int64(l.Messages))
	w.omitInt("not_understood", int64(l.NotUnderstood))
	w.omitStr("misread", l.Misread)
	w.omitFloat("sentiment", l.Sentiment)
	if len(l.Notes) > 0 {
		w.key("notes")
		w.b = append(w.b, '[')
		for i := range l.Notes {
			w.elem(i)
			n := &l.Notes[i]
			w.open()
			w.str("kind", n.Kind)
			w.str("name", n.Name)
			w.omitStr("said", n.Said)
			w.omitStr("status", n.Status)
			omitMap(w, "slots", n.Slots, w.string)
			w.omitStr("found", n.Found)
			if n.Amount != nil {
				w.float("amount", *n.Amount)
			}
			w.omitStr("why", n.Why)
			w.close()
		}
		w.endList()
	}
	w.close()
}

func (w *jsonWriter) frame(f *Frame) {
	w.open()
	w.str("dialog", f.Dialog)
	omitMap(w, "slots", f.Slots, w.slotValue)
	omitMap(w, "calls", f.Calls, w.callResult)
	w.omitStr("asking", f.Asking)
	w.omitBool("confirmed", f.Confirmed)
	omitMap(w, "retries", f.Retries, w.intValue)
	omitMap(w, "offers", f.Offers, w.slotValue)
	omitMap(w, "held", f.Held, w.slotValue)
	if len(f.Preset) > 0 {
		w.marshal("preset", f.Preset)
	}
	if f.Switch != nil {
		w.marshal("switch", f.Switch)
	}
	w.omitStr("question", f.Question)
	w.close()
}

func (w *jsonWriter) callResult(c CallResult) {
	w.open()
	w.omitAnyMap("data", c.Data)
	w.omitStr("error", c.Error)
	w.close()
}

func (w *jsonWriter) intValue(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

func (w *jsonWriter) boolValue(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *jsonWriter) resume(r *Resume) {
	w.open()
	w.omitStr("dialog", r.Dialog)
	w.omitStr("call", r.Call)
	if len(r.Runs) > 0 {
		w.key("runs")
		w.b = append(w.b, '[')
		for i := range r.Runs {
			w.elem(i)
			w.run(&r.Runs[i])
		}
		w.endList()
	}
	w.close()
}

func (w *jsonWriter) run(r *Run) {
	w.open()
	w.key("ref")
	w.open()
	w.str("kind", r.Ref.Kind)
	w.omitStr("dialog", r.Ref.Dialog)
	w.omitStr("name", r.Ref.Name)
	w.omitInt("on_error_of", int64(r.Ref.OnErrorOf))
	w.omitStr("code", r.Ref.Code)
	w.omitInt("approval_of", int64(r.Ref.ApprovalOf))
	w.omitStr("decision", r.Ref.Decision)
	w.close()
	w.int("phase", int64(r.Phase))
	w.omitInt("call_index", int64(r.CallIndex))
	omitMap(w, "calls", r.Calls, w.callResult)
	w.omitStr("ticket_id", r.TicketID)
	w.omitStr("finish", r.Finish)
	if r.Frame != nil {
		w.key("frame")
		w.frame(r.Frame)
	}
	w.omitBool("for_handoff", r.ForHandoff)
	if h := r.Handoff; h != nil {
		w.key("handoff")
		w.open()
		w.str("queue", h.Queue)
		w.omitStr("priority", h.Priority)
		w.omitStr("reason", h.Reason)
		w.close()
	}
	if r.Approved != nil {
		w.key("approved")
		w.callRequest(r.Approved)
	}
	w.close()
}

func (w *jsonWriter) buttons(name string, bs []ReplyButton) {
	if len(bs) == 0 {
		return
	}
	w.key(name)
	w.b = append(w.b, '[')
	for i := range bs {
		w.elem(i)
		w.open()
		w.str("label", bs[i].Label)
		w.str("payload", bs[i].Payload)
		w.close()
	}
	w.endList()
}
