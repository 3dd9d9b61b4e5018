package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var intentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "examples", Required: true},
	},
}

// decodeIntent reads an intent and its training examples.
func (d *decoder) decodeIntent(block *hcl.Block) (*Intent, hcl.Diagnostics) {
	it := &Intent{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(intentSchema)
	var more hcl.Diagnostics
	it.Description, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)

	attr, ok := content.Attributes["examples"]
	if !ok {
		return it, diags
	}
	elems, listDiags := hcl.ExprList(attr.Expr)
	if listDiags.HasErrors() {
		return it, append(diags, wrongType(attr.Expr, "a list of example phrases", nil)...)
	}
	for _, elem := range elems {
		s, present, more := literalString(elem)
		diags = append(diags, more...)
		if !present {
			continue
		}
		text, anns, err := parseExample(s)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid example",
				Detail:   fmt.Sprintf("%s. Mark an entity as [text](entity_name).", err),
				Subject:  elem.Range().Ptr(),
			})
			continue
		}
		if strings.TrimSpace(text) == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Empty example",
				Detail:   "An example phrase must hold some text.",
				Subject:  elem.Range().Ptr(),
			})
			continue
		}
		for _, a := range anns {
			d.ref("entity", a.Entity, elem.Range())
		}
		it.Examples = append(it.Examples, Example{Text: text, Annotations: anns, Range: elem.Range()})
	}
	return it, diags
}

// parseExample takes the [text](entity) annotations out of a training phrase.
// Offsets are bytes into the returned text. Brackets that are not followed by
// (name) stay as written, so "[sic]" is ordinary text.
func parseExample(s string) (string, []Annotation, error) {
	var b strings.Builder
	var anns []Annotation
	for i := 0; i < len(s); {
		if s[i] != '[' {
			b.WriteByte(s[i])
			i++
			continue
		}
		closeAt := strings.IndexAny(s[i+1:], "[]")
		if closeAt < 0 || s[i+1+closeAt] != ']' {
			b.WriteByte(s[i])
			i++
			continue
		}
		closeAt += i + 1
		if closeAt+1 >= len(s) || s[closeAt+1] != '(' {
			b.WriteByte(s[i])
			i++
			continue
		}
		endParen := strings.IndexByte(s[closeAt+2:], ')')
		if endParen < 0 {
			return "", nil, fmt.Errorf("the entity name after %q is not closed with \")\"", s[i:closeAt+1])
		}
		endParen += closeAt + 2
		value := s[i+1 : closeAt]
		entity := strings.TrimSpace(s[closeAt+2 : endParen])
		switch {
		case strings.TrimSpace(value) == "":
			return "", nil, fmt.Errorf("the annotation %q marks no text", s[i:endParen+1])
		case entity == "":
			return "", nil, fmt.Errorf("the annotation %q names no entity", s[i:endParen+1])
		case !hclsyntax.ValidIdentifier(entity):
			return "", nil, fmt.Errorf("%q is not a valid entity name", entity)
		}
		start := b.Len()
		b.WriteString(value)
		anns = append(anns, Annotation{Entity: entity, Start: start, End: b.Len()})
		i = endParen + 1
	}
	return b.String(), anns, nil
}

// normalizeExample is the form two examples are compared in to find duplicates.
func normalizeExample(text string) string {
	return strings.Join(strings.Fields(strings.ToLower(text)), " ")
}
