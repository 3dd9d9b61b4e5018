package policies

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// unquoteHint is the fix for a number or bool written in quotes, as in
// slot.amount > "3000": people carry quotes over from other settings.
func unquoteHint(e hclsyntax.Expression, want cty.Type) string {
	tmpl, ok := e.(*hclsyntax.TemplateExpr)
	if !ok || !tmpl.IsStringLiteral() {
		return ""
	}
	v, diags := tmpl.Value(nil)
	if diags.HasErrors() || v.IsNull() {
		return ""
	}
	if _, err := convert.Convert(v, want); err != nil {
		return ""
	}
	return fmt.Sprintf(" Write it without quotes: %s.", v.AsString())
}

// convertHint is the function that turns a reference's text into the number
// or text an input takes, as in tonumber(slot.reading) for a slot of a
// pattern entity that holds digits as text.
func convertHint(e hcl.Expression, have, want cty.Type) string {
	parts, ok := refTraversal(e)
	if !ok {
		return ""
	}
	ref := strings.Join(parts, ".")
	switch {
	case have == cty.String && want == cty.Number:
		return fmt.Sprintf(" Convert it with tonumber(%s).", ref)
	case have == cty.Number && want == cty.String:
		return fmt.Sprintf(" Convert it with tostring(%s).", ref)
	}
	return ""
}

var comparisonOps = map[*hclsyntax.Operation]bool{
	hclsyntax.OpGreaterThan: true, hclsyntax.OpGreaterThanOrEqual: true,
	hclsyntax.OpLessThan: true, hclsyntax.OpLessThanOrEqual: true,
}

// dateComparisonHint is the days_between rewrite of a comparison of dates,
// as in slot.visit_date > now: dates are text, which < and > do not compare.
// It is "" unless one side is a date.
func (c *checker) dateComparisonHint(e *hclsyntax.BinaryOpExpr) string {
	if !comparisonOps[e.Op] || !c.isDate(e.LHS) && !c.isDate(e.RHS) {
		return ""
	}
	if hint := addDaysHint(e); hint != "" {
		return hint
	}
	earlier, later, cmp := e.RHS, e.LHS, "> 0" // a > b: b is earlier
	switch e.Op {
	case hclsyntax.OpGreaterThanOrEqual:
		cmp = ">= 0"
	case hclsyntax.OpLessThan:
		earlier, later = e.LHS, e.RHS
	case hclsyntax.OpLessThanOrEqual:
		earlier, later, cmp = e.LHS, e.RHS, ">= 0"
	}
	if hint := hoursComparisonHint(e); hint != "" {
		return hint
	}
	from, ok1 := refTraversal(earlier)
	to, ok2 := refTraversal(later)
	if !ok1 || !ok2 {
		return " Count the days between them instead, as in days_between(now, slot.visit_date) > 0 (the visit is after today)."
	}
	return fmt.Sprintf(" Count the days between them instead: days_between(%s, %s) %s.", strings.Join(from, "."), strings.Join(to, "."), cmp)
}

// flippedOps turn a comparison around: a < b is b > a.
var flippedOps = map[*hclsyntax.Operation]*hclsyntax.Operation{
	hclsyntax.OpGreaterThan: hclsyntax.OpLessThan, hclsyntax.OpGreaterThanOrEqual: hclsyntax.OpLessThanOrEqual,
	hclsyntax.OpLessThan: hclsyntax.OpGreaterThan, hclsyntax.OpLessThanOrEqual: hclsyntax.OpGreaterThanOrEqual,
}

// addDaysHint rewrites a limit written with add_days, the usual way to say
// "within 21 days": slot.visit_date <= add_days(now, 21) is
// days_between(now, slot.visit_date) <= 21. It is "" for other comparisons.
func addDaysHint(e *hclsyntax.BinaryOpExpr) string {
	date, op := e.LHS, e.Op
	call, ok := e.RHS.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "add_days" {
		call, ok = e.LHS.(*hclsyntax.FunctionCallExpr)
		date, op = e.RHS, flippedOps[e.Op]
	}
	if !ok || call.Name != "add_days" || len(call.Args) != 2 {
		return ""
	}
	from, ok1 := refTraversal(call.Args[0])
	to, ok2 := refTraversal(date)
	days, ok3 := numberText(call.Args[1])
	if !ok1 || !ok2 || !ok3 {
		return ""
	}
	return fmt.Sprintf(" Count the days between them instead: days_between(%s, %s) %s %s.", strings.Join(from, "."), strings.Join(to, "."), numericOps[op], days)
}

// numberText writes a day count as it was written: 21, -7 or var.window.
func numberText(e hclsyntax.Expression) (string, bool) {
	switch n := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		if n.Val.Type() == cty.Number && n.Val.IsKnown() && !n.Val.IsNull() {
			return n.Val.AsBigFloat().Text('f', -1), true
		}
	case *hclsyntax.UnaryOpExpr:
		if text, ok := numberText(n.Val); ok && n.Op == hclsyntax.OpNegate {
			return "-" + text, true
		}
	}
	if parts, ok := refTraversal(e); ok {
		return strings.Join(parts, "."), true
	}
	return "", false
}

// isDate reports whether an expression is a date written as text: now, a
// date slot, a date_range slot's start or end, or a date function's result.
func (c *checker) isDate(e hclsyntax.Expression) bool {
	if call, ok := e.(*hclsyntax.FunctionCallExpr); ok {
		return call.Name == "add_days" || call.Name == "timeadd" || call.Name == "formatdate"
	}
	parts, ok := refTraversal(e)
	if ok && len(parts) == 1 {
		return parts[0] == "now"
	}
	return ok && c.isDateSlot(parts)
}

// slotTyped reports whether some dialog has a slot of that name and type.
func (c *checker) slotTyped(name, typ string) bool {
	for _, d := range c.bot.Dialogs {
		for _, s := range d.Slots {
			if s != nil && s.Name == name && s.Type == typ {
				return true
			}
		}
	}
	return false
}

// hoursComparisonHint is the hours_between rewrite of a comparison with a
// time some hours away, as in call.booking.starts_at < timeadd(now, "24h"):
// hours_between(now, call.booking.starts_at) < 24. It is "" unless one side
// is a timeadd.
func hoursComparisonHint(e *hclsyntax.BinaryOpExpr) string {
	other, base, dur, flipped := hclsyntax.Expression(e.LHS), hclsyntax.Expression(nil), "", false
	if b, d, ok := timeaddOf(e.RHS); ok {
		base, dur = b, d
	} else if b, d, ok := timeaddOf(e.LHS); ok {
		other, base, dur, flipped = e.RHS, b, d, true
	} else {
		return ""
	}
	const generic = " Count the hours between them instead, as in hours_between(now, call.booking.starts_at) < 24 (less than a day ahead)."
	from, ok1 := refTraversal(base)
	to, ok2 := refTraversal(other)
	d, err := time.ParseDuration(dur)
	if !ok1 || !ok2 || err != nil {
		return generic
	}
	// other OP base+d is hours_between(base, other) OP d; base+d OP other
	// turns the comparison around.
	op := map[*hclsyntax.Operation]string{
		hclsyntax.OpLessThan: "<", hclsyntax.OpLessThanOrEqual: "<=",
		hclsyntax.OpGreaterThan: ">", hclsyntax.OpGreaterThanOrEqual: ">=",
	}[e.Op]
	if flipped {
		op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
	}
	hours := strconv.FormatFloat(d.Hours(), 'f', -1, 64)
	return fmt.Sprintf(" Count the hours between them instead: hours_between(%s, %s) %s %s.", strings.Join(from, "."), strings.Join(to, "."), op, hours)
}

// timeaddOf splits timeadd(base, "DURATION") into its arguments; the
// duration is "" when it is not written as a literal.
func timeaddOf(e hclsyntax.Expression) (hclsyntax.Expression, string, bool) {
	call, ok := e.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "timeadd" || len(call.Args) != 2 {
		return nil, "", false
	}
	dur := ""
	if tmpl, ok := call.Args[1].(*hclsyntax.TemplateExpr); ok && tmpl.IsStringLiteral() {
		if v, diags := tmpl.Value(nil); !diags.HasErrors() && !v.IsNull() {
			dur = v.AsString()
		}
	}
	return call.Args[0], dur, true
}

// timeTypeHint answers a slot type named like a time, which Parley has no
// built-in type for.
func timeTypeHint(name string) string {
	switch strings.ToLower(name) {
	case "time", "datetime", "date_time", "timestamp", "hour", "clock", "time_of_day", "clock_time":
		return ` There is no time type: a date slot takes the day of "tomorrow 3pm" and leaves the hour; read a time of day with an entity of your own (see "Times of day" in docs/language.md).`
	}
	return ""
}
