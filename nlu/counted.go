package nlu

import "strings"

// Counted is what a number counts, as the measure word after it says:
// "一辆" counts vehicles, "25岁" is an age, "3天" a length of time. A
// dialog's number slot of one kind leaves numbers of another to the slot
// they fit (dialog: slot filling).
type Counted int

const (
	CountedAny     Counted = iota // a bare number, or 个 and the like, which count anything
	CountedObjects                // 一辆, 3件, 两台, 一张
	CountedPeople                 // 3位, 两个人, 5人, 一家三口
	CountedAge                    // 25岁
	CountedTime                   // 3天, 三晚, 两周, 3个月
)

// Measure words after a Chinese number, longest first where one starts
// another (个人 before 个).
var countedZh = []struct {
	word string
	kind Counted
}{
	{"个小时", CountedTime}, {"个钟头", CountedTime}, {"个星期", CountedTime}, {"个礼拜", CountedTime},
	{"个晚上", CountedTime}, {"个月", CountedTime}, {"个人", CountedPeople},
	{"小时", CountedTime}, {"钟头", CountedTime}, {"分钟", CountedTime}, {"星期", CountedTime}, {"礼拜", CountedTime},
	{"周岁", CountedAge}, {"岁", CountedAge},
	{"天", CountedTime}, {"晚", CountedTime}, {"夜", CountedTime}, {"宿", CountedTime}, {"周", CountedTime},
	{"年", CountedTime}, {"月", CountedTime},
	{"人", CountedPeople}, {"位", CountedPeople}, {"口", CountedPeople}, {"名", CountedPeople},
}

// objectMeasuresZh count things: vehicles, items, machines, sheets, tables
// (the 一桌 of "帮我订一桌，6个人" is no party of one) ...
const objectMeasuresZh = "辆件台张本双只条箱份盒瓶套包袋支把部副片颗粒杯碗间架艘顶枚桌"

// CountedAfter reads the measure word right after a number that ends at
// byte end of text.
func CountedAfter(text string, end int) Counted {
	if end < 0 || end > len(text) {
		return CountedAny
	}
	rest := text[end:]
	for _, m := range countedZh {
		if strings.HasPrefix(rest, m.word) {
			return m.kind
		}
	}
	if r := firstRune(rest); r != 0 && strings.ContainsRune(objectMeasuresZh, r) {
		return CountedObjects
	}
	return CountedAny
}
