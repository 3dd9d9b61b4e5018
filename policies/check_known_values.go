package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var weekdayNames = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// checkKnownValue warns where == or != compares a value that can only be
// one of a few texts with a text that is none of them: a list entity's slot
// with a synonym or a label (slot.product == "bed frame" where the value is
// bed_frame), a yes_no slot with "Yes", weekday(...) with "sunday",
// intent.name with a name no intent has, conversation.dialog with one no
// dialog has. The
// condition is then never true (always, with !=) and nothing says so when the
// bot runs: a validate that should refuse Sundays takes them all. A warning,
// since such bots validate today.
func (w *operandWalker) checkKnownValue(e *hclsyntax.BinaryOpExpr) {
	if e.Op != hclsyntax.OpEqual && e.Op != hclsyntax.OpNotEqual {
		return
	}
	value, constant := e.LHS, e.RHS
	c, ok := constantValue(constant)
	if !ok || c.Type() != cty.String {
		value, constant = e.RHS, e.LHS
		if c, ok = constantValue(constant); !ok || c.Type() != cty.String {
			return
		}
	}
	got := c.AsString()
	if got == "" {
		return // "" reads as no value, as in tests
	}
	what, values, synonym := w.c.knownValues(value)
	if len(values) == 0 || slices.Contains(values, got) {
		return
	}
	if !firstAt(&w.c.knownValueWarned, e.Range()) {
		return // a response is checked at each place it is said
	}
	never := neverOrAlways(e.Op)
	name := exprText(value, "this value")
	if _, isCall := unparen(value).(*hclsyntax.FunctionCallExpr); isCall {
		name = w.c.bot.sourceText(value.Range())
	}
	fix := ""
	if right := synonym(got); right != "" {
		fix = fmt.Sprintf(" Write %s %s %q.", name, opText(e.Op), right)
	} else {
		fix = didYouMean(got, values)
	}
	w.c.warnf(e.Range(), "Never equal to this text",
		"%s %s, so it never equals %q and this is %s.%s",
		name, what, got, never, fix)
}

// checkKnownValueIn warns about a text in the literal list of contains([...],
// VALUE) that VALUE can never be: contains(["saturday", "sunday"],
// weekday(slot.day)) never holds, so a validate that should refuse weekends
// takes them, as weekday(slot.day) == "saturday" would.
func (w *operandWalker) checkKnownValueIn(e *hclsyntax.FunctionCallExpr) {
	if e.Name != "contains" || len(e.Args) != 2 {
		return
	}
	list, ok := unparen(e.Args[0]).(*hclsyntax.TupleConsExpr)
	if !ok {
		return
	}
	value := e.Args[1]
	what, values, synonym := w.c.knownValues(value)
	if len(values) == 0 {
		return
	}
	name := exprText(value, "this value")
	if _, isCall := unparen(value).(*hclsyntax.FunctionCallExpr); isCall {
		name = w.c.bot.sourceText(value.Range())
	}
	for _, item := range list.Exprs {
		c, ok := constantValue(item)
		if !ok || c.Type() != cty.String {
			continue
		}
		got := c.AsString()
		if got == "" || slices.Contains(values, got) || !firstAt(&w.c.knownValueWarned, item.Range()) {
			continue
		}
		fix := ""
		if right := synonym(got); right != "" {
			fix = fmt.Sprintf(" Write %q.", right)
		} else {
			fix = didYouMean(got, values)
		}
		w.c.warnf(item.Range(), "Never equal to this text",
			"%s %s, so it is never %q, and contains() never finds it in this list.%s",
			name, what, got, fix)
	}
}

// knownValues lists the only texts e can hold, with how to say so and a
// function giving the one a mistaken text was meant as ("" when none is
// clear). No values: e can hold anything.
func (c *checker) knownValues(e hclsyntax.Expression) (what string, values []string, meant func(string) string) {
	e = unparen(e).(hclsyntax.Expression)
	if call, ok := e.(*hclsyntax.FunctionCallExpr); ok {
		if call.Name != "weekday" {
			return "", nil, nil
		}
		return `gives the day's English name with a capital, "Monday" to "Sunday"`, weekdayNames, func(got string) string {
			g := strings.ToLower(strings.TrimSpace(got))
			for _, d := range weekdayNames {
				if len(g) >= 3 && strings.HasPrefix(strings.ToLower(d), g) {
					return d
				}
			}
			return ""
		}
	}
	parts, ok := refTraversal(e)
	if !ok || len(parts) != 2 {
		return "", nil, nil
	}
	if parts[0] == "intent" && parts[1] == "name" {
		// A misspelt name ("emergancy") leaves a handoff policy that
		// never hands off.
		names := c.intentNames()
		return "holds the name of one of the bot's intents (or \"\")", names, func(got string) string {
			for _, n := range names {
				if strings.EqualFold(n, strings.TrimSpace(got)) {
					return n
				}
			}
			return ""
		}
	}
	if parts[0] == "handoff" && parts[1] == "reason" {
		// A misspelt reason leaves an on = handoff rule that never applies.
		names := c.handoffReasons()
		return "holds the name of the handoff policy, rule or dialog block (DIALOG.NAME) that asked for the handoff (or \"\")", names, func(string) string { return "" }
	}
	if parts[0] == "handoff" && parts[1] == "queue" {
		var names []string
		for _, q := range c.bot.Queues {
			names = append(names, q.Name)
		}
		slices.Sort(names)
		return "holds the name of one of the bot's queues (or \"\")", names, func(string) string { return "" }
	}
	if parts[0] == "conversation" && (parts[1] == "dialog" || parts[1] == "next_dialog") {
		names := c.dialogNames()
		return "holds the name of one of the bot's dialogs (or \"\")", names, func(string) string { return "" }
	}
	var typ string
	switch parts[0] {
	case "entity":
		typ = parts[1]
	case "slot":
		typ = c.slotsType(parts[1])
	default:
		return "", nil, nil
	}
	if typ == "yes_no" {
		return `holds "yes" or "no", in lower case`, []string{"yes", "no"}, func(got string) string {
			switch g := strings.ToLower(strings.TrimSpace(got)); g {
			case "yes", "no":
				return g
			case "y", "true", "是", "是的", "有", "好", "好的":
				return "yes"
			case "n", "false", "否", "不", "没有", "不是":
				return "no"
			}
			return ""
		}
	}
	ent, ok := c.bot.Entities[typ]
	if !ok || ent.Kind != EntityList {
		return "", nil, nil
	}
	for _, v := range ent.Values {
		values = append(values, v.Canonical)
	}
	what = fmt.Sprintf("holds a canonical value of entity %q (%s), never a synonym or a label", ent.Name, strings.Join(values, ", "))
	return what, values, func(got string) string {
		g := strings.TrimSpace(got)
		for _, v := range ent.Values {
			if strings.EqualFold(v.Canonical, g) || slices.ContainsFunc(v.Synonyms, func(s string) bool { return strings.EqualFold(s, g) }) {
				return v.Canonical
			}
			for _, text := range ent.Labels[v.Canonical] {
				if strings.EqualFold(text, g) {
					return v.Canonical
				}
			}
		}
		return ""
	}
}

// slotsType is the type of every slot of that name in the dialogs, or ""
// when they differ (a response said in several dialogs) or there is none.
func (c *checker) slotsType(name string) string {
	typ := ""
	for _, d := range c.bot.Dialogs {
		for _, s := range d.Slots {
			if s == nil || s.Name != name {
				continue
			}
			if typ != "" && s.Type != typ {
				return ""
			}
			typ = s.Type
		}
	}
	return typ
}

// handoffReasons lists what handoff.reason may hold: the handoff policies'
// names and the owner of every handoff action (a rule's name, or
// DIALOG.NAME for a dialog's slot, call or outcome).
func (c *checker) handoffReasons() []string {
	var names []string
	for _, h := range c.bot.Handoffs {
		names = append(names, h.Name)
	}
	for _, a := range allActions(c.bot) {
		if a.Handoff != nil && a.Handoff.Reason != "" && !slices.Contains(names, a.Handoff.Reason) {
			names = append(names, a.Handoff.Reason)
		}
	}
	return names
}
