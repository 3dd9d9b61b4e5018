package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var queueSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "skill"},
		{Name: "priority"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "sla"}},
}

// decodeQueue reads a queue of human agents.
func decodeQueue(block *hcl.Block) (*Queue, hcl.Diagnostics) {
	q := &Queue{Name: block.Labels[0], Priority: "normal", Range: block.DefRange}
	content, diags := block.Body.Content(queueSchema)
	var more hcl.Diagnostics
	q.Skill, more = attrString(content.Attributes, "skill")
	diags = append(diags, more...)
	p, more := attrPriority(content.Attributes, "priority")
	diags = append(diags, more...)
	if p != "" {
		q.Priority = p
	}
	b, more := singleBlock(content.Blocks, "sla")
	diags = append(diags, more...)
	if b != nil {
		q.SLA, more = decodeSLA(b)
		diags = append(diags, more...)
	}
	return q, diags
}

var handoffSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "when", Required: true},
		{Name: "queue", Required: true},
		{Name: "priority"},
		{Name: "reply"},
		{Name: "share"},
		{Name: "summary"},
		{Name: "once"},
	},
}

// decodeHandoff reads a policy that brings in a human.
func (d *decoder) decodeHandoff(block *hcl.Block) (*HandoffPolicy, hcl.Diagnostics) {
	h := &HandoffPolicy{Name: block.Labels[0], Share: shareAll, Range: block.DefRange}
	content, diags := block.Body.Content(handoffSchema)
	hintHandoffAsQueue(diags)
	sayWhatItTakes(diags, "A handoff policy", schemaNames(handoffSchema))
	attrs := content.Attributes
	var more hcl.Diagnostics
	h.Description, more = attrString(attrs, "description")
	diags = append(diags, more...)
	h.When = exprOrNil(attrs, "when")
	h.Summary = exprOrNil(attrs, "summary")

	if attr, ok := attrs["queue"]; ok {
		q, qexpr, more := d.decodeQueue(attr.Expr)
		diags = append(diags, more...)
		h.Queue, h.QueueExpr = q, qexpr
	}
	h.Once, more = attrBool(attrs, "once")
	diags = append(diags, more...)
	h.Priority, more = attrPriority(attrs, "priority")
	diags = append(diags, more...)
	if attr, ok := attrs["reply"]; ok {
		h.Reply, more = decodeReplyList(attr.Expr)
		diags = append(diags, more...)
	}
	if attr, ok := attrs["share"]; ok {
		share, present, more := attrStringList(attrs, "share")
		diags = append(diags, more...)
		if present {
			seen := map[string]bool{}
			h.Share = []string{}
			for _, s := range share {
				if bad := oneOf(attr, s, shareAll, "share item"); bad != nil {
					diags = append(diags, bad...)
					continue
				}
				if seen[s] {
					diags = append(diags, &hcl.Diagnostic{
						Severity: hcl.DiagError,
						Summary:  "Duplicate share item",
						Detail:   fmt.Sprintf("%q is listed twice.", s),
						Subject:  attr.Expr.Range().Ptr(),
					})
					continue
				}
				seen[s] = true
				h.Share = append(h.Share, s)
			}
		}
	}
	return h, diags
}

// hintHandoffAsQueue points `handoff = queue.general` in a handoff policy, the
// way a rule's or an outcome's action is written, at the policy's own word,
// queue. The "Did you mean" also drops HCL's "queue is required", which only
// follows from it.
func hintHandoffAsQueue(diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Summary == "Unsupported argument" && strings.Contains(d.Detail, `named "handoff"`) {
			d.Detail = `An argument named "handoff" is not expected here. Did you mean "queue"? A handoff policy names the queue it hands to with queue = queue.NAME; handoff = queue.NAME is the action of a rule, an outcome or an on_exhausted block.`
		}
	}
}
