package policies

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var testSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "now"},
		{Name: "language"},
		{Name: "customer"},
		{Name: "channel"},
		{Name: "agents_online"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "connector", LabelNames: []string{"name"}},
		{Type: "turn"},
	},
}

var turnSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "user", Required: true},
		{Name: "reply"},
		{Name: "reply_glob"},
		{Name: "reply_regex"},
		{Name: "response"},
		{Name: "responses"},
		{Name: "intent"},
		{Name: "slots"},
		{Name: "calls"},
		{Name: "handoff"},
		{Name: "ticket"},
		{Name: "dialog"},
		{Name: "knowledge"},
		{Name: "unanswered"},
	},
}

// decodeTest reads a conversation test. Its connector blocks are decoded later,
// once the connectors they override are known.
func (d *decoder) decodeTest(block *hcl.Block) (*Test, hcl.Diagnostics) {
	t := &Test{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(testSchema)
	attrs := content.Attributes
	if attr, ok := attrs["now"]; ok {
		s, present, more := literalString(attr.Expr)
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
		s, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		if present {
			if !isKnownLanguage(s) {
				diags = append(diags, unknownLanguage(s, attr.Expr.Range()))
			} else {
				t.Language = s
				d.ref("language", s, attr.Expr.Range())
			}
		}
	}
	if attr, ok := attrs["customer"]; ok {
		val, more := literalValue(attr.Expr)
		diags = append(diags, more...)
		if !more.HasErrors() && !val.IsNull() {
			if !val.Type().IsObjectType() && !val.Type().IsMapType() {
				diags = append(diags, wrongType(attr.Expr, "an object, like { name = \"Ann\", vip = true }", nil)...)
			} else {
				t.Customer = val
			}
		}
	}

	var more hcl.Diagnostics
	t.Channel, more = attrString(attrs, "channel")
	diags = append(diags, more...)
	if attr, ok := attrs["agents_online"]; ok {
		t.AgentsOnline, more = d.decodeAgentsOnline(attr)
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
			d.testConnectors = append(d.testConnectors, testConnectorOverride{test: t, name: name, body: b.Body, rng: b.DefRange})
		case "turn":
			turn, more := d.decodeTurn(b)
			diags = append(diags, more...)
			t.Turns = append(t.Turns, turn)
		}
	}
	if len(t.Turns) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Test has no turns",
			Detail:   `A test plays at least one turn { user = "..." }.`,
			Subject:  block.DefRange.Ptr(),
		})
	}
	return t, diags
}

func (d *decoder) decodeTurn(block *hcl.Block) (*TestTurn, hcl.Diagnostics) {
	turn := &TestTurn{Range: block.DefRange}
	content, diags := block.Body.Content(turnSchema)
	attrs := content.Attributes
	var more hcl.Diagnostics
	turn.User, more = attrString(attrs, "user")
	diags = append(diags, more...)
	turn.ReplyGlob, more = attrString(attrs, "reply_glob")
	diags = append(diags, more...)

	if attr, ok := attrs["reply"]; ok {
		val, more := literalValue(attr.Expr)
		diags = append(diags, more...)
		if !more.HasErrors() && !val.IsNull() {
			if val.Type() == cty.String {
				turn.Reply = []string{val.AsString()}
			} else {
				turn.Reply, more = stringList(attr.Expr)
				diags = append(diags, more...)
			}
		}
	}
	if attr, ok := attrs["reply_regex"]; ok {
		s, present, more := literalString(attr.Expr)
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
		ref, more := decodeRef(attr.Expr, kind)
		diags = append(diags, more...)
		if ref != "" {
			d.ref(kind, ref, attr.Expr.Range())
		}
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
			name, more := decodeRef(e, "response")
			diags = append(diags, more...)
			if name != "" {
				d.ref("response", name, e.Range())
				turn.Responses = append(turn.Responses, name)
			}
		}
	}
	turn.Handoff = refAttr("handoff", "queue")
	turn.Ticket = refAttr("ticket", "queue")

	if attr, ok := attrs["intent"]; ok {
		name, more := refOrNone(attr.Expr, "intent")
		diags = append(diags, more...)
		if name != "" && name != "none" {
			d.ref("intent", name, attr.Expr.Range())
		}
		turn.Intent = name
	}
	if attr, ok := attrs["dialog"]; ok {
		name, more := refOrNone(attr.Expr, "dialog")
		diags = append(diags, more...)
		if name != "" {
			if name != "none" {
				d.ref("dialog", name, attr.Expr.Range())
			}
			turn.Dialog = &name
		}
	}
	if attr, ok := attrs["knowledge"]; ok {
		id, present, more := literalString(attr.Expr)
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
		}
	}
	if attr, ok := attrs["unanswered"]; ok {
		b, more := attrBool(attrs, "unanswered")
		diags = append(diags, more...)
		if v, _ := literalValue(attr.Expr); !more.HasErrors() && !v.IsNull() {
			turn.Unanswered = &b
		}
	}
	if attr, ok := attrs["slots"]; ok {
		val, more := literalValue(attr.Expr)
		diags = append(diags, more...)
		if !more.HasErrors() && !val.IsNull() {
			if !val.Type().IsObjectType() && !val.Type().IsMapType() {
				diags = append(diags, wrongType(attr.Expr, "an object of slot values, like { order_id = \"AB123456\" }", nil)...)
			} else {
				turn.Slots = map[string]cty.Value{}
				for it := val.ElementIterator(); it.Next(); {
					k, v := it.Element()
					turn.Slots[k.AsString()] = v
					d.ref("anyslot", k.AsString(), attr.Expr.Range())
				}
			}
		}
	}
	if attr, ok := attrs["calls"]; ok {
		elems, listDiags := hcl.ExprList(attr.Expr)
		if listDiags.HasErrors() {
			diags = append(diags, wrongType(attr.Expr, "a list of operations, like [connector.orders.get_order]", nil)...)
		} else {
			turn.Calls = []string{}
			for _, e := range elems {
				conn, op, more := decodeOperationRef(e)
				diags = append(diags, more...)
				if conn != "" {
					d.refs = append(d.refs, reference{kind: "operation", name: conn, op: op, rng: e.Range()})
					turn.Calls = append(turn.Calls, conn+"."+op)
				}
			}
		}
	}
	return turn, diags
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

// decodeAgentsOnline reads a test's agents_online: { general = 1 }, the agents
// online per queue while the test runs.
func (d *decoder) decodeAgentsOnline(attr *hcl.Attribute) (map[string]int, hcl.Diagnostics) {
	pairs, diags := hcl.ExprMap(attr.Expr)
	if diags.HasErrors() {
		return nil, wrongType(attr.Expr, "an object of queues and agent counts, like { general = 1 }", nil)
	}
	out := map[string]int{}
	for _, p := range pairs {
		q := hcl.ExprAsKeyword(p.Key)
		v, more := literalValue(p.Value)
		diags = append(diags, more...)
		if q == "" || more.HasErrors() || v.Type() != cty.Number {
			diags = append(diags, wrongType(p.Value, "a number of agents per queue, like { general = 1 }", nil)...)
			continue
		}
		n, _ := v.AsBigFloat().Int64()
		if n < 0 {
			diags = append(diags, wrongType(p.Value, "a number of agents, 0 or more", nil)...)
			continue
		}
		d.ref("queue", q, p.Key.Range())
		out[q] = int(n)
	}
	return out, diags
}
