package policies

import "github.com/hashicorp/hcl/v2"

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
			if len(byName) == 0 {
				break
			}
			for _, name := range localsRead(c.Input) {
				needSlots, _ := localNeeds(byName, name)
				for _, s := range needSlots {
					if slots[s] {
						c.Reads = appendNew(c.Reads, s)
					}
				}
			}
		}
		for _, s := range d.Slots {
			s.ValidateCalls = callsRead(s.Validate)
			if len(byName) == 0 {
				continue
			}
			for _, name := range localsRead(s.Validate) {
				_, needCalls := localNeeds(byName, name)
				for _, c := range needCalls {
					if calls[c] {
						s.ValidateCalls = appendNew(s.ValidateCalls, c)
					}
				}
			}
		}
	}
}

// localsRead lists the locals an expression reads (nil for none).
func localsRead(expr hcl.Expression) []string {
	return rootReads(expr, "local")
}

// callsRead lists the calls an expression reads directly.
func callsRead(expr hcl.Expression) []string {
	return rootReads(expr, "call")
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
