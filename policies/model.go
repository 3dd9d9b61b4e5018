// Package policies is the Parley policy language: it parses a folder of .hcl files,
// decodes and checks them, and compiles them into an immutable Bot model.
//
// Every mistake a user can make comes back as hcl.Diagnostics with a source range,
// never as a bare error, so `parley validate` can show all of them at once.
package policies

import (
	"regexp"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Bot is the compiled model of one bot folder. Nothing may modify it after Load
// returns: the engine shares one Bot between all concurrent turns.
type Bot struct {
	Name        string
	Description string
	Dir         string

	Languages           []string // the first is the default
	ConfidenceThreshold float64
	SessionTimeout      time.Duration
	BusinessHours       *BusinessHours // nil: always open
	Replies             DefaultReplies
	Privacy             *Privacy // nil: mask emails, phone and card numbers
	Survey              *Survey  // nil: surveys only after an agent closes (survey.go)

	// Version identifies these policies: a content hash of the bot folder
	// (version.go). Conversations and outcomes record it.
	Version string

	Variables  map[string]*Variable
	Intents    []*Intent // in source order
	Entities   map[string]*Entity
	Dialogs    []*Dialog // in source order
	Answers    []*Answer
	Rules      []*Rule // in source order; rules with the same On are checked in this order
	Handoffs   []*HandoffPolicy
	Queues     map[string]*Queue
	Responses  map[string]*Message
	Connectors map[string]*Connector
	Tests      []*Test
	// Mocks are the top-level mock blocks: every test tries them, after its own.
	Mocks     []*Mock
	FAQs      []*FAQ          // in source order
	Knowledge *Knowledge      // nil: no knowledge block (FAQs are still searched)
	Tickets   *TicketSettings // nil: no tickets block
	Triage    []*Triage       // in source order: the first that matches applies
	Reports   []*Report       // scheduled reports (report.go), in source order
	// Labels are the labels blocks: set -> value -> language -> text.
	Labels map[string]map[string]map[string]string
	// Locals are the named expressions of locals blocks, each after the
	// locals it reads.
	Locals []*Local
	// ReadsAgents is set when an expression reads how many agents are online
	// (queues.NAME.agents_online, handoff.agents_online): the engine reads it
	// from the store before each turn only then.
	ReadsAgents bool
	// Memory holds the names of the values a conversation can remember
	// (memory.NAME): slots with remember = true and the keys of remember
	// actions, with their types (cty.DynamicPseudoType when they vary).
	Memory map[string]cty.Type

	QuickReplies   []*QuickReply   // in source order
	Inbox          *Inbox          // nil: no inbox block (defaults)
	CustomerLookup *CustomerLookup // nil: customers are not looked up

	// Functions is the one function table every expression in this bot is evaluated with.
	Functions map[string]function.Function

	// Files holds the parsed sources so diagnostics raised later (at run time) can show snippets.
	Files map[string]*hcl.File

	DeclRange hcl.Range
}

// DefaultReplies are what the bot says when nothing more specific applies.
type DefaultReplies struct {
	NotUnderstood *Message
	Error         *Message
	// ErrorBuiltin says Error is Parley's own text: the bot wrote none.
	ErrorBuiltin bool
	Goodbye      *Message
	// Survey asks for a satisfaction score after an agent closes a conversation;
	// SurveyThanks answers the score.
	Survey       *Message
	SurveyThanks *Message
}

// BusinessHours says when humans are available to take a conversation.
type BusinessHours struct {
	Location *time.Location
	// Week is indexed by time.Weekday; a nil entry means closed all day.
	Week     [7][]TimeRange
	Holidays map[string]bool // "2006-01-02" in Location
	Range    hcl.Range
}

// TimeRange is a span within one day, in minutes since midnight: [From, To).
type TimeRange struct{ From, To int }

type Variable struct {
	Name        string
	Description string
	Value       cty.Value
	Range       hcl.Range
}

type Intent struct {
	Name        string
	Description string
	Examples    []Example
	Range       hcl.Range
}

// Example is one training phrase, with its [text](entity) annotations taken out.
type Example struct {
	Text        string // the phrase as a customer would type it
	Annotations []Annotation
	Range       hcl.Range
}

// Annotation marks Text[Start:End] (byte offsets) as a value of Entity.
type Annotation struct {
	Entity     string
	Start, End int
}

type EntityKind int

const (
	EntityPattern EntityKind = iota + 1
	EntityList
)

// Builtin entity types need no block; slots name them with `type = money` and so on.
var BuiltinTypes = []string{"text", "number", "money", "email", "phone", "date", "date_range", "person", "yes_no"}

// DateRangeType is the value of a date_range slot or entity: ISO dates, both
// ends included.
var DateRangeType = cty.Object(map[string]cty.Type{"start": cty.String, "end": cty.String})

// ValueType is the type expressions see for a slot or entity of type typ.
func ValueType(typ string) cty.Type {
	switch typ {
	case "number", "money":
		return cty.Number
	case "yes_no":
		return cty.Bool
	case "date_range":
		return DateRangeType
	}
	return cty.String
}

type Entity struct {
	Name        string
	Description string
	Kind        EntityKind
	Pattern     *regexp.Regexp // EntityPattern
	IgnoreCase  bool           // EntityPattern: matched values are upper-cased to the canonical form
	Values      []EntityValue  // EntityList
	// Labels are how values read for the customer: value -> language -> text
	// ("" for every language). See Bot.Label.
	Labels map[string]map[string]string
	Range  hcl.Range
}

type EntityValue struct {
	Canonical string
	Synonyms  []string
}

// Message is something the bot says: a named response block, or an inline reply.
type Message struct {
	Name string // the response name; "" for an inline reply
	// Variants per language. The key "" holds variants that serve every language.
	// Each expression evaluates to a string template.
	Variants map[string][]hcl.Expression
	// Cases are variants for particular situations, checked in order: the
	// first whose When holds gives the texts instead of Variants.
	Cases   []*MessageCase
	Buttons []Button
	// ValueButtons, when set, names a list entity whose values are offered as
	// buttons (after Buttons), labelled with the entity's labels.
	ValueButtons      string
	ValueButtonsRange hcl.Range
	// ValueButtonsFrom, when set instead, is a list read when the message is
	// said (value_buttons = call.order.items): one button per value, such as
	// the items of the customer's own order.
	ValueButtonsFrom hcl.Expression
	Range            hcl.Range
}

// MessageCase is the wording of a message when a condition holds, such as
// conversation.channel == "sms" or call.order.status == "delivered".
type MessageCase struct {
	When     hcl.Expression
	Variants map[string][]hcl.Expression // as Message.Variants
	Range    hcl.Range
}

// Button is a quick reply. Pressing it sends Payload, which the NLU reads as the
// intent of that name ("/refund") or as yes / no.
type Button struct {
	Payload string            // an intent name, "yes" or "no"
	Labels  map[string]string // per language
	// Slots are values the button carries for the dialog it starts or
	// answers, by slot name: the payload becomes /refund{"order_id":"AB123456"}.
	Slots map[string]hcl.Expression
	Range hcl.Range
}

// Answer replies to an intent with no dialog. Mid-dialog it is a digression:
// the bot answers, then returns to its open question.
type Answer struct {
	Name   string
	Intent string
	Reply  []*Message // said in order
	End    bool       // end the conversation after replying
	// Resolves: nil or true, the answer resolves the customer's request (a
	// policy question); false, it does not (a greeting), so reports do not count
	// it and no after_bot survey follows it.
	Resolves *bool
	Range    hcl.Range
}

type Dialog struct {
	Name        string
	Description string
	Triggers    []string       // intent names
	When        hcl.Expression // optional extra condition on the trigger; nil when absent
	Slots       []*Slot        // asked in this order
	Calls       []*Call        // each runs as soon as the slots it reads are filled
	Confirm     *Confirm       // nil: no confirmation step
	Outcomes    []*Outcome     // checked after the dialog's rules; first match applies
	// Title is how the bot names the dialog to the customer ("your refund"),
	// per language; "" holds the text for every language. Nil: untitled.
	Title map[string]string
	// Interrupt says what happens when another dialog's trigger arrives in the
	// middle of this one: InterruptStack (the default), InterruptAsk,
	// InterruptAbandon or InterruptRefuse.
	Interrupt string
	// InterruptPrompt is the question for Interrupt = "ask"; nil: built in.
	InterruptPrompt *Message
	// Resume says what happens when a dialog started on top of this one, or a
	// side question, is done: ResumeAuto (the default) or ResumeAsk.
	Resume string
	// ResumePrompt is the question for Resume = "ask" and for offer_continue;
	// nil: built in.
	ResumePrompt *Message
	Range        hcl.Range
}

// How a dialog takes being interrupted by another dialog's trigger.
const (
	InterruptStack   = "stack"   // start the other on top, come back after
	InterruptAsk     = "ask"     // ask first; yes stacks, no carries on
	InterruptAbandon = "abandon" // drop this dialog for the other
	InterruptRefuse  = "refuse"  // finish this one first
)

// How a dialog carries on after a dialog on top of it or a side question.
const (
	ResumeAuto = "auto" // ask its open question again
	ResumeAsk  = "ask"  // ask whether to go back to it; no drops it
)

type Slot struct {
	Name         string
	Type         string // a builtin type or an entity name
	Prompt       *Message
	Optional     bool           // kept when given, never asked for
	RequiredWhen hcl.Expression // nil: always required (unless Optional)
	Validate     hcl.Expression // nil: any value of the type is valid
	// ValidateCalls are the dialog's calls Validate reads, directly or
	// through locals: they run with the value before Validate does.
	ValidateCalls []string
	// ValidateSlots are the dialog's other slots Validate reads, directly or
	// through locals: a value given before them waits for them, as it waits
	// for a call (a viewing time checked against a date not yet given).
	ValidateSlots []string
	Invalid       *Message // said when a value fails Validate or is not of Type
	Retries       int      // failed attempts allowed before OnExhausted
	OnExhausted   *Actions // nil: cancel the dialog with the error reply
	// Remember keeps the value for the rest of the conversation as
	// memory.NAME, and starts the slot from it in later dialogs.
	Remember bool
	// Default is the value the slot starts with when the dialog starts and the
	// message does not give one (nil: none). It may read intent.name (the
	// intent that started the dialog), memory, customer and the like.
	Default hcl.Expression
	// ReusePrompt, when set, asks before using a remembered or default value:
	// yes takes it, no asks Prompt.
	ReusePrompt *Message
	// Digressions: while this slot is asked, a message for another intent or
	// a question the knowledge base answers is answered first (true, the
	// default); false takes every message as an attempt at the answer.
	Digressions bool
	// Shared is the top-level slot this one takes its settings from, if any.
	Shared *SharedDef
	Range  hcl.Range
}

// Call is one connector operation. In a dialog it runs once the slots its input reads
// are filled and the dialog's calls it reads have answered, and runs again if one of
// those slots is corrected. Its result is call.NAME.
type Call struct {
	Name      string
	Connector string
	Operation string
	Input     hcl.Expression // an object expression
	Reads     []string       // slot names Input refers to, derived from the expression
	// ReadsCalls are the calls of the same dialog Input refers to (directly or
	// through locals); Reads then also holds the slots those calls read.
	ReadsCalls []string
	// ReadsResultOf are those of ReadsCalls whose result Input reads (any
	// of call.NAME but its error): the call does not run when one of them
	// failed. One read only for its error runs after it, failed or not.
	ReadsResultOf []string
	// OnCode handles one error code (on_not_found, on_rejected, on_unavailable,
	// on_timeout); OnError handles the rest. With neither, the bot says its
	// error reply and cancels the dialog.
	OnCode  map[string]*Actions
	OnError *Actions
	// IdempotencyKey is a business key ("refund-${slot.order_id}"): calls with the
	// same key are one operation to a connector that honours keys, even across
	// dialogs. nil: a key from the log position and the request, which only
	// makes retries of the same turn safe.
	IdempotencyKey hcl.Expression
	// Shared is the top-level call this one takes its settings from, if any.
	Shared *SharedDef
	// Approval, when set, makes the call wait for a person's decision.
	Approval *Approval
	Range    hcl.Range
}

// ErrorCodes are the codes a call can fail with that have their own handler block,
// on_CODE. Every other failure goes to on_error.
var ErrorCodes = []string{"not_found", "rejected", "unavailable", "timeout"}

// HandledCodes are the codes an on_error block's codes may list.
var HandledCodes = []string{"not_found", "rejected", "invalid_input", "unavailable", "timeout", "error"}

// Handler returns the actions that handle a failure with code, or nil.
func (c *Call) Handler(code string) *Actions {
	if a := c.OnCode[code]; a != nil {
		return a
	}
	return c.OnError
}

// Handlers lists every error handler of the call once, on_CODE blocks first
// (one on_error block may handle several codes).
func (c *Call) Handlers() []*Actions {
	var out []*Actions
	add := func(a *Actions) {
		if a != nil && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, code := range HandledCodes {
		add(c.OnCode[code])
	}
	add(c.OnError)
	return out
}

type Confirm struct {
	When   hcl.Expression // nil: always confirm
	Prompt *Message
	OnNo   *Actions // nil: cancel the dialog quietly
	Range  hcl.Range
}

type Outcome struct {
	Name      string
	When      hcl.Expression // nil: always applies
	Actions   Actions
	Reporting Reporting // resolves, amount (reporting.go)
	Range     hcl.Range
}

// Actions are what an outcome, rule or fallback does, in this fixed order:
// calls, ticket, reply, handoff, start, end. Reask returns to a slot instead of finishing.
type Actions struct {
	Calls   []*Call
	Ticket  *TicketSpec
	Reply   []*Message // said in order
	Handoff *HandoffSpec
	Start   string // a dialog to start next
	Reask   string // clear this slot and ask it again (counts as a retry)
	End     bool
	// Remember is an object expression of values the conversation keeps as
	// memory.NAME (nil: none). It runs after the calls and the ticket.
	Remember hcl.Expression
	// OfferContinue (on_exhausted only): instead of ending the dialog, ask
	// whether to carry on with it, keeping what was collected. The message is
	// the question; nil with OfferContinueSet uses the dialog's resume prompt.
	OfferContinue    *Message
	OfferContinueSet bool
	Range            hcl.Range
}

type TicketSpec struct {
	Queue string
	// QueueExpr, when set, chooses the queue at run time, like
	// customer.vip ? queue.vip : queue.general; Queue is then "".
	QueueExpr   hcl.Expression
	Subject     hcl.Expression
	Description hcl.Expression // nil: none
	Priority    hcl.Expression // nil: the queue's priority
	Range       hcl.Range
}

type HandoffSpec struct {
	Queue     string
	QueueExpr hcl.Expression // see TicketSpec.QueueExpr
	Priority  string         // "": the queue's priority
	Reason    string         // the policy or rule that asked for it
	Share     []string
	Summary   hcl.Expression // nil: an automatic summary
	Range     hcl.Range
}

// RuleEvent says when a rule is checked.
type RuleEvent struct {
	Kind   string // "dialog" (when Dialog completes), "handoff" (before any handoff), "message" (every message)
	Dialog string
	Range  hcl.Range
}

type Rule struct {
	Name        string
	Description string
	On          RuleEvent
	When        hcl.Expression // nil: always
	// Once: the rule applies at most once in a conversation's session.
	Once      bool
	Actions   Actions
	Reporting Reporting // resolves, amount (reporting.go)
	Range     hcl.Range
}

type Queue struct {
	Name     string
	Skill    string
	Priority string // low, normal, high, urgent
	SLA      *SLA   // nil: its tickets have no due time
	Range    hcl.Range
}

// HandoffPolicy brings in a human when When holds for an incoming message.
type HandoffPolicy struct {
	Name        string
	Description string
	When        hcl.Expression
	Queue       string
	QueueExpr   hcl.Expression // see TicketSpec.QueueExpr
	// Once: the policy hands off at most once in a conversation's session.
	Once     bool
	Priority string
	Reply    []*Message
	Share    []string // transcript, slots, summary
	Summary  hcl.Expression
	Range    hcl.Range
}

type Connector struct {
	Name       string
	Type       string
	Timeout    time.Duration // per call attempt, unless the operation sets its own
	Retry      RetryPolicy
	Breaker    BreakerPolicy
	Settings   cty.Value // decoded with the connector type's own hcldec spec
	Operations map[string]*Operation
	// Declared is true when the connector type itself declares the operations'
	// signatures (a Go-defined connector), rather than the operation blocks.
	Declared bool
	Range    hcl.Range
}

// RetryPolicy says how often a failed call is tried again. Only calls that are
// safe to repeat are retried: idempotent operations, and writes the system
// deduplicates by idempotency key.
type RetryPolicy struct {
	Attempts   int           // in all, including the first
	Backoff    time.Duration // before the second attempt; doubled each time, with jitter
	MaxBackoff time.Duration
}

// BreakerPolicy says when a connector's circuit opens: after Failures calls in a
// row fail because the system is down or slow, calls fail at once for Cooldown,
// then one trial call decides whether it closes again.
type BreakerPolicy struct {
	Failures int
	Cooldown time.Duration
}

type Operation struct {
	Name        string
	Description string
	Inputs      []Param       // nil: the operation declares none, so calls are not checked
	Output      cty.Type      // an object type; cty.DynamicPseudoType when not declared
	Idempotent  *bool         // nil: the connector's own judgement
	Timeout     time.Duration // 0: the connector's
	Settings    cty.Value     // decoded with the connector type's operation spec
	Range       hcl.Range
}

// Param is one declared input of an operation.
type Param struct {
	Name     string
	Type     cty.Type // cty.DynamicPseudoType: any value
	Optional bool
}

// InputNames lists the operation's inputs, in order.
func (op *Operation) InputNames() []string {
	names := make([]string, len(op.Inputs))
	for i, p := range op.Inputs {
		names[i] = p.Name
	}
	return names
}

// Input returns the declared input with that name.
func (op *Operation) Input(name string) (Param, bool) {
	for _, p := range op.Inputs {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Test is one conversation test. A test block with for_each becomes one Test
// per element, named NAME["KEY"].
type Test struct {
	Name     string
	Now      time.Time // zero: a fixed default clock, inside business hours
	Language string
	Customer cty.Value // an object, or cty.NilVal
	Channel  string    // "": the test channel
	// AgentsOnline is how many agents are online per queue during the test.
	AgentsOnline map[string]int
	Connectors   map[string]cty.Value // connector name -> settings that replace the declared ones
	// Mocks answer connector calls in place of the real systems; they are tried
	// in order, before the bot's top-level Mocks.
	Mocks []*Mock
	// SkipLive (live = false) marks a test whose mocks play what a real system
	// can't be made to do on demand, such as an outage: `parley test -live`
	// skips it.
	SkipLive bool
	// Survey, when set, forces the draw of the bot's after_bot survey for the
	// test's conversation; nil: drawn from the test's name.
	Survey *bool
	Turns  []*TestTurn
	// Tickets, instead of Turns: tickets that come without a chat, each
	// checked on what triage makes of it.
	Tickets []*TestTicket
	Range   hcl.Range
}

// Mock answers calls of one connector operation in tests: with Output, or by
// failing with Error.
type Mock struct {
	Connector string
	Operation string
	// Input holds values a call's inputs must include, converted to the
	// declared input types; cty.NilVal matches every call of the operation.
	Input  cty.Value
	Output cty.Value // an object; cty.NilVal when Error is set
	Error  string    // one of ErrorCodes; "" when Output is set
	Range  hcl.Range
}

// TestTurn is one user message and what must hold after the bot's turn.
// Nil / empty fields are not checked.
type TestTurn struct {
	User       string
	Reply      []string // exact replies, in order; non-nil and empty means "the bot says nothing"
	ReplyGlob  string
	ReplyRegex *regexp.Regexp
	Response   string // a reply came from this response
	// Responses are the responses the replies came from, exactly and in order
	// (replies with no response are not counted); nil: not checked.
	Responses []string
	Intent    string // "none" for not understood
	Slots     map[string]cty.Value
	Calls     []string // "connector.operation", in order; non-nil and empty means none
	Handoff   string   // queue; "none" when the turn must not hand off
	Ticket    string   // queue; "none" when the turn must open no ticket
	// TicketPriority: the ticket opened in the Ticket queue has this priority.
	TicketPriority string
	Dialog         *string // the active dialog after the turn; "none" for none
	// Knowledge is the id of the knowledge chunk the bot's answer cited, such as
	// "knowledge/faq.hcl#hours_en"; "none" when it must not answer from knowledge.
	Knowledge string
	// Unanswered, when set, is whether the message must be recorded as a
	// question neither an intent nor the knowledge base answered.
	Unanswered *bool
	// Entities are the entities the NLU must have extracted from the message,
	// by type: a value (some entity of the type has it), a list (the entities of
	// the type are exactly these, in order), or null (none of the type). An empty
	// non-nil map means no entities at all.
	Entities map[string]cty.Value
	// DialogSlots checks the slots of named dialogs after the turn: the active
	// one, one interrupted underneath it, or a side dialog that ended in the turn.
	DialogSlots map[string]map[string]cty.Value
	// Approval: the bot asked for an approval in this queue; "none" when it
	// must ask for none. Decision, instead of User, plays a person's decision
	// on the approval the bot asked for last: approved, rejected or expired.
	Approval string
	Decision string
	Range    hcl.Range
}

// FAQ is one question and answer written in HCL. FAQs join the knowledge base
// with the documents a knowledge block lists.
type FAQ struct {
	Name         string
	Question     string
	Alternatives []string // other ways customers ask it; searched with the question
	Answer       string
	Range        hcl.Range
}

// Knowledge configures answers from the company's documents.
type Knowledge struct {
	Sources []string // globs relative to the bot folder: .md, .txt, .csv (question,answer)
	// SourceRanges are where each of Sources is written.
	SourceRanges []hcl.Range
	Threshold    float64 // a chunk scoring below this is not an answer
	TopK         int
	Reply        *Message // nil: the answer followed by its source
	Embedder     EmbedderConfig
	Generate     *GenerateConfig // nil: answers are the chunks' own text
	Range        hcl.Range
}

// EmbedderConfig chooses how text becomes vectors.
type EmbedderConfig struct {
	Provider   string // builtin (default), openai, ollama
	Model      string
	URL        string
	APIKeyEnv  string // the environment variable holding the key; keys never live in HCL
	Dimensions int
	Range      hcl.Range
}

// GenerateConfig turns on generative answers written by an LLM from the retrieved
// chunks only. Off unless declared.
type GenerateConfig struct {
	Provider  string // openai, ollama
	Model     string
	URL       string
	APIKeyEnv string
	Range     hcl.Range
}
