package nlu

import "strings"

// Counted is what a number counts, as the measure word after it says:
// "一辆" counts vehicles, "25岁" is an age, "3天" a length of time. A
// dialog's number slot of one kind leaves numbers of another to the slot
// they fit (dialog: slot filling).
type Counted int

const (
	CountedAny     Counted = iota // a bare number, or 个 and the like, which count anything
	CountedObjects                // 一辆, 3件, 两台, 一张, 5 boxes
	CountedPeople                 // 3位, 两个人, 5人, 一家三口, 4 people
	CountedAge                    // 25岁, 25 years old
	CountedTime                   // 3天, 三晚, 两周, 3个月, 3 days, two weeks
)

// A Measure is what a number counts and, where a word says it, in what
// unit: "两周" and "two weeks" are time in weeks, "5 boxes" objects in boxes.
// Unit is a singular English word ("day", "night", "week", "month", "year",
// "hour", "minute", "person", "box"), or "" where the measure word names no
// unit a slot could be named for (件, 台: objects of any kind).
type Measure struct {
	Counted Counted
	Unit    string
}

// Measure words after a Chinese number, longest first where one starts
// another (个人 before 个).
var countedZh = []struct {
	word string
	m    Measure
}{
	{"个小时", Measure{CountedTime, "hour"}}, {"个钟头", Measure{CountedTime, "hour"}},
	{"个星期", Measure{CountedTime, "week"}}, {"个礼拜", Measure{CountedTime, "week"}},
	{"个晚上", Measure{CountedTime, "night"}}, {"个月", Measure{CountedTime, "month"}}, {"个人", Measure{CountedPeople, "person"}},
	{"小时", Measure{CountedTime, "hour"}}, {"钟头", Measure{CountedTime, "hour"}}, {"分钟", Measure{CountedTime, "minute"}},
	{"星期", Measure{CountedTime, "week"}}, {"礼拜", Measure{CountedTime, "week"}},
	{"周岁", Measure{CountedAge, ""}}, {"岁", Measure{CountedAge, ""}},
	{"天", Measure{CountedTime, "day"}}, {"晚", Measure{CountedTime, "night"}}, {"夜", Measure{CountedTime, "night"}},
	{"宿", Measure{CountedTime, "night"}}, {"周", Measure{CountedTime, "week"}},
	{"年", Measure{CountedTime, "year"}}, {"月", Measure{CountedTime, "month"}},
	{"人", Measure{CountedPeople, "person"}}, {"位", Measure{CountedPeople, "person"}},
	{"口", Measure{CountedPeople, "person"}}, {"名", Measure{CountedPeople, "person"}},
	{"箱", Measure{CountedObjects, "box"}}, {"袋", Measure{CountedObjects, "bag"}}, {"瓶", Measure{CountedObjects, "bottle"}},
}

// objectMeasuresZh count things: vehicles, items, machines, sheets, tables
// (the 一桌 of "帮我订一桌，6个人" is no party of one) ...
const objectMeasuresZh = "辆件台张本双只条箱份盒瓶套包袋支把部副片颗粒杯碗间架艘顶枚桌"

// unitsEn are the English words a number may count, singular and plural,
// by the unit they name.
var unitsEn = map[string]Measure{}

func init() {
	for unit, words := range map[Measure][]string{
		{CountedTime, "day"}:       {"day", "days"},
		{CountedTime, "night"}:     {"night", "nights"},
		{CountedTime, "week"}:      {"week", "weeks", "wk", "wks"},
		{CountedTime, "month"}:     {"month", "months"},
		{CountedTime, "year"}:      {"year", "years", "yr", "yrs"},
		{CountedTime, "hour"}:      {"hour", "hours", "hr", "hrs"},
		{CountedTime, "minute"}:    {"minute", "minutes", "min", "mins"},
		{CountedPeople, "person"}:  {"person", "persons", "people", "guest", "guests", "adult", "adults", "child", "children", "kid", "kids", "traveller", "travellers", "traveler", "travelers", "passenger", "passengers", "pax", "diner", "diners", "attendee", "attendees", "applicant", "applicants"},
		{CountedObjects, "box"}:    {"box", "boxes", "carton", "cartons", "crate", "crates"},
		{CountedObjects, "bag"}:    {"bag", "bags"},
		{CountedObjects, "parcel"}: {"parcel", "parcels", "package", "packages"},
		{CountedObjects, "bottle"}: {"bottle", "bottles"},
		{CountedObjects, "room"}:   {"room", "rooms"},
		{CountedObjects, "pair"}:   {"pair", "pairs"},
		{CountedObjects, "bed"}:    {"bed", "beds"},
		{CountedObjects, "seat"}:   {"seat", "seats"},
		{CountedObjects, "ticket"}: {"ticket", "tickets"},
		{CountedObjects, "car"}:    {"car", "cars"},
		{CountedObjects, ""}:       {"item", "items", "piece", "pieces", "unit", "units", "copy", "copies", "pcs"},
	} {
		for _, w := range words {
			unitsEn[w] = unit
		}
	}
}

// UnitWord is the measure an English word names ("nights", "boxes",
// "guests"), for a slot named with it.
func UnitWord(w string) (Measure, bool) {
	m, ok := unitsEn[strings.ToLower(w)]
	return m, ok
}

// CountedAfter reads the measure word right after a number that ends at
// byte end of text.
func CountedAfter(text string, end int) Counted { return MeasureAfter(text, end).Counted }

// MeasureAfter reads the measure word right after a number that ends at
// byte end of text: 天 in "租3天", "nights" in "2 nights", "day" in
// "a 3-day rental", "years old" in "25 years old" (an age, where "25 years"
// is time).
func MeasureAfter(text string, end int) Measure {
	if end < 0 || end > len(text) {
		return Measure{}
	}
	rest := text[end:]
	for _, m := range countedZh {
		if strings.HasPrefix(rest, m.word) {
			return m.m
		}
	}
	if r := firstRune(rest); r != 0 && strings.ContainsRune(objectMeasuresZh, r) {
		return Measure{Counted: CountedObjects}
	}
	trimmed := strings.TrimLeft(rest, " -")
	if len(trimmed) == len(rest) && end > 0 && isASCIILetter(text[end-1]) {
		return Measure{} // "twentyfour": no word boundary
	}
	w := trimmed[:asciiWordLen(trimmed)]
	m, ok := unitsEn[strings.ToLower(w)]
	if !ok {
		return Measure{}
	}
	if m.Unit == "year" && strings.HasPrefix(strings.ToLower(strings.TrimLeft(trimmed[len(w):], " -")), "old") {
		return Measure{Counted: CountedAge}
	}
	return m
}

// MeasureAsked reads the unit a question asks a number in: "租几天？",
// "住几晚", "How many nights?", "how many boxes are there?". It is the zero
// Measure when the question names none.
func MeasureAsked(question string) Measure {
	q := strings.ToLower(question)
	for _, ask := range []string{"几", "多少"} {
		for i := strings.Index(q, ask); i >= 0; {
			if m := MeasureAfter(q, i+len(ask)); m.Counted != CountedAny {
				return m
			}
			next := strings.Index(q[i+len(ask):], ask)
			if next < 0 {
				break
			}
			i += len(ask) + next
		}
	}
	if _, after, ok := strings.Cut(q, "how many"); ok {
		after = strings.TrimLeft(after, " ")
		if m, ok := unitsEn[after[:asciiWordLen(after)]]; ok {
			return m
		}
	}
	return Measure{}
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func asciiWordLen(s string) int {
	n := 0
	for n < len(s) && isASCIILetter(s[n]) {
		n++
	}
	return n
}
