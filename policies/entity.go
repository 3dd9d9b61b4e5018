package policies

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/hashicorp/hcl/v2"
)

var entitySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "pattern"},
		{Name: "ignore_case"},
		{Name: "values"},
		{Name: "labels"},
	},
}

// decodeEntity reads a user-defined entity: a regular expression or a value list.
func decodeEntity(block *hcl.Block) (*Entity, hcl.Diagnostics) {
	e := &Entity{Name: block.Labels[0], Range: block.DefRange}
	content, diags := block.Body.Content(entitySchema)
	if slices.Contains(BuiltinTypes, e.Name) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Entity shadows a builtin type",
			Detail:   fmt.Sprintf("%q is a builtin type; give this entity another name.", e.Name),
			Subject:  block.LabelRanges[0].Ptr(),
		})
	}
	var more hcl.Diagnostics
	e.Description, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)
	e.IgnoreCase, more = attrBool(content.Attributes, "ignore_case")
	diags = append(diags, more...)

	patternAttr, hasPattern := content.Attributes["pattern"]
	valuesAttr, hasValues := content.Attributes["values"]
	switch {
	case hasPattern && hasValues:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Both pattern and values",
			Detail:   "An entity is either a pattern or a list of values, not both.",
			Subject:  valuesAttr.NameRange.Ptr(),
		})
	case !hasPattern && !hasValues:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing pattern or values",
			Detail:   "An entity needs a pattern (a regular expression) or values (a map of canonical values to synonyms).",
			Subject:  block.DefRange.Ptr(),
		})
	case hasPattern:
		e.Kind = EntityPattern
		src, present, more := literalString(patternAttr.Expr)
		diags = append(diags, more...)
		if present {
			if e.IgnoreCase {
				src = "(?i)" + src
			}
			re, err := regexp.Compile(src)
			switch {
			case err != nil:
				diags = append(diags, invalidRegexp(patternAttr.Expr.Range(), err))
			case re.MatchString(""):
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Pattern matches empty text",
					Detail:   "This pattern matches an empty string, so it would find the entity in every message.",
					Subject:  patternAttr.Expr.Range().Ptr(),
				})
			default:
				e.Pattern = re
			}
		}
	case hasValues:
		e.Kind = EntityList
		if e.IgnoreCase {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "ignore_case has no effect",
				Detail:   "List entities always match without regard to case; ignore_case applies to patterns.",
				Subject:  content.Attributes["ignore_case"].NameRange.Ptr(),
			})
		}
		e.Values, more = decodeEntityValues(valuesAttr.Expr)
		diags = append(diags, more...)
		if attr, ok := content.Attributes["labels"]; ok {
			e.Labels, more = decodeEntityLabels(attr.Expr, e.Values)
			diags = append(diags, more...)
		}
	}
	if attr, ok := content.Attributes["labels"]; ok && !hasValues {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Labels without values",
			Detail:   "labels name the values of a list entity; a pattern entity has none.",
			Subject:  attr.NameRange.Ptr(),
		})
	}
	// A mistake inside the block must not make its name unknown elsewhere:
	// that would only add errors that follow from this one.
	return e, diags
}

func invalidRegexp(rng hcl.Range, err error) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid regular expression",
		Detail:   fmt.Sprintf("This is not a valid regular expression: %s.", err),
		Subject:  rng.Ptr(),
	}
}

// decodeEntityValues reads { canonical = ["synonym", ...] } keeping source order,
// which cty objects would lose.
func decodeEntityValues(expr hcl.Expression) ([]EntityValue, hcl.Diagnostics) {
	pairs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid entity values",
			Detail:   `Write values as a map of canonical values to synonyms: { laptop = ["notebook", "macbook"] }.`,
			Subject:  expr.Range().Ptr(),
		}}
	}
	var out []EntityValue
	seen := map[string]bool{}
	for _, pair := range pairs {
		canonical := hcl.ExprAsKeyword(pair.Key)
		if canonical == "" {
			s, _, more := literalString(pair.Key)
			diags = append(diags, more...)
			canonical = s
		}
		if canonical == "" {
			if !diags.HasErrors() {
				diags = append(diags, wrongType(pair.Key, "a non-empty value name", nil)...)
			}
			continue
		}
		if seen[canonical] {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate entity value",
				Detail:   fmt.Sprintf("%q is listed twice.", canonical),
				Subject:  pair.Key.Range().Ptr(),
			})
			continue
		}
		seen[canonical] = true
		synonyms, more := stringList(pair.Value)
		diags = append(diags, more...)
		out = append(out, EntityValue{Canonical: canonical, Synonyms: synonyms})
	}
	if len(out) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No entity values",
			Detail:   "A list entity needs at least one value.",
			Subject:  expr.Range().Ptr(),
		})
	}
	return out, diags
}
