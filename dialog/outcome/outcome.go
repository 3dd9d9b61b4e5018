// Package outcome says what came of each contact with a customer. It is a pure
// fold of a conversation's events (and the bot), like dialog.Apply: no I/O, no
// clock. The engine keeps the open contact between turns and writes one outcome
// row per contact; docs/reports.md defines every field and kind precisely.
//
// A contact starts with a customer message when the conversation has no open
// contact, and is settled by the turn that ends it (the conversation ends, an
// agent closes the handoff or hands it back) or, when the customer goes quiet,
// by the engine's sweeper once the bot's session_timeout has passed. Events
// that come after it settled without starting a new contact (a survey answer,
// an agent who picks up an abandoned handoff, what follows a person's decision
// on an approval the bot asked for) revise it. The decision itself changes no
// outcome: a contact that asked for an approval stays an approval whether it
// was approved, rejected or expired, unless what follows hands it to a person
// or opens a ticket, which come first in the order of classify.
package outcome

import (
	"hash/fnv"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/policies"
)

// Outcome kinds, one per settled contact.
const (
	BotResolved      = "bot_resolved"
	AgentResolved    = "agent_resolved"
	Ticket           = "ticket"
	Approval         = "approval"
	AbandonedInQueue = "abandoned_in_queue"
	Abandoned        = "abandoned"
	NotUnderstood    = "not_understood"
	Unresolved       = "unresolved"
)

// Kinds lists the outcome kinds in the order reports show them.
var Kinds = []string{BotResolved, AgentResolved, Ticket, Approval, AbandonedInQueue, Abandoned, NotUnderstood, Unresolved}

// ReplyBounds are the upper bounds of the bot response-time buckets a contact
// counts its replies in; a last bucket holds the slower ones.
var ReplyBounds = []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 3 * time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second}

// Contact is one contact and everything its outcome is made of. It is plain
// JSON: the engine keeps the open (or last settled) one with the conversation.
type Contact struct {
	Seq     int64 `json:"seq"` // the seq of its first event; with the conversation id, its key
	LastSeq int64 `json:"last_seq"`

	StartedAt    time.Time `json:"started_at"`
	LastActivity time.Time `json:"last_activity"` // the last customer message or agent action
	SettledAt    time.Time `json:"settled_at,omitzero"`
	TimedOut     bool      `json:"timed_out,omitempty"` // settled because the customer went quiet
	Outcome      string    `json:"outcome,omitempty"`   // set when settled

	PolicyVersion string `json:"policy_version,omitempty"`
	PolicyLabel   string `json:"policy_label,omitempty"`
	Language      string `json:"language,omitempty"`
	Intent        string `json:"intent,omitempty"` // the first confident intent the bot acted on
	// IntentAt is Messages when Intent was set: a knowledge answer to that
	// same message means the bot answered the passage, not the intent.
	IntentAt int    `json:"intent_at,omitempty"`
	Dialog   string `json:"dialog,omitempty"` // the first dialog started

	Messages      int `json:"messages,omitempty"`
	NotUnderstood int `json:"not_understood,omitempty"`
	KBAnswered    int `json:"kb_answered,omitempty"`
	Unanswered    int `json:"unanswered,omitempty"`

	// Resolved: 1 once the bot resolved a request, -1 when a rule or outcome
	// marked resolves = false applied last, 0 neither.
	Resolved int `json:"resolved,omitempty"`
	// PendingResolves is what the last rule or outcome said, applied when its
	// dialog completes.
	PendingResolves *bool `json:"pending_resolves,omitempty"`
	Depth           int   `json:"depth,omitempty"` // dialogs open

	Handoffs          int       `json:"handoffs,omitempty"`
	HandoffOpen       bool      `json:"handoff_open,omitempty"`
	Queue             string    `json:"queue,omitempty"` // the queue it waited in last
	Reason            string    `json:"reason,omitempty"`
	HandoffAt         time.Time `json:"handoff_at,omitzero"`
	Agent             string    `json:"agent,omitempty"` // the first agent who joined
	AgentJoinedAt     time.Time `json:"agent_joined_at,omitzero"`
	FirstAgentReplyAt time.Time `json:"first_agent_reply_at,omitzero"`
	AgentDoneAt       time.Time `json:"agent_done_at,omitzero"` // closed or handed back

	Tickets        int    `json:"tickets,omitempty"`
	TicketQueue    string `json:"ticket_queue,omitempty"`
	TicketPriority string `json:"ticket_priority,omitempty"`

	// Approvals counts the approvals the bot asked people for: a contact
	// that needed a person's decision was not resolved by the bot alone.
	Approvals int `json:"approvals,omitempty"`

	SurveyAsked bool   `json:"survey_asked,omitempty"`
	Score       int    `json:"score,omitempty"`
	Comment     string `json:"comment,omitempty"`

	// Prev is the settled contact whose survey a new message may be answering,
	// kept for the one event after that message.
	Prev *Contact `json:"prev,omitempty"`

	// Bot response times, measured by the engine (not in the log).
	Replies      int   `json:"replies,omitempty"`
	ReplyMS      int64 `json:"reply_ms,omitempty"`
	ReplyBuckets []int `json:"reply_buckets,omitempty"` // len(ReplyBounds)+1 counts
}

// Settled says whether the contact has an outcome.
func (c *Contact) Settled() bool { return c != nil && !c.SettledAt.IsZero() }

// QueueWait is how long the customer waited for an agent; false when no agent joined.
func (c *Contact) QueueWait() (time.Duration, bool) {
	if c.HandoffAt.IsZero() || c.AgentJoinedAt.IsZero() {
		return 0, false
	}
	return c.AgentJoinedAt.Sub(c.HandoffAt), true
}

// FirstAgentReply is the time from the handoff to the agent's first message.
func (c *Contact) FirstAgentReply() (time.Duration, bool) {
	if c.HandoffAt.IsZero() || c.FirstAgentReplyAt.IsZero() {
		return 0, false
	}
	return c.FirstAgentReplyAt.Sub(c.HandoffAt), true
}

// HandlingTime is the time from the agent joining to closing or handing back.
func (c *Contact) HandlingTime() (time.Duration, bool) {
	if c.AgentJoinedAt.IsZero() || c.AgentDoneAt.IsZero() {
		return 0, false
	}
	return c.AgentDoneAt.Sub(c.AgentJoinedAt), true
}

// Apply folds one event (at seq) into the conversation's current contact c
// (nil: none yet) and returns the contact the event belongs to, and the
// contact it settled when it was an earlier one (a session that expired).
// Apply never modifies c: it works on a copy.
func Apply(bot *policies.Bot, c *Contact, ev dialog.Event, seq int64) (cur, settledPrev *Contact) {
	return apply(bot, c, ev, seq, false)
}

// ApplyOwned is Apply for a contact the caller owns: one an earlier Apply
// returned as cur, which nothing else refers to (not as a settledPrev, say)
// and the caller needs no more. It changes that contact instead of a copy.
func ApplyOwned(bot *policies.Bot, c *Contact, ev dialog.Event, seq int64) (cur, settledPrev *Contact) {
	return apply(bot, c, ev, seq, true)
}

func apply(bot *policies.Bot, c *Contact, ev dialog.Event, seq int64, owned bool) (cur, settledPrev *Contact) {
	if ev.Type == dialog.EventSessionExpired && c != nil && !c.Settled() {
		prev := c.clone()
		prev.settle(ev.At, true)
		return prev, prev
	}
	if ev.Type == dialog.EventMessageReceived && (c == nil || (c.Settled() && !c.HandoffOpen)) {
		n := &Contact{Seq: seq, StartedAt: ev.At}
		if c != nil && c.SurveyAsked && c.Score == 0 {
			// This may be the answer to the survey the last contact ended with:
			// the next event says (satisfaction_recorded, or anything else).
			n.Prev = c.clone()
		}
		c = n
	} else if c == nil {
		// Agent or survey events before any message: nothing to attach them to.
		return nil, nil
	} else {
		if !owned {
			c = c.clone()
		}
		if p := c.Prev; p != nil {
			c.Prev = nil
			if ev.Type == dialog.EventSatisfactionRecorded {
				// It was the answer: it belongs to the contact that asked.
				p.LastSeq = seq
				p.fold(bot, ev)
				p.Outcome = p.classify()
				return p, nil
			}
		}
	}
	c.LastSeq = seq
	c.fold(bot, ev)
	if c.Settled() {
		// A revision: what came later changes what it settled as.
		c.Outcome = c.classify()
	}
	return c, nil
}

func (c *Contact) clone() *Contact {
	out := *c
	if c.Prev != nil {
		out.Prev = c.Prev.clone()
	}
	out.ReplyBuckets = append([]int(nil), c.ReplyBuckets...)
	if c.PendingResolves != nil {
		v := *c.PendingResolves
		out.PendingResolves = &v
	}
	return &out
}

func (c *Contact) fold(bot *policies.Bot, ev dialog.Event) {
	switch ev.Type {
	case dialog.EventMessageReceived:
		c.Messages++
		c.LastActivity = ev.At
		if ev.Language != "" {
			c.Language = ev.Language
		}
		if c.Settled() && c.HandoffOpen {
			// The customer is still waiting for a person: the contact goes on.
			c.SettledAt, c.TimedOut, c.Outcome = time.Time{}, false, ""
		}
	case dialog.EventIntentRecognized:
		if c.Intent == "" {
			c.Intent, c.IntentAt = ev.Intent, c.Messages
		}
		if c.Depth == 0 && bot != nil && answerResolves(bot, ev.Intent) {
			c.Resolved = 1
		}
	case dialog.EventNotUnderstood:
		c.NotUnderstood++
	case dialog.EventKnowledgeAnswered:
		c.KBAnswered++
		c.Resolved = 1
		if c.Intent != "" && c.IntentAt == c.Messages {
			// The turn reports no intent either (a Chinese one not settled
			// gave way to the passage): the next one the bot acts on counts.
			c.Intent, c.IntentAt = "", 0
		}
	case dialog.EventUnanswered:
		c.Unanswered++
	case dialog.EventDialogStarted:
		c.Depth++
		if c.Dialog == "" {
			c.Dialog = ev.Dialog
		}
	case dialog.EventRuleApplied:
		r := resolves(bot, ev)
		switch {
		case ev.Dialog != "":
			// A dialog's rule or outcome: it counts when the dialog completes.
			c.PendingResolves = r
		case r != nil && *r:
			c.Resolved = 1
		case r != nil:
			c.Resolved = -1
		}
	case dialog.EventDialogCompleted:
		c.Depth = max(0, c.Depth-1)
		switch p := c.PendingResolves; {
		case p == nil || *p:
			c.Resolved = 1
		default:
			c.Resolved = -1
		}
		c.PendingResolves = nil
	case dialog.EventDialogCancelled:
		c.Depth = max(0, c.Depth-1)
		c.PendingResolves = nil
	case dialog.EventTicketRequested:
		if ev.Effect != nil && ev.Effect.Ticket != nil {
			c.TicketQueue, c.TicketPriority = ev.Effect.Ticket.Queue, ev.Effect.Ticket.Priority
		}
	case dialog.EventTicketOpened:
		if ev.TicketID != "" && ev.Error == "" {
			c.Tickets++
		}
	case dialog.EventApprovalRequested:
		// Counted when asked, whatever the decision and whenever it comes:
		// a person had to look at it either way (docs/reports.md).
		c.Approvals++
	case dialog.EventHandoffRequested:
		c.Handoffs++
		c.HandoffOpen = true
		c.Depth = 0
		if ev.Effect != nil && ev.Effect.Handoff != nil {
			c.Queue = ev.Effect.Handoff.Queue
			if c.HandoffAt.IsZero() {
				c.Reason = ev.Effect.Handoff.Reason
			}
		}
		if c.HandoffAt.IsZero() {
			c.HandoffAt = ev.At
		}
	case dialog.EventHandoffTransferred:
		c.Queue = ev.Queue
		c.LastActivity = ev.At
	case dialog.EventAgentJoined:
		if c.AgentJoinedAt.IsZero() {
			c.AgentJoinedAt, c.Agent = ev.At, ev.Agent
		}
		c.LastActivity = ev.At
	case dialog.EventAgentMessage:
		if c.FirstAgentReplyAt.IsZero() {
			c.FirstAgentReplyAt = ev.At
		}
		c.LastActivity = ev.At
	case dialog.EventHandoffClosed, dialog.EventHandedBack:
		c.HandoffOpen = false
		c.Depth = 0
		if c.AgentDoneAt.IsZero() {
			c.AgentDoneAt = ev.At
		}
		if c.Agent == "" {
			c.Agent = ev.Agent
		}
		c.LastActivity = ev.At
		if !c.Settled() {
			c.settle(ev.At, false)
		}
	case dialog.EventConversationEnded:
		c.Depth = 0
		if !c.Settled() {
			c.settle(ev.At, false)
		}
	case dialog.EventSurveyRequested:
		c.SurveyAsked = true
	case dialog.EventSatisfactionRecorded:
		c.Score, c.Comment = ev.Score, ev.Comment
	case dialog.EventError:
		if ev.Reset {
			c.Depth = 0
			c.PendingResolves = nil
		}
	}
}

// Settle gives a quiet contact its outcome (the sweeper, at now). It returns
// a settled copy, or nil when c is nil or already settled.
func (c *Contact) Settle(now time.Time) *Contact {
	if c == nil || c.Settled() {
		return nil
	}
	out := c.clone()
	out.settle(now, true)
	return out
}

func (c *Contact) settle(at time.Time, timedOut bool) {
	c.SettledAt, c.TimedOut = at, timedOut
	c.Outcome = c.classify()
}

// classify is the outcome of a contact; the first rule that holds wins
// (docs/reports.md lists them in this order).
func (c *Contact) classify() string {
	switch {
	case c.Handoffs > 0 && !c.AgentDoneAt.IsZero():
		return AgentResolved
	case c.Handoffs > 0 && c.AgentJoinedAt.IsZero():
		return AbandonedInQueue
	case c.Handoffs > 0:
		return AgentResolved
	case c.Tickets > 0:
		return Ticket
	case c.Approvals > 0:
		return Approval
	case c.Resolved > 0 && c.Depth == 0:
		return BotResolved
	case c.Resolved < 0 && c.Depth == 0:
		return Unresolved
	case c.Depth > 0:
		return Abandoned
	case c.NotUnderstood > 0:
		return NotUnderstood
	default:
		return Abandoned
	}
}

// Due is when the sweeper settles the contact if nothing happens: the bot's
// session timeout after the last activity. Zero when it is settled, or when an
// agent has it (the agent closes it).
func (c *Contact) Due(bot *policies.Bot) time.Time {
	if c == nil || c.Settled() || (c.HandoffOpen && !c.AgentJoinedAt.IsZero()) {
		return time.Time{}
	}
	timeout := 30 * time.Minute
	if bot != nil && bot.SessionTimeout > 0 {
		timeout = bot.SessionTimeout
	}
	return c.LastActivity.Add(timeout)
}

// ObserveReply counts one bot response time (the engine measures it).
func (c *Contact) ObserveReply(took time.Duration) {
	if len(c.ReplyBuckets) != len(ReplyBounds)+1 {
		c.ReplyBuckets = make([]int, len(ReplyBounds)+1)
	}
	i := 0
	for i < len(ReplyBounds) && took > ReplyBounds[i] {
		i++
	}
	c.ReplyBuckets[i]++
	c.Replies++
	c.ReplyMS += took.Milliseconds()
}

// BotJustResolved says whether a turn resolved the customer's request by the
// bot alone: before it the contact was not resolved (or did not exist), after
// it it is, with no dialog open, no person involved (no handoff, ticket or
// approval) and no survey asked yet.
func BotJustResolved(before, after *Contact) bool {
	if after == nil || after.Resolved <= 0 || after.Depth > 0 || after.Handoffs > 0 || after.Tickets > 0 || after.Approvals > 0 || after.SurveyAsked {
		return false
	}
	return before == nil || before.Seq != after.Seq || before.Resolved <= 0
}

// Sampled draws whether a contact is surveyed, at rate (0 to 1), from its key:
// the same contact always draws the same, so a replayed log asks the same.
func Sampled(conversationID string, seq int64, rate float64) bool {
	if rate <= 0 {
		return false
	}
	if rate >= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(conversationID))
	var b [8]byte
	for i := range b {
		b[i] = byte(seq >> (8 * i))
	}
	h.Write(b[:])
	return float64(h.Sum64()>>11)/float64(1<<53) < rate
}

// answerResolves reports whether the intent has an answer that resolves the
// customer's request: every answer but one marked resolves = false (a greeting).
func answerResolves(bot *policies.Bot, intent string) bool {
	for _, a := range bot.Answers {
		if a != nil && a.Intent == intent {
			return a.Resolves == nil || *a.Resolves
		}
	}
	return false
}

// resolves is what the rule or outcome of a rule_applied event says, or nil.
func resolves(bot *policies.Bot, ev dialog.Event) *bool {
	if bot == nil {
		return nil
	}
	if ev.Rule != "" {
		for _, r := range bot.Rules {
			if r != nil && r.Name == ev.Rule {
				return r.Reporting.Resolves
			}
		}
		return nil
	}
	for _, d := range bot.Dialogs {
		if d == nil || d.Name != ev.Dialog {
			continue
		}
		for _, o := range d.Outcomes {
			if o != nil && o.Name == ev.Outcome {
				return o.Reporting.Resolves
			}
		}
	}
	return nil
}

// RoundTrips reports whether c comes back from its JSON as the same values:
// true unless one of its times carries a monotonic clock reading, which JSON
// leaves out. (Its text is the log's, UTF-8 like the log.)
func (c *Contact) RoundTrips() bool {
	for ; c != nil; c = c.Prev {
		for _, t := range [...]time.Time{c.StartedAt, c.LastActivity, c.SettledAt, c.HandoffAt, c.AgentJoinedAt, c.FirstAgentReplyAt, c.AgentDoneAt} {
			if t != t.Round(0) {
				return false
			}
		}
	}
	return true
}
