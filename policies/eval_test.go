package policies

import (
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Every evaluation in these tests is checked against HCL's over the whole scope.
func init() { checkEvaluations = true }

func testBot(t *testing.T) *Bot {
	t.Helper()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	weekdays := []TimeRange{{From: 9 * 60, To: 18 * 60}}
	return &Bot{
		Name: "shop",
		BusinessHours: &BusinessHours{
			Location: shanghai,
			Week: [7][]TimeRange{
				time.Monday: weekdays, time.Tuesday: weekdays, time.Wednesday: weekdays,
				time.Thursday: weekdays, time.Friday: weekdays,
				time.Saturday: {{From: 10 * 60, To: 16 * 60}},
			},
			Holidays: map[string]bool{"2026-12-25": true},
		},
		Variables: map[string]*Variable{
			"auto_refund_limit": {Name: "auto_refund_limit", Value: cty.NumberIntVal(500)},
			"currency":          {Name: "currency", Value: cty.StringVal("CNY")},
		},
		Entities: map[string]*Entity{"order_id": {Name: "order_id", Kind: EntityPattern}},
		Dialogs: []*Dialog{{
			Name:  "refund",
			Slots: []*Slot{{Name: "order_id", Type: "order_id"}, {Name: "reason", Type: "refund_reason"}},
			Calls: []*Call{{Name: "order", Connector: "orders", Operation: "get_order"}},
		}},
		Rules: []*Rule{{Name: "auto", Actions: Actions{Calls: []*Call{{Name: "refund"}}}}},
	}
}

func parseTemplate(t *testing.T, src string) hcl.Expression {
	t.Helper()
	expr, diags := hclsyntax.ParseTemplate([]byte(src), "responses.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse template %q: %s", src, diags.Error())
	}
	return expr
}

func parseExpr(t *testing.T, src string) hcl.Expression {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "rules.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse expression %q: %s", src, diags.Error())
	}
	return expr
}

func orderScope() Scope {
	return Scope{
		Slots: map[string]cty.Value{
			"order_id": cty.StringVal("AB123456"),
			"reason":   cty.NullVal(cty.String),
		},
		Calls: map[string]cty.Value{
			"order": cty.ObjectVal(map[string]cty.Value{
				"status": cty.StringVal("shipped"),
				"total":  cty.NumberIntVal(1280),
				"weight": cty.NumberFloatVal(0.5),
				"items":  cty.ListVal([]cty.Value{cty.StringVal("laptop")}),
			}),
		},
		Intent:       IntentInfo{Name: "refund", Confidence: 0.91},
		Now:          time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC), // 10:00 in Shanghai
		BusinessOpen: true,
		Conversation: ConversationInfo{ID: "c1", Language: "en", Failures: 1, Turns: 2},
		Ticket:       TicketInfo{ID: "T-42"},
		Message:      "refund AB123456",
		Sentiment:    -0.2,
	}
}

func TestRender(t *testing.T) {
	bot := testBot(t)
	named := orderScope()
	named.Customer = cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("Ann"), "vip": cty.True})
	answered := orderScope()
	answered.Knowledge = KnowledgeInfo{ID: "knowledge/returns.md#refunds", Answer: "Refunds take 3-5 days.", Title: "Returns > Refunds", Source: "knowledge/returns.md", Score: 0.42}
	brokenScore := orderScope()
	brokenScore.Knowledge = KnowledgeInfo{ID: "x", Answer: "a", Score: math.NaN()}
	tests := []struct {
		name     string
		template string
		scope    Scope
		want     string
		wantErr  string
	}{
		{"literal", "Hello there", orderScope(), "Hello there", ""},
		{"slot", "Order ${slot.order_id} is ${call.order.status}.", orderScope(), "Order AB123456 is shipped.", ""},
		{"integer has no decimals", "Total ${call.order.total}", orderScope(), "Total 1280", ""},
		{"fraction", "${call.order.weight} kg", orderScope(), "0.5 kg", ""},
		{"only interpolation", "${var.auto_refund_limit}", orderScope(), "500", ""},
		{"money", "${money(call.order.total, var.currency)}", orderScope(), "¥1,280.00", ""},
		{"null slot is empty", "reason: [${slot.reason}]", orderScope(), "reason: []", ""},
		{"null alone is empty", "${slot.reason}", orderScope(), "", ""},
		{"bool", "vip: ${customer.vip}", orderScope(), "vip: false", ""},
		{"anonymous customer", `Hi${customer.name != "" ? " ${customer.name}" : ""}!`, orderScope(), "Hi!", ""},
		{"named customer", `Hi${customer.name != "" ? " ${customer.name}" : ""}!`, named, "Hi Ann!", ""},
		{"ticket", "ticket ${ticket.id}", orderScope(), "ticket T-42", ""},
		{"directive", `%{ if call.order.total > 1000 }big%{ else }small%{ endif }`, orderScope(), "big", ""},
		{"chinese", "订单 ${slot.order_id} 已发货", orderScope(), "订单 AB123456 已发货", ""},
		{"call not run yet", "refund ${call.refund.refund_id}", orderScope(), "", "Value not available yet"},
		{"list", "items ${call.order.items}", orderScope(), "", "can't be shown in a message"},
		{"unknown attribute", "${call.order.nope}", orderScope(), "", "Unsupported attribute"},
		{"unknown namespace", "${nope.x}", orderScope(), "", "Unknown variable"},
		{"function error", `${add_days("soon", 1)}`, orderScope(), "", "is not a date"},
		{"knowledge", "${knowledge.answer}\n(Source: ${knowledge.title}, ${knowledge.source}#${knowledge.id} ${knowledge.score})", answered,
			"Refunds take 3-5 days.\n(Source: Returns > Refunds, knowledge/returns.md#knowledge/returns.md#refunds 0.42)", ""},
		{"no knowledge is empty", "[${knowledge.answer}${knowledge.title}${knowledge.id}] ${knowledge.score}", orderScope(), "[] 0", ""},
		{"a NaN score is 0, not a panic", "${knowledge.score}", brokenScore, "0", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := bot.Render(parseTemplate(t, tc.template), tc.scope)
			if tc.wantErr != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.wantErr) {
					t.Fatalf("diags = %v, want an error containing %q", diags, tc.wantErr)
				}
				for _, d := range diags {
					if d.Subject == nil {
						t.Errorf("diagnostic %q has no subject", d.Summary)
					}
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("unexpected diagnostics: %s", diags.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Render (-want +got):\n%s", diff)
			}
		})
	}
	if got, diags := bot.Render(nil, orderScope()); got != "" || diags != nil {
		t.Errorf("Render(nil) = %q, %v; want empty", got, diags)
	}
}

func TestCond(t *testing.T) {
	bot := testBot(t)
	vip := orderScope()
	vip.Customer = cty.MapVal(map[string]cty.Value{"vip": cty.True})
	vip.Intent.Name = "human"
	closed := orderScope()
	closed.BusinessOpen = false
	tests := []struct {
		name    string
		cond    string
		scope   Scope
		want    bool
		wantErr string
	}{
		{"comparison", `call.order.total < var.auto_refund_limit`, orderScope(), false, ""},
		{"null slot equals", `slot.reason == "damaged"`, orderScope(), false, ""},
		{"null slot is null", `slot.reason == null`, orderScope(), true, ""},
		{"slot of another dialog is null", `slot.address == null`, orderScope(), false, "Unsupported attribute"},
		{"call not run is false", `call.refund.status == "approved"`, orderScope(), false, ""},
		{"negated call not run is false", `call.refund.status != "approved"`, orderScope(), false, ""},
		{"anonymous not vip", `customer.vip && intent.name == "human"`, orderScope(), false, ""},
		{"vip from a map", `customer.vip && intent.name == "human"`, vip, true, ""},
		{"business hours", `!business_hours.open`, closed, true, ""},
		{"failures", `conversation.failures >= 1 && conversation.turns == 2`, orderScope(), true, ""},
		{"sentiment", `sentiment <= -0.6`, orderScope(), false, ""},
		{"confidence", `intent.confidence > 0.9`, orderScope(), true, ""},
		{"message", `matches(message, "AB[0-9]{6}")`, orderScope(), true, ""},
		{"entity absent", `entity.order_id == null && entity.email == null`, orderScope(), true, ""},
		{"now", `weekday(now) == "Monday"`, orderScope(), true, ""},
		{"string true converts", `"true"`, orderScope(), true, ""},
		{"null", `null`, orderScope(), false, ""},
		{"not a bool", `"maybe"`, orderScope(), false, "Condition is not true or false"},
		{"error is false", `nope.x`, orderScope(), false, "Unknown variable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := bot.Cond(parseExpr(t, tc.cond), tc.scope)
			if tc.wantErr != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.wantErr) {
					t.Fatalf("diags = %v, want an error containing %q", diags, tc.wantErr)
				}
			} else if diags.HasErrors() {
				t.Fatalf("unexpected diagnostics: %s", diags.Error())
			}
			if got != tc.want {
				t.Errorf("Cond(%s) = %v, want %v", tc.cond, got, tc.want)
			}
		})
	}
	if ok, diags := bot.Cond(nil, orderScope()); !ok || diags != nil {
		t.Errorf("Cond(nil) = %v, %v; want true", ok, diags)
	}
}

func TestValue(t *testing.T) {
	bot := testBot(t)
	s := orderScope()
	s.Entities = map[string]cty.Value{"order_id": cty.StringVal("AB123456")}
	tests := []struct {
		expr string
		want cty.Value
	}{
		{`now`, cty.StringVal("2026-11-23T10:00:00+08:00")},
		{`var.currency`, cty.StringVal("CNY")},
		{`entity.order_id`, cty.StringVal("AB123456")},
		{`conversation.language`, cty.StringVal("en")},
		{`customer.name`, cty.StringVal("")},
		{`{ order_id = slot.order_id }`, cty.ObjectVal(map[string]cty.Value{"order_id": cty.StringVal("AB123456")})},
	}
	for _, tc := range tests {
		got, diags := bot.Value(parseExpr(t, tc.expr), s)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", tc.expr, diags.Error())
		}
		if !got.RawEquals(tc.want) {
			t.Errorf("%s = %#v, want %#v", tc.expr, got, tc.want)
		}
	}
	if got, _ := bot.Value(nil, s); !got.IsNull() {
		t.Errorf("Value(nil) = %#v, want null", got)
	}
}

func TestEvalContextIsFresh(t *testing.T) {
	bot := testBot(t)
	a := bot.EvalContext(orderScope())
	a.Variables["slot"] = cty.NullVal(cty.DynamicPseudoType)
	b := bot.EvalContext(orderScope())
	if b.Variables["slot"].IsNull() {
		t.Error("contexts share variables")
	}
	if _, ok := b.Functions["money"]; !ok {
		t.Error("context has no functions")
	}
	for _, ns := range Namespaces {
		if _, ok := b.Variables[ns.Name]; !ok {
			t.Errorf("namespace %q is documented but missing from the context", ns.Name)
		}
	}
	if len(b.Variables) != len(Namespaces) {
		t.Errorf("context has %d namespaces, Namespaces documents %d", len(b.Variables), len(Namespaces))
	}
}

func TestNilBot(t *testing.T) {
	var bot *Bot
	got, diags := bot.Render(parseTemplate(t, "hi ${message}"), Scope{Message: "x"})
	if diags.HasErrors() || got != "hi x" {
		t.Errorf("Render on nil bot = %q, %v", got, diags)
	}
	if !bot.Open(time.Now()) {
		t.Error("a nil bot should always be open")
	}
}

func TestOpen(t *testing.T) {
	bot := testBot(t)
	shanghai := bot.BusinessHours.Location
	at := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, shanghai)
	}
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"monday morning", at(2026, 11, 23, 10, 0), true},
		{"opening minute", at(2026, 11, 23, 9, 0), true},
		{"before opening", at(2026, 11, 23, 8, 59), false},
		{"closing minute is closed", at(2026, 11, 23, 18, 0), false},
		{"last open minute", at(2026, 11, 23, 17, 59), true},
		{"saturday", at(2026, 11, 28, 15, 0), true},
		{"saturday evening", at(2026, 11, 28, 16, 30), false},
		{"sunday", at(2026, 11, 29, 12, 0), false},
		{"holiday", at(2026, 12, 25, 11, 0), false},
		{"in another zone", time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC), true}, // 10:00 in Shanghai
		{"utc evening is shanghai night", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC), false},
	}
	for _, tc := range tests {
		if got := bot.Open(tc.t); got != tc.want {
			t.Errorf("%s: Open(%s) = %v, want %v", tc.name, tc.t, got, tc.want)
		}
	}

	overnight := &Bot{BusinessHours: &BusinessHours{Week: [7][]TimeRange{time.Monday: {{From: 22 * 60, To: 2 * 60}}}}}
	// Monday 22:00-02:00 runs from Monday night into Tuesday morning.
	for _, tc := range []struct {
		day, hour int
		want      bool
	}{{23, 23, true}, {24, 1, true}, {24, 2, false}, {23, 1, false}, {23, 12, false}} {
		if got := overnight.Open(time.Date(2026, 11, tc.day, tc.hour, 0, 0, 0, time.UTC)); got != tc.want {
			t.Errorf("overnight on the %dth at %d:00 = %v, want %v", tc.day, tc.hour, got, tc.want)
		}
	}
	if !(&Bot{}).Open(time.Now()) {
		t.Error("no business hours should mean always open")
	}
}

func TestEnvMatchesBot(t *testing.T) {
	bot := testBot(t)
	env := bot.Env(orderScope())
	got, diags := env.Render(parseTemplate(t, "Order ${slot.order_id}"))
	if diags.HasErrors() || got != "Order AB123456" {
		t.Errorf("Env.Render = %q, %v", got, diags)
	}
	ok, diags := env.Cond(parseExpr(t, `call.order.status == "shipped"`))
	if diags.HasErrors() || !ok {
		t.Errorf("Env.Cond = %v, %v", ok, diags)
	}
	v, diags := env.Value(parseExpr(t, `slot.order_id`))
	if diags.HasErrors() || !v.RawEquals(cty.StringVal("AB123456")) {
		t.Errorf("Env.Value = %#v, %v", v, diags)
	}
	if env.Context() == nil {
		t.Error("Env.Context is nil")
	}
}

func BenchmarkEnvRender(b *testing.B) {
	bot := &Bot{
		Variables: map[string]*Variable{"currency": {Name: "currency", Value: cty.StringVal("CNY")}},
		Dialogs: []*Dialog{{Name: "refund", Slots: []*Slot{{Name: "order_id"}},
			Calls: []*Call{{Name: "order"}}}},
	}
	expr, diags := hclsyntax.ParseTemplate([]byte("Order ${slot.order_id}: ${money(call.order.total, var.currency)}"), "x.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	env := bot.Env(orderScope())
	for b.Loop() {
		if _, diags := env.Render(expr); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	bot := &Bot{
		Variables: map[string]*Variable{"currency": {Name: "currency", Value: cty.StringVal("CNY")}},
		Dialogs: []*Dialog{{Name: "refund", Slots: []*Slot{{Name: "order_id"}},
			Calls: []*Call{{Name: "order"}}}},
	}
	expr, diags := hclsyntax.ParseTemplate([]byte("Order ${slot.order_id}: ${money(call.order.total, var.currency)}"), "x.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	s := orderScope()
	for b.Loop() {
		if _, diags := bot.Render(expr, s); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// TestEvalContextConcurrent: the per-bot part of the context is built once and
// shared by concurrent turns; each turn still sees its own scope.
func TestEvalContextConcurrent(t *testing.T) {
	bot := testBot(t)
	tests := []struct {
		name  string
		scope Scope
		expr  string
		want  bool
	}{
		{"a set slot", orderScope(), `slot.order_id == "AB123456" && var.currency == "CNY"`, true},
		{"an unset slot is null", Scope{}, `slot.order_id == null && slot.reason == null`, true},
		{"a call that has not run is unknown, so false", Scope{}, `call.order.status == "shipped"`, false},
		{"an entity not found is null", Scope{Entities: map[string]cty.Value{"number": cty.NumberIntVal(3)}}, `entity.order_id == null && entity.number == 3`, true},
		{"an unknown customer has the default fields", Scope{}, `customer.name == "" && !customer.vip`, true},
		{"a known customer", Scope{Customer: cty.ObjectVal(map[string]cty.Value{"vip": cty.True})}, `customer.vip && customer.tier == ""`, true},
	}
	exprs := make([]hcl.Expression, len(tests))
	for i, tc := range tests {
		exprs[i] = parseExpr(t, tc.expr)
	}
	var wg sync.WaitGroup
	got := make([][]bool, 8)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, tc := range tests {
				ok, diags := bot.Cond(exprs[i], tc.scope)
				if diags.HasErrors() {
					t.Errorf("%s: %s", tc.name, diags.Error())
				}
				got[g] = append(got[g], ok)
			}
		}()
	}
	wg.Wait()
	var want []bool
	for _, tc := range tests {
		want = append(want, tc.want)
	}
	for g := range got {
		if diff := cmp.Diff(want, got[g]); diff != "" {
			t.Errorf("goroutine %d (-want +got):\n%s", g, diff)
		}
	}
}
