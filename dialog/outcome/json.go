package outcome

import (
	"encoding/json"
	"strconv"

	"github.com/parleyhq/parley/dialog/internal/jsonw"
)

// AppendJSON appends c as json.Marshal writes it, byte for byte
// (TestContactAppendJSON holds it to that), without reflection: the engine
// encodes the open contact in every turn, and json.Marshal of this
// forty-field struct was about 1% of the server's CPU per turn. A time
// json.Marshal refuses (a year outside 0-9999, an offset of a day) falls
// back to it, which returns its error.
func (c *Contact) AppendJSON(b []byte) ([]byte, error) {
	if c == nil {
		return append(b, "null"...), nil
	}
	w := jsonw.Writer{B: b}
	c.write(&w)
	if w.Err != nil {
		raw, err := json.Marshal(c)
		if err != nil {
			return b, err
		}
		return append(b, raw...), nil
	}
	return w.B, nil
}

// write writes the fields in the struct's order, with its tags' omissions.
func (c *Contact) write(w *jsonw.Writer) {
	w.Open()
	w.Int("seq", c.Seq)
	w.Int("last_seq", c.LastSeq)
	w.Time("started_at", c.StartedAt)
	w.Time("last_activity", c.LastActivity)
	w.OmitTime("settled_at", c.SettledAt)
	w.OmitBool("timed_out", c.TimedOut)
	w.OmitStr("outcome", c.Outcome)
	w.OmitStr("policy_version", c.PolicyVersion)
	w.OmitStr("policy_label", c.PolicyLabel)
	w.OmitStr("language", c.Language)
	w.OmitStr("intent", c.Intent)
	w.OmitInt("intent_at", int64(c.IntentAt))
	w.OmitStr("dialog", c.Dialog)
	w.OmitInt("messages", int64(c.Messages))
	w.OmitInt("not_understood", int64(c.NotUnderstood))
	w.OmitInt("kb_answered", int64(c.KBAnswered))
	w.OmitInt("unanswered", int64(c.Unanswered))
	w.OmitInt("resolved", int64(c.Resolved))
	if c.PendingResolves != nil {
		w.Key("pending_resolves")
		w.B = strconv.AppendBool(w.B, *c.PendingResolves)
		w.Comma = true
	}
	w.OmitInt("depth", int64(c.Depth))
	w.OmitInt("handoffs", int64(c.Handoffs))
	w.OmitBool("handoff_open", c.HandoffOpen)
	w.OmitStr("queue", c.Queue)
	w.OmitStr("reason", c.Reason)
	w.OmitTime("handoff_at", c.HandoffAt)
	w.OmitStr("agent", c.Agent)
	w.OmitTime("agent_joined_at", c.AgentJoinedAt)
	w.OmitTime("first_agent_reply_at", c.FirstAgentReplyAt)
	w.OmitTime("agent_done_at", c.AgentDoneAt)
	w.OmitInt("tickets", int64(c.Tickets))
	w.OmitStr("ticket_queue", c.TicketQueue)
	w.OmitStr("ticket_priority", c.TicketPriority)
	w.OmitInt("approvals", int64(c.Approvals))
	w.OmitBool("survey_asked", c.SurveyAsked)
	w.OmitInt("score", int64(c.Score))
	w.OmitStr("comment", c.Comment)
	if c.Prev != nil {
		w.Key("prev")
		c.Prev.write(w)
	}
	w.OmitInt("replies", int64(c.Replies))
	w.OmitInt("reply_ms", c.ReplyMS)
	if len(c.ReplyBuckets) > 0 {
		w.Key("reply_buckets")
		w.B = append(w.B, '[')
		for i, n := range c.ReplyBuckets {
			w.Elem(i)
			w.B = strconv.AppendInt(w.B, int64(n), 10)
		}
		w.EndList()
	}
	w.Close()
}
