// Package dialog decides what the bot does with each input. It is a pure,
// deterministic step function: no I/O, no clock, no randomness. The engine passes
// the time in, carries out the effects Step returns, and appends the events to the
// conversation log; Replay rebuilds the state from that log.
//
// Step is decide + Apply, event-sourcing style: every change to the state is made
// by folding an event, so the log alone always rebuilds the state Step returned.
package dialog

import (
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
)

// Input is one thing that happened to the conversation. Exactly one of Message,
// Result and HandBack is set.
type Input struct {
	Now      time.Time // the engine passes the clock in
	Customer cty.Value // customer profile object (name, vip, tier, ...) or cty.NilVal
	Channel  string    // the channel the conversation is on (conversation.channel)
	// AgentsOnline is how many agents are online per queue, read by the
	// engine before the turn: the live facts rules and handoff policies see.
	AgentsOnline map[string]int

	Message  *Message  // a customer message with its NLU result
	Result   *Result   // the outcome of the effect the state is awaiting
	HandBack *HandBack // a human agent hands the conversation back to the bot
	Agent    *AgentAction
	// Satisfaction is a survey answer given outside the chat (the web chat's
	// rating buttons post it directly).
	Satisfaction *SatisfactionAnswer
	// Approval is a person's decision on an approval the bot asked for.
	Approval *ApprovalDecision
	// TicketUpdate tells the customer that their ticket moved on.
	TicketUpdate *TicketUpdate
	// Survey asks the customer for a satisfaction score now: the engine sends it
	// after a turn in which the bot resolved the request, for a sample of them.
	Survey bool

	// LeaveQueue: the customer pressed "Leave the queue" while waiting for a
	// person (typing "cancel" does the same through Message).
	LeaveQueue bool

	// Abort: the engine stopped carrying out the bot's effects for this
	// turn (its actions loop: an on_error that starts the dialog whose call
	// failed). The dialogs and the awaited effect are dropped and the
	// customer hears the error reply. The text says why, for the log.
	Abort string

	// Queue accompanies a Message while the conversation waits in a queue for a
	// person: where the customer stands. See waiting.go.
	Queue *QueueStatus
}

// AgentAction is something a human agent does in a handed-off conversation.
type AgentAction struct {
	Kind  string // joined, message, note, transferred, closed
	Agent string // the agent's id
	Name  string // the agent's display name, shown to the customer
	Text  string // message, note
	Queue string // transferred: the queue it now waits in
	// Survey (closed): ask the customer for a satisfaction score.
	Survey bool
}

// Agent action kinds.
const (
	AgentJoined      = "joined"
	AgentMessage     = "message"
	AgentNote        = "note"
	AgentTransferred = "transferred"
	AgentClosed      = "closed"
)

// SatisfactionAnswer is a score from 1 to 5 and an optional comment.
type SatisfactionAnswer struct {
	Score   int
	Comment string
}

// Message is a customer message with what the NLU made of it.
type Message struct {
	ID   string
	Text string
	NLU  nlu.Result
	// Knowledge is the knowledge base's answer, when the engine searched it (the
	// message had no confident intent) and a chunk reached the threshold.
	Knowledge *KnowledgeAnswer
	// Searched is set when the engine searched the knowledge base, found or not:
	// a question neither an intent nor the knowledge base answers is recorded
	// as unanswered.
	Searched bool
	// Profile is the customer's facts as the turn saw them (what
	// Input.Customer was made from: the kept profile and the message's own).
	// It is recorded with the message, so that `parley plan` replays a
	// conversation with what the bot saw.
	Profile map[string]any
	// Values are slot values a button carried (see ParsePayload), by slot name.
	Values map[string]string
}

// KnowledgeAnswer is an answer from the knowledge base and where it comes from.
type KnowledgeAnswer struct {
	ChunkID string  `json:"chunk_id"`
	Title   string  `json:"title"`
	Source  string  `json:"source"`
	Text    string  `json:"text"`
	Score   float64 `json:"score"`
	// Exact: the message is one of the FAQ's own wordings (its question or
	// an alternative), which the bot answers whatever intent it reads as.
	Exact bool `json:"exact,omitempty"`
}

// Result is the outcome of an awaited effect: a connector call or an opened ticket.
type Result struct {
	EffectID string
	Data     map[string]any // call result: string, float64, bool, nil, []any, map[string]any
	Error    string         // code: not_found, timeout, unavailable, error; "" on success
	TicketID string
}

// HandBack is a human agent returning the conversation to the bot.
type HandBack struct {
	Agent string
	Note  string
}

// EffectKind says what the engine must do.
type EffectKind string

const (
	EffectReply   EffectKind = "reply"
	EffectCall    EffectKind = "call"
	EffectTicket  EffectKind = "ticket"
	EffectHandoff EffectKind = "handoff"
	EffectEnd     EffectKind = "end"
	// EffectApproval asks people to approve a call (Approval); nothing waits
	// for it: the decision comes later as an Input.
	EffectApproval EffectKind = "approval"
)

// Effect is one thing the engine must carry out, in the order Step returns them.
// Call and Ticket effects are awaited: the dialog goes on only when their Result
// comes back. The ID is derived from the conversation id and the seq of the event
// that asked for it, so a retried turn produces the same ids and idempotency keys.
type Effect struct {
	ID       string           `json:"id"`
	Kind     EffectKind       `json:"kind"`
	Reply    *Reply           `json:"reply,omitempty"`
	Call     *CallRequest     `json:"call,omitempty"`
	Ticket   *TicketRequest   `json:"ticket,omitempty"`
	Handoff  *HandoffRequest  `json:"handoff,omitempty"`
	Approval *ApprovalRequest `json:"approval,omitempty"`
}

// Reply is something the bot says.
type Reply struct {
	Text     string        `json:"text"`
	Response string        `json:"response,omitempty"` // the response block it came from, "" for inline or built-in text
	Buttons  []ReplyButton `json:"buttons,omitempty"`
}

// ReplyButton is a quick reply. Payload is "/INTENT", "yes" or "no".
type ReplyButton struct {
	Label   string `json:"label"`
	Payload string `json:"payload"`
}

// CallRequest is one connector operation to run.
type CallRequest struct {
	Name           string         `json:"name"`
	Connector      string         `json:"connector"`
	Operation      string         `json:"operation"`
	Input          map[string]any `json:"input"`
	IdempotencyKey string         `json:"idempotency_key"`
}

// TicketRequest asks the engine to open a ticket; its id comes back in Result.TicketID.
type TicketRequest struct {
	Queue       string `json:"queue"`
	Subject     string `json:"subject"`
	Description string `json:"description,omitempty"`
	Priority    string `json:"priority"`
	Language    string `json:"language,omitempty"` // the customer's, for the ticket's notices
}

// HandoffRequest passes the conversation to a human queue.
type HandoffRequest struct {
	Queue    string            `json:"queue"`
	Skill    string            `json:"skill,omitempty"`
	Priority string            `json:"priority"`
	Reason   string            `json:"reason,omitempty"`
	Summary  string            `json:"summary,omitempty"`
	Slots    map[string]string `json:"slots,omitempty"`
	Share    []string          `json:"share,omitempty"`
	// AutoSummary: Summary is the automatic one, which the engine tells
	// again while the customer waits (WaitingSummary), as they write more.
	AutoSummary bool `json:"auto_summary,omitempty"`
}

// Event types.
const (
	EventMessageReceived  = "message_received"
	EventIntentRecognized = "intent_recognized"
	EventNotUnderstood    = "not_understood"
	EventDialogStarted    = "dialog_started"
	EventSlotFilled       = "slot_filled"
	EventSlotCorrected    = "slot_corrected"
	EventSlotRejected     = "slot_rejected"
	EventSlotRequested    = "slot_requested"
	EventDialogResumed    = "dialog_resumed"
	EventDialogCompleted  = "dialog_completed"
	EventDialogCancelled  = "dialog_cancelled"
	EventConfirmRequested = "confirm_requested"
	EventConfirmAnswered  = "confirm_answered"
	EventCallRequested    = "call_requested"
	EventCallCompleted    = "call_completed"
	EventRuleApplied      = "rule_applied"
	EventTicketRequested  = "ticket_requested"
	EventTicketOpened     = "ticket_opened"
	EventHandoffRequested = "handoff_requested"
	EventHandedBack       = "handed_back"
	// A human agent's part of the conversation. Notes are internal: customers never see them.
	EventAgentJoined          = "agent_joined"
	EventAgentMessage         = "agent_message"
	EventAgentNote            = "agent_note"
	EventHandoffTransferred   = "handoff_transferred"
	EventHandoffClosed        = "handoff_closed"
	EventSurveyRequested      = "survey_requested"
	EventSatisfactionRecorded = "satisfaction_recorded"
	EventSurveySkipped        = "survey_skipped"
	EventReplySent            = "reply_sent"
	EventSessionExpired       = "session_expired"
	EventConversationEnded    = "conversation_ended"
	EventError                = "error"
	// EventKnowledgeAnswered: the bot answered from the knowledge base (Knowledge).
	EventKnowledgeAnswered = "knowledge_answered"
	// EventUnanswered: neither an intent nor the knowledge base answered the
	// message (Message holds it); the content team reviews these.
	EventUnanswered = "unanswered"
	// EventSwitchAsked: another dialog's trigger came in the middle of Dialog,
	// whose interrupt = "ask": the bot asks whether to switch to Next.
	EventSwitchAsked = "switch_asked"
	// EventSwitchAnswered: the customer answered it (Answer yes or no).
	EventSwitchAnswered = "switch_answered"
	// EventResumeAsked: the bot asks whether to go back to Dialog (resume =
	// "ask", or an offer_continue action; Reset forgets the failed attempts).
	EventResumeAsked = "resume_asked"
	// EventResumeAnswered: the customer answered it (Answer yes or no).
	EventResumeAnswered = "resume_answered"
	// EventPolicyApplied: handoff policy Rule matched the message.
	EventPolicyApplied = "policy_applied"
	// EventSlotHeld: a value for Slot waits for calls its validate reads.
	EventSlotHeld = "slot_held"
	// EventRemembered: the conversation remembers Memory (a null forgets).
	EventRemembered = "remembered"
	// EventSlotOffered: a remembered or default value waits for the customer
	// to accept it (the slot has a reuse_prompt).
	EventSlotOffered = "slot_offered"
	// EventOfferDeclined: the customer did not want the offered value.
	EventOfferDeclined = "offer_declined"
	// EventCallSkipped: Call of Dialog will not run, since its input reads
	// the result of a call that failed (Reason says which).
	EventCallSkipped = "call_skipped"
	// EventRequestQueued: the message asked for Intent too, besides the
	// request the bot took up first; NextMessage is its piece.
	EventRequestQueued = "request_queued"
	// EventRequestTaken: the bot takes up the first request kept for later.
	EventRequestTaken = "request_taken"
)

// Event is one entry of the conversation log. Only the fields its Type uses are set.
type Event struct {
	Type string    `json:"type"`
	At   time.Time `json:"at"`

	// message_received
	Message  *MessageRecord `json:"message,omitempty"`
	Language string         `json:"language,omitempty"` // the conversation language from now on

	// intent_recognized
	Intent     string  `json:"intent,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`

	Dialog string     `json:"dialog,omitempty"`
	Slot   string     `json:"slot,omitempty"`
	Value  *SlotValue `json:"value,omitempty"` // slot_filled, slot_corrected; slot_rejected: the rejected value
	// Invalidated lists call results a slot change made stale, so the calls run again.
	Invalidated []string `json:"invalidated,omitempty"`
	// Clear (slot_requested): the slot is emptied before it is asked again (reask).
	Clear bool `json:"clear,omitempty"`
	// Retry (slot_requested): the re-ask counts as a failed attempt.
	Retry bool `json:"retry,omitempty"`
	// Preset (slot_held, slot_rejected): the value is the slot's default or
	// a remembered one, not the customer's, so its rejection costs no attempt.
	Preset bool `json:"preset,omitempty"`

	Answer string `json:"answer,omitempty"` // confirm_answered: yes or no

	Rule    string `json:"rule,omitempty"`    // rule_applied: the rule
	Outcome string `json:"outcome,omitempty"` // rule_applied: the dialog outcome (Rule is "")
	// Amount (rule_applied): the rule's or outcome's amount, when it declares one.
	Amount *float64 `json:"amount,omitempty"`

	Call   string         `json:"call,omitempty"` // call_requested, call_completed
	Effect *Effect        `json:"effect,omitempty"`
	Resume *Resume        `json:"resume,omitempty"` // call_requested, ticket_requested
	Data   map[string]any `json:"data,omitempty"`   // call_completed
	Error  string         `json:"error,omitempty"`  // call_completed, ticket_opened: the error code; error: what went wrong

	TicketID string `json:"ticket_id,omitempty"`

	Knowledge *KnowledgeAnswer `json:"knowledge,omitempty"` // knowledge_answered

	Memory map[string]any `json:"memory,omitempty"` // remembered
	// Offer (slot_requested): the bot asks whether to use the offered value.
	Offer bool `json:"offer,omitempty"`
	// Next (switch_asked): the dialog waiting to start, and the message that
	// asked for it, whose values it will take.
	Next        string         `json:"next,omitempty"`
	NextMessage *MessageRecord `json:"next_message,omitempty"`
	// Reset (resume_asked): forget the failed attempts at the dialog's slots.
	ResetRetries bool            `json:"reset_retries,omitempty"`
	Approval     *ApprovalRecord `json:"approval,omitempty"` // approval_requested, approval_decided
	Ticket       *TicketUpdate   `json:"ticket,omitempty"`   // ticket_updated

	Agent     string `json:"agent,omitempty"`      // handed_back and agent_*: the agent's id
	AgentName string `json:"agent_name,omitempty"` // agent_*: the name the customer sees
	Note      string `json:"note,omitempty"`
	Text      string `json:"text,omitempty"`  // agent_message, agent_note
	Queue     string `json:"queue,omitempty"` // handoff_transferred
	Score     int    `json:"score,omitempty"` // satisfaction_recorded
	Comment   string `json:"comment,omitempty"`

	// Reason: why a dialog_cancelled or session_expired happened; for the
	// rule_applied of a rule with on = handoff, the handoff it replaced.
	Reason string `json:"reason,omitempty"`
	// Reset (error): the dialog state was abandoned (stack, awaited effect).
	Reset bool `json:"reset,omitempty"`
	// Abandon (error): only the awaited effect was abandoned.
	Abandon bool `json:"abandon,omitempty"`
}

// MessageRecord is what the log keeps of a customer message.
type MessageRecord struct {
	ID         string       `json:"id,omitempty"`
	Text       string       `json:"text"`
	Language   string       `json:"language,omitempty"`
	Intent     string       `json:"intent,omitempty"` // the top intent, confident or not
	Confidence float64      `json:"confidence,omitempty"`
	Sentiment  float64      `json:"sentiment,omitempty"`
	Entities   []nlu.Entity `json:"entities,omitempty"`
	Cancel     bool         `json:"cancel,omitempty"`
	Correction bool         `json:"correction,omitempty"`
	// Label is the label of the button the customer pressed, when Text is its
	// payload: people read "Yes, refund it", not "yes".
	Label string `json:"label,omitempty"`
	// Customer is the customer's facts the turn saw (Message.Profile), null
	// when it had none; Searched says the knowledge base was searched for
	// it; AgentsOnline and QueueStatus are the live facts the turn saw:
	// what a replay needs besides the text. Logs from before Parley kept them
	// lack them, and a replay can tell by the missing "customer" key.
	Customer     map[string]any `json:"customer"`
	Searched     bool           `json:"searched,omitempty"`
	AgentsOnline map[string]int `json:"agents_online,omitempty"`
	// QueueStatus is where the customer stood in a queue (Input.Queue).
	QueueStatus *QueueStatus `json:"queue_status,omitempty"`
}

// SlotValue is a filled slot. Number is set for number and money slots,
// Range for date_range slots (Value is then "START/END").
type SlotValue struct {
	Value  string     `json:"value"`
	Number *float64   `json:"number,omitempty"`
	Range  *DateRange `json:"range,omitempty"`
}

// DateRange is a span of days, both ends included, as ISO dates.
type DateRange struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// State is everything the dialog remembers about a conversation. It is a plain
// JSON-serializable value.
type State struct {
	ConversationID string `json:"conversation_id"`
	// Seq is the number of events folded into this state; effect ids derive from it.
	Seq          int64     `json:"seq"`
	Language     string    `json:"language,omitempty"`
	Turns        int       `json:"turns,omitempty"`
	Failures     int       `json:"failures,omitempty"` // consecutive messages not understood
	LastActivity time.Time `json:"last_activity"`
	// Last is the most recent customer message; templates read it after a Result.
	Last *MessageRecord `json:"last,omitempty"`

	Stack   []Frame  `json:"stack,omitempty"` // active dialogs, innermost last
	Pending *Pending `json:"pending,omitempty"`

	// LastResponse is the response of the bot's last reply; SaidBefore is the
	// one before the current message, which expressions see.
	LastResponse string `json:"last_response,omitempty"`
	SaidBefore   string `json:"said_before,omitempty"`
	// Fired holds the handoff policies ("handoff NAME") and rules ("rule
	// NAME") that have applied in this session, for once = true.
	Fired map[string]bool `json:"fired,omitempty"`

	// Memory is what the conversation remembers across dialogs (memory.NAME):
	// JSON-like values, as call results are.
	Memory map[string]any `json:"memory,omitempty"`

	// Offered are the buttons the bot offered since the customer's last
	// message (the latest set), so a message that is one of their payloads is
	// recorded with the button's label.
	Offered []ReplyButton `json:"offered,omitempty"`

	TicketID     string `json:"ticket_id,omitempty"` // the last ticket opened
	HandedOff    bool   `json:"handed_off,omitempty"`
	HandoffQueue string `json:"handoff_queue,omitempty"`
	Agent        string `json:"agent,omitempty"` // the name of the agent talking to the customer
	// HandoffSummary is what the request of the handoff the conversation is
	// handed off to asked of its summary, kept while HandedOff so that the
	// engine tells it again (WaitingSummary) without reading the log for
	// the request. Nil in states stored before states kept it.
	HandoffSummary *SummaryRequest `json:"handoff_summary,omitempty"`
	// Surveying: the bot asked for a satisfaction score and waits for it.
	Surveying bool `json:"surveying,omitempty"`
	Ended     bool `json:"ended,omitempty"`
	// Approvals are the approvals asked for and not yet decided, with what is
	// needed to carry on once they are. Sessions and handoffs keep them.
	Approvals []ApprovalRecord `json:"approvals,omitempty"`
	// Session is what happened in the session so far, for the handoff summary.
	Session *SessionLog `json:"session,omitempty"`
	// Later are requests a message made besides the one the bot took up
	// first, in the order it made them (see later.go).
	Later []LaterRequest `json:"later,omitempty"`
}

// Frame is one active dialog.
type Frame struct {
	Dialog string                `json:"dialog"`
	Slots  map[string]SlotValue  `json:"slots,omitempty"`
	Calls  map[string]CallResult `json:"calls,omitempty"`
	// Asking is what the bot is waiting for: a slot name, or askConfirm.
	Asking    string         `json:"asking,omitempty"`
	Confirmed bool           `json:"confirmed,omitempty"`
	Retries   map[string]int `json:"retries,omitempty"` // failed attempts per slot
	// Offers are remembered or default values the bot will offer for slots
	// with a reuse_prompt, before asking for them.
	Offers map[string]SlotValue `json:"offers,omitempty"`
	// Held are values given for slots whose validate reads a call that has
	// not run yet: they are checked once it has.
	Held map[string]SlotValue `json:"held,omitempty"`
	// Preset names the held values the bot started with (a default, a
	// remembered value) rather than the customer gave, sorted.
	Preset []string `json:"preset,omitempty"`
	// Switch is the dialog waiting to start while the bot asks whether to
	// switch to it (askSwitch), and the message that asked for it.
	Switch *Switch `json:"switch,omitempty"`
	// Question is what the bot said when it asked for Asking (the prompt,
	// as the customer read it): a yes_no slot reads an answer that echoes
	// it ("是绿色的" to "灯是绿色的吗？").
	Question string `json:"question,omitempty"`
}

// Switch is another dialog waiting for the customer to say whether to
// leave the current one for it.
type Switch struct {
	Dialog  string         `json:"dialog"`
	Message *MessageRecord `json:"message,omitempty"`
}

// askConfirm in Frame.Asking: the bot asked for a yes/no confirmation.
const askConfirm = "?confirm"

// askReuse, followed by a slot name, in Frame.Asking: the bot asked whether to
// use the value on offer for that slot.
const askReuse = "?reuse:"

// askSwitch in Frame.Asking: the bot asked whether to switch to Frame.Switch.
const askSwitch = "?switch"

// askResume in Frame.Asking: the bot asked whether to go on with the dialog.
const askResume = "?resume"

// askedSlot is the slot a frame is asking about, directly or by offering a
// value, or "".
func (f *Frame) askedSlot() string {
	if name, ok := strings.CutPrefix(f.Asking, askReuse); ok {
		return name
	}
	if strings.HasPrefix(f.Asking, "?") {
		return ""
	}
	return f.Asking
}

// CallResult is the outcome of a call, read by templates as call.NAME.
type CallResult struct {
	Data  map[string]any `json:"data,omitempty"`
	Error string         `json:"error,omitempty"`
}

// Pending is the effect the dialog awaits and how to carry on once its result is in.
type Pending struct {
	Effect Effect `json:"effect"`
	Resume Resume `json:"resume"`
}

// Resume is the continuation of an awaited effect.
type Resume struct {
	// Dialog and Call are set when a dialog's own call is awaited: its result goes
	// into that dialog's frame.
	Dialog string `json:"dialog,omitempty"`
	Call   string `json:"call,omitempty"`
	// Runs are the action lists being carried out, innermost last.
	Runs []Run `json:"runs,omitempty"`
}

// Run is an action list (of a rule, outcome, on_error, on_exhausted or on_no)
// part way through.
type Run struct {
	Ref       ActionsRef            `json:"ref"`
	Phase     int                   `json:"phase"`
	CallIndex int                   `json:"call_index,omitempty"`
	Calls     map[string]CallResult `json:"calls,omitempty"`
	TicketID  string                `json:"ticket_id,omitempty"`
	// Finish is how the run ends the active dialog: finishComplete, finishCancel or "".
	Finish string `json:"finish,omitempty"`
	// Frame is the dialog this run finished, kept for the templates that follow.
	Frame *Frame `json:"frame,omitempty"`
	// ForHandoff: the run replaces a handoff, so its own handoff goes straight out.
	ForHandoff bool `json:"for_handoff,omitempty"`
	// Handoff is the handoff the run replaces, which it reads as handoff.*.
	Handoff *HandoffRef `json:"handoff,omitempty"`
	// Approved is the call a person approved, run as it was asked for.
	Approved *CallRequest `json:"approved,omitempty"`
}

// HandoffRef is a handoff a rule with on = handoff decides about.
type HandoffRef struct {
	Queue    string `json:"queue"`
	Priority string `json:"priority,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// ActionsRef names an action list in the bot, so a run survives serialization.
type ActionsRef struct {
	Kind   string `json:"kind"` // rule, outcome, on_error, on_exhausted, on_no
	Dialog string `json:"dialog,omitempty"`
	Name   string `json:"name,omitempty"` // rule, outcome, call or slot name
	// OnErrorOf, when > 0, means the on_error of call OnErrorOf-1 of that action list.
	OnErrorOf int `json:"on_error_of,omitempty"`
	// Code is the error code an on_error run handles, which picks its on_CODE block.
	Code string `json:"code,omitempty"`
	// ApprovalOf, when > 0, means what follows the Decision on the approval
	// of call ApprovalOf-1 of that action list (see decidedActions).
	ApprovalOf int    `json:"approval_of,omitempty"`
	Decision   string `json:"decision,omitempty"`
}
