package dialog

import (
	"strconv"
	"strings"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// A number slot counts something its name says: days and nights are time,
// an age is an age, guests and travellers are people, a quantity counts
// things, boxes count boxes. A slot whose name says nothing is read by the
// question that asks it ("租几天？", "How many nights?"). A number whose
// measure word counts something else (nlu.MeasureAfter) is not its value:
// "取一辆小车，我25岁" asked how many days gives neither the 一 of 一辆 (a
// car) nor 25岁 (an age), and the age takes 25; "5 boxes" is not a number of
// bags. Weeks asked in days or nights are 7 of them ("租一周", "for two
// weeks"); a month, a year or an hour, of no fixed number of days, is no
// number of days. A bare number, or one of a slot nothing names, fills it
// as before.

// measureByNameWord are the words of slot names that say what they count
// beside the units nlu.UnitWord knows (days, nights, guests, boxes ...).
var measureByNameWord = map[string]nlu.Measure{
	"duration": {Counted: nlu.CountedTime},
	"age":      {Counted: nlu.CountedAge},
	"party":    {Counted: nlu.CountedPeople}, "headcount": {Counted: nlu.CountedPeople},
	"quantity": {Counted: nlu.CountedObjects}, "qty": {Counted: nlu.CountedObjects},
}

// notSlotUnits are unit words that name something else in a slot's name:
// min_age, unit_price, item_id.
var notSlotUnits = map[string]bool{
	"min": true, "mins": true, "hr": true, "hrs": true, "yr": true, "yrs": true, "wk": true, "wks": true,
	"pcs": true, "unit": true, "item": true, "piece": true, "copy": true,
}

// slotMeasure reads what a number slot counts from its name (party_size,
// rental_days, driver_age, boxes), or, for the slot being asked, from its
// question; the zero Measure when neither says.
func slotMeasure(s *policies.Slot, question string) nlu.Measure {
	for _, w := range strings.FieldsFunc(strings.ToLower(s.Name), func(r rune) bool { return r == '_' || r == '-' }) {
		if m, ok := measureByNameWord[w]; ok {
			return m
		}
		if m, ok := nlu.UnitWord(w); ok && !notSlotUnits[w] {
			return m
		}
	}
	if question != "" {
		return nlu.MeasureAsked(question)
	}
	return nlu.Measure{}
}

// perDay is how many of a slot's unit of days one of the number's unit
// makes: 7 for weeks asked as days or nights, 1 for days or nights; 0 for
// a unit of no fixed number of days (months, years, hours).
func perDay(got string) float64 {
	switch got {
	case "", "day", "night":
		return 1
	case "week":
		return 7
	}
	return 0
}

// countedValue is the value number entity e of text gives slot s, asked
// with question ("" when another is asked): its number, in the slot's unit
// where the two are units of days ("租一周" asked in days is 7), and false
// when it counts something other than the slot does.
func countedValue(s *policies.Slot, question, text string, e nlu.Entity) (SlotValue, bool) {
	v := entityValue(e)
	if s.Type != "number" || e.Type != "number" {
		return v, true
	}
	want := slotMeasure(s, question)
	if want.Counted == nlu.CountedAny {
		return v, true
	}
	got := nlu.MeasureAfter(text, e.End)
	switch {
	case got.Counted == nlu.CountedAny:
		return v, true
	case got.Counted != want.Counted:
		return v, false
	case want.Unit == "day" || want.Unit == "night":
		k := perDay(got.Unit)
		if k == 0 {
			return v, false
		}
		if k != 1 && v.Number != nil {
			n := *v.Number * k
			v = SlotValue{Value: strconv.FormatFloat(n, 'f', -1, 64), Number: &n}
		}
		return v, true
	case want.Counted == nlu.CountedObjects:
		// Boxes are no bags; an item or a piece is any of them.
		return v, want.Unit == "" || got.Unit == "" || want.Unit == got.Unit
	}
	return v, true
}
