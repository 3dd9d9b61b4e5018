package policies

import (
	"github.com/hashicorp/hcl/v2"
)

// Reporting is what a rule or a dialog outcome tells reports when it applies:
// whether the customer's request counts as resolved by it, and an amount that
// reports sum per rule ("37 refunds approved automatically, ¥12,430").
// docs/reports.md defines how outcomes use it.
type Reporting struct {
	// Resolves: nil keeps the default (a completed dialog resolves its request);
	// true or false says so explicitly.
	Resolves *bool
	// Amount is a number evaluated when the rule or outcome applies; nil: none.
	Amount hcl.Expression
}

// reportingAttributes are the attributes rule and outcome blocks accept for reports.
var reportingAttributes = []hcl.AttributeSchema{{Name: "resolves"}, {Name: "amount"}}

// decodeReporting reads resolves and amount from a rule's or outcome's attributes.
func decodeReporting(attrs hcl.Attributes) (Reporting, hcl.Diagnostics) {
	var r Reporting
	var diags hcl.Diagnostics
	if _, ok := attrs["resolves"]; ok {
		v, more := attrBool(attrs, "resolves")
		diags = append(diags, more...)
		if !more.HasErrors() {
			r.Resolves = &v
		}
	}
	r.Amount = exprOrNil(attrs, "amount")
	return r, diags
}
