package dialog

import (
	"encoding/json"
	"strconv"

	"github.com/parleyhq/parley/dialog/internal/jsonw"
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
	w := jsonWriter{jsonw.Writer{B: b}}
	w.event(ev)
	if w.Err != nil {
		// encoding/json says what is wrong with it (a NaN, a time it can't write).
		raw, err := json.Marshal(ev)
		return append(b, raw...), err
	}
	return w.B, nil
}

// AppendJSON appends st as json.Marshal encodes it.
func (st *State) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{jsonw.Writer{B: b}}
	w.state(st)
	if w.Err != nil {
		raw, err := json.Marshal(st)
		return append(b, raw...), err
	}
	return w.B, nil
}

func (w *jsonWriter) event(ev *Event) {
	w.Open()
	w.Str("type", ev.Type)
	w.Time("at", ev.At)
	if ev.Message != nil {
		w.Key("message")
		w.message(ev.Message)
	}
	w.OmitStr("language", ev.Language)
	w.OmitStr("intent", ev.Intent)
	w.OmitFloat("confidence", ev.Confidence)
	w.OmitStr("dialog", ev.Dialog)
	w.OmitStr("slot", ev.Slot)
	if ev.Value != nil {
		w.Key("value")
		w.slotValue(*ev.Value)
	}
	if len(ev.Invalidated) > 0 {
		w.Marshal("invalidated", ev.Invalidated)
	}
	w.OmitBool("clear", ev.Clear)
	w.OmitBool("retry", ev.Retry)
	w.OmitBool("preset", ev.Preset)
	w.OmitStr("answer", ev.Answer)
	w.OmitStr("rule", ev.Rule)
	w.OmitStr("outcome", ev.Outcome)
	if ev.Amount != nil {
		w.Float("amount", *ev.Amount)
	}
	w.OmitStr("call", ev.Call)
	if ev.Effect != nil {
		w.Key("effect")
		w.effect(ev.Effect)
	}
	if ev.Resume != nil {
		w.Key("resume")
		w.resume(ev.Resume)
	}
	w.OmitAnyMap("data", ev.Data)
	w.OmitStr("error", ev.Error)
	w.OmitStr("ticket_id", ev.TicketID)
	if ev.Knowledge != nil {
		w.Marshal("knowledge", ev.Knowledge)
	}
	w.OmitAnyMap("memory", ev.Memory)
	w.OmitBool("offer", ev.Offer)
	w.OmitStr("next", ev.Next)
	if ev.NextMessage != nil {
		w.Key("next_message")
		w.message(ev.NextMessage)
	}
	w.OmitBool("reset_retries", ev.ResetRetries)
	if ev.Approval != nil {
		w.Marshal("approval", ev.Approval)
	}
	if ev.Ticket != nil {
		w.Marshal("ticket", ev.Ticket)
	}
	w.OmitStr("agent", ev.Agent)
	w.OmitStr("agent_name", ev.AgentName)
	w.OmitStr("note", ev.Note)
	w.OmitStr("text", ev.Text)
	w.OmitStr("queue", ev.Queue)
	w.OmitInt("score", int64(ev.Score))
	w.OmitStr("comment", ev.Comment)
	w.OmitStr("reason", ev.Reason)
	w.OmitBool("reset", ev.Reset)
	w.OmitBool("abandon", ev.Abandon)
	w.Close()
}

func (w *jsonWriter) message(m *MessageRecord) {
	w.Open()
	w.OmitStr("id", m.ID)
	w.Str("text", m.Text)
	w.OmitStr("language", m.Language)
	w.OmitStr("intent", m.Intent)
	w.OmitFloat("confidence", m.Confidence)
	w.OmitFloat("sentiment", m.Sentiment)
	if len(m.Entities) > 0 {
		w.Key("entities")
		w.B = append(w.B, '[')
		for i := range m.Entities {
			w.Elem(i)
			w.entity(&m.Entities[i])
		}
		w.EndList()
	}
	w.OmitBool("cancel", m.Cancel)
	w.OmitBool("correction", m.Correction)
	w.OmitStr("label", m.Label)
	w.Key("customer")
	w.AnyMap(m.Customer)
	w.OmitBool("searched", m.Searched)
	jsonw.OmitMap(&w.Writer, "agents_online", m.AgentsOnline, w.intValue)
	if q := m.QueueStatus; q != nil {
		// QueueStatus has no JSON names: its fields' own.
		w.Key("queue_status")
		w.Open()
		w.Str("Queue", q.Queue)
		w.Int("Position", int64(q.Position))
		w.Int("Wait", int64(q.Wait))
		w.Int("Available", int64(q.Available))
		w.Close()
	}
	w.Close()
}

// entity writes an nlu.Entity, which has no JSON names: its fields' own.
func (w *jsonWriter) entity(e *nlu.Entity) {
	w.Open()
	w.Str("Type", e.Type)
	w.Str("Value", e.Value)
	w.Float("Number", e.Number)
	w.Str("Currency", e.Currency)
	w.Str("Text", e.Text)
	w.Int("Start", int64(e.Start))
	w.Int("End", int64(e.End))
	w.OmitBool("Negated", e.Negated)
	w.Close()
}

func (w *jsonWriter) slotValue(v SlotValue) {
	w.Open()
	w.Str("value", v.Value)
	if v.Number != nil {
		w.Float("number", *v.Number)
	}
	if r := v.Range; r != nil {
		w.Key("range")
		w.Open()
		w.Str("start", r.Start)
		w.Str("end", r.End)
		w.Close()
	}
	w.Close()
}

func (w *jsonWriter) effect(e *Effect) {
	w.Open()
	w.Str("id", e.ID)
	w.Str("kind", string(e.Kind))
	if r := e.Reply; r != nil {
		w.Key("reply")
		w.Open()
		w.Str("text", r.Text)
		w.OmitStr("response", r.Response)
		w.buttons("buttons", r.Buttons)
		w.Close()
	}
	if c := e.Call; c != nil {
		w.Key("call")
		w.callRequest(c)
	}
	if e.Ticket != nil {
		w.Marshal("ticket", e.Ticket)
	}
	if e.Handoff != nil {
		w.Marshal("handoff", e.Handoff)
	}
	if e.Approval != nil {
		w.Marshal("approval", e.Approval)
	}
	w.Close()
}

func (w *jsonWriter) callRequest(c *CallRequest) {
	w.Open()
	w.Str("name", c.Name)
	w.Str("connector", c.Connector)
	w.Str("operation", c.Operation)
	w.Key("input")
	w.AnyMap(c.Input)
	w.Str("idempotency_key", c.IdempotencyKey)
	w.Close()
}

func (w *jsonWriter) state(st *State) {
	w.Open()
	w.Str("conversation_id", st.ConversationID)
	w.Int("seq", st.Seq)
	w.OmitStr("language", st.Language)
	w.OmitInt("turns", int64(st.Turns))
	w.OmitInt("failures", int64(st.Failures))
	w.Time("last_activity", st.LastActivity)
	if st.Last != nil {
		w.Key("last")
		w.message(st.Last)
	}
	if len(st.Stack) > 0 {
		w.Key("stack")
		w.B = append(w.B, '[')
		for i := range st.Stack {
			w.Elem(i)
			w.frame(&st.Stack[i])
		}
		w.EndList()
	}
	if p := st.Pending; p != nil {
		w.Key("pending")
		w.Open()
		w.Key("effect")
		w.effect(&p.Effect)
		w.Key("resume")
		w.resume(&p.Resume)
		w.Close()
	}
	w.OmitStr("last_response", st.LastResponse)
	w.OmitStr("said_before", st.SaidBefore)
	jsonw.OmitMap(&w.Writer, "fired", st.Fired, w.boolValue)
	w.OmitAnyMap("memory", st.Memory)
	w.buttons("offered", st.Offered)
	w.OmitStr("ticket_id", st.TicketID)
	w.OmitBool("handed_off", st.HandedOff)
	w.OmitStr("handoff_queue", st.HandoffQueue)
	w.OmitStr("agent", st.Agent)
	if h := st.HandoffSummary; h != nil {
		w.Key("handoff_summary")
		w.Open()
		w.OmitStr("reason", h.Reason)
		if len(h.Share) > 0 {
			w.Key("share")
			w.B = append(w.B, '[')
			for i, s := range h.Share {
				w.Elem(i)
				w.String(s)
			}
			w.EndList()
		}
		w.OmitBool("auto", h.Auto)
		w.Close()
	}
	w.OmitBool("surveying", st.Surveying)
	w.OmitBool("ended", st.Ended)
	if len(st.Approvals) > 0 {
		w.Marshal("approvals", st.Approvals)
	}
	if st.Session != nil {
		w.Key("session")
		w.session(st.Session)
	}
	if len(st.Later) > 0 {
		w.Marshal("later", st.Later)
	}
	w.Close()
}

// session: most states after the first message carry one.
func (w *jsonWriter) session(l *SessionLog) {
	w.Open()
	w.OmitInt("messages", int64(l.Messages))
	w.OmitInt("not_understood", int64(l.NotUnderstood))
	w.OmitStr("misread", l.Misread)
	w.OmitFloat("sentiment", l.Sentiment)
	if len(l.Notes) > 0 {
		w.Key("notes")
		w.B = append(w.B, '[')
		for i := range l.Notes {
			w.Elem(i)
			n := &l.Notes[i]
			w.Open()
			w.Str("kind", n.Kind)
			w.Str("name", n.Name)
			w.OmitStr("said", n.Said)
			w.OmitStr("status", n.Status)
			jsonw.OmitMap(&w.Writer, "slots", n.Slots, w.String)
			w.OmitStr("found", n.Found)
			if n.Amount != nil {
				w.Float("amount", *n.Amount)
			}
			w.OmitStr("why", n.Why)
			w.Close()
		}
		w.EndList()
	}
	w.Close()
}

func (w *jsonWriter) frame(f *Frame) {
	w.Open()
	w.Str("dialog", f.Dialog)
	jsonw.OmitMap(&w.Writer, "slots", f.Slots, w.slotValue)
	jsonw.OmitMap(&w.Writer, "calls", f.Calls, w.callResult)
	w.OmitStr("asking", f.Asking)
	w.OmitBool("confirmed", f.Confirmed)
	jsonw.OmitMap(&w.Writer, "retries", f.Retries, w.intValue)
	jsonw.OmitMap(&w.Writer, "offers", f.Offers, w.slotValue)
	jsonw.OmitMap(&w.Writer, "held", f.Held, w.slotValue)
	if len(f.Preset) > 0 {
		w.Marshal("preset", f.Preset)
	}
	if f.Switch != nil {
		w.Marshal("switch", f.Switch)
	}
	w.OmitStr("question", f.Question)
	w.Close()
}

func (w *jsonWriter) callResult(c CallResult) {
	w.Open()
	w.OmitAnyMap("data", c.Data)
	w.OmitStr("error", c.Error)
	w.Close()
}

func (w *jsonWriter) intValue(n int) { w.B = strconv.AppendInt(w.B, int64(n), 10) }

func (w *jsonWriter) boolValue(v bool) { w.B = strconv.AppendBool(w.B, v) }

func (w *jsonWriter) resume(r *Resume) {
	w.Open()
	w.OmitStr("dialog", r.Dialog)
	w.OmitStr("call", r.Call)
	if len(r.Runs) > 0 {
		w.Key("runs")
		w.B = append(w.B, '[')
		for i := range r.Runs {
			w.Elem(i)
			w.run(&r.Runs[i])
		}
		w.EndList()
	}
	w.Close()
}

func (w *jsonWriter) run(r *Run) {
	w.Open()
	w.Key("ref")
	w.Open()
	w.Str("kind", r.Ref.Kind)
	w.OmitStr("dialog", r.Ref.Dialog)
	w.OmitStr("name", r.Ref.Name)
	w.OmitInt("on_error_of", int64(r.Ref.OnErrorOf))
	w.OmitStr("code", r.Ref.Code)
	w.OmitInt("approval_of", int64(r.Ref.ApprovalOf))
	w.OmitStr("decision", r.Ref.Decision)
	w.Close()
	w.Int("phase", int64(r.Phase))
	w.OmitInt("call_index", int64(r.CallIndex))
	jsonw.OmitMap(&w.Writer, "calls", r.Calls, w.callResult)
	w.OmitStr("ticket_id", r.TicketID)
	w.OmitStr("finish", r.Finish)
	if r.Frame != nil {
		w.Key("frame")
		w.frame(r.Frame)
	}
	w.OmitBool("for_handoff", r.ForHandoff)
	if h := r.Handoff; h != nil {
		w.Key("handoff")
		w.Open()
		w.Str("queue", h.Queue)
		w.OmitStr("priority", h.Priority)
		w.OmitStr("reason", h.Reason)
		w.Close()
	}
	if r.Approved != nil {
		w.Key("approved")
		w.callRequest(r.Approved)
	}
	w.Close()
}

func (w *jsonWriter) buttons(name string, bs []ReplyButton) {
	if len(bs) == 0 {
		return
	}
	w.Key(name)
	w.B = append(w.B, '[')
	for i := range bs {
		w.Elem(i)
		w.Open()
		w.Str("label", bs[i].Label)
		w.Str("payload", bs[i].Payload)
		w.Close()
	}
	w.EndList()
}
