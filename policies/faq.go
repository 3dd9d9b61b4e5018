package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
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
	for _, field := range []struct {
		name string
		dst  *string
	}{{"question", &f.Question}, {"answer", &f.Answer}} {
		attr, ok := content.Attributes[field.name]
		if !ok {
			continue
		}
		if _, perLanguage := attr.Expr.(*hclsyntax.ObjectConsExpr); perLanguage {
			// Responses take one text per language, so analysts write FAQs
			// the same way; an FAQ is searched in the words it is written in.
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "One language per FAQ",
				Detail:   fmt.Sprintf("An FAQ's %s is one text, in one language: write one faq block per language, such as %q and %q.", field.name, f.Name+"_en", f.Name+"_zh"),
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		value, more := attrString(content.Attributes, field.name)
		diags = append(diags, more...)
		*field.dst = value
		// A value of the wrong type is reported above; calling it empty too
		// would be a second error for one mistake.
		if !more.HasErrors() && strings.TrimSpace(value) == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Empty " + field.name,
				Detail:   "An FAQ needs a question and an answer; this one is empty.",
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}
	var more hcl.Diagnostics
	f.Alternatives, _, more = attrStringList(content.Attributes, "alternatives")
	diags = append(diags, more...)
	if diags.HasErrors() {
		return nil, diags
	}
	return f, diags
}
