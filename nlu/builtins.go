package nlu

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// builtinCandidates appends the builtin entities always extracted: number,
// money, email, phone, date, date_range, person and yes_no.
func builtinCandidates(dst []candidate, t *normText, now time.Time) []candidate {
	first := len(dst)
	dst = numberCandidates(dst, t.lower)
	dst = moneyCandidates(dst, t.lower, first)
	if strings.IndexByte(t.lower, '@') >= 0 {
		for _, m := range reEmail.FindAllStringIndex(t.lower, -1) {
			dst = append(dst, candidate{start: m[0], end: m[1], rank: rankEmail,
				ent: Entity{Type: "email", Value: t.lower[m[0]:m[1]]}})
		}
	}
	dst = phoneCandidates(dst, t.norm)
	dst = dateCandidates(dst, t.lower, now)
	dst = dateRangeCandidates(dst, t.lower, now)
	dst = personCandidates(dst, t)
	dst = yesNoCandidates(dst, t.lower)
	return dst
}

var reEmail = regexp.MustCompile(`[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}`)

// formatNumber writes a number the way a customer would: no exponent, no
// trailing zeros.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// ---- number ----

var enUnits = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var enTens = map[string]float64{
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var enScales = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6}

var zhDigits = map[rune]float64{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
	'俩': 2, '仨': 3, // spoken: 俩人 (two people), 我们仨 (the three of us)
}

var zhUnits = map[rune]float64{'十': 10, '百': 100, '千': 1000, '万': 1e4, '亿': 1e8}

// zhNotNumberAfter lists characters that turn a lone 一 into a word, not a
// count: 一下 (a moment), 一些 (some), 一直 (always)...
const zhNotNumberAfter = "下些直样起定般切旦向再致共边会点半方"

// familyCountFollows reports whether s begins with a count of people, as
// after 一家 in 一家三口 or 一家5个人.
func familyCountFollows(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if r >= '0' && r <= '9' {
		return true
	}
	_, ok := zhDigits[r]
	return ok
}

func numberCandidates(dst []candidate, s string) []candidate {
	// Digits: "42", "1,280", "499.00", "3万".
	for i := 0; i < len(s); {
		if !isDigitByte(s[i]) {
			i++
			continue
		}
		if i > 0 && (isAlnumByte(s[i-1]) || s[i-1] == '.' || s[i-1] == '_') && !hasCurrencyCodeBefore(s[:i]) {
			for i < len(s) && (isAlnumByte(s[i]) || s[i] == '.') {
				i++
			}
			continue
		}
		j := i
		for j < len(s) && isDigitByte(s[j]) {
			j++
		}
		if j-i <= 3 {
			for j+3 < len(s) && s[j] == ',' && isDigitByte(s[j+1]) && isDigitByte(s[j+2]) && isDigitByte(s[j+3]) &&
				(j+4 == len(s) || !isDigitByte(s[j+4])) {
				j += 4
			}
		}
		if j+1 < len(s) && s[j] == '.' && isDigitByte(s[j+1]) {
			j++
			for j < len(s) && isDigitByte(s[j]) {
				j++
			}
		}
		// "2k", "£1.5k": thousands, as customers write amounts.
		thousands := j < len(s) && (s[j] == 'k' || s[j] == 'K') && (j+1 == len(s) || !isAlnumByte(s[j+1]))
		if !thousands && j < len(s) && isAlnumByte(s[j]) && !hasOrdinalSuffix(s[j:]) && !hasCurrencyWord(s[j:]) {
			// "5g", "ab12cd": part of a code, not a number.
			for j < len(s) && isAlnumByte(s[j]) {
				j++
			}
			i = j
			continue
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(s[i:j], ",", ""), 64)
		if thousands {
			v *= 1000
			j++
		}
		if err == nil && !math.IsInf(v, 0) {
			if r, n := utf8.DecodeRuneInString(s[j:]); r == '万' || r == '千' || r == '百' || r == '亿' {
				v *= zhUnits[r]
				j += n
				// Smaller places written out follow: 1万2千 is 12000 and
				// 3千5百 3500, not two numbers.
				for last := zhUnits[r]; ; {
					k := j
					for k < len(s) && isDigitByte(s[k]) {
						k++
					}
					u, un := utf8.DecodeRuneInString(s[k:])
					uv := zhUnits[u]
					if k == j || k-j > 3 || u == '十' || uv == 0 || uv >= last {
						break
					}
					d, _ := strconv.ParseFloat(s[j:k], 64)
					v += d * uv
					j, last, r = k+un, uv, u
				}
				// A single digit after the unit is the next place, as in
				// 三百五: 2千5 is 2500 and 1万2 is 12000, not 2000 and a 5.
				if d, dn, ok := trailingPlaceDigit(s[j:]); ok {
					v += d * zhUnits[r] / 10
					j += dn
				}
			}
			if math.IsInf(v, 0) {
				i = j
				continue
			}
			dst = append(dst, candidate{start: i, end: j, rank: rankNumber, ent: Entity{Type: "number", Value: formatNumber(v), Number: v}})
		}
		i = j
	}
	dst = englishNumberCandidates(dst, s)
	return chineseNumberCandidates(dst, s)
}

// trailingPlaceDigit reads the one digit that may follow a number's unit
// (the 5 of 2千5), Arabic or Chinese, when nothing numeric follows it: 3万5千
// and 2千50 are left alone.
func trailingPlaceDigit(s string) (float64, int, bool) {
	r, n := utf8.DecodeRuneInString(s)
	var d float64
	switch {
	case r >= '1' && r <= '9':
		d = float64(r - '0')
	case r != '零' && r != '〇' && zhDigits[r] > 0:
		d = zhDigits[r]
	default:
		return 0, 0, false
	}
	if next, _ := utf8.DecodeRuneInString(s[n:]); (next >= '0' && next <= '9') || next == '.' || next == ',' || isZhNumeral(next) || next == '点' {
		return 0, 0, false
	}
	return d, n, true
}

func hasOrdinalSuffix(s string) bool {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasPrefix(s, suf) && (len(s) == len(suf) || !isAlnumByte(s[len(suf)])) {
			return true
		}
	}
	return false
}

func hasCurrencyWord(s string) bool {
	for _, c := range currencySuffixes {
		if c.word && strings.HasPrefix(s, c.text) && (len(s) == len(c.text) || !isAlnumByte(s[len(c.text)])) {
			return true
		}
	}
	return false
}

// hasCurrencyCodeBefore reports whether s ends with a currency code written
// as a word of its own, as in "GBP350" and "usd20", where the number is
// joined to it.
func hasCurrencyCodeBefore(s string) bool {
	for _, c := range currencyPrefixes {
		if c.word && strings.HasSuffix(s, c.text) && wordBoundaryBefore(s, len(s)-len(c.text)) {
			return true
		}
	}
	return false
}

// pronounOneAfter are the words after which "one" stands for a thing
// already named ("the same one", "which one", "a new one") rather than
// counting: read as 1, "use the same one" filled a number slot with 1.
var pronounOneAfter = map[string]bool{
	"the": true, "this": true, "that": true, "which": true, "another": true, "each": true, "every": true,
	"no": true, "any": true, "same": true, "other": true, "new": true, "old": true, "right": true, "wrong": true,
	"last": true, "first": true, "next": true, "previous": true, "usual": true, "current": true,
	"little": true, "big": true, "small": true,
}

// timeUnitWords are the units of a length of time.
var timeUnitWords = map[string]bool{
	"second": true, "seconds": true, "minute": true, "minutes": true, "min": true, "mins": true,
	"hour": true, "hours": true, "hrs": true, "day": true, "days": true, "week": true, "weeks": true,
	"month": true, "months": true, "year": true, "years": true,
}

// notCountedWords follow "a couple of" where it counts no goods, people or
// nights a slot asks for: "I've called a couple of times", "a couple of
// questions" are said in passing, and read as 2 they filled a quantity
// nobody gave.
var notCountedWords = map[string]bool{
	"time": true, "times": true, "question": true, "questions": true, "queries": true, "issues": true,
	"problems": true, "concerns": true, "reasons": true, "ways": true, "options": true, "calls": true,
	"emails": true, "messages": true, "attempts": true, "tries": true, "occasions": true,
}

// englishNumberCandidates reads "twenty five", "two hundred and ten", "one".
func englishNumberCandidates(dst []candidate, s string) []candidate {
	toks := scanTokens(nil, s, nil)
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != tokWord {
			continue
		}
		if _, ok := enScales[toks[i].text]; ok {
			continue
		}
		// "a couple of shirts" is two, as customers count them; "a couple
		// of days" is a length of time, and "a couple of times" no count
		// of things.
		if toks[i].text == "couple" && i+2 < len(toks) && toks[i+1].text == "of" && toks[i+2].kind == tokWord &&
			onlySpaces(s[toks[i].end:toks[i+1].start]) && onlySpaces(s[toks[i+1].end:toks[i+2].start]) && !timeUnitWords[toks[i+2].text] && !notCountedWords[toks[i+2].text] {
			start := toks[i].start
			if i > 0 && toks[i-1].text == "a" && onlySpaces(s[toks[i-1].end:toks[i].start]) {
				start = toks[i-1].start
			}
			dst = append(dst, candidate{start: start, end: toks[i+1].end, rank: rankNumber,
				ent: Entity{Type: "number", Value: "2", Number: 2}})
			i++
			continue
		}
		if articleCountsTime(toks, i, s) {
			dst = append(dst, candidate{start: toks[i].start, end: toks[i].end, rank: rankNumber,
				ent: Entity{Type: "number", Value: "1", Number: 1}})
			continue
		}
		var total, cur float64
		last := "" // kind of the previous word: unit, teen, ten, scale
		end, j := -1, i
		// "a hundred", "a thousand": the article is the count.
		if w := toks[i].text; (w == "a" || w == "an") && i+1 < len(toks) && toks[i+1].kind == tokWord && onlySpaces(s[toks[i].end:toks[i+1].start]) {
			if _, ok := enScales[toks[i+1].text]; ok {
				cur, last, end, j = 1, "unit", i, i+1
			}
		}
		// "a couple hundred flyers" is two hundred, as "a couple of" is two.
		if k := i; end < 0 {
			if toks[k].text == "a" && k+1 < len(toks) && onlySpaces(s[toks[k].end:toks[k+1].start]) {
				k++
			}
			if toks[k].text == "couple" && k+1 < len(toks) && toks[k+1].kind == tokWord && onlySpaces(s[toks[k].end:toks[k+1].start]) {
				if _, ok := enScales[toks[k+1].text]; ok {
					cur, last, end, j = 2, "unit", k, k+1
				}
			}
		}
		for ; j < len(toks); j++ {
			w := toks[j].text
			if j > i && strings.Trim(s[toks[j-1].end:toks[j].start], " -") != "" {
				break
			}
			if toks[j].kind != tokWord {
				break
			}
			if w == "and" && last == "scale" {
				continue
			}
			if v, ok := enUnits[w]; ok {
				if last == "unit" || last == "teen" || last == "ten" && v >= 10 {
					break
				}
				cur += v
				if v >= 10 {
					last = "teen"
				} else {
					last = "unit"
				}
			} else if v, ok := enTens[w]; ok {
				if last == "unit" || last == "teen" || last == "ten" {
					break
				}
				cur += v
				last = "ten"
			} else if v, ok := enScales[w]; ok {
				if last == "" || last == "scale" && v == 100 {
					break
				}
				if v == 100 {
					cur *= v
				} else {
					total += cur * v
					cur = 0
				}
				last = "scale"
			} else {
				break
			}
			end = j
		}
		if end < 0 {
			continue
		}
		if end == i && toks[i].text == "one" && i > 0 && toks[i-1].kind == tokWord && onlySpaces(s[toks[i-1].end:toks[i].start]) &&
			pronounOneAfter[toks[i-1].text] {
			continue // "the same one", "this one": a pronoun, not the number 1
		}
		v := total + cur
		dst = append(dst, candidate{start: toks[i].start, end: toks[end].end, rank: rankNumber,
			ent: Entity{Type: "number", Value: formatNumber(v), Number: v}})
		i = end
	}
	return dst
}

// articleCountsTime reports "a" or "an" before a unit of time that says
// how long, as 一 does in "租一周": "for a week", "a night please". Only
// after "for" or at the start, and not before "ago" or "later": "once a
// week", "a week ago" and "twice a day" say how often or when.
func articleCountsTime(toks []token, i int, s string) bool {
	if w := toks[i].text; w != "a" && w != "an" || i+1 >= len(toks) || !onlySpaces(s[toks[i].end:toks[i+1].start]) {
		return false
	}
	if m, ok := unitsEn[toks[i+1].text]; !ok || m.Counted != CountedTime || strings.HasSuffix(toks[i+1].text, "s") {
		return false
	}
	if i > 0 && (toks[i-1].text != "for" || !onlySpaces(s[toks[i-1].end:toks[i].start])) {
		return false
	}
	if i+2 < len(toks) && (toks[i+2].text == "ago" || toks[i+2].text == "later" || toks[i+2].text == "earlier") {
		return false
	}
	return true
}

func isZhNumeral(r rune) bool {
	_, d := zhDigits[r]
	_, u := zhUnits[r]
	return d || u
}

func chineseNumberCandidates(dst []candidate, s string) []candidate {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isZhNumeral(r) {
			i += n
			continue
		}
		j := i
		var rs []rune
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if !isZhNumeral(r2) {
				break
			}
			rs = append(rs, r2)
			j += n2
		}
		start := i
		i = j
		text := s[start:j]
		if text == "万一" || text == "万" || text == "亿" || text == "千" || text == "百" {
			continue
		}
		if text == "一" {
			next, _ := utf8.DecodeRuneInString(s[j:])
			prev, _ := utf8.DecodeLastRuneInString(s[:start])
			// 同一个 (the same one), 每一 (each), 任一 (any), 逐一 (one by one): not the number 1.
			if strings.ContainsRune(zhNotNumberAfter, next) || strings.ContainsRune("统唯第之同每任逐", prev) {
				continue
			}
			// 一家 is one household ("就我一家"), but 我们一家三口 is a family
			// of three: the count is the one that follows.
			if next == '家' && familyCountFollows(s[j+len("家"):]) {
				continue
			}
		}
		v, ok := parseChineseNumber(rs)
		if !ok {
			continue
		}
		dst = append(dst, candidate{start: start, end: j, rank: rankNumber, ent: Entity{Type: "number", Value: formatNumber(v), Number: v}})
	}
	return dst
}

// parseChineseNumber reads 三百五十 (350), 两千 (2000), 一万二 (12000),
// 二零二六 (2026, read digit by digit).
func parseChineseNumber(rs []rune) (float64, bool) {
	allDigits := true
	for _, r := range rs {
		if _, ok := zhDigits[r]; !ok {
			allDigits = false
			break
		}
	}
	if allDigits {
		v := 0.0
		for _, r := range rs {
			v = v*10 + zhDigits[r]
		}
		return v, true
	}
	var total, section, num float64
	lastUnit := 0.0
	for i, r := range rs {
		if d, ok := zhDigits[r]; ok {
			num = d
			if i == len(rs)-1 && lastUnit >= 100 && i > 0 {
				if _, prevUnit := zhUnits[rs[i-1]]; prevUnit {
					num *= lastUnit / 10 // 三百五 = 350, 一万二 = 12000
				}
			}
			continue
		}
		u := zhUnits[r]
		switch {
		case u >= 1e4:
			section += num
			if section == 0 && total == 0 {
				return 0, false
			}
			total = (total + section) * u
			section, num = 0, 0
		default:
			if num == 0 {
				if u != 10 {
					return 0, false
				}
				num = 1 // 十五 = 15
			}
			section += num * u
			num = 0
		}
		lastUnit = u
	}
	// A customer can write 九亿亿亿…: numbers past float64 are not numbers to act on.
	if v := total + section + num; !math.IsInf(v, 0) && !math.IsNaN(v) {
		return v, true
	}
	return 0, false
}

// ---- money ----

type currencyMarker struct {
	text, iso string
	word      bool // a Latin word: needs a word boundary
}

var currencyPrefixes = []currencyMarker{
	{"us$", "USD", false}, {"rmb", "CNY", true}, {"usd", "USD", true}, {"cny", "CNY", true},
	{"eur", "EUR", true}, {"gbp", "GBP", true}, {"人民币", "CNY", false},
	{"$", "USD", false}, {"¥", "CNY", false}, {"€", "EUR", false}, {"£", "GBP", false},
}

var currencySuffixes = []currencyMarker{
	{"块钱", "CNY", false}, {"元钱", "CNY", false}, {"美元", "USD", false}, {"美金", "USD", false}, {"美刀", "USD", false},
	{"欧元", "EUR", false}, {"英镑", "GBP", false}, {"英磅", "GBP", false}, {"镑", "GBP", false}, {"元", "CNY", false}, {"块", "CNY", false},
	{"刀", "USD", false}, // "50刀", slang for dollars
	{"yuan", "CNY", true}, {"kuai", "CNY", true}, {"rmb", "CNY", true}, {"usd", "USD", true},
	{"dollars", "USD", true}, {"dollar", "USD", true}, {"bucks", "USD", true}, {"euros", "EUR", true},
	{"euro", "EUR", true}, {"pounds", "GBP", true}, {"pound", "GBP", true}, {"quid", "GBP", true},
	{"cny", "CNY", true}, {"eur", "EUR", true}, {"gbp", "GBP", true},
	{"$", "USD", false}, {"€", "EUR", false}, {"£", "GBP", false}, {"¥", "CNY", false},
}

// moneyCandidates turns numbers next to a currency marker into money:
// "¥500", "USD 20", "500元", "20 dollars".
func moneyCandidates(dst []candidate, s string, first int) []candidate {
	n := len(dst)
	for ci := first; ci < n; ci++ {
		c := dst[ci]
		if c.ent.Type != "number" {
			continue
		}
		start, end, iso, found := c.start, c.end, "", false
		before := strings.TrimRight(s[:c.start], " ")
		if c.start-len(before) <= 1 {
			for _, m := range currencyPrefixes {
				if strings.HasSuffix(before, m.text) && (!m.word || wordBoundaryBefore(before, len(before)-len(m.text))) {
					start, iso, found = len(before)-len(m.text), m.iso, true
					break
				}
			}
		}
		after := strings.TrimLeft(s[c.end:], " ")
		if len(s[c.end:])-len(after) <= 1 {
			offset := len(s) - len(after)
			for _, m := range currencySuffixes {
				if strings.HasPrefix(after, m.text) && (!m.word || wordBoundaryAfter(after, len(m.text))) {
					end, found = offset+len(m.text), true
					if iso == "" {
						iso = m.iso
					}
					break
				}
			}
		}
		amount := c.ent.Number
		if found && iso == "CNY" && (strings.HasSuffix(s[:end], "块") || strings.HasSuffix(s[:end], "元")) {
			// 三十八块五, 38块5, 一块五毛: a digit after 块 or 元 counts tenths (毛, 角).
			if jiao, jend, ok := tenthsAt(dst[first:n], s, end); ok {
				amount, end = amount+jiao, jend
			} else if start == c.start && s[c.start:end] == "一块" {
				// 一块 alone is more often a piece ("门牙磕掉一块") or
				// together ("我们一块去") than a yuan, which customers
				// write 一块钱 or 1块.
				continue
			}
		}
		if !found {
			// 五毛, 5角: tenths of a yuan on their own.
			jiao, jend, ok := tenthsAt(dst[first:n], s, c.start)
			if !ok || !strings.HasPrefix(s[c.end:jend], "毛") && !strings.HasPrefix(s[c.end:jend], "角") {
				continue
			}
			amount, end, iso = jiao, jend, "CNY"
		}
		dst = append(dst, candidate{start: start, end: end, rank: rankMoney, ent: Entity{
			Type: "money", Value: strconv.FormatFloat(amount, 'f', 2, 64), Number: amount, Currency: iso,
		}})
	}
	return dst
}

// tenthsAt reads the tenths of a yuan written at s[at:]: one digit from 1 to 9,
// maybe 毛 or 角 (and 钱), then a pause (the end, punctuation, a particle), so
// that 五块五 is 5.5 but 五块五个 stays five yuan and five items, and 5毛衣 is
// no money.
func tenthsAt(numbers []candidate, s string, at int) (float64, int, bool) {
	for _, c := range numbers {
		if c.start != at || c.ent.Type != "number" || c.ent.Number < 1 || c.ent.Number > 9 ||
			c.ent.Number != math.Trunc(c.ent.Number) || utf8.RuneCountInString(s[c.start:c.end]) != 1 {
			continue
		}
		end := c.end
		for _, unit := range []string{"毛钱", "角钱", "毛", "角"} {
			if strings.HasPrefix(s[end:], unit) {
				end += len(unit)
				break
			}
		}
		if r, _ := utf8.DecodeRuneInString(s[end:]); end == len(s) || !isCJK(r) || strings.ContainsRune("的了吧啊呀呢", r) {
			return c.ent.Number / 10, end, true
		}
	}
	return 0, 0, false
}

// ---- phone ----

var rePhone = regexp.MustCompile(`\+\d{1,3}[\s\-]?(?:\(\d{1,4}\)[\s\-]?)?\d{1,5}(?:[\s\-]?\d{1,5}){0,4}` +
	`|\(\d{3}\)\s?\d{3}[\s\-.]\d{4}` +
	`|1[3-9]\d(?:[\s\-]?\d{4}){2}` +
	`|\d{3}[\-.\s]\d{3}[\-.\s]\d{4}` +
	`|0\d{2,3}-\d{7,8}` +
	// UK numbers as written at home: 07700 900123, 020 7946 0958, 0113 496 0123.
	`|0\d{4}[\s\-]?\d{6}|0\d{2}[\s\-]?\d{4}[\s\-]?\d{4}|0\d{3}[\s\-]?\d{3}[\s\-]?\d{4}`)

func phoneCandidates(dst []candidate, s string) []candidate {
	digits := 0
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			digits++
		}
	}
	if digits < 7 {
		return dst
	}
	for _, m := range rePhone.FindAllStringIndex(s, -1) {
		if m[0] > 0 && (isAlnumByte(s[m[0]-1]) || s[m[0]-1] == '+') || m[1] < len(s) && isAlnumByte(s[m[1]]) {
			continue
		}
		var b strings.Builder
		for i := m[0]; i < m[1]; i++ {
			if isDigitByte(s[i]) || s[i] == '+' && i == m[0] {
				b.WriteByte(s[i])
			}
		}
		v := b.String()
		nd := len(strings.TrimPrefix(v, "+"))
		if nd < 7 || nd > 15 {
			continue
		}
		dst = append(dst, candidate{start: m[0], end: m[1], rank: rankPhone, ent: Entity{Type: "phone", Value: v}})
	}
	return dst
}
