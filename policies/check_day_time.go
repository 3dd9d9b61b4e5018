package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// checkDayTimeEquality warns about == or != between a day ("2026-11-23", what
// a date slot holds) and a time ("2026-11-23T10:00:00+08:00", what now holds):
// the texts are never equal, so slot.visit_date == add_days(now, 1) never
// holds, whatever day the customer gives.
func (c *checker) checkDayTimeEquality(e *hclsyntax.BinaryOpExpr) {
	if e.Op != hclsyntax.OpEqual && e.Op != hclsyntax.OpNotEqual {
		return
	}
	day, t := e.LHS, e.RHS
	if !c.isDay(day) || !isTime(t) {
		day, t = e.RHS, e.LHS
		if !c.isDay(day) || !isTime(t) {
			return
		}
	}
	if !c.firstDayTimeWarning(e.Range()) {
		return
	}
	never := "never true"
	if e.Op == hclsyntax.OpNotEqual {
		never = "always true"
	}
	dayName, timeName := exprText(day, "the day"), exprText(t, "the time")
	fix := fmt.Sprintf(", as in days_between(now, %s) == 0 (%s is today)", dayName, dayName)
	if parts, ok := refTraversal(t); ok && len(parts) == 1 && parts[0] == "now" {
		fix = fmt.Sprintf(": days_between(now, %s) %s 0", dayName, opText(e.Op))
	} else if call, ok := t.(*hclsyntax.FunctionCallExpr); ok && call.Name == "add_days" && len(call.Args) == 2 {
		fix = fmt.Sprintf(": days_between(%s, %s) %s %s", exprText(call.Args[0], "now"), dayName, opText(e.Op), exprText(call.Args[1], "1"))
	}
	c.warnf(e.Range(), "Day compared with a time",
		"%s is a day, written like \"2026-11-23\", and %s a time, written like \"2026-11-23T10:00:00+08:00\", so %s is %s. Count the days between them instead%s.",
		dayName, timeName, opText(e.Op), never, fix)
}

// firstDayTimeWarning reports whether rng gets its day-and-time warning now:
// a response is checked at each place it is said, and warned about once.
func (c *checker) firstDayTimeWarning(rng hcl.Range) bool {
	if c.dayTimeWarned[rng] {
		return false
	}
	if c.dayTimeWarned == nil {
		c.dayTimeWarned = map[hcl.Range]bool{}
	}
	c.dayTimeWarned[rng] = true
	return true
}

// checkHoursBetweenDays warns about hours_between given a day, such as a date
// slot: it needs two times, so it fails on every value, and a validate or
// when that reads it is always false (every date the customer gives is
// refused), with nothing saying why until the bot runs.
func (c *checker) checkHoursBetweenDays(call *hclsyntax.FunctionCallExpr) {
	if call.Name != "hours_between" || len(call.Args) != 2 {
		return
	}
	for i, arg := range call.Args {
		if !c.isDay(arg) {
			continue
		}
		if !c.firstDayTimeWarning(arg.Range()) {
			return
		}
		day := exprText(arg, "the day")
		other := exprText(call.Args[1-i], "the other")
		from, to := other, day
		if i == 0 {
			from, to = day, other
		}
		c.warnf(arg.Range(), "Hours counted from a day",
			"%s is a day, written like \"2026-11-23\", with no time, and hours_between needs two times like \"2026-11-23T10:00:00+08:00\": it fails for every value, so a condition on it is never true. Count days instead, as in days_between(%s, %s) >= 1, or take the time from a system that sends one.",
			day, from, to)
		return
	}
}

// isDay reports whether an expression is a day without a time: a date slot,
// a date_range slot's start or end, or add_days of one.
func (c *checker) isDay(e hclsyntax.Expression) bool {
	if call, ok := e.(*hclsyntax.FunctionCallExpr); ok {
		return call.Name == "add_days" && len(call.Args) == 2 && c.isDay(call.Args[0])
	}
	parts, ok := refTraversal(e)
	return ok && c.isDateSlot(parts)
}

// isDateSlot reports whether a reference is a date slot, or a date_range
// slot's start or end.
func (c *checker) isDateSlot(parts []string) bool {
	switch {
	case len(parts) == 0 || parts[0] != "slot":
		return false
	case len(parts) == 2:
		return c.slotTyped(parts[1], "date")
	case len(parts) == 3 && (parts[2] == "start" || parts[2] == "end"):
		return c.slotTyped(parts[1], "date_range")
	}
	return false
}

// isTime reports whether an expression is a time of day in RFC 3339: now,
// timeadd, or add_days of one.
func isTime(e hclsyntax.Expression) bool {
	if call, ok := e.(*hclsyntax.FunctionCallExpr); ok {
		switch call.Name {
		case "timeadd":
			return true
		case "add_days":
			return len(call.Args) == 2 && isTime(call.Args[0])
		}
		return false
	}
	parts, ok := refTraversal(e)
	return ok && len(parts) == 1 && parts[0] == "now"
}

func opText(op *hclsyntax.Operation) string {
	if op == hclsyntax.OpNotEqual {
		return "!="
	}
	return "=="
}

// exprText is how an expression reads in a message: a reference or a number
// as written, else the description given.
func exprText(e hclsyntax.Expression, otherwise string) string {
	if parts, ok := refTraversal(e); ok {
		return strings.Join(parts, ".")
	}
	if lit, ok := e.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type().FriendlyName() == "number" {
		return lit.Val.AsBigFloat().Text('f', -1)
	}
	if tmpl, ok := e.(*hclsyntax.TemplateExpr); ok && tmpl.IsStringLiteral() {
		if v, diags := tmpl.Value(nil); !diags.HasErrors() && !v.IsNull() {
			return fmt.Sprintf("%q", v.AsString())
		}
	}
	if u, ok := e.(*hclsyntax.UnaryOpExpr); ok && u.Op == hclsyntax.OpNegate {
		if inner := exprText(u.Val, ""); inner != "" {
			return "-" + inner
		}
	}
	if call, ok := e.(*hclsyntax.FunctionCallExpr); ok {
		args := make([]string, len(call.Args))
		for i, a := range call.Args {
			if args[i] = exprText(a, ""); args[i] == "" {
				return otherwise
			}
		}
		return call.Name + "(" + strings.Join(args, ", ") + ")"
	}
	return otherwise
}
