package policies

import (
	"maps"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// linkLocalReads adds to what a dialog waits for the slots and calls read
// through locals. A call runs once every slot its input reads is filled, and
// a slot's validate runs the calls it reads first; both looked only at
// slot.X and call.X written out, so input = { email = local.email } (with
// local.email = slot.email) ran before the email was asked, and validate =
// local.found (reading call.user) ran without the call. Only the dialog's own
// slots and calls count: a local may read another dialog's, which this
// dialog never asks, and waiting for one would wait forever.
func linkLocalReads(bot *Bot) {
	byName := map[string]*Local{}
	for _, l := range bot.Locals {
		byName[l.Name] = l
	}
	for _, d := range bot.Dialogs {
		// Only the slots the dialog always asks: a call would wait forever
		// for an optional slot the customer never mentions (coalesce(
		// slot.note, "") in a local), and before locals counted it ran.
		slots := map[string]bool{}
		for _, s := range d.Slots {
			slots[s.Name] = !s.Optional && s.RequiredWhen == nil
		}
		calls := map[string]bool{}
		for _, c := range d.Calls {
			calls[c.Name] = true
		}
		for _, c := range d.Calls {
			others := maps.Clone(calls)
			delete(others, c.Name)
			c.ReadsCalls = appendKept(nil, rootReads(c.Input, "call"), others)
			for _, name := range localReads(c.Input) {
				needSlots, needCalls := localNeeds(byName, name)
				c.Reads = appendKept(c.Reads, needSlots, slots)
				c.ReadsCalls = appendKept(c.ReadsCalls, needCalls, others)
			}
			c.ReadsResultOf = appendKept(nil, resultReads(byName, c.Input), others)
		}
		linkCallChains(d.Calls)
		for _, s := range d.Slots {
			// Any other slot, asked or not: whether it will be asked is
			// decided when a value waits for it.
			others := map[string]bool{}
			for _, o := range d.Slots {
				others[o.Name] = o != s
			}
			s.ValidateCalls = rootReads(s.Validate, "call")
			s.ValidateSlots = appendKept(nil, rootReads(s.Validate, "slot"), others)
			for _, name := range localReads(s.Validate) {
				needSlots, needCalls := localNeeds(byName, name)
				s.ValidateCalls = appendKept(s.ValidateCalls, needCalls, calls)
				s.ValidateSlots = appendKept(s.ValidateSlots, needSlots, others)
			}
		}
	}
}

// linkCallChains gives a call that reads other calls the slots they read,
// through chains of any length: a correction of the email then runs again the
// cases call that reads the customer call that reads the email.
func linkCallChains(calls []*Call) {
	byName := map[string]*Call{}
	for _, c := range calls {
		byName[c.Name] = c
	}
	for range calls { // a chain is at most this long; a cycle stops growing
		for _, c := range calls {
			for _, name := range c.ReadsCalls {
				if dep := byName[name]; dep != nil {
					for _, s := range dep.Reads {
						c.Reads = appendNew(c.Reads, s)
					}
				}
			}
		}
	}
}

// appendKept appends to list the names keep allows that it lacks.
func appendKept(list, names []string, keep map[string]bool) []string {
	for _, n := range names {
		if keep[n] {
			list = appendNew(list, n)
		}
	}
	return list
}

// rootReads lists the names an expression reads under root (root.NAME).
func rootReads(expr hcl.Expression, root string) []string {
	if expr == nil {
		return nil
	}
	var out []string
	for _, trav := range expr.Variables() {
		if trav.RootName() != root || len(trav) < 2 {
			continue
		}
		if attr, ok := trav[1].(hcl.TraverseAttr); ok {
			out = appendNew(out, attr.Name)
		}
	}
	return out
}

// resultReads lists the calls whose result an expression reads, itself or
// through locals: any of call.NAME but its error. A call that reads only
// call.NAME.error (a fallback lookup, a log of the failure) runs after NAME
// whether NAME succeeded or failed; one that reads its result does not run
// when it failed.
func resultReads(byName map[string]*Local, expr hcl.Expression) []string {
	var out []string
	seen := map[string]bool{}
	var visit func(hcl.Expression)
	visit = func(expr hcl.Expression) {
		if expr == nil {
			return
		}
		for _, trav := range expr.Variables() {
			if len(trav) < 2 {
				continue
			}
			attr, ok := trav[1].(hcl.TraverseAttr)
			if !ok {
				continue
			}
			switch trav.RootName() {
			case "call":
				if len(trav) < 3 || !readsError(trav[2]) {
					out = appendNew(out, attr.Name)
				}
			case "local":
				if l := byName[attr.Name]; l != nil && !seen[attr.Name] {
					seen[attr.Name] = true
					visit(l.Expr)
				}
			}
		}
	}
	visit(expr)
	return out
}

// readsError: the step after call.NAME is .error (or ["error"]).
func readsError(step hcl.Traverser) bool {
	switch s := step.(type) {
	case hcl.TraverseAttr:
		return s.Name == "error"
	case hcl.TraverseIndex:
		return s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() && s.Key.AsString() == "error"
	}
	return false
}
