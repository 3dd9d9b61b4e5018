package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var (
	actionAttributes = []hcl.AttributeSchema{
		{Name: "reply"}, {Name: "handoff"}, {Name: "start"}, {Name: "reask"}, {Name: "end"}, {Name: "remember"},
		{Name: "offer_continue"},
	}
	actionBlocks = []hcl.BlockHeaderSchema{
		{Type: "call", LabelNames: []string{"name"}},
		{Type: "ticket"},
	}
	actionsOnlySchema = withActions(nil, nil)
)

// withActions is a block schema holding the shared actions plus the block's own.
func withActions(attrs []hcl.AttributeSchema, blocks []hcl.BlockHeaderSchema) *hcl.BodySchema {
	s := &hcl.BodySchema{}
	s.Attributes = append(append(s.Attributes, actionAttributes...), attrs...)
	s.Blocks = append(append(s.Blocks, actionBlocks...), blocks...)
	return s
}

// shareAll is what an agent receives unless a policy says otherwise.
var shareAll = []string{"transcript", "slots", "summary"}

// decodeActionsBlock reads a block that holds only actions (on_exhausted, on_error, on_no).
func (d *decoder) decodeActionsBlock(block *hcl.Block, owner, dialog string) (*Actions, hcl.Diagnostics) {
	content, diags := decodeActionsContent(block, actionsOnlySchema)
	acts, more := d.decodeActions(content, block.DefRange, owner, dialog)
	return acts, append(diags, more...)
}

// decodeActions reads the actions in content. owner names the rule or policy a
// handoff is made for; dialog is the dialog whose slots reask may name.
func (d *decoder) decodeActions(content *hcl.BodyContent, rng hcl.Range, owner, dialog string) (*Actions, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	acts := &Actions{Range: rng}
	seenCalls := map[string]hcl.Range{}
	inExhausted := d.inExhausted
	d.inExhausted = false // not in the handlers of its calls
	for _, b := range content.Blocks {
		switch b.Type {
		case "call":
			diags = append(diags, checkName(b)...)
			if first, dup := seenCalls[b.Labels[0]]; dup {
				diags = append(diags, duplicateIn("call", b.Labels[0], first, b.DefRange))
				continue
			}
			seenCalls[b.Labels[0]] = b.DefRange
			c, more := d.decodeCall(b, owner, dialog)
			diags = append(diags, more...)
			acts.Calls = append(acts.Calls, c)
		}
	}
	d.inExhausted = inExhausted
	tb, more := singleBlock(content.Blocks, "ticket")
	diags = append(diags, more...)
	if tb != nil {
		acts.Ticket, more = d.decodeTicket(tb)
		diags = append(diags, more...)
	}

	attrs := content.Attributes
	if attr, ok := attrs["reply"]; ok {
		acts.Reply, more = decodeReplyList(attr.Expr)
		diags = append(diags, more...)
		if more.HasErrors() {
			d.markSayBroken(rng)
		}
	}
	if attr, ok := attrs["handoff"]; ok {
		q, qexpr, more := d.decodeQueue(attr.Expr)
		diags = append(diags, more...)
		if q != "" || qexpr != nil {
			acts.Handoff = &HandoffSpec{Queue: q, QueueExpr: qexpr, Reason: owner, Share: shareAll, Range: attr.Range}
		} else {
			d.markSayBroken(rng)
		}
	}
	if attr, ok := attrs["start"]; ok {
		name, more := decodeRef(attr.Expr, "dialog")
		diags = append(diags, more...)
		if name != "" {
			d.ref("dialog", name, attr.Expr.Range())
			acts.Start = name
		} else {
			d.startBroken = true
			d.markSayBroken(rng)
		}
	}
	if attr, ok := attrs["reask"]; ok {
		name, more := decodeRef(attr.Expr, "slot")
		diags = append(diags, more...)
		if name != "" {
			d.addRef(reference{kind: "slot", name: name, dialog: dialog, rng: attr.Expr.Range()})
			acts.Reask = name
		}
	}
	acts.End, more = attrBool(attrs, "end")
	diags = append(diags, more...)
	if attr, ok := attrs["remember"]; ok {
		if _, isObject := attr.Expr.(*hclsyntax.ObjectConsExpr); !isObject {
			diags = append(diags, wrongType(attr.Expr, `an object of values to remember, like { last_order = slot.order_id }`, nil)...)
		} else {
			acts.Remember = attr.Expr
		}
	}

	conflict := func(a, b string) {
		if _, ok := attrs[a]; !ok {
			return
		}
		if attr, ok := attrs[b]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Conflicting actions",
				Detail:   a + " and " + b + " cannot both happen; keep one.",
				Subject:  attr.NameRange.Ptr(),
			})
		}
	}
	if attr, ok := attrs["offer_continue"]; ok {
		acts.OfferContinueSet = true
		if v, valDiags := attr.Expr.Value(nil); !valDiags.HasErrors() && v.Type() == cty.Bool {
			acts.OfferContinueSet = v.True()
		} else {
			acts.OfferContinue, more = decodeMessage(attr.Expr)
			diags = append(diags, more...)
		}
		if !d.inExhausted {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "offer_continue outside on_exhausted",
				Detail:   "offer_continue asks whether to carry on with a dialog after a slot's retries run out, so it belongs in a slot's on_exhausted block.",
				Subject:  attr.NameRange.Ptr(),
			})
		}
		for _, other := range []string{"reask", "start", "end", "handoff"} {
			conflict("offer_continue", other)
		}
	}
	conflict("reask", "start")
	conflict("reask", "end")
	conflict("reask", "handoff")
	if acts.End {
		conflict("start", "end")
	}
	return acts, diags
}

var ticketSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "queue", Required: true},
		{Name: "subject", Required: true},
		{Name: "description"},
		{Name: "priority"},
	},
}

func (d *decoder) decodeTicket(block *hcl.Block) (*TicketSpec, hcl.Diagnostics) {
	t := &TicketSpec{Range: block.DefRange}
	content, diags := block.Body.Content(ticketSchema)
	if attr, ok := content.Attributes["queue"]; ok {
		q, qexpr, more := d.decodeQueue(attr.Expr)
		diags = append(diags, more...)
		t.Queue, t.QueueExpr = q, qexpr
	}
	t.Subject = exprOrNil(content.Attributes, "subject")
	t.Description = exprOrNil(content.Attributes, "description")
	t.Priority = exprOrNil(content.Attributes, "priority")
	return t, diags
}

// decodeQueue reads where a handoff or ticket goes: queue.NAME, or an
// expression choosing among queues at run time, such as
// customer.vip ? queue.vip : queue.general. Every queue.NAME it names must
// exist; an expression is returned as is, with queue "".
func (d *decoder) decodeQueue(expr hcl.Expression) (string, hcl.Expression, hcl.Diagnostics) {
	if parts, isRef := refTraversal(expr); isRef {
		if parts[0] != "queue" && findNamespace(parts[0]) != nil {
			// handoff.queue in a rule on = handoff reads like the queue at hand,
			// but it is a name read as the bot runs, and where a ticket or
			// handoff goes is decided from the queues the bot declares.
			return "", nil, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Expected a queue reference",
				Detail:   fmt.Sprintf("%s is a value read as the bot runs, not a queue: name the queue, like queue.general, or choose among queues with a condition, like customer.vip ? queue.vip : queue.general.", strings.Join(parts, ".")),
				Subject:  expr.Range().Ptr(),
			}}
		}
		q, diags := decodeRef(expr, "queue")
		if q != "" {
			d.ref("queue", q, expr.Range())
		}
		return q, nil, diags
	}
	var diags hcl.Diagnostics
	named := 0
	for _, trav := range expr.Variables() {
		if trav.RootName() != "queue" {
			continue
		}
		named++
		attr, ok := trav.SimpleSplit().Rel[0].(hcl.TraverseAttr)
		if len(trav) != 2 || !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Expected a queue reference",
				Detail:   "A queue is named like queue.general.",
				Subject:  trav.SourceRange().Ptr(),
			})
			continue
		}
		d.ref("queue", attr.Name, trav.SourceRange())
	}
	if named == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Expected a reference to a queue",
			Detail:   "Give a queue like queue.general, or choose among queues with a condition: customer.vip ? queue.vip : queue.general." + quotedHint(expr, "queue"),
			Subject:  expr.Range().Ptr(),
		})
	}
	return "", expr, diags
}

// markSayBroken records that the actions of the block at rng say something
// that could not be read (see decoder.sayBroken).
func (d *decoder) markSayBroken(rng hcl.Range) {
	if d.sayBroken == nil {
		d.sayBroken = map[hcl.Range]bool{}
	}
	d.sayBroken[rng] = true
}
