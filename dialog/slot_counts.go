package dialog

import (
	"strings"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// A number slot counts something its name says: days and nights are time,
// an age is an age, guests and travellers are people, a quantity counts
// things. A number whose measure word counts something else (nlu.CountedAfter)
// is not its value: "取一辆小车，我25岁" asked how many days gives neither the
// 一 of 一辆 (a car) nor 25岁 (an age), and the age takes 25. A bare number,
// or one of a slot whose name says nothing, fills it as before.

var countedByNameWord = map[string]nlu.Counted{
	"day": nlu.CountedTime, "days": nlu.CountedTime, "night": nlu.CountedTime, "nights": nlu.CountedTime,
	"week": nlu.CountedTime, "weeks": nlu.CountedTime, "month": nlu.CountedTime, "months": nlu.CountedTime,
	"hour": nlu.CountedTime, "hours": nlu.CountedTime, "duration": nlu.CountedTime,
	"age":    nlu.CountedAge,
	"people": nlu.CountedPeople, "persons": nlu.CountedPeople, "guests": nlu.CountedPeople, "adults": nlu.CountedPeople,
	"children": nlu.CountedPeople, "kids": nlu.CountedPeople, "party": nlu.CountedPeople, "travellers": nlu.CountedPeople,
	"travelers": nlu.CountedPeople, "passengers": nlu.CountedPeople, "applicants": nlu.CountedPeople, "pax": nlu.CountedPeople,
	"headcount": nlu.CountedPeople, "attendees": nlu.CountedPeople, "diners": nlu.CountedPeople,
	"quantity": nlu.CountedObjects, "qty": nlu.CountedObjects, "items": nlu.CountedObjects, "pieces": nlu.CountedObjects,
	"units": nlu.CountedObjects, "copies": nlu.CountedObjects,
}

// slotCounts reads what a number slot counts from its name (party_size,
// rental_days, driver_age), or nlu.CountedAny.
func slotCounts(s *policies.Slot) nlu.Counted {
	for _, w := range strings.FieldsFunc(strings.ToLower(s.Name), func(r rune) bool { return r == '_' || r == '-' }) {
		if c, ok := countedByNameWord[w]; ok {
			return c
		}
	}
	return nlu.CountedAny
}

// countsOther reports whether number entity e of text counts something other
// than what slot s counts.
func countsOther(s *policies.Slot, text string, e nlu.Entity) bool {
	if s.Type != "number" || e.Type != "number" {
		return false
	}
	want := slotCounts(s)
	if want == nlu.CountedAny {
		return false
	}
	got := nlu.CountedAfter(text, e.End)
	return got != nlu.CountedAny && got != want
}
