package policies

import (
	"fmt"
	"maps"
	"math"
	"math/big"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
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
			{Name: "failures", Type: "number", Description: "Messages in a row the bot did not understand"},
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
			{Name: "queue", Type: "string", Description: "The queue it is for"},
			{Name: "priority", Type: "string", Description: "Its priority"},
			{Name: "reason", Type: "string", Description: "The handoff policy, rule or dialog that asked for it"},
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
	vars := map[string]cty.Value{
		"slot":      base.overlay(base.slots, base.emptySlots, s.Slots),
		"var":       base.vars,
		"intent":    cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(s.Intent.Name), "confidence": cty.NumberFloatVal(finite(s.Intent.Confidence))}),
		"entity":    base.overlay(base.entities, base.emptyEntities, s.Entities),
		"customer":  customerObject(s.Customer),
		"call":      base.overlay(base.calls, base.emptyCalls, s.Calls),
		"sentiment": cty.NumberFloatVal(finite(s.Sentiment)),
		"now":       cty.StringVal(b.localTime(s.Now).Format(time.RFC3339)),
		"business_hours": cty.ObjectVal(map[string]cty.Value{
			"open": cty.BoolVal(s.BusinessOpen),
		}),
		"conversation": conversationObject(s.Conversation),
		"handoff":      handoffObject(s.Handoff),
		"queues":       base.queuesObject(s.AgentsOnline),
		"ticket": cty.ObjectVal(map[string]cty.Value{
			"id": cty.StringVal(s.Ticket.ID), "subject": cty.StringVal(s.Ticket.Subject), "status": cty.StringVal(s.Ticket.Status),
			"queue": cty.StringVal(s.Ticket.Queue), "priority": cty.StringVal(s.Ticket.Priority),
		}),
		"message":   cty.StringVal(s.Message),
		"knowledge": knowledgeObject(s.Knowledge),
		"memory":    base.overlay(base.memory, base.emptyMemory, s.Memory),
	}
	ctx := &hcl.EvalContext{Variables: vars, Functions: base.functions(s.Conversation.Language)}
	if b != nil {
		evalLocals(b.Locals, ctx)
	} else {
		vars["local"] = cty.EmptyObjectVal
	}
	return ctx
}

// noHandoff is handoff.* outside a rule with on = handoff: most evaluations.
var noHandoff = sync.OnceValue(func() cty.Value { return handoffValue(HandoffInfo{}) })

func handoffObject(h HandoffInfo) cty.Value {
	if h == (HandoffInfo{}) {
		return noHandoff()
	}
	return handoffValue(h)
}

func handoffValue(h HandoffInfo) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"queue":         cty.StringVal(h.Queue),
		"priority":      cty.StringVal(h.Priority),
		"reason":        cty.StringVal(h.Reason),
		"agents_online": cty.NumberIntVal(int64(h.AgentsOnline)),
	})
}

var noDialogs = cty.ListValEmpty(cty.String)

func conversationObject(c ConversationInfo) cty.Value {
	dialogs := noDialogs
	if len(c.Dialogs) > 0 {
		names := make([]cty.Value, len(c.Dialogs))
		for i, n := range c.Dialogs {
			names[i] = cty.StringVal(n)
		}
		dialogs = cty.ListVal(names)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"id":            cty.StringVal(c.ID),
		"language":      cty.StringVal(c.Language),
		"failures":      cty.NumberIntVal(int64(c.Failures)),
		"turns":         cty.NumberIntVal(int64(c.Turns)),
		"channel":       cty.StringVal(c.Channel),
		"dialog":        cty.StringVal(c.Dialog),
		"dialogs":       dialogs,
		"next_dialog":   cty.StringVal(c.NextDialog),
		"last_response": cty.StringVal(c.LastResponse),
	})
}

// queuesObject is queues.NAME.agents_online for every queue of the bot.
func (base *evalBase) queuesObject(online map[string]int) cty.Value {
	if len(online) == 0 && base.emptyQueues != cty.NilVal {
		return base.emptyQueues
	}
	attrs := make(map[string]cty.Value, len(base.queueNames))
	for _, q := range base.queueNames {
		attrs[q] = cty.ObjectVal(map[string]cty.Value{"agents_online": cty.NumberIntVal(int64(online[q]))})
	}
	return cty.ObjectVal(attrs)
}

// functions is the function table for a language: the bot's, with label and
// dialog_title speaking that language.
func (base *evalBase) functions(lang string) map[string]function.Function {
	if f, ok := base.funcsByLang[lang]; ok {
		return f
	}
	return base.funcs
}

// evalBase is the part of every evaluation context that depends only on the bot.
// It is never modified once built, so all turns share it.
type evalBase struct {
	vars cty.Value
	// slots holds every slot name the bot declares anywhere, as null, so a rule or
	// policy reading a slot of a dialog that is not active sees null rather than
	// failing.
	slots map[string]cty.Value
	// calls holds every call the bot declares, as unknown until it has run, so a
	// condition on its result is false (not an error) before the call happens.
	calls map[string]cty.Value
	// entities holds every built-in type and entity, as null.
	entities map[string]cty.Value
	// memory holds every name the conversation can remember, as null.
	memory map[string]cty.Value
	// The objects of the maps above, for scopes that set nothing in them.
	emptySlots, emptyCalls, emptyEntities, emptyMemory cty.Value
	// queueNames are the bot's queues; emptyQueues has no agent online in any.
	queueNames  []string
	emptyQueues cty.Value
	// queueRefs is queue.NAME = "NAME", for expressions that choose a queue.
	queueRefs cty.Value
	funcs     map[string]function.Function
	// funcsByLang holds, per bot language, funcs with the functions that
	// speak it (label, dialog_title).
	funcsByLang map[string]map[string]function.Function
}

// evalBases caches the evalBase of each live Bot. The key is a weak pointer so a
// bot that is replaced (a reload) can be collected; its entry is dropped then.
// A cache beside the Bot, rather than a field in it, keeps Bot a plain value
// that Load builds and nobody mutates.
var evalBases sync.Map // weak.Pointer[Bot] -> *evalBase

var nilBotBase = sync.OnceValue(func() *evalBase { return newEvalBase(nil) })

// evalBaseOf returns the bot's evalBase, building it on first use. Safe for
// concurrent use; two turns racing on a new bot may both build it, and one wins.
// A bot changed after its first evaluation would keep its old placeholders,
// which is one more reason Bot is immutable once loaded.
func evalBaseOf(b *Bot) *evalBase {
	if b == nil {
		return nilBotBase()
	}
	key := weak.Make(b)
	if v, ok := evalBases.Load(key); ok {
		return v.(*evalBase)
	}
	v, loaded := evalBases.LoadOrStore(key, newEvalBase(b))
	if !loaded {
		runtime.AddCleanup(b, func(k weak.Pointer[Bot]) { evalBases.Delete(k) }, key)
	}
	return v.(*evalBase)
}

func newEvalBase(b *Bot) *evalBase {
	base := &evalBase{
		slots:    map[string]cty.Value{},
		calls:    map[string]cty.Value{},
		entities: map[string]cty.Value{},
		memory:   map[string]cty.Value{},
		funcs:    functionTable,
	}
	vars := map[string]cty.Value{}
	for _, t := range BuiltinTypes {
		base.entities[t] = cty.NullVal(cty.DynamicPseudoType)
	}
	if b != nil {
		if b.Functions != nil {
			base.funcs = b.Functions
		}
		for name, v := range b.Variables {
			if v != nil {
				vars[name] = orNull(v.Value)
			}
		}
		for name := range b.Entities {
			base.entities[name] = cty.NullVal(cty.DynamicPseudoType)
		}
		for name := range b.Memory {
			base.memory[name] = cty.NullVal(cty.DynamicPseudoType)
		}
		addCalls := func(calls []*Call) {
			for _, c := range calls {
				if c != nil {
					base.calls[c.Name] = cty.DynamicVal
				}
			}
		}
		for _, d := range b.Dialogs {
			if d == nil {
				continue
			}
			addCalls(d.Calls)
			for _, o := range d.Outcomes {
				if o != nil {
					addCalls(o.Actions.Calls)
				}
			}
			for _, sl := range d.Slots {
				if sl == nil {
					continue
				}
				base.slots[sl.Name] = cty.NullVal(cty.DynamicPseudoType)
				if sl.OnExhausted != nil {
					addCalls(sl.OnExhausted.Calls)
				}
			}
		}
		for _, r := range b.Rules {
			if r != nil {
				addCalls(r.Actions.Calls)
			}
		}
	}
	base.vars = cty.ObjectVal(vars)
	base.emptySlots = cty.ObjectVal(base.slots)
	base.emptyCalls = cty.ObjectVal(base.calls)
	base.emptyEntities = cty.ObjectVal(base.entities)
	base.emptyMemory = cty.ObjectVal(base.memory)
	if b != nil {
		base.queueNames = sortedKeys(b.Queues)
		base.funcsByLang = map[string]map[string]function.Function{}
		for _, lang := range b.Languages {
			base.funcsByLang[lang] = b.languageFunctions(base.funcs, lang)
		}
	}
	base.emptyQueues = base.queuesObject(nil)
	refs := map[string]cty.Value{}
	for _, q := range base.queueNames {
		refs[q] = cty.StringVal(q)
	}
	base.queueRefs = cty.ObjectVal(refs)
	return base
}

// overlay is the object of defaults with values laid over it; empty when
// values sets nothing.
func (*evalBase) overlay(defaults map[string]cty.Value, empty cty.Value, values map[string]cty.Value) cty.Value {
	if len(values) == 0 {
		return empty
	}
	attrs := make(map[string]cty.Value, len(defaults)+len(values))
	maps.Copy(attrs, defaults)
	for k, v := range values {
		attrs[k] = orNull(v)
	}
	return cty.ObjectVal(attrs)
}

// localTime is t (or the wall clock when t is zero) in the bot's time zone.
func (b *Bot) localTime(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	if b != nil && b.BusinessHours != nil && b.BusinessHours.Location != nil {
		return t.In(b.BusinessHours.Location)
	}
	return t
}

// noKnowledge is knowledge.* when the message has no knowledge answer: most
// turns, so it is built once.
var noKnowledge = sync.OnceValue(func() cty.Value { return knowledgeValue(KnowledgeInfo{}) })

func knowledgeObject(k KnowledgeInfo) cty.Value {
	if k == (KnowledgeInfo{}) {
		return noKnowledge()
	}
	return knowledgeValue(k)
}

func knowledgeValue(k KnowledgeInfo) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"id":     cty.StringVal(k.ID),
		"answer": cty.StringVal(k.Answer),
		"title":  cty.StringVal(k.Title),
		"source": cty.StringVal(k.Source),
		"score":  cty.NumberFloatVal(finite(k.Score)),
	})
}

// defaultCustomer is the customer object when nothing is known.
var defaultCustomer = sync.OnceValue(func() cty.Value { return cty.ObjectVal(customerDefaults()) })

func customerDefaults() map[string]cty.Value {
	attrs := make(map[string]cty.Value, len(CustomerFields))
	for _, f := range CustomerFields {
		if f.Type == "bool" {
			attrs[f.Name] = cty.False
		} else {
			attrs[f.Name] = cty.StringVal("")
		}
	}
	return attrs
}

func customerObject(c cty.Value) cty.Value {
	if c == cty.NilVal || !c.IsKnown() || c.IsNull() || !(c.Type().IsObjectType() || c.Type().IsMapType()) || c.LengthInt() == 0 {
		return defaultCustomer()
	}
	attrs := customerDefaults()
	for it := c.ElementIterator(); it.Next(); {
		k, v := it.Element()
		key := k.AsString()
		// A null from the CRM must not turn a known field into one that breaks
		// comparisons like customer.vip && ...
		if v.IsNull() {
			if _, known := attrs[key]; known {
				continue
			}
		}
		attrs[key] = v
	}
	return cty.ObjectVal(attrs)
}

// finite maps NaN and infinities, which cty refuses with a panic, to 0: a
// broken score from a model must not take a turn down.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func orNull(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v
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

// Env evaluates any number of expressions against one scope, building the
// evaluation context once. Use it when a turn evaluates many expressions; the
// Bot methods of the same names build a new context on each call.
type Env struct {
	ctx *hcl.EvalContext
	bot *Bot
}

// Env returns an evaluator for the scope.
func (b *Bot) Env(s Scope) *Env { return &Env{ctx: b.EvalContext(s), bot: b} }

// Queue evaluates an expression that chooses a queue (customer.vip ?
// queue.vip : queue.general) to the queue's name. A name that is not one of
// the bot's queues is an error.
func (e *Env) Queue(expr hcl.Expression) (string, hcl.Diagnostics) {
	child := e.ctx.NewChild()
	child.Variables = map[string]cty.Value{"queue": evalBaseOf(e.bot).queueRefs}
	v, diags := expr.Value(child)
	if diags.HasErrors() {
		return "", diags
	}
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		r := expr.Range()
		return "", append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No queue", Detail: "The expression gave no queue name.", Subject: &r})
	}
	name := v.AsString()
	if e.bot == nil || e.bot.Queues[name] == nil {
		r := expr.Range()
		return "", append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown queue", Detail: fmt.Sprintf("There is no queue named %q.", name), Subject: &r})
	}
	return name, diags
}

// Context is the underlying evaluation context.
func (e *Env) Context() *hcl.EvalContext { return e.ctx }

// Value evaluates expr in the scope. A nil expr is null.
func (b *Bot) Value(expr hcl.Expression, s Scope) (cty.Value, hcl.Diagnostics) {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	return b.Env(s).Value(expr)
}

// Cond evaluates a condition. A nil expr holds. A condition that is null or not
// yet known (it reads a call that has not run) does not hold; evaluation errors
// make it false and are returned.
func (b *Bot) Cond(expr hcl.Expression, s Scope) (bool, hcl.Diagnostics) {
	if expr == nil {
		return true, nil
	}
	return b.Env(s).Cond(expr)
}

// Render evaluates a message template to text. Unlike plain HCL, an interpolation
// whose value is null becomes "" instead of an error, so "${slot.product}" is
// empty while the slot is unfilled. Numbers print without noise: 320, 0.5,
// 1280.25. A value that is not known yet (a call that has not run), or a list or
// object, is an error.
func (b *Bot) Render(expr hcl.Expression, s Scope) (string, hcl.Diagnostics) {
	if expr == nil {
		return "", nil
	}
	return b.Env(s).Render(expr)
}

// Value is Bot.Value with this Env's scope.
func (e *Env) Value(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	return expr.Value(e.ctx)
}

// Cond is Bot.Cond with this Env's scope.
func (e *Env) Cond(expr hcl.Expression) (bool, hcl.Diagnostics) {
	if expr == nil {
		return true, nil
	}
	v, diags := expr.Value(e.ctx)
	if diags.HasErrors() {
		return false, diags
	}
	if !v.IsKnown() || v.IsNull() {
		return false, diags
	}
	v, err := convert.Convert(v, cty.Bool)
	if err != nil {
		r := expr.Range()
		return false, append(diags, &hcl.Diagnostic{
			Severity:    hcl.DiagError,
			Summary:     "Condition is not true or false",
			Detail:      "A condition must be true or false: " + err.Error() + ".",
			Subject:     &r,
			Expression:  expr,
			EvalContext: e.ctx,
		})
	}
	return v.True(), diags
}

// Render is Bot.Render with this Env's scope.
func (e *Env) Render(expr hcl.Expression) (string, hcl.Diagnostics) {
	if expr == nil {
		return "", nil
	}
	switch t := expr.(type) {
	case *hclsyntax.TemplateExpr:
		var out strings.Builder
		var diags hcl.Diagnostics
		for _, part := range t.Parts {
			v, partDiags := part.Value(e.ctx)
			diags = append(diags, partDiags...)
			if partDiags.HasErrors() {
				continue
			}
			text, d := textOf(v, part, e.ctx)
			diags = append(diags, d...)
			out.WriteString(text)
		}
		if diags.HasErrors() {
			return "", diags
		}
		return out.String(), diags
	case *hclsyntax.TemplateWrapExpr:
		return renderValue(t.Wrapped, e.ctx)
	}
	return renderValue(expr, e.ctx)
}

func renderValue(expr hcl.Expression, ctx *hcl.EvalContext) (string, hcl.Diagnostics) {
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return "", diags
	}
	text, d := textOf(v, expr, ctx)
	diags = append(diags, d...)
	if diags.HasErrors() {
		return "", diags
	}
	return text, diags
}

// textOf turns one interpolated value into text.
func textOf(v cty.Value, expr hcl.Expression, ctx *hcl.EvalContext) (string, hcl.Diagnostics) {
	v, _ = v.Unmark()
	fail := func(summary, detail string) (string, hcl.Diagnostics) {
		r := expr.Range()
		return "", hcl.Diagnostics{{
			Severity:    hcl.DiagError,
			Summary:     summary,
			Detail:      detail,
			Subject:     &r,
			Expression:  expr,
			EvalContext: ctx,
		}}
	}
	switch {
	case !v.IsKnown():
		return fail("Value not available yet", "This value depends on a call that has not run yet, so it can't be shown in a message.")
	case v.IsNull():
		return "", nil
	case v.Type() == cty.String:
		return v.AsString(), nil
	case v.Type() == cty.Number:
		return FormatNumber(v.AsBigFloat()), nil
	case v.Type() == cty.Bool:
		return strconv.FormatBool(v.True()), nil
	}
	return fail("Value can't be shown in a message", "A message can show text, numbers and true/false, not "+v.Type().FriendlyName()+". Use join() for lists or pick one field.")
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
