package policies

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// SLA is how soon a queue's tickets must be solved, per priority: a ticket's
// due time is its creation plus the time for its priority. A priority the
// block leaves out has no due time.
type SLA struct {
	Due   map[string]time.Duration // priority -> time to solve
	Range hcl.Range
}

// DueIn is the time a ticket of the queue with priority has to be solved;
// false when no SLA applies.
func (q *Queue) DueIn(priority string) (time.Duration, bool) {
	if q == nil || q.SLA == nil {
		return 0, false
	}
	d, ok := q.SLA.Due[priority]
	return d, ok
}

var slaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "urgent"},
		{Name: "high"},
		{Name: "normal"},
		{Name: "low"},
	},
}

// decodeSLA reads a queue's sla block: a duration per priority.
func decodeSLA(block *hcl.Block) (*SLA, hcl.Diagnostics) {
	sla := &SLA{Due: map[string]time.Duration{}, Range: block.DefRange}
	content, diags := block.Body.Content(slaSchema)
	for _, p := range priorities {
		if _, ok := content.Attributes[p]; !ok {
			continue
		}
		d, more := attrDuration(content.Attributes, p, 0)
		diags = append(diags, more...)
		if d > 0 {
			sla.Due[p] = d
		}
	}
	if len(content.Attributes) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Empty sla block",
			Detail:   fmt.Sprintf(`An sla block gives the time to solve a ticket per priority (%s), like urgent = "2h" and normal = "24h".`, "urgent, high, normal, low"),
			Subject:  block.DefRange.Ptr(),
		})
	}
	return sla, diags
}
