package policies

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// checkInvalidReadsCheckingCall warns about a slot's invalid message whose own
// texts read a call that reads the slot. Such a call answers only about a
// value it checked ("the 26th is full; the 27th is free"); the same message
// is said for an answer with no value of the slot's type ("whenever" to "What
// time?"), where the call has no result: the message can't be said, and the
// customer only hears the question again. Texts of a case are
// fine: a case whose when reads the call does not hold without a result. A
// warning, so bots that validate today keep validating.
func (c *checker) checkInvalidReadsCheckingCall() {
	warned := map[string]bool{}
	for _, dlg := range c.bot.Dialogs {
		for _, s := range dlg.Slots {
			if s == nil || s.Invalid == nil {
				continue
			}
			checking := map[string]bool{}
			for _, cl := range dlg.Calls {
				if cl != nil && cl.Input != nil && slices.Contains(slotReads(cl.Input), s.Name) {
					checking[cl.Name] = true
				}
			}
			if len(checking) == 0 {
				continue
			}
			for _, lang := range sortedKeys(s.Invalid.Variants) {
				for _, text := range s.Invalid.Variants[lang] {
					for _, trav := range text.Variables() {
						if trav.RootName() != "call" || len(trav) < 2 {
							continue
						}
						attr, ok := trav[1].(hcl.TraverseAttr)
						if !ok || !checking[attr.Name] {
							continue
						}
						// One warning per text and slot, at its first read of the call.
						rng := trav.SourceRange()
						key := fmt.Sprintf("%s|%s|%s", text.Range(), dlg.Name, s.Name)
						if warned[key] {
							continue
						}
						warned[key] = true
						c.warnf(rng, "Invalid message reads the call that checks the value",
							"The invalid message of slot %q in dialog %q (%s) reads call.%s, which has a result only once it has checked a value. The same message is said for an answer with no value of the slot's type at all, where the call has no result: the message can't be said, so the customer only hears the slot's question again. Write what reads call.%s in a case whose when asks about it (when = call.%s.%s != null, say), and keep the message's own text for answers with no value.",
							s.Name, dlg.Name, s.Range, attr.Name, attr.Name, attr.Name, fieldOr(trav, "error"))
					}
				}
			}
		}
	}
}

// fieldOr is the field a call traversal reads (call.NAME.FIELD), else def.
func fieldOr(trav hcl.Traversal, def string) string {
	if len(trav) > 2 {
		if attr, ok := trav[2].(hcl.TraverseAttr); ok {
			return attr.Name
		}
	}
	return def
}
