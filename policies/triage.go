package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Triage routes a ticket that comes without a chat (email, the web form, the
// API) to a queue with a priority. Every condition it gives must hold; the
// first triage block that matches, in source order, applies.
type Triage struct {
	Name        string
	Description string
	Keywords    []string       // any of them in the ticket's text, ignoring case
	Intents     []string       // the NLU's confident intent of the text is one of them
	Entities    []string       // each of them is found in the text (an order number...)
	When        hcl.Expression // nil: no further condition
	Queue       string
	Priority    string // "": the queue's priority
	Range       hcl.Range
}

var triageSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "keywords"},
		{Name: "intents"},
		{Name: "entities"},
		{Name: "when"},
		{Name: "queue", Required: true},
		{Name: "priority"},
	},
}

// decodeTriage reads a triage block.
func (d *decoder) decodeTriage(block *hcl.Block) (*Triage, hcl.Diagnostics) {
	tr := &Triage{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(triageSchema)
	attrs := content.Attributes
	var more hcl.Diagnostics
	tr.Description, more = attrString(attrs, "description")
	diags = append(diags, more...)
	tr.Keywords, _, more = attrStringList(attrs, "keywords")
	diags = append(diags, more...)
	if attr, ok := attrs["keywords"]; ok {
		for _, k := range tr.Keywords {
			if k == "" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Empty keyword",
					Detail:   "An empty keyword would match every ticket; remove it.",
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
		}
	}
	tr.Intents, more = d.refList(attrs, "intents", "intent")
	diags = append(diags, more...)
	tr.Entities, more = d.refList(attrs, "entities", "entity")
	diags = append(diags, more...)
	tr.When = exprOrNil(attrs, "when")
	if attr, ok := attrs["queue"]; ok {
		q, more := decodeRef(attr.Expr, "queue")
		diags = append(diags, more...)
		if q != "" {
			d.ref("queue", q, attr.Expr.Range())
			tr.Queue = q
		}
	}
	tr.Priority, more = attrPriority(attrs, "priority")
	diags = append(diags, more...)
	if len(tr.Keywords) == 0 && len(tr.Intents) == 0 && len(tr.Entities) == 0 && tr.When == nil && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Triage without a condition",
			Detail:   "A triage block matches tickets by keywords, intents, entities or when; give at least one. The tickets block's default_queue takes what no triage block matches.",
			Subject:  block.DefRange.Ptr(),
		})
	}
	return tr, diags
}

// attrPriority reads a constant priority: low, normal, high or urgent; ""
// when absent or wrong.
func attrPriority(attrs hcl.Attributes, name string) (string, hcl.Diagnostics) {
	attr, ok := attrs[name]
	if !ok {
		return "", nil
	}
	p, present, diags := literalString(attr.Expr)
	if !present || diags.HasErrors() {
		return "", diags
	}
	if bad := oneOf(attr, p, priorities, "priority"); bad != nil {
		return "", append(diags, bad...)
	}
	return p, diags
}

// refList reads a list of references of one kind, like [intent.refund, intent.cancel].
func (d *decoder) refList(attrs hcl.Attributes, name, kind string) ([]string, hcl.Diagnostics) {
	attr, ok := attrs[name]
	if !ok {
		return nil, nil
	}
	elems, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, wrongType(attr.Expr, fmt.Sprintf("a list like [%s.NAME]", kind), nil)
	}
	var out []string
	for _, e := range elems {
		ref, more := decodeRef(e, kind)
		diags = append(diags, more...)
		if ref != "" {
			d.ref(kind, ref, e.Range())
			out = append(out, ref)
		}
	}
	return out, diags
}
