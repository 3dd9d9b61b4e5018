package dialog

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// Slot filling with the builtin types added for issue 18: a bare number
// answers an asked money slot and fills nothing else; date_range values are
// objects with ISO start and end; an asked person slot takes a bare name.
func TestBuiltinSlotTypes(t *testing.T) {
	amount := &policies.Slot{Name: "amount", Type: "money"}
	count := &policies.Slot{Name: "count", Type: "number"}
	period := &policies.Slot{Name: "period", Type: "date_range"}
	payee := &policies.Slot{Name: "payee", Type: "person"}
	card := &policies.Slot{Name: "card", Type: "card_last4"}
	dlg := &policies.Dialog{Name: "d", Slots: []*policies.Slot{amount, count, period, payee, card}}
	msg := func(text string, ents ...nlu.Entity) *Message {
		return &Message{Text: text, NLU: nlu.Result{Text: text, Entities: ents}}
	}
	fifty := nlu.Entity{Type: "number", Value: "50", Number: 50, Text: "50"}
	lastMonth := nlu.Entity{Type: "date_range", Value: "2026-10-01/2026-10-31", Text: "last month"}
	n50, n5000 := 50.0, 5000.0
	card5000 := nlu.Entity{Type: "card_last4", Value: "5000", Text: "5000"}
	tests := []struct {
		name  string
		m     *Message
		asked *policies.Slot
		want  map[string]SlotValue
	}{
		{"a bare number answers the asked amount only", msg("50", fifty), amount,
			map[string]SlotValue{"amount": {Value: "50", Number: &n50}}},
		{"a bare number fills a number slot when no amount was asked", msg("50", fifty), nil,
			map[string]SlotValue{"count": {Value: "50", Number: &n50}}},
		{"a date range", msg("charges from last month", lastMonth), nil,
			map[string]SlotValue{"period": {Value: "2026-10-01/2026-10-31", Range: &DateRange{Start: "2026-10-01", End: "2026-10-31"}}}},
		{"an asked person slot takes a bare name", msg("Karen Smith"), payee,
			map[string]SlotValue{"payee": {Value: "Karen Smith"}}},
		{"an asked person slot takes a bare Chinese name", msg("王小明"), payee,
			map[string]SlotValue{"payee": {Value: "王小明"}}},
		{"an asked person slot does not take a sentence", msg("I want a refund please"), payee, map[string]SlotValue{}},
		// A bot's four-digit pattern entity took "5000" from the NLU; read
		// whole as the asked amount, it must not also change the card.
		{"an answer read whole as the asked amount fills nothing else", msg("5000", card5000), amount,
			map[string]SlotValue{"amount": {Value: "5000", Number: &n5000}}},
		{"the pattern entity fills its slot when no amount was asked", msg("5000", card5000), nil,
			map[string]SlotValue{"card": {Value: "5000"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &decider{bot: &policies.Bot{}}
			got := map[string]SlotValue{}
			for _, c := range d.extract(dlg, nil, tc.m, tc.asked) {
				got[c.slot.Name] = c.value
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("extract (-want +got):\n%s", diff)
			}
		})
	}
	v := SlotValue{Value: "2026-10-01/2026-10-31", Range: &DateRange{Start: "2026-10-01", End: "2026-10-31"}}.cty()
	if !v.Type().Equals(policies.DateRangeType) || v.GetAttr("start").AsString() != "2026-10-01" {
		t.Errorf("date_range value = %#v, want an object of type %#v", v, policies.DateRangeType)
	}
	if got := entityValues([]nlu.Entity{lastMonth})["date_range"]; !got.Type().Equals(policies.DateRangeType) {
		t.Errorf("entity.date_range = %#v", got)
	}
}
