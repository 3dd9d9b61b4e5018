package policies

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
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

// decodeTestSurvey reads a test's survey = true | false, which forces the
// after_bot draw for its conversation, so a test of the survey needs no name
// that happens to draw it.
func (d *decoder) decodeTestSurvey(attr *hcl.Attribute, te *testEval) (*bool, hcl.Diagnostics) {
	val, diags := te.value(attr.Expr)
	switch {
	case diags.HasErrors() || val.IsNull():
		return nil, diags
	case val.Type() != cty.Bool:
		return nil, append(diags, wrongType(attr.Expr, "true or false", nil)...)
	}
	forced := val.True()
	// Every for_each case evaluates the same place: check it once.
	if rng := attr.Expr.Range(); forced && !slices.Contains(d.surveysForced, rng) {
		d.surveysForced = append(d.surveysForced, rng)
	}
	return &forced, diags
}

// checkTestSurveys reports tests that force an after_bot survey the bot never
// asks.
func (c *checker) checkTestSurveys() {
	sv := c.bot.Survey
	if c.d.surveyInvalid {
		return
	}
	for _, rng := range c.d.surveysForced {
		switch {
		case sv == nil:
			c.errorf(rng, "Survey never asked", `survey = true makes this test's conversation draw the after_bot survey, but the bot has no survey block, so it never asks after resolving a request. Add survey { after_bot = 0.2 } to the bot block, or remove survey = true.`)
		case sv.AfterBot <= 0:
			c.errorf(rng, "Survey never asked", `survey = true makes this test's conversation draw the after_bot survey, but after_bot in the bot's survey block (%s) is 0, so the bot never asks after resolving a request. Set after_bot above 0, like 0.2, or remove survey = true.`, sv.Range)
		}
	}
}
