package dialog

import (
	"slices"
	"strings"
	"unicode"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// Two slots of one type (from_city and to_city, both a city) are told apart
// by the words around a value: "from Shanghai", "从上海", "上海出发" name the
// departure; "to Beijing", "到北京", "去北京", "飞往北京" the arrival; and in
// "上海到北京" or "Shanghai to Beijing" the first is the departure. Which
// slot is which comes from its name (from, origin, departure ...; to,
// destination, arrival ...), else from the order the slots are declared in:
// the first is the departure, the last the arrival. A value with no such word
// fills the slots as any other value does.

type slotRole int

const (
	roleNone slotRole = iota
	roleFrom
	roleTo
)

var (
	fromNameWords = map[string]bool{"from": true, "origin": true, "departure": true, "depart": true, "departing": true,
		"start": true, "source": true, "pickup": true, "leaving": true, "outbound": true}
	toNameWords = map[string]bool{"to": true, "dest": true, "destination": true, "arrival": true, "arrive": true,
		"arriving": true, "end": true, "dropoff": true, "target": true}
	fromWordsEN = map[string]bool{"from": true}
	toWordsEN   = map[string]bool{"to": true, "into": true, "towards": true, "until": true, "till": true}
	// Chinese words before a value: from (从上海), and to (到北京, 飞往北京).
	fromWordsZh = []string{"从", "由", "自"}
	toWordsZh   = []string{"飞往", "前往", "开往", "到", "去", "往", "至", "飞"}
	// Chinese words after a value that make it the departure: 上海出发.
	fromAfterZh = []string{"出发", "起飞", "始发", "发车"}
)

// roleSlots returns the departure and the arrival slot among the dialog's
// slots of type typ, or nils when it has fewer than two.
func roleSlots(dlg *policies.Dialog, typ string) (from, to *policies.Slot) {
	switch typ {
	case "number", "money", "yes_no", "text":
		return nil, nil // "up to 5", "2 to 3 people": counts and amounts are no places
	}
	var same []*policies.Slot
	for _, s := range dlg.Slots {
		if s != nil && s.Type == typ {
			same = append(same, s)
		}
	}
	if len(same) < 2 {
		return nil, nil
	}
	for _, s := range same {
		switch nameRole(s.Name) {
		case roleFrom:
			if from == nil {
				from = s
			}
		case roleTo:
			if to == nil {
				to = s
			}
		}
	}
	for _, s := range same {
		if from == nil && s != to {
			from = s
		}
	}
	for i := len(same) - 1; i >= 0; i-- {
		if to == nil && same[i] != from {
			to = same[i]
		}
	}
	return from, to
}

// nameRole reads a slot's name: from_city is a departure, to_city and
// destination an arrival.
func nameRole(name string) slotRole {
	role := roleNone
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '_' || r == '-' }) {
		switch {
		case fromNameWords[w]:
			role = roleFrom
		case toNameWords[w]:
			role = roleTo
		}
	}
	return role
}

// entityRole reads the words around entity i of the message: a departure,
// an arrival, or neither.
func entityRole(text string, ents []nlu.Entity, i int) slotRole {
	e := ents[i]
	if e.Start < 0 || e.End > len(text) || e.Start > e.End {
		return roleNone
	}
	before := strings.TrimRightFunc(strings.ToLower(text[:e.Start]), unicode.IsSpace)
	after := strings.TrimLeftFunc(strings.ToLower(text[e.End:]), unicode.IsSpace)
	if w := lastWord(before); fromWordsEN[w] {
		return roleFrom
	} else if toWordsEN[w] {
		return changedTo(ents, i, strings.TrimSuffix(before, w))
	}
	for _, w := range fromWordsZh {
		if strings.HasSuffix(before, w) {
			return roleFrom
		}
	}
	for _, w := range toWordsZh {
		if strings.HasSuffix(before, w) {
			return changedTo(ents, i, strings.TrimSuffix(before, w))
		}
	}
	for _, w := range fromAfterZh {
		if strings.HasPrefix(after, w) {
			return roleFrom
		}
	}
	// "上海到北京", "Shanghai to Beijing": the value before the other's "to".
	for j := i + 1; j < len(ents); j++ {
		if ents[j].Type == e.Type && ents[j].Start >= e.End {
			if entityRole(text, ents, j) == roleTo && joinsOnlyTo(text[e.End:ents[j].Start]) {
				return roleFrom
			}
			break
		}
	}
	return roleNone
}

// changedTo reads the "to" of a change: "出发地改到杭州", "入住日期改到9号",
// "move the departure to Dec 22" change the departure, which the clause
// names before its change verb; any other "to" is the arrival. before is the
// message's text up to the "to" word, lower-case.
func changedTo(ents []nlu.Entity, i int, before string) slotRole {
	before = strings.TrimRightFunc(before, unicode.IsSpace)
	// The clause: back to the last punctuation.
	start := strings.LastIndexFunc(before, func(r rune) bool { return unicode.IsPunct(r) && r != '-' && r != '\'' })
	clause := before[start+1:]
	changes := slices.ContainsFunc(changeVerbsZh, func(v string) bool { return strings.HasSuffix(clause, v) }) ||
		slices.ContainsFunc(strings.Fields(clause), func(w string) bool { return changeVerbsEN[w] })
	if !changes {
		return roleTo
	}
	// "上海出发改到北京" names the departure's value: the change is the arrival.
	for j, e := range ents {
		if j != i && e.Type == ents[i].Type && e.Start > start && e.End <= len(before) {
			return roleTo
		}
	}
	for _, w := range departureWords {
		if strings.Contains(clause, w) {
			return roleFrom
		}
	}
	return roleTo
}

var (
	changeVerbsZh = []string{"改", "换", "调", "挪", "推迟", "提前", "延", "延期", "延后", "变更", "修改"}
	changeVerbsEN = map[string]bool{"change": true, "changed": true, "move": true, "moved": true, "switch": true,
		"update": true, "postpone": true, "reschedule": true, "push": true, "bring": true, "set": true, "amend": true}
	// Words that name the departure slot in a change ("出发地", "入住日期", "the
	// departure city", "check-in").
	departureWords = []string{"出发", "起飞", "去程", "启程", "始发", "入住", "取车", "起点",
		"departure", "depart", "leaving", "outbound", "origin", "check-in", "check in", "pickup", "pick-up", "start"}
)

// joinsOnlyTo reports whether the text between two values is a "to" word
// alone: "到", " to ", "飞往".
func joinsOnlyTo(between string) bool {
	w := strings.TrimSpace(strings.ToLower(between))
	return toWordsEN[w] || slices.Contains(toWordsZh, w)
}

func lastWord(s string) string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) || r > unicode.MaxASCII })
	if len(fields) == 0 || !strings.HasSuffix(s, fields[len(fields)-1]) {
		return ""
	}
	return fields[len(fields)-1]
}

// entityOwners gives each entity of the message the slot its words name, or
// nil: entities of a type two slots of the dialog share, marked by a
// preposition.
func entityOwners(dlg *policies.Dialog, m *Message) []*policies.Slot {
	var owners []*policies.Slot
	for i, e := range m.NLU.Entities {
		from, to := roleSlots(dlg, e.Type)
		if from == nil {
			continue
		}
		var owner *policies.Slot
		switch entityRole(m.Text, m.NLU.Entities, i) {
		case roleFrom:
			owner = from
		case roleTo:
			owner = to
		}
		if owner == nil {
			continue
		}
		if owners == nil {
			owners = make([]*policies.Slot, len(m.NLU.Entities))
		}
		owners[i] = owner
	}
	return owners
}

func ownerOf(owners []*policies.Slot, i int) *policies.Slot {
	if owners == nil {
		return nil
	}
	return owners[i]
}
