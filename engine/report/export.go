package report

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// exportPage is how many rows an export reads at a time: exports stream, so
// memory stays the same whatever the period holds.
const exportPage = 500

// ExportFormats are the formats exports take.
var ExportFormats = []string{"jsonl", "csv"}

// exporter writes rows as JSON lines or CSV.
type exporter struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	header []string
	enc    *json.Encoder
}

func newExporter(w io.Writer, format string, header []string) (*exporter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case "jsonl":
		return &exporter{bw: bw, enc: json.NewEncoder(bw), header: header}, nil
	case "csv":
		cw := csv.NewWriter(bw)
		if err := cw.Write(header); err != nil {
			return nil, err
		}
		return &exporter{bw: bw, cw: cw, header: header}, nil
	}
	return nil, fmt.Errorf("unknown export format %q; use jsonl or csv", format)
}

// row writes one record; fields must follow the header's order.
func (x *exporter) row(fields []any) error {
	if x.enc != nil {
		obj := make(map[string]any, len(fields))
		for i, f := range fields {
			obj[x.keys()[i]] = f
		}
		return x.enc.Encode(orderedJSON{keys: x.keys(), m: obj})
	}
	rec := make([]string, len(fields))
	for i, f := range fields {
		switch v := f.(type) {
		case string:
			rec[i] = v
		case int64:
			rec[i] = strconv.FormatInt(v, 10)
		case time.Time:
			rec[i] = v.UTC().Format(time.RFC3339Nano)
		case json.RawMessage:
			rec[i] = string(v)
		default:
			b, _ := json.Marshal(v)
			rec[i] = string(b)
		}
	}
	return x.cw.Write(rec)
}

func (x *exporter) keys() []string { return x.header }

func (x *exporter) flush() error {
	if x.cw != nil {
		x.cw.Flush()
		if err := x.cw.Error(); err != nil {
			return err
		}
	}
	return x.bw.Flush()
}

// orderedJSON writes an object with its keys in a fixed order.
type orderedJSON struct {
	keys []string
	m    map[string]any
}

func (o orderedJSON) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, k := range o.keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(o.m[k])
		if err != nil {
			return nil, err
		}
		buf = append(append(append(buf, kb...), ':'), vb...)
	}
	return append(buf, '}'), nil
}

// ExportAudit streams the audit entries written in [from, to), oldest first,
// with personal data masked as the bot's privacy block says (entries are
// masked when written; this masks them again, for a privacy block that has
// since grown). It returns how many it wrote.
func ExportAudit(ctx context.Context, st store.Store, bot *policies.Bot, w io.Writer, format string, from, to time.Time) (int, error) {
	x, err := newExporter(w, format, []string{"id", "at", "actor", "action", "conversation_id", "detail"})
	if err != nil {
		return 0, err
	}
	masker := bot.Masker()
	n := 0
	var after int64
	for {
		page, err := st.Audit(ctx, store.AuditFilter{Forward: true, AfterID: after, Since: from, Until: to, Limit: exportPage})
		if err != nil {
			return n, fmt.Errorf("export audit: %w", err)
		}
		for _, a := range page {
			if err := x.row([]any{a.ID, a.At, a.Actor, a.Action, a.ConversationID, MaskAuditDetail(masker, a.Action, a.Detail)}); err != nil {
				return n, fmt.Errorf("export audit: %w", err)
			}
			n++
		}
		if len(page) < exportPage {
			break
		}
		after = page[len(page)-1].ID
	}
	return n, x.flush()
}

// MaskAuditDetail masks an audit entry's detail as MaskJSON does, except
// the policy versions a rollout entry names: ids (engine.ID), whose digits
// are no phone number.
func MaskAuditDetail(m *policies.Masker, action string, raw json.RawMessage) json.RawMessage {
	if !strings.HasPrefix(action, "rollout.") {
		return MaskJSON(m, raw)
	}
	var detail map[string]any
	if err := json.Unmarshal(raw, &detail); err != nil || detail == nil {
		return MaskJSON(m, raw)
	}
	for _, k := range []string{"current", "candidate"} {
		if v, ok := detail[k].(string); ok {
			detail[k] = engine.ID(v)
		}
	}
	out, _ := json.Marshal(engine.MaskValue(m, detail))
	return out
}

// MaskJSON masks personal data in a JSON value (engine.MaskValue); nil stays null.
func MaskJSON(m *policies.Masker, raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("null")
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return json.RawMessage("null")
	}
	out, _ := json.Marshal(engine.MaskValue(m, v))
	return out
}

// maskEvent masks personal data in a stored event as the audit trail does
// (engine.MaskValue): fields named like personal data whole, other text by
// pattern, and what a connector was given or gave back ("input", "data")
// field by field. The one exception is the name of a call or of an action
// list (under "call" or "ref"): a name from the bot, not personal data,
// which masking by its key turned from "update" into "u****e".
func maskEvent(m *policies.Masker, raw json.RawMessage) json.RawMessage {
	if raw == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return MaskJSON(m, raw)
	}
	var walk func(v any, parent string) any
	walk = func(v any, parent string) any {
		switch x := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(x))
			for k, e := range x {
				switch _, isText := e.(string); {
				case k == "input" || k == "data":
					out[k] = engine.MaskValue(m, e)
				case k == "name" && (parent == "call" || parent == "ref"):
					out[k] = e
				case isText:
					out[k] = engine.MaskField(m, k, e)
				default:
					out[k] = walk(e, k)
				}
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = walk(e, parent)
			}
			return out
		}
		return engine.MaskValue(m, v)
	}
	out, _ := json.Marshal(walk(v, ""))
	return out
}

// ExportConversations streams every event of the conversations created in
// [from, to), conversation by conversation, with personal data masked: the
// complete record of what customers, the bot and agents said and did. It
// returns how many events it wrote.
func ExportConversations(ctx context.Context, st store.Store, bot *policies.Bot, w io.Writer, format string, from, to time.Time) (int, error) {
	x, err := newExporter(w, format, []string{"conversation_id", "customer_id", "channel", "policy_version", "seq", "at", "type", "from", "text", "data"})
	if err != nil {
		return 0, err
	}
	masker := bot.Masker()
	n := 0
	var after *store.Conversation
	for {
		convs, err := st.Conversations(ctx, store.ConversationFilter{From: from, To: to, After: after, Limit: exportPage})
		if err != nil {
			return n, fmt.Errorf("export conversations: %w", err)
		}
		for _, c := range convs {
			var seq int64
			for {
				evs, err := st.Events(ctx, c.ID, seq, exportPage)
				if err != nil {
					return n, fmt.Errorf("export conversation %s: %w", c.ID, err)
				}
				for _, ev := range evs {
					who, text := speaker(ev)
					if err := x.row([]any{c.ID, c.CustomerID, c.Channel, c.PolicyVersion, ev.Seq, ev.At, ev.Type, who, masker.Text(text), maskEvent(masker, ev.Data)}); err != nil {
						return n, fmt.Errorf("export conversations: %w", err)
					}
					n++
				}
				if len(evs) < exportPage {
					break
				}
				seq = evs[len(evs)-1].Seq
			}
		}
		if len(convs) < exportPage {
			break
		}
		after = &convs[len(convs)-1]
	}
	return n, x.flush()
}

// speaker says who an event's words are from, and what they said, if anyone.
func speaker(ev store.Event) (string, string) {
	var d dialog.Event
	if json.Unmarshal(ev.Data, &d) != nil {
		return "", ""
	}
	switch {
	case d.Type == dialog.EventMessageReceived && d.Message != nil:
		return "customer", d.Message.Text
	case d.Type == dialog.EventReplySent && d.Effect != nil && d.Effect.Reply != nil:
		return "bot", d.Effect.Reply.Text
	case d.Type == dialog.EventAgentMessage:
		return "agent", d.Text
	case d.Type == dialog.EventAgentNote:
		return "agent_note", d.Text
	}
	return "", ""
}
