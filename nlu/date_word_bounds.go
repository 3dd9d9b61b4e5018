package nlu

import (
	"strings"
	"unicode/utf8"
)

// A Chinese relative-date word (今早, 明天, 后天) can be two halves of two
// other words: 如今|早已, 说明|天数, 售后|天数. It is no date when its first
// character ends a word begun before it and its second begins a word after
// it. One side alone is not enough: "你说明天送" says tomorrow, and "今晚点
// 外卖" orders tonight.

// relativeWordHeads are words that end in the first character of a
// relative-date word.
var relativeWordHeads = map[string][]string{
	"今": {"如今", "至今", "迄今", "当今", "现今", "而今", "古今", "距今", "于今"},
	"明": {"说明", "证明", "表明", "标明", "注明", "写明", "声明", "查明", "发明", "聪明", "光明", "文明", "透明",
		"简明", "分明", "鲜明", "阐明", "指明", "载明", "英明", "高明", "精明", "清明", "黎明", "开明", "不明",
		"讲明", "言明", "申明", "点明", "挑明"},
	"前": {"之前", "以前", "目前", "当前", "提前", "事前", "眼前", "面前", "先前", "从前", "此前", "跟前", "日前",
		"向前", "往前", "门前"},
	"后": {"之后", "以后", "然后", "最后", "随后", "先后", "落后", "背后", "今后", "此后", "日后", "前后", "事后",
		"过后", "往后", "向后", "售后", "善后"},
}

// relativeWordTails are words that begin with the second character of a
// relative-date word.
var relativeWordTails = map[string][]string{
	"天": {"天气", "天数", "天然", "天空", "天天", "天下", "天生", "天才", "天地", "天使", "天真", "天堂", "天猫", "天津"},
	"日": {"日期", "日子", "日后", "日常", "日本", "日志", "日记", "日历", "日报", "日用", "日夜", "日益", "日元"},
	"早": {"早已", "早就", "早上", "早晨", "早点", "早日", "早些", "早餐", "早饭", "早期", "早晚", "早安"},
	"晚": {"晚点", "晚上", "晚到", "晚了", "晚饭", "晚餐", "晚安", "晚些", "晚期"},
	"儿": {"儿童", "儿子", "儿女"},
}

// relativeWordSplit reports whether the relative-date word at s[start:end]
// is the end of one word and the start of the next (如今早已).
func relativeWordSplit(s string, start, end int) bool {
	first, n := utf8.DecodeRuneInString(s[start:])
	if start+n >= end {
		return false
	}
	if !endsWithAny(s[:start+n], relativeWordHeads[string(first)]) {
		return false
	}
	second, _ := utf8.DecodeRuneInString(s[start+n:])
	for _, w := range relativeWordTails[string(second)] {
		if strings.HasPrefix(s[start+n:], w) {
			return true
		}
	}
	return false
}

func endsWithAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// weekdayCounts reports whether the text after 周一 … 周日 makes it a count
// of times a week ("一周一次", "两周三回"), not a weekday.
func weekdayCounts(after string) bool {
	r, _ := utf8.DecodeRuneInString(after)
	return after != "" && strings.ContainsRune("次回遍趟", r)
}
