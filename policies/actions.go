package policies

import (
	"github.com/hashicorp/hcl/v2"
)

var (
	actionAttributes = []hcl.AttributeSchema{
		{Name: "reply"}, {Name: "handoff"}, {Name: "start"}, {Name: "reask"}, {Name: "end"},
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
	content, diags := block.Body.Content(actionsOnlySchema)
	acts, more := d.decodeActions(content, block.DefRange, owner, dialog)
	return acts, append(diags, more...)
}

// decodeActions reads the actions in content. owner names the rule or policy a
// handoff is made for; dialog is the dialog whose slots reask may name.
func (d *decoder) decodeActions(content *hcl.BodyContent, rng hcl.Range, owner, dialog string) (*Actions, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	acts := &Actions{Range: rng}
	seenCalls := map[string]hcl.Range{}
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
	tb, more := singleBlock(content.Blocks, "ticket")
	diags = append(diags, more...)
	if tb != nil {
		acts.Ticket, more = d.decodeTicket(tb)
		diags = append(diags, more...)
	}

	attrs := content.Attributes
	if attr, ok := attrs["reply"]; ok {
		acts.Reply, more = decodeMessage(attr.Expr)
		diags = append(diags, more...)
	}
	if attr, ok := attrs["handoff"]; ok {
		q, more := decodeRef(attr.Expr, "queue")
		diags = append(diags, more...)
		if q != "" {
			d.ref("queue", q, attr.Expr.Range())
			acts.Handoff = &HandoffSpec{Queue: q, Reason: owner, Share: shareAll, Range: attr.Range}
		}
	}
	if attr, ok := attrs["start"]; ok {
		name, more := decodeRef(attr.Expr, "dialog")
		diags = append(diags, more...)
		if name != "" {
			d.ref("dialog", name, attr.Expr.Range())
			acts.Start = name
		}
	}
	if attr, ok := attrs["reask"]; ok {
		name, more := decodeRef(attr.Expr, "slot")
		diags = append(diags, more...)
		if name != "" {
			d.refs = append(d.refs, reference{kind: "slot", name: name, dialog: dialog, rng: attr.Expr.Range()})
			acts.Reask = name
		}
	}
	acts.End, more = attrBool(attrs, "end")
	diags = append(diags, more...)

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
		q, more := decodeRef(attr.Expr, "queue")
		diags = append(diags, more...)
		if q != "" {
			d.ref("queue", q, attr.Expr.Range())
			t.Queue = q
		}
	}
	t.Subject = exprOrNil(content.Attributes, "subject")
	t.Description = exprOrNil(content.Attributes, "description")
	t.Priority = exprOrNil(content.Attributes, "priority")
	return t, diags
}
