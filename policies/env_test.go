package policies

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

func secondEditionBot(t *testing.T) *Bot {
	t.Helper()
	bot, diags := LoadDir("testdata/valid/second_edition", testOptions)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	// Set before the bot's first evaluation, which fixes what var.* is.
	bot.Variables = map[string]*Variable{
		"auto_refund_limit": {Name: "auto_refund_limit", Value: cty.NumberIntVal(500)},
		"currency":          {Name: "currency", Value: cty.StringVal("CNY")},
	}
	return bot
}

// richScope sets something in every namespace.
func richScope() Scope {
	return Scope{
		Slots: map[string]cty.Value{"order_id": cty.StringVal("AB123456"), "amount": cty.NumberIntVal(40), "reason": cty.NullVal(cty.String)},
		Calls: map[string]cty.Value{
			"order": cty.ObjectVal(map[string]cty.Value{
				"status": cty.StringVal("shipped"), "total": cty.NumberFloatVal(1280.5),
				"items": cty.TupleVal([]cty.Value{cty.StringVal("pen")}), "error": cty.StringVal(""),
			}),
		},
		Entities:     map[string]cty.Value{"order_id": cty.StringVal("AB123456")},
		Memory:       map[string]cty.Value{"paid": cty.NumberIntVal(5), "email": cty.StringVal("a@b.c")},
		Intent:       IntentInfo{Name: "refund", Confidence: 0.75},
		Customer:     cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("Ann"), "vip": cty.True, "tier": cty.NullVal(cty.String), "city": cty.StringVal("Hangzhou")}),
		Sentiment:    -0.7,
		Now:          time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC),
		BusinessOpen: true,
		Conversation: ConversationInfo{ID: "c1", Language: "en", Failures: 3, Turns: 70, Channel: "web", Dialog: "refund", Dialogs: []string{"track", "refund"}},
		Handoff:      HandoffInfo{Queue: "vip", Priority: "high", Reason: "policy asked", AgentsOnline: 2},
		AgentsOnline: map[string]int{"vip": 2},
		Ticket:       TicketInfo{ID: "T-1"},
		Message:      "refund AB123456 please",
		Knowledge:    KnowledgeInfo{ID: "faq#1", Answer: "Yes.", Score: 0.5},
	}
}

// envExprs are expressions of every kind the fast path takes, and some it
// leaves to HCL, with those whose evaluation fails.
var envExprs = []string{
	`slot.order_id`, `slot.reason`, `slot.nope`, `slot.order_id.x`, `slot`,
	`call.order.total`, `call.order.status == "shipped"`, `call.order.items`, `call.order.missing`, `call.refund.refund_id`, `call.refund`,
	`call.order.total < var.auto_refund_limit`, `call.order.total >= 1000 && customer.vip`, `!customer.vip || intent.name == "refund"`,
	`intent.name`, `intent.confidence > 0.5`, `entity.order_id`, `entity.email == null`, `memory.paid + 1`, `memory.email`, `memory.nope`,
	`customer.name`, `customer.tier`, `customer.city`, `customer.phone == ""`, `customer.nope`, `sentiment <= -0.6`, `-sentiment`, `now`, `message`,
	`business_hours.open`, `conversation.failures >= 3`, `conversation.turns`, `conversation.dialogs`, `conversation.dialog`,
	`handoff.agents_online == 0`, `queues.vip.agents_online`, `queues.general.agents_online > 0`, `ticket.id`, `knowledge.score`,
	`local.fee`, `local.total`, `local.nope`, `var.nope`, `nope.x`, `queue.vip`,
	`"refund-${slot.order_id}"`, `"${call.order.total} in ${conversation.turns} turns"`, `"${slot.reason}"`, `"plain"`, `""`,
	`{ order_id = slot.order_id, amount = call.order.total, reason = slot.reason }`, `{ "quoted" = 1, (slot.order_id) = 2 }`, `{ a.b = 1 }`,
	`money(call.order.total, var.currency)`, `money(call.order.total, "USD")`, `upper(slot.order_id)`, `upper(slot.reason)`, `length(call.order.items)`,
	`label("refund_reason", slot.reason)`, `coalesce(memory.paid, 0) + slot.amount`, `nope(1)`, `upper()`, `upper(1, 2)`,
	`(slot.amount + 1) * 2`, `slot.amount / 0`, `slot.amount % 3`, `slot.amount - "x"`, `"a" < 1`, `slot.order_id == 1`, `null == slot.reason`,
	`customer.vip ? "vip" : "plain"`, `[slot.order_id, 1]`, `call.order.items[0]`, `[for x in call.order.items : upper(x)]`,
}

func parseExprs(t *testing.T) []hcl.Expression {
	t.Helper()
	var out []hcl.Expression
	for _, src := range envExprs {
		out = append(out, parseExpr(t, src))
	}
	return out
}

// mapSource is a ScopeSource over a whole Scope that records what it is asked.
type mapSource struct {
	s     Scope
	asked []string
}

func (m *mapSource) FillScope(s *Scope, namespace string) {
	m.asked = append(m.asked, namespace)
	switch namespace {
	case "slot":
		s.Slots = m.s.Slots
	case "call":
		s.Calls = m.s.Calls
	case "entity":
		s.Entities = m.s.Entities
	case "memory":
		s.Memory = m.s.Memory
	case "intent":
		s.Intent = m.s.Intent
	case "customer":
		s.Customer = m.s.Customer
	case "sentiment":
		s.Sentiment = m.s.Sentiment
	case "now":
		s.Now = m.s.Now
	case "business_hours":
		s.BusinessOpen = m.s.BusinessOpen
	case "conversation":
		s.Conversation = m.s.Conversation
	case "handoff":
		s.Handoff = m.s.Handoff
	case "queues":
		s.AgentsOnline = m.s.AgentsOnline
	case "ticket":
		s.Ticket = m.s.Ticket
	case "message":
		s.Message = m.s.Message
	case "knowledge":
		s.Knowledge = m.s.Knowledge
	}
}

// valueSource also gives slots and call fields one at a time.
type valueSource struct{ *mapSource }

func (v valueSource) Slot(name string) (cty.Value, bool) {
	v.asked = append(v.asked, "slot."+name)
	x, ok := v.s.Slots[name]
	return x, ok
}

func (v valueSource) CallField(call, field string) (cty.Value, bool) {
	v.asked = append(v.asked, "call."+call+"."+field)
	c, ok := v.s.Calls[call]
	if !ok || !c.Type().IsObjectType() || !c.Type().HasAttribute(field) {
		return cty.NilVal, false
	}
	return c.GetAttr(field), true
}

type evaluation struct {
	Value string
	Diags []string
}

func evaluated(v cty.Value, diags hcl.Diagnostics) evaluation {
	out := evaluation{Value: fmt.Sprintf("%#v", v)}
	for _, d := range diags {
		out.Diags = append(out.Diags, fmt.Sprintf("%s: %s: %s", d.Subject, d.Summary, d.Detail))
	}
	return out
}

// TestEnvAgreesWithHCL: whatever path an Env takes, and however it learns the
// scope, it gives HCL's value and diagnostics over the whole scope.
func TestEnvAgreesWithHCL(t *testing.T) {
	bot := secondEditionBot(t)
	scope := richScope()
	envs := map[string]func() *Env{
		"scope":        func() *Env { return bot.Env(scope) },
		"source":       func() *Env { return bot.NewEnv("en", &mapSource{s: scope}) },
		"value source": func() *Env { return bot.NewEnv("en", valueSource{&mapSource{s: scope}}) },
	}
	for _, expr := range parseExprs(t) {
		want := evaluated(expr.Value(bot.EvalContext(scope)))
		for name, newEnv := range envs {
			// A fresh Env, and one that has evaluated everything before.
			for _, env := range []*Env{newEnv(), newEnv()} {
				if diff := cmp.Diff(want, evaluated(env.Value(expr))); diff != "" {
					t.Errorf("%s: %s (-HCL +Env):\n%s", name, expr.Range().SliceBytes(nil), diff)
				}
			}
		}
	}
	// Conditions and templates too.
	env := bot.NewEnv("en", &mapSource{s: scope})
	for _, src := range []string{`call.order.total > 1000`, `slot.order_id`, `slot.reason == null`} {
		ok, diags := env.Cond(parseExpr(t, src))
		wantOK, wantDiags := bot.Cond(parseExpr(t, src), scope)
		if ok != wantOK || diags.Error() != wantDiags.Error() {
			t.Errorf("Cond(%s) = %v, %v; want %v, %v", src, ok, diags, wantOK, wantDiags)
		}
	}
}

// TestEnvReadsWhatItNeeds: an Env asks its source only for what an
// expression reads.
func TestEnvReadsWhatItNeeds(t *testing.T) {
	bot := secondEditionBot(t)
	tests := []struct {
		expr string
		want []string
	}{
		{`conversation.failures >= 3`, []string{"conversation"}},
		{`slot.order_id == "AB123456" && intent.name == "refund"`, []string{"slot.order_id", "intent"}},
		{`"Refund ${money(call.order.total, var.currency)} for ${slot.order_id}"`, []string{"call.order.total", "slot.order_id"}},
		{`local.total > 10`, []string{"slot.amount"}},
		// HCL's own evaluation builds the namespaces the expression reads.
		{`[for x in call.order.items : x]`, []string{"call"}},
		{`customer.vip ? slot.order_id : ""`, []string{"slot", "customer"}},
	}
	for _, tc := range tests {
		src := &mapSource{s: richScope()}
		env := bot.NewEnv("en", valueSource{src})
		env.check = false // which reads the whole scope
		if _, diags := env.Value(parseExpr(t, tc.expr)); diags.HasErrors() {
			t.Errorf("%s: %s", tc.expr, diags.Error())
		}
		if diff := cmp.Diff(tc.want, src.asked); diff != "" {
			t.Errorf("%s read (-want +got):\n%s", tc.expr, diff)
		}
	}
}

// TestFastPath: what bots are mostly made of never goes to HCL.
func TestFastPath(t *testing.T) {
	bot := secondEditionBot(t)
	for _, src := range []string{
		`slot.order_id`, `call.order.status == "shipped"`, `call.order.total < var.auto_refund_limit`,
		`customer.vip && intent.name == "human"`, `sentiment <= -0.6`, `conversation.failures >= 3`, `!business_hours.open`,
		`handoff.agents_online == 0`, `slot.reason == null`, `local.total`, `memory.paid + 1`,
		`"refund-${slot.order_id}"`, `"Done: ${money(call.order.total, var.currency)} for ${slot.order_id}"`,
		`{ order_id = slot.order_id, amount = call.order.total }`, `label("refund_reason", slot.reason)`,
	} {
		env := bot.NewEnv("en", valueSource{&mapSource{s: richScope()}})
		if v, ok := env.fast(parseExpr(t, src)); ok {
			env.checkValue(parseExpr(t, src), v)
		}
		if _, ok := env.fast(parseExpr(t, src)); !ok {
			t.Errorf("%s takes HCL's path", src)
		}
	}
}
