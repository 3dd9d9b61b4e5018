package policies

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// checkLocalReads warns about a local read where a slot or call it reads
// (itself or through other locals) has no value: local.invoice_age =
// days_between(call.invoice.date, now) in a handoff policy, outside any
// dialog, is unknown there, so a condition on it is always false. Read
// directly, such a call or slot is reported by the name checks; through a
// local it was silent. Warnings, so bots that validate today keep validating.
func (c *checker) checkLocalReads(expr hcl.Expression, sc *typeScope, kind exprKind) {
	byName := map[string]*Local{}
	for _, l := range c.bot.Locals {
		byName[l.Name] = l
	}
	warned := map[string]bool{}
	for _, trav := range expr.Variables() {
		if trav.RootName() != "local" || len(trav) < 2 {
			continue
		}
		attr, ok := trav[1].(hcl.TraverseAttr)
		if !ok || byName[attr.Name] == nil || warned[attr.Name] {
			continue
		}
		slots, calls := localNeeds(byName, attr.Name)
		var missing []string
		for _, name := range calls {
			if _, declared := sc.calls[name]; !declared || sc.unrun[name] || sc.notYet[name] != "" {
				missing = append(missing, "call."+name)
			}
		}
		for _, name := range slots {
			if _, declared := sc.slots[name]; !declared {
				missing = append(missing, "slot."+name)
			}
		}
		if len(missing) == 0 {
			continue
		}
		warned[attr.Name] = true
		effect := "saying it would fail, and the customer would get the error reply"
		switch kind {
		case kindCondition:
			effect = "a condition on it is always false"
		case kindNumber:
			effect = "no amount is ever recorded"
		}
		has, them := "have", "them"
		if len(missing) == 1 {
			has, them = "has", "it"
		}
		c.warnf(trav.SourceRange(), "Local has no value here", "local.%s reads %s, which %s no value %s, so the local is unknown there: %s. Read the local in a dialog that has %s, or in a rule with on = dialog.NAME.",
			attr.Name, joinAnd(missing), has, sc.where, effect, them)
	}
}

// localNeeds lists the slots and calls a local reads, itself or through the
// locals it reads, sorted.
func localNeeds(byName map[string]*Local, name string) (slots, calls []string) {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		l := byName[name]
		if l == nil || seen[name] {
			return
		}
		seen[name] = true
		for _, trav := range l.Expr.Variables() {
			if len(trav) < 2 {
				continue
			}
			attr, ok := trav[1].(hcl.TraverseAttr)
			if !ok {
				continue
			}
			switch trav.RootName() {
			case "slot":
				slots = appendNew(slots, attr.Name)
			case "call":
				calls = appendNew(calls, attr.Name)
			case "local":
				visit(attr.Name)
			}
		}
	}
	visit(name)
	slices.Sort(slots)
	slices.Sort(calls)
	return slots, calls
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
