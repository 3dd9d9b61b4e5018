package policies

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

var testSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "for_each"},
		{Name: "now"},
		{Name: "language"},
		{Name: "customer"},
		{Name: "live"},
		{Name: "channel"},
		{Name: "agents_online"},
		{Name: "survey"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "connector", LabelNames: []string{"name"}},
		{Type: "mock"},
		{Type: "turn"},
		{Type: "ticket"},
	},
}

var turnSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "user"}, // required unless decision is given: see decodeDecision
		{Name: "reply"},
		{Name: "reply_glob"},
		{Name: "reply_regex"},
		{Name: "response"},
		{Name: "responses"},
		{Name: "intent"},
		{Name: "entities"},
		{Name: "slots"},
		{Name: "dialog_slots"},
		{Name: "calls"},
		{Name: "handoff"},
		{Name: "ticket"},
		{Name: "ticket_priority"},
		{Name: "dialog"},
		{Name: "knowledge"},
		{Name: "unanswered"},
		{Name: "approval"},
		{Name: "decision"},
	},
}

// decodeTests reads a conversation test: one Test, or with for_each one per
// element, named NAME["KEY"], as Terraform names the instances of a resource.
// Its connector blocks are decoded later, once the connectors they override are
// known.
func (d *decoder) decodeTests(block *hcl.Block) ([]*Test, hcl.Diagnostics) {
	content, diags := block.Body.Content(testSchema)
	attrs := content.Attributes
	forEach, ok := attrs["for_each"]
	if !ok {
		t, more := d.decodeTest(block, content, d.testEval(cty.NilVal), block.Labels[0])
		return []*Test{t}, append(diags, more...)
	}
	if call, ok := forEach.Expr.(*hclsyntax.FunctionCallExpr); ok && terraformCollection[call.Name] {
		// Terraform wants toset() around a list; HCL would say only that
		// there is no such function, and suggest tostring.
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unneeded " + call.Name + "()",
			Detail:   fmt.Sprintf("for_each takes the map or the list of strings itself, with no %s() around it: for_each = [\"a\", \"b\"] runs one case per string.", call.Name),
			Subject:  call.NameRange.Ptr(),
		})
	}
	val, more := d.testEval(cty.NilVal).value(forEach.Expr)
	diags = append(diags, more...)
	if more.HasErrors() {
		return nil, diags
	}
	cases, more := forEachCases(val, forEach.Expr.Range())
	diags = append(diags, more...)
	if len(cases) == 0 && !more.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Empty for_each",
			Detail:   "for_each has no elements, so this test runs no cases.",
			Subject:  forEach.Expr.Range().Ptr(),
		})
	}
	var tests []*Test
	for _, c := range cases {
		t, more := d.decodeTest(block, content, d.testEval(c.each()), fmt.Sprintf("%s[%q]", block.Labels[0], c.key))
		// A mistake every case makes is reported once.
		diags = append(diags, newDiagnostics(diags, more)...)
		tests = append(tests, t)
	}
	return tests, diags
}

// terraformCollection names the conversions Terraform's for_each needs and
// Parley's does not.
var terraformCollection = map[string]bool{"toset": true, "tolist": true, "tomap": true}

// newDiagnostics keeps the diagnostics of more that are not in diags already
// (same summary, same place).
func newDiagnostics(diags, more hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, m := range more {
		dup := false
		for _, d := range diags {
			if d.Summary == m.Summary && d.Detail == m.Detail && d.Subject != nil && m.Subject != nil && *d.Subject == *m.Subject {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, m)
		}
	}
	return out
}

func (d *decoder) decodeTest(block *hcl.Block, content *hcl.BodyContent, te *testEval, name string) (*Test, hcl.Diagnostics) {
	t := &Test{Name: name, Range: block.DefRange}
	content, diags := ticketTestContent(content)
	attrs := content.Attributes
	if attr, ok := attrs["now"]; ok {
		s, present, more := te.string(attr.Expr)
		diags = append(diags, more...)
		if present {
			now, err := time.Parse(time.RFC3339, s)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid time",
					Detail:   fmt.Sprintf("%q is not an RFC 3339 time like \"2026-11-23T10:00:00+08:00\".", s),
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
			t.Now = now
		}
	}
	if attr, ok := attrs["language"]; ok {
		s, present, more := te.string(attr.Expr)
		diags = append(diags, more...)
		if present {
			if !isKnownLanguage(s) {
				diags = append(diags, unknownLanguage(s, attr.Expr.Range()))
			} else {
				t.Language = s
				te.record(reference{kind: "language", name: s, rng: attr.Expr.Range()})
			}
		}
	}
	if attr, ok := attrs["customer"]; ok {
		val, more := te.value(attr.Expr)
		diags = append(diags, more...)
		if !more.HasErrors() && !val.IsNull() {
			if !val.Type().IsObjectType() && !val.Type().IsMapType() {
				diags = append(diags, wrongType(attr.Expr, "an object, like { name = \"Ann\", vip = true }", nil)...)
			} else {
				t.Customer = val
			}
		}
	}
	if attr, ok := attrs["live"]; ok {
		val, more := te.value(attr.Expr)
		diags = append(diags, more...)
		switch {
		case more.HasErrors() || val.IsNull():
		case val.Type() != cty.Bool:
			diags = append(diags, wrongType(attr.Expr, "true or false", nil)...)
		default:
			t.SkipLive = val.False()
		}
	}
	if attr, ok := attrs["survey"]; ok {
		var more hcl.Diagnostics
		t.Survey, more = d.decodeTestSurvey(attr, te)
		diags = append(diags, more...)
	}
	if attr, ok := attrs["channel"]; ok {
		var more hcl.Diagnostics
		t.Channel, _, more = te.string(attr.Expr)
		diags = append(diags, more...)
	}
	if attr, ok := attrs["agents_online"]; ok {
		var more hcl.Diagnostics
		t.AgentsOnline, more = te.agentsOnline(attr.Expr)
		diags = append(diags, more...)
	}

	seen := map[string]hcl.Range{}
	for _, b := range content.Blocks {
		switch b.Type {
		case "connector":
			name := b.Labels[0]
			if first, dup := seen[name]; dup {
				diags = append(diags, duplicateIn("connector", name, first, b.DefRange))
				continue
			}
			seen[name] = b.DefRange
			d.testConnectors = append(d.testConnectors, testConnectorOverride{test: t, name: name, body: b.Body, each: te.each, rng: b.DefRange})
		case "mock":
			m, more := d.decodeMock(b, te)
			diags = append(diags, more...)
			if m != nil {
				t.Mocks = append(t.Mocks, m)
			}
		case "turn":
			turn, more := d.decodeTurn(b, te)
			diags = append(diags, more...)
			t.Turns = append(t.Turns, turn)
		case "ticket":
			tk, more := d.decodeTestTicket(b, te)
			diags = append(diags, more...)
			t.Tickets = append(t.Tickets, tk)
		}
	}
	if len(t.Turns) == 0 && len(t.Tickets) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Test has no turns",
			Detail:   `A test plays at least one turn { user = "..." }, or files tickets that come without a chat: ticket { text = "..." }.`,
			Subject:  block.DefRange.Ptr(),
		})
	}
	diags = append(diags, mixedTest(t)...)
	return t, diags
}

// string reads a constant string; null counts as absent ("", false).
func (te *testEval) string(expr hcl.Expression) (string, bool, hcl.Diagnostics) {
	val, diags := te.value(expr)
	if diags.HasErrors() || val.IsNull() {
		return "", false, diags
	}
	if !val.Type().IsPrimitiveType() {
		return "", false, append(diags, wrongType(expr, "a string", nil)...)
	}
	s, err := convert.Convert(val, cty.String)
	if err != nil {
		return "", false, append(diags, wrongType(expr, "a string", err)...)
	}
	return s.AsString(), true, diags
}

func (d *decoder) decodeTurn(block *hcl.Block, te *testEval) (*TestTurn, hcl.Diagnostics) {
	turn := &TestTurn{Range: block.DefRange}
	content, diags := decodeContent(block.Body, turnSchema, "A turn")
	attrs := content.Attributes
	str := func(name string) string {
		attr, ok := attrs[name]
		if !ok {
			return ""
		}
		s, _, more := te.string(attr.Expr)
		diags = append(diags, more...)
		return s
	}
	turn.User = str("user")
	turn.ReplyGlob = str("reply_glob")

	if attr, ok := attrs["reply"]; ok {
		val, more := te.value(attr.Expr)
		diags = append(diags, more...)
		if !more.HasErrors() && !val.IsNull() {
			if val.Type() == cty.String {
				turn.Reply = []string{val.AsString()}
			} else {
				turn.Reply, more = stringListValue(val, attr.Expr)
				diags = append(diags, more...)
			}
		}
	}
	if attr, ok := attrs["reply_regex"]; ok {
		s, present, more := te.string(attr.Expr)
		diags = append(diags, more...)
		if present {
			re, err := regexp.Compile(s)
			if err != nil {
				diags = append(diags, invalidRegexp(attr.Expr.Range(), err))
			} else {
				turn.ReplyRegex = re
			}
		}
	}
	refAttr := func(name, kind string) string {
		attr, ok := attrs[name]
		if !ok {
			return ""
		}
		ref, more := te.ref(attr.Expr, kind, name)
		diags = append(diags, more...)
		return ref
	}
	turn.Response = refAttr("response", "response")
	if attr, ok := attrs["responses"]; ok {
		elems, listDiags := hcl.ExprList(attr.Expr)
		if listDiags.HasErrors() {
			diags = append(diags, wrongType(attr.Expr, "a list of responses, like [response.greet, response.help]", nil)...)
		}
		turn.Responses = []string{}
		for _, e := range elems {
			name, more := te.ref(e, "response", "responses")
			diags = append(diags, more...)
			if name != "" {
				turn.Responses = append(turn.Responses, name)
			}
		}
	}
	turn.Handoff = refAttr("handoff", "queue")
	turn.Ticket = refAttr("ticket", "queue")
	turn.Approval = refAttr("approval", "queue")
	diags = append(diags, decodeTicketPriority(turn, attrs, te)...)
	diags = append(diags, decodeDecision(turn, attrs, block, te)...)
	turn.Intent = refAttr("intent", "intent")
	if name := refAttr("dialog", "dialog"); name != "" {
		turn.Dialog = &name
	}
	if attr, ok := attrs["knowledge"]; ok {
		id, present, more := te.string(attr.Expr)
		diags = append(diags, more...)
		if present {
			id = strings.TrimSpace(id)
			if id == "" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Empty knowledge expectation",
					Detail:   `knowledge names the chunk the answer cites, like "knowledge/faq.hcl#hours_en" (see parley kb search), or "none".`,
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
			turn.Knowledge = id
			d.expectKnowledge(id, attr.Expr.Range())
		}
	}
	if attr, ok := attrs["unanswered"]; ok {
		val, more := te.value(attr.Expr)
		diags = append(diags, more...)
		switch {
		case more.HasErrors() || val.IsNull():
		case val.Type() != cty.Bool:
			diags = append(diags, wrongType(attr.Expr, "true or false", nil)...)
		default:
			b := val.True()
			turn.Unanswered = &b
		}
	}
	if attr, ok := attrs["slots"]; ok {
		var more hcl.Diagnostics
		turn.Slots, more = te.slots(attr.Expr, "")
		diags = append(diags, more...)
	}
	if attr, ok := attrs["dialog_slots"]; ok {
		var more hcl.Diagnostics
		turn.DialogSlots, more = te.dialogSlots(attr.Expr)
		diags = append(diags, more...)
	}
	if attr, ok := attrs["entities"]; ok {
		var more hcl.Diagnostics
		turn.Entities, more = te.entities(attr.Expr)
		diags = append(diags, more...)
	}
	if attr, ok := attrs["calls"]; ok {
		var more hcl.Diagnostics
		turn.Calls, more = te.calls(attr.Expr)
		diags = append(diags, more...)
	}
	return turn, diags
}

// object evaluates an object of expectations, keyed by name.
func (te *testEval) object(expr hcl.Expression, what string) (map[string]cty.Value, hcl.Diagnostics) {
	val, diags := te.value(expr)
	if diags.HasErrors() || val.IsNull() {
		return nil, diags
	}
	if !val.Type().IsObjectType() && !val.Type().IsMapType() {
		return nil, append(diags, wrongType(expr, what, nil)...)
	}
	out := map[string]cty.Value{}
	for it := val.ElementIterator(); it.Next(); {
		k, v := it.Element()
		out[k.AsString()] = v
	}
	return out, diags
}

// slots reads { slot = value }: slots of any dialog, or of the named one.
func (te *testEval) slots(expr hcl.Expression, dialog string) (map[string]cty.Value, hcl.Diagnostics) {
	slots, diags := te.object(expr, "an object of slot values, like { order_id = \"AB123456\" }")
	for _, name := range sortedKeys(slots) {
		_, value := fieldRanges(expr, name)
		if dialog == "" {
			te.record(reference{kind: "anyslot", name: name, rng: expr.Range(), expect: slots[name], expectRng: value})
		} else {
			te.record(reference{kind: "slot", name: name, dialog: dialog, rng: expr.Range(), expect: slots[name], expectRng: value})
		}
	}
	return slots, diags
}

// dialogSlots reads { dialog = { slot = value } }.
func (te *testEval) dialogSlots(expr hcl.Expression) (map[string]map[string]cty.Value, hcl.Diagnostics) {
	const what = "an object of dialogs and their slots, like { track_order = { order_id = \"CD654321\" } }"
	dialogs, diags := te.object(expr, what)
	if dialogs == nil {
		return nil, diags
	}
	out := map[string]map[string]cty.Value{}
	for _, name := range sortedKeys(dialogs) {
		v := dialogs[name]
		if v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
			return nil, append(diags, wrongType(expr, what, nil)...)
		}
		te.record(reference{kind: "dialog", name: name, rng: expr.Range()})
		slots := map[string]cty.Value{}
		for it := v.ElementIterator(); it.Next(); {
			k, sv := it.Element()
			slots[k.AsString()] = sv
			te.record(reference{kind: "slot", name: k.AsString(), dialog: name, rng: expr.Range()})
		}
		out[name] = slots
	}
	return out, diags
}

// entities reads { type = value | [values] | null }.
func (te *testEval) entities(expr hcl.Expression) (map[string]cty.Value, hcl.Diagnostics) {
	const what = `an object of entity types and values, like { order_id = "AB123456", product = ["laptop", "phone"] }, with a date_range as { start = "2026-12-03", end = "2026-12-05" }`
	ents, diags := te.object(expr, what)
	if ents == nil {
		return nil, diags
	}
	for _, name := range sortedKeys(ents) {
		v := ents[name]
		ok := v.IsNull() || entityValue(v)
		if !ok && (v.Type().IsTupleType() || v.Type().IsListType()) {
			ok = true
			for it := v.ElementIterator(); it.Next(); {
				if _, e := it.Element(); e.IsNull() || !entityValue(e) {
					ok = false
				}
			}
		}
		if !ok {
			return nil, append(diags, wrongType(expr, what, nil)...)
		}
		// Point at the misspelt name, not the whole object.
		key, value := fieldRanges(expr, name)
		te.record(reference{kind: "entity", name: name, rng: key, expect: v, expectRng: value})
	}
	return ents, diags
}

// entityValue reports whether v can be expected of an entity: a text or a
// number, or a date_range as the object expressions read, { start, end }.
func entityValue(v cty.Value) bool {
	t := v.Type()
	if t.IsPrimitiveType() {
		return true
	}
	return t.IsObjectType() && len(t.AttributeTypes()) == 2 && t.HasAttribute("start") && t.HasAttribute("end") &&
		t.AttributeType("start") == cty.String && t.AttributeType("end") == cty.String
}

// calls reads a list of operations: [connector.orders.get_order], or strings
// computed in a for_each test.
func (te *testEval) calls(expr hcl.Expression) ([]string, hcl.Diagnostics) {
	const what = "a list of operations, like [connector.orders.get_order]"
	if !dynamic(expr) {
		elems, listDiags := hcl.ExprList(expr)
		if listDiags.HasErrors() {
			return nil, wrongType(expr, what, nil)
		}
		out := []string{}
		var diags hcl.Diagnostics
		for _, e := range elems {
			conn, op, more := te.operation(e)
			diags = append(diags, more...)
			if conn != "" {
				out = append(out, conn+"."+op)
			}
		}
		return out, diags
	}
	val, diags := te.value(expr)
	if diags.HasErrors() || val.IsNull() {
		return nil, diags
	}
	ty := val.Type()
	if !ty.IsTupleType() && !ty.IsListType() {
		return nil, append(diags, wrongType(expr, what, nil)...)
	}
	out := []string{}
	for it := val.ElementIterator(); it.Next(); {
		_, v := it.Element()
		conn, op, more := operationName(v, expr.Range())
		diags = append(diags, more...)
		if conn != "" {
			te.recordOperation(conn, op, expr.Range())
			out = append(out, conn+"."+op)
		}
	}
	return out, diags
}

// overrideBody lays a test's connector settings over the declared ones: an
// argument given in over replaces the base one, and blocks of a type given in over
// replace all base blocks of that type.
type overrideBody struct{ base, over hcl.Body }

func relaxed(schema *hcl.BodySchema) *hcl.BodySchema {
	out := &hcl.BodySchema{Blocks: schema.Blocks}
	for _, a := range schema.Attributes {
		a.Required = false
		out.Attributes = append(out.Attributes, a)
	}
	return out
}

func mergeContent(schema *hcl.BodySchema, base, over *hcl.BodyContent) (*hcl.BodyContent, hcl.Diagnostics) {
	merged := &hcl.BodyContent{Attributes: hcl.Attributes{}, MissingItemRange: over.MissingItemRange}
	for k, v := range base.Attributes {
		merged.Attributes[k] = v
	}
	for k, v := range over.Attributes {
		merged.Attributes[k] = v
	}
	overTypes := map[string]bool{}
	for _, b := range over.Blocks {
		overTypes[b.Type] = true
	}
	for _, b := range base.Blocks {
		if !overTypes[b.Type] {
			merged.Blocks = append(merged.Blocks, b)
		}
	}
	merged.Blocks = append(merged.Blocks, over.Blocks...)
	var diags hcl.Diagnostics
	for _, a := range schema.Attributes {
		if _, ok := merged.Attributes[a.Name]; a.Required && !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Missing required argument",
				Detail:   fmt.Sprintf("The argument %q is required.", a.Name),
				Subject:  over.MissingItemRange.Ptr(),
			})
		}
	}
	return merged, diags
}

func (b overrideBody) Content(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	r := relaxed(schema)
	overC, diags := b.over.Content(r)
	baseC, _ := b.base.Content(r) // the base was checked when the connector was decoded
	merged, more := mergeContent(schema, baseC, overC)
	return merged, append(diags, more...)
}

func (b overrideBody) PartialContent(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	r := relaxed(schema)
	overC, overRest, diags := b.over.PartialContent(r)
	baseC, baseRest, _ := b.base.PartialContent(r)
	merged, more := mergeContent(schema, baseC, overC)
	return merged, overrideBody{base: baseRest, over: overRest}, append(diags, more...)
}

func (b overrideBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	overA, diags := b.over.JustAttributes()
	baseA, _ := b.base.JustAttributes()
	out := hcl.Attributes{}
	for k, v := range baseA {
		out[k] = v
	}
	for k, v := range overA {
		out[k] = v
	}
	return out, diags
}

func (b overrideBody) MissingItemRange() hcl.Range { return b.over.MissingItemRange() }

// agentsOnline reads a test's agents_online: { general = 1 }, the agents
// online per queue while the test runs.
func (te *testEval) agentsOnline(expr hcl.Expression) (map[string]int, hcl.Diagnostics) {
	const what = "an object of queues and agent counts, like { general = 1 }"
	counts, diags := te.object(expr, what)
	if counts == nil {
		return nil, diags
	}
	out := map[string]int{}
	for _, q := range sortedKeys(counts) {
		v := counts[q]
		if v.IsNull() || v.Type() != cty.Number || v.AsBigFloat().Sign() < 0 || !v.AsBigFloat().IsInt() {
			return nil, append(diags, wrongType(expr, what, nil)...)
		}
		n, _ := v.AsBigFloat().Int64()
		te.record(reference{kind: "queue", name: q, rng: expr.Range()})
		out[q] = int(n)
	}
	return out, diags
}
