package outcome

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/parleyhq/parley/dialog"
)

// AppendJSON appends c as json.Marshal writes it, byte for byte
// (TestContactAppendJSON holds it to that), without reflection: the engine
// encodes the open contact in every turn, and json.Marshal of this
// forty-field struct was about 1% of the server's CPU per turn. A time
// json.Marshal refuses (a year outside 0-9999, an offset of a day) falls back to it, which
// returns its error.
func (c *Contact) AppendJSON(b []byte) ([]byte, error) {
	if c == nil {
		return append(b, "null"...), nil
	}
	if !c.timesMarshal() {
		raw, err := json.Marshal(c)
		if err != nil {
			return b, err
		}
		return append(b, raw...), nil
	}
	return c.appendJSON(b), nil
}

// timesMarshal says whether every time of c, and of the contacts it holds,
// is one time.Time.MarshalJSON writes.
func (c *Contact) timesMarshal() bool {
	for ; c != nil; c = c.Prev {
		for _, t := range [...]time.Time{c.StartedAt, c.LastActivity, c.SettledAt, c.HandoffAt, c.AgentJoinedAt, c.FirstAgentReplyAt, c.AgentDoneAt} {
			if y := t.Year(); y < 0 || y > 9999 {
				return false
			}
			if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
				return false
			}
		}
	}
	return true
}

// contactWriter writes the fields of one object in order, commas between.
type contactWriter struct{ b []byte }

func (w *contactWriter) key(name string) {
	if w.b[len(w.b)-1] != '{' {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
}

func (w *contactWriter) int(name string, v int64) {
	w.key(name)
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *contactWriter) omitInt(name string, v int64) {
	if v != 0 {
		w.int(name, v)
	}
}

func (w *contactWriter) omitStr(name, v string) {
	if v != "" {
		w.key(name)
		w.b = dialog.AppendJSONString(w.b, v)
	}
}

func (w *contactWriter) omitBool(name string, v bool) {
	if v {
		w.key(name)
		w.b = append(w.b, "true"...)
	}
}

func (w *contactWriter) time(name string, t time.Time) {
	w.key(name)
	w.b = append(w.b, '"')
	w.b = t.AppendFormat(w.b, time.RFC3339Nano)
	w.b = append(w.b, '"')
}

func (w *contactWriter) omitTime(name string, t time.Time) {
	if !t.IsZero() {
		w.time(name, t)
	}
}

// appendJSON writes the fields in the struct's order, with its tags' omissions.
func (c *Contact) appendJSON(b []byte) []byte {
	w := contactWriter{b: append(b, '{')}
	w.int("seq", c.Seq)
	w.int("last_seq", c.LastSeq)
	w.time("started_at", c.StartedAt)
	w.time("last_activity", c.LastActivity)
	w.omitTime("settled_at", c.SettledAt)
	w.omitBool("timed_out", c.TimedOut)
	w.omitStr("outcome", c.Outcome)
	w.omitStr("policy_version", c.PolicyVersion)
	w.omitStr("policy_label", c.PolicyLabel)
	w.omitStr("language", c.Language)
	w.omitStr("intent", c.Intent)
	w.omitInt("intent_at", int64(c.IntentAt))
	w.omitStr("dialog", c.Dialog)
	w.omitInt("messages", int64(c.Messages))
	w.omitInt("not_understood", int64(c.NotUnderstood))
	w.omitInt("kb_answered", int64(c.KBAnswered))
	w.omitInt("unanswered", int64(c.Unanswered))
	w.omitInt("resolved", int64(c.Resolved))
	if c.PendingResolves != nil {
		w.key("pending_resolves")
		w.b = strconv.AppendBool(w.b, *c.PendingResolves)
	}
	w.omitInt("depth", int64(c.Depth))
	w.omitInt("handoffs", int64(c.Handoffs))
	w.omitBool("handoff_open", c.HandoffOpen)
	w.omitStr("queue", c.Queue)
	w.omitStr("reason", c.Reason)
	w.omitTime("handoff_at", c.HandoffAt)
	w.omitStr("agent", c.Agent)
	w.omitTime("agent_joined_at", c.AgentJoinedAt)
	w.omitTime("first_agent_reply_at", c.FirstAgentReplyAt)
	w.omitTime("agent_done_at", c.AgentDoneAt)
	w.omitInt("tickets", int64(c.Tickets))
	w.omitStr("ticket_queue", c.TicketQueue)
	w.omitStr("ticket_priority", c.TicketPriority)
	w.omitInt("approvals", int64(c.Approvals))
	w.omitBool("survey_asked", c.SurveyAsked)
	w.omitInt("score", int64(c.Score))
	w.omitStr("comment", c.Comment)
	if c.Prev != nil {
		w.key("prev")
		w.b = c.Prev.appendJSON(w.b)
	}
	w.omitInt("replies", int64(c.Replies))
	w.omitInt("reply_ms", c.ReplyMS)
	if len(c.ReplyBuckets) > 0 {
		w.key("reply_buckets")
		w.b = append(w.b, '[')
		for i, n := range c.ReplyBuckets {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = strconv.AppendInt(w.b, int64(n), 10)
		}
		w.b = append(w.b, ']')
	}
	return append(w.b, '}')
}
