package dialog

import (
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// A bare number ("1.2k", "一千五") may be an amount or a count. These decide
// between a dialog's number slots and its money slot by what each would take.

// numberSlotTakes reports whether some number slot of the dialog takes the
// number: it counts what the slot counts and passes its validate.
func (d *decider) numberSlotTakes(dlg *policies.Dialog, m *Message, e nlu.Entity) bool {
	for _, s := range dlg.Slots {
		if s == nil || s.Type != "number" {
			continue
		}
		if v, counts := countedValue(s, "", m.Text, e); counts && d.validNow(dlg, s, v) {
			return true
		}
	}
	return false
}

// leftForAmount reports whether a number the number slot s refuses is better
// left to an empty money slot of the dialog that would take it, when that
// slot's question comes, than refused with s's invalid message.
func (d *decider) leftForAmount(dlg *policies.Dialog, s *policies.Slot, e nlu.Entity, filled func(*policies.Slot) bool) bool {
	if s.Type != "number" || e.Type != "number" {
		return false
	}
	for _, o := range dlg.Slots {
		if o != nil && o.Type == "money" && !filled(o) && d.validNow(dlg, o, entityValue(e)) {
			return true
		}
	}
	return false
}
