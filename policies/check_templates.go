package policies

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// checkTemplateParts warns about a value inserted into a template that can't
// be shown as text: "Period ${slot.period}" inserts a date_range's object,
// which fails each time it is said, and the customer gets the error reply.
// HCL checks a part's type only once its value is known, which it never is
// while validating. A warning, not an error, so that bots written before this
// check keep validating.
func (c *checker) checkTemplateParts(expr hcl.Expression, ctx *hcl.EvalContext) {
	syn, ok := expr.(hclsyntax.Expression)
	if !ok {
		return
	}
	hclsyntax.VisitAll(syn, func(node hclsyntax.Node) hcl.Diagnostics {
		tmpl, ok := node.(*hclsyntax.TemplateExpr)
		if !ok {
			return nil
		}
		for _, part := range tmpl.Parts {
			if _, literal := part.(*hclsyntax.LiteralValueExpr); literal {
				continue
			}
			v, diags := part.Value(ctx)
			if diags.HasErrors() {
				continue // a name inside a for directive, or reported already
			}
			ty := v.Type()
			if ty == cty.DynamicPseudoType || ty.IsPrimitiveType() {
				continue
			}
			c.warnf(part.Range(), "Value can't be shown as text", "This inserts %s into the text, which fails each time it is said, and the customer gets the error reply. %s",
				aTypeName(ty), pickFieldHint(part, ty))
		}
		return nil
	})
}

// pickFieldHint says what to write instead of a whole object or list.
func pickFieldHint(part hclsyntax.Expression, ty cty.Type) string {
	name := ""
	if st, ok := part.(*hclsyntax.ScopeTraversalExpr); ok {
		name = traversalName(st.Traversal)
	}
	if ty.IsObjectType() && name != "" {
		attrs := sortedKeys(ty.AttributeTypes())
		if len(attrs) > 0 {
			example := attrs[0]
			if slices.Contains(attrs, "start") {
				example = "start" // a date range reads from its start
			}
			return fmt.Sprintf("Pick one of its fields (%s), like %s.%s.", strings.Join(attrs, ", "), name, example)
		}
	}
	if (ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) && name != "" {
		return fmt.Sprintf("Join a list of texts: join(\", \", %s).", name)
	}
	return "Pick one field, or use join() for a list."
}

// aTypeName names a type that is not text for a sentence: "an object".
func aTypeName(ty cty.Type) string {
	switch {
	case ty.IsObjectType():
		return "an object"
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		return "a list"
	case ty.IsMapType():
		return "a map"
	}
	return ty.FriendlyName()
}

// traversalName writes a traversal of names back as source (slot.period),
// or "" when it holds an index.
func traversalName(t hcl.Traversal) string {
	parts := make([]string, 0, len(t))
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		default:
			return ""
		}
	}
	return strings.Join(parts, ".")
}

// layoutProbe differs from the example date (Monday, 2 January 2006,
// 15:04:05 PM) in every part, so a layout that writes it unchanged holds
// none of them.
var layoutProbe = time.Date(1999, time.December, 31, 8, 58, 59, 0, time.UTC)

// checkDateLayouts warns about a format_date layout that holds no part of
// the example date, like "DD/MM/YYYY" from other tools: every date would be
// written as the layout itself.
func (c *checker) checkDateLayouts(expr hcl.Expression) {
	syn, ok := expr.(hclsyntax.Expression)
	if !ok {
		return
	}
	hclsyntax.VisitAll(syn, func(node hclsyntax.Node) hcl.Diagnostics {
		call, ok := node.(*hclsyntax.FunctionCallExpr)
		if ok && call.Name == "formatdate" && len(call.Args) == 2 {
			c.checkTwelveHourSpec(call.Args[0])
			return nil
		}
		if !ok || call.Name != "format_date" || len(call.Args) != 2 {
			return nil
		}
		v, diags := call.Args[1].Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			return nil
		}
		layout := v.AsString()
		if !layoutHasNoDate(layout) {
			return nil
		}
		c.warnf(call.Args[1].Range(), "Date layout without a date", "A format_date layout is the date Monday, 2 January 2006, 15:04:05 written the way every date should be; %q holds no part of it, so every date would read %q. Write that date as you want dates to look: \"02/01/2006\" gives 25/11/2026, \"2 Jan 2006\" gives 25 Nov 2026.", layout, layout)
		return nil
	})
}

// layoutHasNoDate reports whether a format_date layout writes every date as
// itself.
func layoutHasNoDate(layout string) bool {
	return layoutProbe.Format(layout) == layout
}

// checkTwelveHourSpec warns about a formatdate spec with the hour of a
// 12-hour clock ("HH") and no AM or PM: Terraform's "hh" is the 24-hour
// hour, the other way round from most tools, so "after 2pm" written with
// tonumber(formatdate("HH", now)) >= 14 never holds.
func (c *checker) checkTwelveHourSpec(arg hclsyntax.Expression) {
	v, diags := arg.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return
	}
	spec := v.AsString()
	if !twelveHourWithoutAMPM(spec) {
		return
	}
	c.warnf(arg.Range(), "12-hour clock without AM or PM", "In formatdate, \"HH\" and \"H\" are the hour on a 12-hour clock (02 at 14:00), and %q writes no AM or PM (\"AA\" or \"aa\"), so 2am and 2pm read the same. The 24-hour hour is \"hh\": tonumber(formatdate(\"hh\", now)) >= 14 holds from 14:00.", spec)
}

// twelveHourWithoutAMPM reads a formatdate spec: runs of one letter, text
// in single quotes left out.
func twelveHourWithoutAMPM(spec string) bool {
	twelve, ampm := false, false
	for i := 0; i < len(spec); {
		ch := spec[i]
		if ch == '\'' {
			end := strings.IndexByte(spec[i+1:], '\'')
			if end < 0 {
				break
			}
			i += end + 2
			continue
		}
		j := i
		for j < len(spec) && spec[j] == ch {
			j++
		}
		switch ch {
		case 'H':
			twelve = true
		case 'a', 'A':
			ampm = true
		}
		i = j
	}
	return twelve && !ampm
}
