package policies

import (
	"fmt"
	"slices"
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
		if texts, perLanguage := attr.Expr.(*hclsyntax.ObjectConsExpr); perLanguage {
			// Responses take one text per language, so analysts write FAQs
			// the same way; an FAQ is searched in the words it is written in.
			names := faqNamesPerLanguage(f.Name, texts)
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "One language per FAQ",
				Detail:   fmt.Sprintf("An FAQ's %s is one text, in one language: write one faq block per language, such as %q and %q.", field.name, names[0], names[1]),
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

// faqNamesPerLanguage suggests a name for each language of an FAQ written
// with a text per language, from the languages it was written in. A name
// that already ends in one of them ("hours_zh") keeps its stem, so the
// suggestion is "hours_en", not "hours_zh_en".
func faqNamesPerLanguage(name string, texts *hclsyntax.ObjectConsExpr) [2]string {
	var langs []string
	for _, item := range texts.Items {
		if lang := hcl.ExprAsKeyword(item.KeyExpr); lang != "" && !slices.Contains(langs, lang) {
			langs = append(langs, lang)
		}
	}
	for _, lang := range []string{"en", "zh"} {
		if len(langs) < 2 && !slices.Contains(langs, lang) {
			langs = append(langs, lang)
		}
	}
	stem := name
	for _, lang := range langs {
		for _, sep := range []string{"_", "-"} {
			if s, ok := strings.CutSuffix(name, sep+lang); ok && s != "" {
				stem = s
			}
		}
	}
	return [2]string{stem + "_" + langs[0], stem + "_" + langs[1]}
}
