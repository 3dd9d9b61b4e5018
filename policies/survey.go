package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Survey says when the bot asks customers how it went. After an agent closes a
// conversation it always asks; AfterBot also asks a share of the customers whose
// request the bot resolved alone.
type Survey struct {
	// AfterBot is the share (0 to 1) of bot-resolved contacts asked, drawn
	// deterministically from the conversation id so a replayed log asks the same.
	AfterBot float64
	Range    hcl.Range
}

var surveySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "after_bot"}},
}

// decodeSurvey reads a bot's survey block.
func decodeSurvey(block *hcl.Block) (*Survey, hcl.Diagnostics) {
	s := &Survey{Range: block.DefRange}
	content, diags := block.Body.Content(surveySchema)
	if attr, ok := content.Attributes["after_bot"]; ok {
		f, present, more := attrNumber(content.Attributes, "after_bot")
		diags = append(diags, more...)
		switch {
		case !present:
		case f < 0 || f > 1:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid survey rate",
				Detail:   fmt.Sprintf("%g is not a share of conversations; write a number from 0 (never) to 1 (always), like 0.2 for one in five.", f),
				Subject:  attr.Expr.Range().Ptr(),
			})
		default:
			s.AfterBot = f
		}
	}
	return s, diags
}
