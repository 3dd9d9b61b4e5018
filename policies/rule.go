package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var ruleSchema = withActions(append([]hcl.AttributeSchema{
	{Name: "description"},
	{Name: "on", Required: true},
	{Name: "when"},
	{Name: "once"},
}, reportingAttributes...), nil)

// decodeRule reads a business rule: when it is checked (on), its condition and actions.
func (d *decoder) decodeRule(block *hcl.Block) (*Rule, hcl.Diagnostics) {
	r := &Rule{Name: block.Labels[0], Range: block.DefRange}
	content, diags := decodeContent(block.Body, ruleSchema, "A rule")
	var more hcl.Diagnostics
	r.Description, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)
	r.When = exprOrNil(content.Attributes, "when")
	r.Once, more = attrBool(content.Attributes, "once")
	diags = append(diags, more...)

	if attr, ok := content.Attributes["on"]; ok {
		r.On, more = d.decodeRuleEvent(attr.Expr)
		diags = append(diags, more...)
	}
	acts, more := d.decodeActions(content, block.DefRange, r.Name, r.On.Dialog)
	diags = append(diags, more...)
	r.Actions = *acts
	r.Reporting, more = decodeReporting(content.Attributes)
	return r, append(diags, more...)
}

// decodeRuleEvent reads on = dialog.NAME, handoff or message.
func (d *decoder) decodeRuleEvent(expr hcl.Expression) (RuleEvent, hcl.Diagnostics) {
	ev := RuleEvent{Range: expr.Range()}
	parts, ok := refTraversal(expr)
	switch {
	case ok && len(parts) == 1 && (parts[0] == "handoff" || parts[0] == "message"):
		ev.Kind = parts[0]
		return ev, nil
	case ok && len(parts) == 2 && parts[0] == "dialog":
		ev.Kind, ev.Dialog = "dialog", parts[1]
		d.ref("dialog", parts[1], expr.Range())
		return ev, nil
	}
	detail := "A rule is checked on dialog.NAME (when that dialog completes), handoff (before any handoff) or message (on every message)."
	if ok && len(parts) == 1 {
		detail += didYouMean(parts[0], []string{"handoff", "message", "dialog"})
	}
	if name, quoted := quotedName(expr); quoted && (name == "handoff" || name == "message") {
		detail += fmt.Sprintf(" It is written without quotes: on = %s.", name)
	} else if s, _, _ := literalString(expr); strings.HasPrefix(s, "dialog.") {
		detail += fmt.Sprintf(" It is written without quotes: on = %s.", s)
	}
	return ev, hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid rule event",
		Detail:   detail,
		Subject:  expr.Range().Ptr(),
	}}
}
