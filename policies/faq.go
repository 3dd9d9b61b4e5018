package policies

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var faqSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "question", Required: true},
		{Name: "answer", Required: true},
		{Name: "alternatives"},
	},
}

// decodeFAQ reads one question and answer for the knowledge base.
func decodeFAQ(block *hcl.Block) (*FAQ, hcl.Diagnostics) {
	f := &FAQ{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(faqSchema)
	var more hcl.Diagnostics
	f.Question, more = attrString(content.Attributes, "question")
	diags = append(diags, more...)
	f.Answer, more = attrString(content.Attributes, "answer")
	diags = append(diags, more...)
	f.Alternatives, _, more = attrStringList(content.Attributes, "alternatives")
	diags = append(diags, more...)
	for _, field := range []struct{ name, value string }{{"question", f.Question}, {"answer", f.Answer}} {
		if attr, ok := content.Attributes[field.name]; ok && !more.HasErrors() && strings.TrimSpace(field.value) == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Empty " + field.name,
				Detail:   "An FAQ needs a question and an answer; this one is empty.",
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return f, diags
}
