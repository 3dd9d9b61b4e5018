package policies

import (
	"github.com/hashicorp/hcl/v2"
)

// checkCallsWaitForOptional warns about a dialog's call whose input reads an
// optional slot. A call runs once every slot its input reads is filled, and
// the bot never asks an optional slot, so the call runs only when a customer
// happens to give the value; until then everything that reads its result
// fails or is false. The bot validated and every test that gave the value
// passed, while "is CA1234 on time?" got the error reply. A warning, so bots
// that validate today keep validating.
func (c *checker) checkCallsWaitForOptional() {
	warned := map[hcl.Range]bool{}
	for _, dlg := range c.bot.Dialogs {
		optional := map[string]bool{}
		for _, s := range dlg.Slots {
			if s != nil && s.Optional && s.Default == nil {
				optional[s.Name] = true
			}
		}
		if len(optional) == 0 {
			continue
		}
		for _, cl := range dlg.Calls {
			if cl == nil || cl.Input == nil {
				continue
			}
			for _, trav := range cl.Input.Variables() {
				if trav.RootName() != "slot" || len(trav) < 2 {
					continue
				}
				attr, ok := trav[1].(hcl.TraverseAttr)
				rng := trav.SourceRange()
				if !ok || !optional[attr.Name] || warned[rng] {
					continue
				}
				warned[rng] = true
				c.warnf(rng, "Call waits for an optional slot",
					"Call %q of dialog %q runs once every slot its input reads is filled, and the dialog never asks for the optional slot %q: the call runs only when a customer happens to give it, and until then call.%s has no result (a message that reads it says the error reply, a condition on it is false). To run the call without the value, read the slot through a local, which does not make the call wait: write local.%s_or_null in its place, with %s_or_null = slot.%s in a locals block. Or drop optional = true, so that the bot asks for it.",
					cl.Name, dlg.Name, attr.Name, cl.Name, attr.Name, attr.Name, attr.Name)
			}
		}
	}
}
