package dialog

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// amount evaluates a rule's or outcome's amount where its condition was just
// evaluated; nil when it declares none or the value is missing (a failed
// evaluation is logged as an error event, like a condition's).
func (d *decider) amount(expr hcl.Expression, what string) *float64 {
	if expr == nil {
		return nil
	}
	v, diags := d.env().Value(expr)
	if diags.HasErrors() {
		d.evalError(what+" amount", diags)
		return nil
	}
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.Number {
		return nil
	}
	f, _ := v.AsBigFloat().Float64()
	return &f
}

// onSurvey asks for a satisfaction score when the engine samples a contact the
// bot resolved. Never twice at once, never while a person has the conversation.
func (d *decider) onSurvey() {
	if d.st.Surveying || d.st.HandedOff || d.st.Ended {
		return
	}
	d.askSurvey()
}
