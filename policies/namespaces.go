package policies

import (
	"sync"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// ns names one namespace of the evaluation context, so that an Env can tell
// which ones an expression reads and build only those.
type ns uint8

const (
	nsSlot ns = iota
	nsVar
	nsLocal
	nsMemory
	nsIntent
	nsEntity
	nsCustomer
	nsCall
	nsSentiment
	nsNow
	nsBusinessHours
	nsConversation
	nsHandoff
	nsQueues
	nsTicket
	nsMessage
	nsKnowledge
	nsCount
)

// nsNames are the namespaces' names in expressions, as Namespaces documents them.
var nsNames = [nsCount]string{
	nsSlot: "slot", nsVar: "var", nsLocal: "local", nsMemory: "memory", nsIntent: "intent",
	nsEntity: "entity", nsCustomer: "customer", nsCall: "call", nsSentiment: "sentiment",
	nsNow: "now", nsBusinessHours: "business_hours", nsConversation: "conversation",
	nsHandoff: "handoff", nsQueues: "queues", nsTicket: "ticket", nsMessage: "message",
	nsKnowledge: "knowledge",
}

func namespaceNamed(name string) (ns, bool) {
	for n, s := range nsNames {
		if s == name {
			return ns(n), true
		}
	}
	return 0, false
}

// nsSet is a set of namespaces.
type nsSet uint32

const allNamespaces = nsSet(1)<<nsCount - 1

func (n ns) set() nsSet { return nsSet(1) << n }

// field is one attribute of a namespace whose attributes are fixed: the object
// is built from the same table an Env reads one attribute from, so the two
// can never disagree.
type field struct {
	name  string
	value func(*Scope) cty.Value
}

var intentFields = []field{
	{"name", func(s *Scope) cty.Value { return cty.StringVal(s.Intent.Name) }},
	{"confidence", func(s *Scope) cty.Value { return cty.NumberFloatVal(finite(s.Intent.Confidence)) }},
}

var businessHoursFields = []field{
	{"open", func(s *Scope) cty.Value { return cty.BoolVal(s.BusinessOpen) }},
}

var noDialogs = cty.ListValEmpty(cty.String)

var conversationFields = []field{
	{"id", func(s *Scope) cty.Value { return cty.StringVal(s.Conversation.ID) }},
	{"language", func(s *Scope) cty.Value { return cty.StringVal(s.Conversation.Language) }},
	{"failures", func(s *Scope) cty.Value { return intVal(s.Conversation.Failures) }},
	{"turns", func(s *Scope) cty.Value { return intVal(s.Conversation.Turns) }},
	{"channel", func(s *Scope) cty.Value { return cty.StringVal(s.Conversation.Channel) }},
	{"dialog", func(s *Scope) cty.Value { return cty.StringVal(s.Conversation.Dialog) }},
	{"dialogs", func(s *Scope) cty.Value {
		if len(s.Conversation.Dialogs) == 0 {
			return noDialogs
		}
		names := make([]cty.Value, len(s.Conversation.Dialogs))
		for i, n := range s.Conversation.Dialogs {
			names[i] = cty.StringVal(n)
		}
		return cty.ListVal(names)
	}},
	{"next_dialog", func(s *Scope) cty.Value { return cty.StringVal(s.Conversation.NextDialog) }},
	{"last_response", func(s *Scope) cty.Value { return cty.StringVal(s.Conversation.LastResponse) }},
}

var handoffFields = []field{
	{"queue", func(s *Scope) cty.Value { return cty.StringVal(s.Handoff.Queue) }},
	{"priority", func(s *Scope) cty.Value { return cty.StringVal(s.Handoff.Priority) }},
	{"reason", func(s *Scope) cty.Value { return cty.StringVal(s.Handoff.Reason) }},
	{"agents_online", func(s *Scope) cty.Value { return intVal(s.Handoff.AgentsOnline) }},
}

var ticketFields = []field{
	{"id", func(s *Scope) cty.Value { return cty.StringVal(s.Ticket.ID) }},
	{"subject", func(s *Scope) cty.Value { return cty.StringVal(s.Ticket.Subject) }},
	{"status", func(s *Scope) cty.Value { return cty.StringVal(s.Ticket.Status) }},
	{"queue", func(s *Scope) cty.Value { return cty.StringVal(s.Ticket.Queue) }},
	{"priority", func(s *Scope) cty.Value { return cty.StringVal(s.Ticket.Priority) }},
}

var knowledgeFields = []field{
	{"id", func(s *Scope) cty.Value { return cty.StringVal(s.Knowledge.ID) }},
	{"answer", func(s *Scope) cty.Value { return cty.StringVal(s.Knowledge.Answer) }},
	{"title", func(s *Scope) cty.Value { return cty.StringVal(s.Knowledge.Title) }},
	{"source", func(s *Scope) cty.Value { return cty.StringVal(s.Knowledge.Source) }},
	{"score", func(s *Scope) cty.Value { return cty.NumberFloatVal(finite(s.Knowledge.Score)) }},
}

// fieldsOf is the field table of a namespace with fixed attributes, or nil.
func fieldsOf(n ns) []field {
	switch n {
	case nsIntent:
		return intentFields
	case nsBusinessHours:
		return businessHoursFields
	case nsConversation:
		return conversationFields
	case nsHandoff:
		return handoffFields
	case nsTicket:
		return ticketFields
	case nsKnowledge:
		return knowledgeFields
	}
	return nil
}

func objectOf(fields []field, s *Scope) cty.Value {
	attrs := make(map[string]cty.Value, len(fields))
	for _, f := range fields {
		attrs[f.name] = f.value(s)
	}
	return cty.ObjectVal(attrs)
}

// fieldValue is one attribute of a namespace with fixed attributes.
func fieldValue(fields []field, name string, s *Scope) (cty.Value, bool) {
	for _, f := range fields {
		if f.name == name {
			return f.value(s), true
		}
	}
	return cty.NilVal, false
}

// noHandoff and noKnowledge are handoff.* and knowledge.* in most turns: outside
// a rule with on = handoff, and for a message the knowledge base did not answer.
var (
	noHandoff   = sync.OnceValue(func() cty.Value { return objectOf(handoffFields, &Scope{}) })
	noKnowledge = sync.OnceValue(func() cty.Value { return objectOf(knowledgeFields, &Scope{}) })
)

// namespace builds the value of one namespace (all but local) from the scope.
func (base *evalBase) namespace(b *Bot, n ns, s *Scope) cty.Value {
	switch n {
	case nsSlot:
		return overlay(base.slots, base.emptySlots, s.Slots)
	case nsVar:
		return base.vars
	case nsMemory:
		return overlay(base.memory, base.emptyMemory, s.Memory)
	case nsEntity:
		return overlay(base.entities, base.emptyEntities, s.Entities)
	case nsCall:
		return overlay(base.calls, base.emptyCalls, s.Calls)
	case nsCustomer:
		return customerObject(s.Customer)
	case nsSentiment:
		return cty.NumberFloatVal(finite(s.Sentiment))
	case nsNow:
		return cty.StringVal(b.localTime(s.Now).Format(time.RFC3339))
	case nsMessage:
		return cty.StringVal(s.Message)
	case nsQueues:
		return base.queuesObject(s.AgentsOnline)
	case nsHandoff:
		if s.Handoff == (HandoffInfo{}) {
			return noHandoff()
		}
	case nsKnowledge:
		if s.Knowledge == (KnowledgeInfo{}) {
			return noKnowledge()
		}
	}
	return objectOf(fieldsOf(n), s)
}

// overlay is the object of defaults with values laid over it; empty when
// values sets nothing.
func overlay(defaults map[string]cty.Value, empty cty.Value, values map[string]cty.Value) cty.Value {
	if len(values) == 0 {
		return empty
	}
	attrs := make(map[string]cty.Value, len(defaults)+len(values))
	for k, v := range defaults {
		attrs[k] = v
	}
	for k, v := range values {
		attrs[k] = orNull(v)
	}
	return cty.ObjectVal(attrs)
}

// overlaid is one attribute of overlay(defaults, empty, values), without
// building the object.
func overlaid(defaults, values map[string]cty.Value, name string) (cty.Value, bool) {
	if v, ok := values[name]; ok {
		return orNull(v), true
	}
	v, ok := defaults[name]
	return v, ok
}

// smallInts are the counters expressions read most (failures, turns, agents
// online), built once: cty numbers are immutable, so they can be shared.
var smallInts = func() (out [64]cty.Value) {
	for i := range out {
		out[i] = cty.NumberIntVal(int64(i))
	}
	return out
}()

func intVal(n int) cty.Value {
	if n >= 0 && n < len(smallInts) {
		return smallInts[n]
	}
	return cty.NumberIntVal(int64(n))
}
