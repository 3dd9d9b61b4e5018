package dialog

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

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

// jsonWriter writes JSON as encoding/json does; after the first error it
// writes nothing that matters, and the caller asks encoding/json instead.
type jsonWriter struct {
	b     []byte
	err   error
	comma bool // the object being written has a field already
}

var errNotJSON = errors.New("a value JSON cannot hold")

func (w *jsonWriter) open() {
	w.b = append(w.b, '{')
	w.comma = false
}

func (w *jsonWriter) close() {
	w.b = append(w.b, '}')
	w.comma = true
}

// key starts a field; name needs no escaping.
func (w *jsonWriter) key(name string) {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
	w.comma = false
}

// Fields: always written, or (the omit ones) only when not empty.
func (w *jsonWriter) str(name, s string) { w.key(name); w.string(s); w.comma = true }

func (w *jsonWriter) omitStr(name, s string) {
	if s != "" {
		w.str(name, s)
	}
}

func (w *jsonWriter) omitBool(name string, v bool) {
	if v {
		w.key(name)
		w.b = append(w.b, "true"...)
		w.comma = true
	}
}

func (w *jsonWriter) int(name string, n int64) {
	w.key(name)
	w.b = strconv.AppendInt(w.b, n, 10)
	w.comma = true
}

func (w *jsonWriter) omitInt(name string, n int64) {
	if n != 0 {
		w.int(name, n)
	}
}

func (w *jsonWriter) float(name string, f float64) { w.key(name); w.number(f); w.comma = true }

func (w *jsonWriter) omitFloat(name string, f float64) {
	if f != 0 {
		w.float(name, f)
	}
}

func (w *jsonWriter) time(name string, t time.Time) {
	w.key(name)
	w.b = append(w.b, '"')
	n := len(w.b)
	w.b = t.AppendFormat(w.b, time.RFC3339Nano)
	// What time.Time.MarshalJSON refuses: a year of other than 4 digits, a
	// zone of 24 hours or more or with seconds.
	s := w.b[n:]
	if len(s) < 5 || s[4] != '-' {
		w.err = errNotJSON
	} else if s[len(s)-1] != 'Z' {
		c := s[len(s)-6]
		if '0' <= c && c <= '9' || 10*(s[len(s)-5]-'0')+(s[len(s)-4]-'0') >= 24 {
			w.err = errNotJSON
		}
	}
	w.b = append(w.b, '"')
	w.comma = true
}

// marshal writes a field's value with encoding/json: the rare kinds.
func (w *jsonWriter) marshal(name string, v any) {
	w.key(name)
	w.value(v)
	w.comma = true
}

func (w *jsonWriter) value(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		w.err = err
		return
	}
	w.b = append(w.b, raw...)
}

// string writes s as encoding/json does, with HTML characters escaped.
func (w *jsonWriter) string(s string) {
	b := append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	w.b = append(b, '"')
}

const hexDigits = "0123456789abcdef"

// number writes a float64 as encoding/json does (like ES6).
func (w *jsonWriter) number(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		w.err = errNotJSON
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	w.b = strconv.AppendFloat(w.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 as e-9
		if n := len(w.b); n >= 4 && w.b[n-4] == 'e' && w.b[n-3] == '-' && w.b[n-2] == '0' {
			w.b[n-2] = w.b[n-1]
			w.b = w.b[:n-1]
		}
	}
}

// any writes a JSON-like value (what decoding JSON or converting a connector's
// result makes); anything else goes to encoding/json.
func (w *jsonWriter) any(v any) {
	switch x := v.(type) {
	case nil:
		w.b = append(w.b, "null"...)
	case string:
		w.string(x)
	case bool:
		w.b = strconv.AppendBool(w.b, x)
	case float64:
		w.number(x)
	case int:
		w.b = strconv.AppendInt(w.b, int64(x), 10)
	case int64:
		w.b = strconv.AppendInt(w.b, x, 10)
	case []any:
		if x == nil {
			w.b = append(w.b, "null"...)
			return
		}
		w.b = append(w.b, '[')
		for i, e := range x {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.any(e)
		}
		w.b = append(w.b, ']')
	case map[string]any:
		w.anyMap(x)
	default:
		w.value(v)
	}
}

func (w *jsonWriter) anyMap(m map[string]any) {
	w.comma = true // as a field's value
	if m == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '{')
	var keys [8]string
	for i, k := range appendSortedKeys(keys[:0], m) {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.string(k)
		w.b = append(w.b, ':')
		w.any(m[k])
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) omitAnyMap(name string, m map[string]any) {
	if len(m) > 0 {
		w.key(name)
		w.anyMap(m)
	}
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
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.entity(&m.Entities[i])
		}
		w.b = append(w.b, ']')
		w.comma = true
	}
	w.omitBool("cancel", m.Cancel)
	w.omitBool("correction", m.Correction)
	w.omitStr("label", m.Label)
	w.key("customer")
	w.anyMap(m.Customer)
	w.omitBool("searched", m.Searched)
	if len(m.AgentsOnline) > 0 {
		w.key("agents_online")
		w.b = append(w.b, '{')
		var keys [8]string
		for i, k := range appendSortedKeys(keys[:0], m.AgentsOnline) {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.string(k)
			w.b = append(w.b, ':')
			w.b = strconv.AppendInt(w.b, int64(m.AgentsOnline[k]), 10)
		}
		w.b = append(w.b, '}')
		w.comma = true
	}
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
		if len(r.Buttons) > 0 {
			w.key("buttons")
			w.buttons(r.Buttons)
		}
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
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.frame(&st.Stack[i])
		}
		w.b = append(w.b, ']')
		w.comma = true
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
	if len(st.Fired) > 0 {
		w.key("fired")
		w.b = append(w.b, '{')
		var keys [8]string
		for i, k := range appendSortedKeys(keys[:0], st.Fired) {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.string(k)
			w.b = append(w.b, ':')
			w.b = strconv.AppendBool(w.b, st.Fired[k])
		}
		w.b = append(w.b, '}')
		w.comma = true
	}
	w.omitAnyMap("memory", st.Memory)
	if len(st.Offered) > 0 {
		w.key("offered")
		w.buttons(st.Offered)
	}
	w.omitStr("ticket_id", st.TicketID)
	w.omitBool("handed_off", st.HandedOff)
	w.omitStr("handoff_queue", st.HandoffQueue)
	w.omitStr("agent", st.Agent)
	w.omitBool("surveying", st.Surveying)
	w.omitBool("ended", st.Ended)
	if len(st.Approvals) > 0 {
		w.marshal("approvals", st.Approvals)
	}
	w.close()
}

func (w *jsonWriter) frame(f *Frame) {
	w.open()
	w.str("dialog", f.Dialog)
	w.slotValues("slots", f.Slots)
	w.calls(f.Calls)
	w.omitStr("asking", f.Asking)
	w.omitBool("confirmed", f.Confirmed)
	if len(f.Retries) > 0 {
		w.key("retries")
		w.b = append(w.b, '{')
		var keys [8]string
		for i, k := range appendSortedKeys(keys[:0], f.Retries) {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.string(k)
			w.b = append(w.b, ':')
			w.b = strconv.AppendInt(w.b, int64(f.Retries[k]), 10)
		}
		w.b = append(w.b, '}')
		w.comma = true
	}
	w.slotValues("offers", f.Offers)
	w.slotValues("held", f.Held)
	if f.Switch != nil {
		w.marshal("switch", f.Switch)
	}
	w.close()
}

func (w *jsonWriter) slotValues(name string, m map[string]SlotValue) {
	if len(m) == 0 {
		return
	}
	w.key(name)
	w.b = append(w.b, '{')
	var keys [8]string
	for i, k := range appendSortedKeys(keys[:0], m) {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.string(k)
		w.b = append(w.b, ':')
		w.slotValue(m[k])
	}
	w.b = append(w.b, '}')
	w.comma = true
}

func (w *jsonWriter) calls(m map[string]CallResult) {
	if len(m) == 0 {
		return
	}
	w.key("calls")
	w.b = append(w.b, '{')
	var keys [8]string
	for i, k := range appendSortedKeys(keys[:0], m) {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.string(k)
		w.b = append(w.b, ':')
		c := m[k]
		w.open()
		w.omitAnyMap("data", c.Data)
		w.omitStr("error", c.Error)
		w.close()
	}
	w.b = append(w.b, '}')
	w.comma = true
}

func (w *jsonWriter) resume(r *Resume) {
	w.open()
	w.omitStr("dialog", r.Dialog)
	w.omitStr("call", r.Call)
	if len(r.Runs) > 0 {
		w.key("runs")
		w.b = append(w.b, '[')
		for i := range r.Runs {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.run(&r.Runs[i])
		}
		w.b = append(w.b, ']')
		w.comma = true
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
	w.calls(r.Calls)
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

// appendSortedKeys appends m's keys in order to keys, which callers make
// from an array on their stack: most maps here have a few keys.
func appendSortedKeys[V any](keys []string, m map[string]V) []string {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (w *jsonWriter) buttons(bs []ReplyButton) {
	w.b = append(w.b, '[')
	for i, btn := range bs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.open()
		w.str("label", btn.Label)
		w.str("payload", btn.Payload)
		w.close()
	}
	w.b = append(w.b, ']')
	w.comma = true
}
