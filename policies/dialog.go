package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

var dialogSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "trigger"},
		{Name: "when"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "slot", LabelNames: []string{"name"}},
		{Type: "call", LabelNames: []string{"name"}},
		{Type: "confirm"},
		{Type: "outcome", LabelNames: []string{"name"}},
	},
}

func duplicateIn(kind, name string, first, second hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Duplicate %s %q", kind, name),
		Detail:   fmt.Sprintf("%s %s named %q was already declared at %s.", article(kind), kind, name, first.String()),
		Subject:  second.Ptr(),
	}
}

// decodeDialog reads a dialog: its triggers, slots, calls, confirmation and outcomes.
func (d *decoder) decodeDialog(block *hcl.Block) (*Dialog, hcl.Diagnostics) {
	dl := &Dialog{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(dialogSchema)
	var more hcl.Diagnostics
	dl.Description, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)
	dl.When = exprOrNil(content.Attributes, "when")

	if attr, ok := content.Attributes["trigger"]; ok {
		elems, listDiags := hcl.ExprList(attr.Expr)
		if listDiags.HasErrors() {
			diags = append(diags, wrongType(attr.Expr, "a list of intents, like [intent.refund]", nil)...)
		}
		seen := map[string]bool{}
		for _, e := range elems {
			name, more := decodeRef(e, "intent")
			diags = append(diags, more...)
			if name == "" {
				continue
			}
			if seen[name] {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate trigger",
					Detail:   fmt.Sprintf("intent.%s is listed twice.", name),
					Subject:  e.Range().Ptr(),
				})
				continue
			}
			seen[name] = true
			d.ref("intent", name, e.Range())
			dl.Triggers = append(dl.Triggers, name)
		}
	}

	names := map[string]map[string]hcl.Range{"slot": {}, "call": {}, "outcome": {}}
	for _, b := range content.Blocks {
		if len(b.Labels) > 0 {
			diags = append(diags, checkName(b)...)
			if first, dup := names[b.Type][b.Labels[0]]; dup {
				diags = append(diags, duplicateIn(b.Type, b.Labels[0], first, b.DefRange))
				continue
			}
			names[b.Type][b.Labels[0]] = b.DefRange
		}
		owner := dl.Name
		if len(b.Labels) > 0 {
			owner = dl.Name + "." + b.Labels[0]
		}
		switch b.Type {
		case "slot":
			s, more := d.decodeSlot(b, dl.Name)
			diags = append(diags, more...)
			dl.Slots = append(dl.Slots, s)
		case "call":
			c, more := d.decodeCall(b, owner, dl.Name)
			diags = append(diags, more...)
			dl.Calls = append(dl.Calls, c)
		case "outcome":
			o, more := d.decodeOutcome(b, owner, dl.Name)
			diags = append(diags, more...)
			dl.Outcomes = append(dl.Outcomes, o)
		}
	}
	cb, more := singleBlock(content.Blocks, "confirm")
	diags = append(diags, more...)
	if cb != nil {
		dl.Confirm, more = d.decodeConfirm(cb, dl.Name)
		diags = append(diags, more...)
	}
	return dl, diags
}

var slotSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type", Required: true},
		{Name: "prompt"},
		{Name: "optional"},
		{Name: "required_when"},
		{Name: "validate"},
		{Name: "invalid"},
		{Name: "retries"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "on_exhausted"}},
}

const defaultRetries = 2

func (d *decoder) decodeSlot(block *hcl.Block, dialog string) (*Slot, hcl.Diagnostics) {
	s := &Slot{Name: block.Labels[0], Retries: defaultRetries, Range: block.DefRange}
	content, diags := block.Body.Content(slotSchema)
	attrs := content.Attributes

	if attr, ok := attrs["type"]; ok {
		s.Type = hcl.ExprAsKeyword(attr.Expr)
		if s.Type == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid slot type",
				Detail:   "A slot type is a bare name: a builtin type (text, number, money, email, phone, date, yes_no) or an entity, like type = order_id.",
				Subject:  attr.Expr.Range().Ptr(),
			})
		} else {
			d.ref("type", s.Type, attr.Expr.Range())
		}
	}
	var more hcl.Diagnostics
	s.Optional, more = attrBool(attrs, "optional")
	diags = append(diags, more...)
	s.RequiredWhen = exprOrNil(attrs, "required_when")
	s.Validate = exprOrNil(attrs, "validate")

	if attr, ok := attrs["prompt"]; ok {
		s.Prompt, more = decodeMessage(attr.Expr)
		diags = append(diags, more...)
	} else if !s.Optional {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing prompt",
			Detail:   fmt.Sprintf("Slot %q is required, so the bot must be able to ask for it: add a prompt, or set optional = true.", s.Name),
			Subject:  block.DefRange.Ptr(),
		})
	}
	if s.Optional {
		if attr, ok := attrs["required_when"]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Conflicting slot settings",
				Detail:   "An optional slot is never asked for, so required_when has no effect; remove one of them.",
				Subject:  attr.NameRange.Ptr(),
			})
		}
	}
	if attr, ok := attrs["invalid"]; ok {
		s.Invalid, more = decodeMessage(attr.Expr)
		diags = append(diags, more...)
	}
	if attr, ok := attrs["retries"]; ok {
		n, present, more := attrInt(attrs, "retries")
		diags = append(diags, more...)
		if present {
			if n < 0 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid retries",
					Detail:   "retries is how many failed attempts are allowed; it cannot be negative.",
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				s.Retries = n
			}
		}
	}
	eb, more := singleBlock(content.Blocks, "on_exhausted")
	diags = append(diags, more...)
	if eb != nil {
		s.OnExhausted, more = d.decodeActionsBlock(eb, dialog+"."+s.Name, dialog)
		diags = append(diags, more...)
	}
	return s, diags
}

var callSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "operation", Required: true},
		{Name: "input"},
		{Name: "idempotency_key"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "on_not_found"}, {Type: "on_rejected"}, {Type: "on_unavailable"}, {Type: "on_timeout"},
		{Type: "on_error"},
		{Type: "approval"},
	},
}

// decodeCall reads a connector operation call; dialog is the dialog whose slots
// its on_error may reask.
func (d *decoder) decodeCall(block *hcl.Block, owner, dialog string) (*Call, hcl.Diagnostics) {
	c := &Call{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(callSchema)
	if attr, ok := content.Attributes["operation"]; ok {
		conn, op, more := decodeOperationRef(attr.Expr)
		diags = append(diags, more...)
		if conn != "" {
			c.Connector, c.Operation = conn, op
			d.refs = append(d.refs, reference{kind: "operation", name: conn, op: op, rng: attr.Expr.Range()})
		}
	}
	c.Input = exprOrNil(content.Attributes, "input")
	c.Reads = slotReads(c.Input)
	c.IdempotencyKey = exprOrNil(content.Attributes, "idempotency_key")
	eb, more := singleBlock(content.Blocks, "on_error")
	diags = append(diags, more...)
	if eb != nil {
		c.OnError, more = d.decodeActionsBlock(eb, owner, dialog)
		diags = append(diags, more...)
	}
	for _, code := range ErrorCodes {
		b, more := singleBlock(content.Blocks, "on_"+code)
		diags = append(diags, more...)
		if b == nil {
			continue
		}
		acts, more := d.decodeActionsBlock(b, owner, dialog)
		diags = append(diags, more...)
		if c.OnCode == nil {
			c.OnCode = map[string]*Actions{}
		}
		c.OnCode[code] = acts
	}
	ab, more := singleBlock(content.Blocks, "approval")
	diags = append(diags, more...)
	if ab != nil {
		c.Approval, more = d.decodeApproval(ab, owner, dialog)
		diags = append(diags, more...)
	}
	return c, diags
}

var confirmSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "when"},
		{Name: "prompt", Required: true},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "on_no"}},
}

func (d *decoder) decodeConfirm(block *hcl.Block, dialog string) (*Confirm, hcl.Diagnostics) {
	c := &Confirm{Range: block.DefRange}
	content, diags := block.Body.Content(confirmSchema)
	c.When = exprOrNil(content.Attributes, "when")
	var more hcl.Diagnostics
	if attr, ok := content.Attributes["prompt"]; ok {
		c.Prompt, more = decodeMessage(attr.Expr)
		diags = append(diags, more...)
	}
	nb, more := singleBlock(content.Blocks, "on_no")
	diags = append(diags, more...)
	if nb != nil {
		c.OnNo, more = d.decodeActionsBlock(nb, dialog+".confirm", dialog)
		diags = append(diags, more...)
	}
	return c, diags
}

var outcomeSchema = withActions(append([]hcl.AttributeSchema{{Name: "when"}}, reportingAttributes...), nil)

func (d *decoder) decodeOutcome(block *hcl.Block, owner, dialog string) (*Outcome, hcl.Diagnostics) {
	o := &Outcome{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(outcomeSchema)
	o.When = exprOrNil(content.Attributes, "when")
	acts, more := d.decodeActions(content, block.DefRange, owner, dialog)
	diags = append(diags, more...)
	o.Actions = *acts
	o.Reporting, more = decodeReporting(content.Attributes)
	return o, append(diags, more...)
}
