package policies

import (
	"math/big"
	"strconv"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Scope is what an expression sees during one turn. The dialog package fills it.
type Scope struct {
	// Slots holds the slots of the active dialog. Declared but unfilled slots must be
	// cty.NullVal(type) so that conditions like slot.reason == "damaged" work.
	Slots    map[string]cty.Value
	Intent   IntentInfo
	Entities map[string]cty.Value // entity or builtin type name -> first value found in the message
	// Customer is an object (or map) of what is known about the customer; cty.NilVal
	// means nothing is known. The fields in CustomerFields always exist.
	Customer     cty.Value
	Calls        map[string]cty.Value // call name -> result object
	Sentiment    float64              // -1 (very negative) to 1 (very positive)
	Now          time.Time            // zero: the wall clock
	BusinessOpen bool
	Conversation ConversationInfo
	Ticket       TicketInfo
	Message      string // the customer's message this turn
	// Knowledge is the knowledge base's answer to this message; zero when the
	// message was not searched or nothing reached the threshold.
	Knowledge KnowledgeInfo
	// Memory holds what the conversation remembers (memory.NAME); names the
	// bot declares but that are not set read as null.
	Memory map[string]cty.Value
	// Handoff is the handoff being decided, for rules with on = handoff.
	Handoff HandoffInfo
	// AgentsOnline is how many agents are online per queue, as the engine
	// read it before the turn (nil: unknown, read as 0).
	AgentsOnline map[string]int
}

// KnowledgeInfo is an answer from the knowledge base, as knowledge.* shows it.
type KnowledgeInfo struct {
	ID     string // the chunk's id, such as "returns.md#refunds" or an faq name
	Answer string
	Title  string
	Source string // the file the chunk comes from, relative to the bot folder
	Score  float64
}

// IntentInfo is the intent recognised in the current message.
type IntentInfo struct {
	Name       string // "" when nothing was understood
	Confidence float64
}

// ConversationInfo describes the conversation so far.
type ConversationInfo struct {
	ID       string
	Language string
	Failures int // messages in a row the bot did not understand
	Turns    int // customer messages so far, including this one
	Channel  string
	// Dialog is the active dialog ("" for none) and Dialogs the whole stack,
	// innermost last. NextDialog is the dialog waiting to start while the bot
	// asks whether to switch to it.
	Dialog     string
	Dialogs    []string
	NextDialog string
	// LastResponse is the response the bot said last before this message.
	LastResponse string
}

// HandoffInfo is the handoff a rule with on = handoff is about to replace.
type HandoffInfo struct {
	Queue    string
	Priority string
	Reason   string // the handoff policy, rule or dialog that asked for it
	// AgentsOnline is how many agents are online in Queue.
	AgentsOnline int
}

// TicketInfo is the ticket created in this turn, if any; in what a ticket's
// notify messages say, the ticket they are about.
type TicketInfo struct {
	ID       string
	Subject  string
	Status   string
	Queue    string
	Priority string
}

// Namespace describes one top-level name an expression can read at run time. The
// static checker uses it to reject unknown names, and the docs are generated from it.
type Namespace struct {
	Name        string
	Type        string // "object", "string", "number" or "bool"
	Description string
	Example     string
	// Fields are the attributes of an object namespace that always exist. For
	// namespaces whose attributes the bot defines (slot, var, call, entity),
	// BotDefined is true and Fields lists nothing.
	Fields     []NamespaceField
	BotDefined bool
	// OpenEnded is true when attributes beyond Fields may exist at run time
	// (customer data comes from the channel or CRM), so unknown attributes are
	// not an error.
	OpenEnded bool
}

// NamespaceField is one attribute of an object namespace.
type NamespaceField struct {
	Name        string
	Type        string
	Description string
}

// CustomerFields always exist on customer, with these zero values when unknown,
// so responses like "Hi ${customer.name}" work for anonymous customers.
var CustomerFields = []NamespaceField{
	{Name: "id", Type: "string", Description: "The customer's id in your systems, \"\" when anonymous"},
	{Name: "name", Type: "string", Description: "The customer's name, \"\" when unknown"},
	{Name: "email", Type: "string", Description: "Email address, \"\" when unknown"},
	{Name: "phone", Type: "string", Description: "Phone number, \"\" when unknown"},
	{Name: "vip", Type: "bool", Description: "Whether the customer is a VIP, false when unknown"},
	{Name: "tier", Type: "string", Description: "Loyalty tier, \"\" when unknown"},
}

// Namespaces lists every top-level name an expression can read at run time.
var Namespaces = []Namespace{
	{Name: "slot", Type: "object", BotDefined: true,
		Description: "The slots of the active dialog. An unfilled slot is null.",
		Example:     `slot.reason == "damaged"`},
	{Name: "var", Type: "object", BotDefined: true,
		Description: "The bot's variables, from variable blocks.",
		Example:     `call.order.total < var.auto_refund_limit`},
	{Name: "local", Type: "object", BotDefined: true,
		Description: "The bot's named expressions, from locals blocks, evaluated where they are read.",
		Example:     `local.amount_with_fee > var.limit`},
	{Name: "memory", Type: "object", BotDefined: true,
		Description: "What the conversation remembers: slots with remember = true and the values of remember actions. Null until set.",
		Example:     `memory.order_id != null`},
	{Name: "intent", Type: "object",
		Description: "The intent recognised in the current message.",
		Example:     `intent.name == "human"`,
		Fields: []NamespaceField{
			{Name: "name", Type: "string", Description: "The intent's name, \"\" when nothing was understood"},
			{Name: "confidence", Type: "number", Description: "How sure the bot is, from 0 to 1"},
		}},
	{Name: "entity", Type: "object", BotDefined: true,
		Description: "The first value of each entity and built-in type found in the current message; null when absent.",
		Example:     `entity.order_id != null`},
	{Name: "customer", Type: "object", OpenEnded: true, Fields: CustomerFields,
		Description: "What is known about the customer. Channels and connectors may add more fields.",
		Example:     `customer.vip`},
	{Name: "call", Type: "object", BotDefined: true,
		Description: "The result of each call that has run, by call name. A call that has not run yet is unknown, which makes any condition on it false.",
		Example:     `call.order.status == "shipped"`},
	{Name: "sentiment", Type: "number",
		Description: "The mood of the current message, from -1 (very negative) to 1 (very positive).",
		Example:     `sentiment <= -0.6`},
	{Name: "now", Type: "string",
		Description: "The current time as RFC 3339 text in the bot's time zone.",
		Example:     `weekday(now) == "Sunday"`},
	{Name: "business_hours", Type: "object",
		Description: "Whether people are available now, from the bot's business_hours.",
		Example:     `!business_hours.open`,
		Fields: []NamespaceField{
			{Name: "open", Type: "bool", Description: "True during business hours (always true without business_hours)"},
		}},
	{Name: "conversation", Type: "object",
		Description: "The conversation so far.",
		Example:     `conversation.failures >= 3`,
		Fields: []NamespaceField{
			{Name: "id", Type: "string", Description: "The conversation's id"},
			{Name: "language", Type: "string", Description: "The language the customer is using, such as \"en\""},
			{Name: "failures", Type: "number", Description: "Messages in a row, outside a dialog, the bot did not understand, including this one"},
			{Name: "turns", Type: "number", Description: "Customer messages so far, including this one"},
			{Name: "channel", Type: "string", Description: "The channel the conversation is on: web, sms, email, whatsapp, test…"},
			{Name: "dialog", Type: "string", Description: "The active dialog, \"\" for none; in a dialog's when, the dialog it would interrupt"},
			{Name: "dialogs", Type: "list", Description: "The active dialogs, innermost last"},
			{Name: "next_dialog", Type: "string", Description: "The dialog waiting to start while the bot asks whether to switch to it, else \"\""},
			{Name: "last_response", Type: "string", Description: "The response the bot said last before this message, \"\" when none or inline text"},
		}},
	{Name: "handoff", Type: "object",
		Description: "The handoff a rule with on = handoff is deciding about; empty elsewhere.",
		Example:     `handoff.agents_online == 0`,
		Fields: []NamespaceField{
			{Name: "queue", Type: "string", Description: "The name of the queue it is for, such as \"general\""},
			{Name: "priority", Type: "string", Description: "Its priority"},
			{Name: "reason", Type: "string", Description: "The name of the handoff policy or rule that asked for it, or DIALOG.NAME for a dialog's slot, call or outcome"},
			{Name: "agents_online", Type: "number", Description: "Agents online in that queue now"},
		}},
	{Name: "queues", Type: "object", BotDefined: true,
		Description: "Live facts about each queue, by name: agents_online, the agents online in it now.",
		Example:     `queues.general.agents_online > 0`},
	{Name: "ticket", Type: "object",
		Description: "The ticket created in this turn; in the tickets block's notify messages, the ticket they tell the customer about.",
		Example:     `"Your ticket is ${ticket.id}"`,
		Fields: []NamespaceField{
			{Name: "id", Type: "string", Description: "The ticket's id, \"\" when no ticket was created"},
			{Name: "subject", Type: "string", Description: "The ticket's subject (notify messages only, else \"\")"},
			{Name: "status", Type: "string", Description: "open, pending, solved or closed (notify messages only, else \"\")"},
			{Name: "queue", Type: "string", Description: "The queue it is in (notify messages only, else \"\")"},
			{Name: "priority", Type: "string", Description: "low, normal, high or urgent (notify messages only, else \"\")"},
		}},
	{Name: "message", Type: "string",
		Description: "The customer's message, as typed.",
		Example:     `matches(lower(message), "lawyer|court")`},
	{Name: "knowledge", Type: "object",
		Description: "The knowledge base's answer to the current message, for the knowledge block's reply. Set only when no intent was confident, nothing else took the message (a slot's answer, a yes or no to a confirmation) and a document or FAQ reached the threshold; otherwise its texts are \"\" and its score 0.",
		Example:     `"${knowledge.answer} (Source: ${knowledge.title})"`,
		Fields: []NamespaceField{
			{Name: "answer", Type: "string", Description: "The answer: the chunk's text, or the generated answer when a generate block is on"},
			{Name: "title", Type: "string", Description: "The title of the document section or FAQ question it comes from"},
			{Name: "source", Type: "string", Description: "The file it comes from, relative to the bot folder"},
			{Name: "score", Type: "number", Description: "How well it matches the message, from 0 to 1"},
			{Name: "id", Type: "string", Description: "The chunk's id, as test expectations name it"},
		}},
}

// EvalContext builds the evaluation context for one turn. Its Variables map is new
// on every call, so callers may extend it. Its Functions map is the bot's shared
// table (or the default one): treat it as read-only.
//
// What depends only on the bot (var, and the null or unknown placeholders of every
// declared slot, call and entity) is built once per Bot; see evalBaseOf.
func (b *Bot) EvalContext(s Scope) *hcl.EvalContext {
	base := evalBaseOf(b)
	vars := make(map[string]cty.Value, nsCount)
	for n := range nsCount {
		if n != nsLocal {
			vars[nsNames[n]] = base.namespace(b, n, &s)
		}
	}
	ctx := &hcl.EvalContext{Variables: vars, Functions: base.functions(s.Conversation.Language)}
	if b != nil {
		evalLocals(b.Locals, ctx)
	} else {
		vars["local"] = cty.EmptyObjectVal
	}
	return ctx
}

// Open reports whether t falls within business hours. A bot without
// business_hours is always open; a holiday is closed all day. A range whose end is
// before its start (22:00-02:00) covers both ends of that day.
func (b *Bot) Open(t time.Time) bool {
	if b == nil || b.BusinessHours == nil {
		return true
	}
	bh := b.BusinessHours
	loc := bh.Location
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	if bh.Holidays[lt.Format("2006-01-02")] {
		return false
	}
	minute := lt.Hour()*60 + lt.Minute()
	for _, r := range bh.Week[lt.Weekday()] {
		if r.From <= r.To {
			if minute >= r.From && minute < r.To {
				return true
			}
		} else if minute >= r.From {
			// An overnight span ("22:00-02:00") opens on its own day...
			return true
		}
	}
	// ...and runs into the small hours of the next one.
	for _, r := range bh.Week[(lt.Weekday()+6)%7] {
		if r.From > r.To && minute < r.To {
			return true
		}
	}
	return false
}

// FormatNumber writes a number the way a person would: integers without a
// decimal point, other numbers with the fewest digits that identify them.
func FormatNumber(f *big.Float) string {
	if f.IsInt() {
		if i, acc := f.Int64(); acc == big.Exact {
			return strconv.FormatInt(i, 10)
		}
		return f.Text('f', 0)
	}
	if f.IsInf() {
		if f.Sign() < 0 {
			return "-∞"
		}
		return "∞"
	}
	x, _ := f.Float64()
	return strconv.FormatFloat(x, 'f', -1, 64)
}
