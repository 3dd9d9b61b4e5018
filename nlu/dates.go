package nlu

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

const months = `january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec`

var (
	reDateISO      = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	reDateSlash    = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b`)
	reDateMonthDay = regexp.MustCompile(`\b(` + months + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(\d{4})\b)?`)
	reDateDayMonth = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + months + `)\b\.?(?:,?\s*(\d{4})\b)?`)
	reDateRelEN    = regexp.MustCompile(`\b(?:(?:the\s+)?day\s+after\s+tomorrow|today|tonight|tomorrow|tmrw?|(?:the\s+)?day\s+before\s+yesterday|yesterday|last\s+night|this\s+(?:morning|afternoon|evening)|(?:(this|next|last|coming)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b`)
	// Short weekday names: "next wed", "fri". Mon, sat and sun are words
	// too ("I sat down"), so they are days only after this, next, last or
	// coming, or as the whole message ("sat", "on Sat please"): the answer
	// to "Which day?".
	reDateWeekdayAbbrEN = regexp.MustCompile(`\b(?:(this|next|last|coming)\s+)?(tue|tues|wed|thu|thur|thurs|fri)\b\.?|\b(this|next|last|coming)\s+(mon|sat|sun)\b\.?|^\W*(?:on\s+)?(mon|sat|sun)\b\.?(?:\s+(?:please|pls|plz|then))?\W*$`)
	// A day of the month alone: "the 2nd", "on the 25th".
	reDateOrdinalEN = regexp.MustCompile(`\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b`)
	// A day of a month named from this one: "the 1st of next month".
	reDateOrdinalMonthEN = regexp.MustCompile(`\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+of\s+(this|next|last)\s+month\b`)
	reDateZh             = regexp.MustCompile(`(?:(\d{4}|[〇零一二三四五六七八九]{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})([日号])?`)
	reDateRelZh          = regexp.MustCompile(`大后天|后天|明天|明日|明儿|明晚|明早|今天|今日|今晚|今早|昨天|昨日|昨晚|大前天|前天|(下下个?|下个?|这个?|本|上个?)?(?:周|星期|礼拜)([一二三四五六日天])`)
	reDateInEN           = regexp.MustCompile(`\bin\s+(\d{1,2}|a|an|` + enCountWords + `)\s+(days?|weeks?|months?)\b`)
	reDateInZh           = regexp.MustCompile(`(\d{1,2}|[一二两三四五六七八九十]{1,3})(天|周|个星期|个礼拜|个月)(?:以后|之后|后)`)
	reDateDayZh          = regexp.MustCompile(`(\d{1,2}|[一二三四五六七八九十]{1,3})[号日]`)
	reDateAgoEN          = regexp.MustCompile(`\b(\d{1,3}|a|an|` + enCountWords + `)\s+(days?|weeks?|months?)\s+ago\b`)
	reDateAgoZh          = regexp.MustCompile(`(\d{1,3}|[一二两三四五六七八九十]{1,3})(天|周|个星期|个礼拜|个月)(?:以前|之前|前)`)
)

// dayOfMonthFollowers may come right after 25号 when it is a date ("25号再送",
// "25号上午", "25号之前"), unlike 3号楼, 5号线 or 一日游.
const dayOfMonthFollowers = "再送派来取上下前后之左到吧了啊呀呢可行或和"

// dayOfMonthFollowerWords, right after 25号, make it a date too: what
// happens that day on a stay or a trip ("10号入住，12号退房", "12号走"), a
// part of that day ("3号晚上", "25号早上": 上午 and 下午 already follow), and
// "that day" ("3号那天出的事").
var dayOfMonthFollowerWords = []string{"入住", "住", "退房", "离店", "离开", "走", "抵达", "出发", "回来", "开始", "结束",
	"早上", "早晨", "中午", "傍晚", "晚上", "夜里", "凌晨", "白天", "那天", "当天"}

// dayOfMonthPlaceWords start with a follower word but name a place: 3号住宅楼,
// 5号走廊 are a building and a corridor, not the 3rd and the 5th.
var dayOfMonthPlaceWords = []string{"住宅", "住户", "住址", "住所", "走廊", "走道"}

var monthByName = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
	"june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var weekdayByAbbrEN = map[string]time.Weekday{
	"mon": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
	"thur": time.Thursday, "thurs": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
}

// ordinalDayFollowers may come after "the 25th" when it is a day ("the 25th
// in the morning", "the 2nd please"), unlike "the 3rd time" or "the 2nd
// floor". "and" and "or" are left out: "the 2nd and 4th of December" is a
// range.
var ordinalDayFollowers = map[string]bool{
	"at": true, "in": true, "on": true, "morning": true, "afternoon": true, "evening": true, "please": true,
	"pls": true, "then": true, "instead": true, "if": true, "works": true, "would": true, "is": true,
	"before": true, "thanks": true, "thank": true,
}

var weekdayByName = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"日": time.Sunday, "天": time.Sunday, "一": time.Monday, "二": time.Tuesday, "三": time.Wednesday,
	"四": time.Thursday, "五": time.Friday, "六": time.Saturday,
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			return true
		}
	}
	return false
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// dateCandidates finds dates and resolves them against now (already in the
// bot's time zone). A date written without a year is the one this year, or
// next year when this year's is more than half a year gone.
func dateCandidates(dst []candidate, s string, now time.Time) []candidate {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	first := len(dst)
	var listHeads []int // dates that name their month, which a list of days may follow
	var weekdays []int  // dates from an English weekday, which the day after it may name
	add := func(start, end int, d time.Time) {
		dst = append(dst, candidate{start: start, end: end, rank: rankDate, ent: Entity{Type: "date", Value: d.Format(time.DateOnly)}})
	}
	withYear := func(year int, month time.Month, day int, haveYear bool) (time.Time, bool) {
		if month < 1 || month > 12 || day < 1 || day > 31 {
			return time.Time{}, false
		}
		if !haveYear {
			year = today.Year()
		}
		d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
		if d.Day() != day {
			return time.Time{}, false
		}
		if !haveYear && today.Sub(d) > 183*24*time.Hour {
			d = d.AddDate(1, 0, 0)
		}
		return d, true
	}
	// Cheap checks first: most messages hold no date, and the regexps cost
	// more than the rest of parsing.
	digits := hasDigit(s)
	if digits && strings.ContainsAny(s, "-/.") {
		for _, m := range reDateISO.FindAllStringSubmatchIndex(s, -1) {
			y, _ := strconv.Atoi(s[m[2]:m[3]])
			mo, _ := strconv.Atoi(s[m[4]:m[5]])
			d, _ := strconv.Atoi(s[m[6]:m[7]])
			if t, ok := withYear(y, time.Month(mo), d, true); ok {
				add(m[0], m[1], t)
			}
		}
	}
	if digits {
		if strings.IndexByte(s, '/') >= 0 {
			for _, m := range reDateSlash.FindAllStringSubmatchIndex(s, -1) {
				a, _ := strconv.Atoi(s[m[2]:m[3]])
				b, _ := strconv.Atoi(s[m[4]:m[5]])
				mo, d := a, b
				if a > 12 && b <= 12 {
					mo, d = b, a // 25/11: day first
				}
				y, haveYear := 0, m[6] >= 0
				if haveYear {
					y, _ = strconv.Atoi(s[m[6]:m[7]])
					if y < 100 {
						y += 2000
					}
				}
				if t, ok := withYear(y, time.Month(mo), d, haveYear); ok {
					add(m[0], m[1], t)
				}
			}
		}
		for _, re := range []*regexp.Regexp{reDateMonthDay, reDateDayMonth} {
			if !hasMonthName(s) {
				break
			}
			for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
				monthText, dayText := s[m[2]:m[3]], s[m[4]:m[5]]
				if re == reDateDayMonth {
					monthText, dayText = dayText, monthText
				}
				d, _ := strconv.Atoi(dayText)
				y, haveYear := 0, m[6] >= 0
				if haveYear {
					y, _ = strconv.Atoi(s[m[6]:m[7]])
				}
				if t, ok := withYear(y, monthByName[monthText], d, haveYear); ok {
					if re == reDateMonthDay {
						listHeads = append(listHeads, len(dst))
					}
					add(m[0], m[1], t)
				}
			}
		}
	}
	if digits && strings.Contains(s, " month") {
		// "the 1st of next month", "3rd of this month": as 下个月1号.
		for _, m := range reDateOrdinalMonthEN.FindAllStringSubmatchIndex(s, -1) {
			day, _ := strconv.Atoi(s[m[2]:m[3]])
			months := map[string]int{"this": 0, "next": 1, "last": -1}[s[m[4]:m[5]]]
			t := time.Date(today.Year(), today.Month()+time.Month(months), day, 0, 0, 0, 0, time.UTC)
			if day >= 1 && t.Day() == day {
				add(m[0], m[1], t)
			}
		}
	}
	if digits && strings.Contains(s, "the ") {
		// "the 25th" alone: the next 25th to come, as 25号 is.
		for _, m := range reDateOrdinalEN.FindAllStringSubmatchIndex(s, -1) {
			if !ordinalDayAlone(s[m[1]:]) {
				continue
			}
			day, _ := strconv.Atoi(s[m[2]:m[3]])
			if t, ok := nextDayOfMonth(today, day); ok {
				add(m[0], m[1], t)
			}
		}
	}
	if hasWeekdayAbbr(s) {
		for _, m := range reDateWeekdayAbbrEN.FindAllStringSubmatchIndex(s, -1) {
			modifier, name := "", ""
			switch {
			case m[4] >= 0:
				name = s[m[4]:m[5]]
				if m[2] >= 0 {
					modifier = s[m[2]:m[3]]
				}
			case m[8] >= 0:
				modifier, name = s[m[6]:m[7]], s[m[8]:m[9]]
			default:
				name = s[m[10]:m[11]]
				m[0], m[1] = m[10], m[11] // the day, not the words around it
			}
			weekdays = append(weekdays, len(dst))
			add(m[0], m[1], resolveWeekday(today, weekdayByAbbrEN[name], modifier))
		}
	}
	if strings.Contains(s, "in ") {
		// "in 3 days", "in two weeks", "in a month": as "ago", forward
		for _, m := range reDateInEN.FindAllStringSubmatchIndex(s, -1) {
			count := s[m[2]:m[3]]
			n, ok := enCounts[count]
			switch {
			case count == "a" || count == "an":
				n = 1
			case !ok:
				n, _ = strconv.Atoi(count)
			}
			add(m[0], m[1], dateAgo(today, -n, s[m[4]:m[5]]))
		}
	}
	if strings.Contains(s, "ago") {
		// "3 days ago", "two weeks ago", "a month ago": a purchase or a delivery
		for _, m := range reDateAgoEN.FindAllStringSubmatchIndex(s, -1) {
			count := s[m[2]:m[3]]
			n, ok := enCounts[count]
			switch {
			case count == "a" || count == "an":
				n, ok = 1, true
			case !ok:
				n, _ = strconv.Atoi(count)
			}
			if n > 0 {
				add(m[0], m[1], dateAgo(today, n, s[m[4]:m[5]]))
			}
		}
	}
	for _, m := range relativeENMatches(s) {
		word := s[m[0]:m[1]]
		switch {
		case word == "today" || word == "tonight" || m[4] < 0 && strings.HasPrefix(word, "this"):
			add(m[0], m[1], today) // this morning, this evening
		case word == "last night":
			add(m[0], m[1], today.AddDate(0, 0, -1))
		case strings.HasSuffix(word, "before yesterday"):
			add(m[0], m[1], today.AddDate(0, 0, -2))
		case word == "tomorrow" || word == "tmr" || word == "tmrw":
			add(m[0], m[1], today.AddDate(0, 0, 1))
		case word == "yesterday":
			add(m[0], m[1], today.AddDate(0, 0, -1))
		case strings.HasSuffix(word, "after tomorrow"):
			add(m[0], m[1], today.AddDate(0, 0, 2))
		case m[4] >= 0:
			modifier := ""
			if m[2] >= 0 {
				modifier = s[m[2]:m[3]]
			}
			weekdays = append(weekdays, len(dst))
			add(m[0], m[1], resolveWeekday(today, weekdayByName[s[m[4]:m[5]]], modifier))
		}
	}
	if len(weekdays) > 0 {
		dst = weekdayBeforeDay(dst, first, weekdays, s, today)
	}
	dst = phraseDates(dst, s, today, func(month time.Month, day int) time.Time {
		d, _ := withYear(0, month, day, false)
		return d
	})
	if !hasNonASCII(s) {
		return listedDays(dst, first, listHeads, s)
	}
	if strings.Contains(s, "月") {
		for _, m := range reDateZh.FindAllStringSubmatchIndex(s, -1) {
			if m[8] < 0 && !dayEndsWithoutMarker(s[m[1]:]) {
				continue // 12月5个, 3月2千: a count, not the 5th
			}
			from, y, haveYear := m[0], 0, m[2] >= 0
			if haveYear {
				y = int(parseNumeral(s[m[2]:m[3]]))
			} else if start, years, ok := yearBeforeDate(s, m[0]); ok {
				// 去年12月1日: last year's, whatever half of the year it is
				from, y, haveYear = start, today.Year()+years, true
			}
			mo := int(parseNumeral(s[m[4]:m[5]]))
			d := int(parseNumeral(s[m[6]:m[7]]))
			if t, ok := withYear(y, time.Month(mo), d, haveYear); ok {
				listHeads = append(listHeads, len(dst))
				add(from, m[1], t)
			}
		}
	}
	if strings.Contains(s, "后") {
		// 3天后, 三天以后, 两周后, 一个月以后
		for _, m := range reDateInZh.FindAllStringSubmatchIndex(s, -1) {
			if n := int(parseNumeral(s[m[2]:m[3]])); n > 0 {
				unit := map[string]string{"天": "day", "周": "week", "个星期": "week", "个礼拜": "week", "个月": "month"}[s[m[4]:m[5]]]
				add(m[0], m[1], dateAgo(today, -n, unit))
			}
		}
	}
	if strings.Contains(s, "前") {
		// 三天前, 两周前, 3个月以前
		for _, m := range reDateAgoZh.FindAllStringSubmatchIndex(s, -1) {
			if n := int(parseNumeral(s[m[2]:m[3]])); n > 0 {
				unit := map[string]string{"天": "day", "周": "week", "个星期": "week", "个礼拜": "week", "个月": "month"}[s[m[4]:m[5]]]
				add(m[0], m[1], dateAgo(today, n, unit))
			}
		}
	}
	if strings.ContainsAny(s, "号日") {
		// 25号, 二十五日 alone: the next 25th to come, today included.
		for _, m := range reDateDayZh.FindAllStringSubmatchIndex(s, -1) {
			day := int(parseNumeral(s[m[2]:m[3]]))
			if from, months, ok := monthBeforeDay(s, m[0]); ok {
				// 下个月3号, 本月20日
				t := time.Date(today.Year(), today.Month()+time.Month(months), day, 0, 0, 0, 0, time.UTC)
				if day >= 1 && t.Day() == day {
					add(from, m[1], t)
				}
				continue
			}
			if !dayOfMonthAlone(s, m[0], m[1]) {
				continue
			}
			if t, ok := nextDayOfMonth(today, day); ok {
				add(m[0], m[1], t)
			}
		}
	}
	var zhWeekdays []int
	for _, m := range reDateRelZh.FindAllStringSubmatchIndex(s, -1) {
		word := s[m[0]:m[1]]
		if relativeWordSplit(s, m[0], m[1]) || m[4] >= 0 && weekdayCounts(s[m[1]:]) {
			continue
		}
		switch word {
		case "今天", "今日", "今晚", "今早": // 今晚七点: tonight is today, as "tonight" is
			add(m[0], m[1], today)
		case "明天", "明日", "明儿", "明晚", "明早":
			add(m[0], m[1], today.AddDate(0, 0, 1))
		case "后天":
			add(m[0], m[1], today.AddDate(0, 0, 2))
		case "大后天":
			add(m[0], m[1], today.AddDate(0, 0, 3))
		case "昨天", "昨日", "昨晚":
			add(m[0], m[1], today.AddDate(0, 0, -1))
		case "前天":
			add(m[0], m[1], today.AddDate(0, 0, -2))
		case "大前天":
			add(m[0], m[1], today.AddDate(0, 0, -3))
		default:
			modifier := ""
			if m[2] >= 0 && yixiaBefore(s, m[2]) {
				// 预约一下周日: the 下 is 一下's, and the day is 周日.
				m[0], m[2] = m[0]+len("下"), m[2]+len("下")
				if p := s[m[2]:m[3]]; p == "" || p == "个" {
					m[0], m[2] = m[3], -1
				}
			}
			if m[2] >= 0 {
				switch p := s[m[2]:m[3]]; {
				case strings.HasPrefix(p, "下下"):
					modifier = "next2"
				case strings.HasPrefix(p, "下"):
					modifier = "next"
				case strings.HasPrefix(p, "上"):
					modifier = "last"
				default:
					modifier = "this"
				}
			}
			zhWeekdays = append(zhWeekdays, len(dst))
			add(m[0], m[1], resolveWeekday(today, weekdayByName[s[m[4]:m[5]]], modifier))
		}
	}
	if len(zhWeekdays) > 0 {
		dst = weekdayBeforeDay(dst, first, zhWeekdays, s, today)
	}
	return listedDays(dst, first, listHeads, s)
}

// yixiaBefore reports whether the 下 at s[at:] ends 一下, the "a bit" of
// 预约一下 and 查一下, rather than opening 下周 or 下个月: "预约一下周日" is
// Sunday, "查一下下周日" next week's. The 一 of a weekday (周一下周二) or a
// number (第一, 十一) leaves the 下 its own.
func yixiaBefore(s string, at int) bool {
	if !strings.HasPrefix(s[at:], "下") || !strings.HasSuffix(s[:at], "一") {
		return false
	}
	before := lastRuneOf(s[:at-len("一")])
	return !strings.ContainsRune("周期拜第十", before)
}

// ordinalDayAlone reports whether the text after "the 25th" leaves it a
// day: nothing, a pause, or a word of ordinalDayFollowers.
func ordinalDayAlone(after string) bool {
	after = strings.TrimLeft(after, " ")
	if after == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(after)
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return !strings.ContainsRune("-–~", r) // "the 2nd-4th" is a range
	}
	word := after
	if i := strings.IndexFunc(after, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		word = after[:i]
	}
	if word == "in" {
		// "the 25th in the morning", but not "the 1st in line" or "the 3rd
		// in a row", which count places.
		rest := strings.Join(strings.Fields(after[len(word):]), " ")
		return strings.HasPrefix(rest, "the morning") || strings.HasPrefix(rest, "the afternoon") || strings.HasPrefix(rest, "the evening")
	}
	return ordinalDayFollowers[word]
}

// hasWeekdayAbbr is a cheap test for reDateWeekdayAbbrEN, which most
// messages would not match.
func hasWeekdayAbbr(s string) bool {
	for _, a := range []string{"tue", "wed", "thu", "fri", "mon", "sat", "sun"} {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}

// nextDayOfMonth is the next day numbered day, today included: the 25th of
// this month until it has passed, then of the next month.
func nextDayOfMonth(today time.Time, day int) (time.Time, bool) {
	if day < 1 || day > 31 {
		return time.Time{}, false
	}
	month := today.Month()
	if day < today.Day() {
		month++
	}
	for range 2 { // the 31st of November is the 31st of December
		if d := time.Date(today.Year(), month, day, 0, 0, 0, 0, time.UTC); d.Day() == day {
			return d, true
		}
		month++
	}
	return time.Time{}, false
}

// dateAgo is the day n days, weeks or months (unit, singular or plural)
// before today, or after it for a negative n. A month ago from 31 March is
// the last day of February, not 3 March.
func dateAgo(today time.Time, n int, unit string) time.Time {
	switch strings.TrimSuffix(unit, "s") {
	case "week":
		return today.AddDate(0, 0, -7*n)
	case "month":
		first := time.Date(today.Year(), today.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		return first.AddDate(0, 0, min(today.Day(), last)-1)
	}
	return today.AddDate(0, 0, -n)
}

// yearBeforeDate reads 今年, 去年, 前年, 明年 written just before a month and
// day at s[start:]: where the date starts, and how many years from this one.
func yearBeforeDate(s string, start int) (int, int, bool) {
	for _, p := range []struct {
		text  string
		years int
	}{{"今年", 0}, {"去年", -1}, {"前年", -2}, {"明年", 1}} {
		if strings.HasSuffix(s[:start], p.text) {
			return start - len(p.text), p.years, true
		}
	}
	return 0, 0, false
}

// monthBeforeDay reads 下个月, 下月, 这个月, 本月, 上个月, 上月 written just before the day
// at s[start:]: where the date starts, and how many months from this one.
func monthBeforeDay(s string, start int) (int, int, bool) {
	for _, p := range []struct {
		text   string
		months int
	}{{"下个月", 1}, {"下月", 1}, {"这个月", 0}, {"本月", 0}, {"上个月", -1}, {"上月", -1}} {
		if strings.HasSuffix(s[:start], p.text) {
			return start - len(p.text), p.months, true
		}
	}
	return 0, 0, false
}

// dayOfMonthAlone reports whether s[start:end] (25号, 十一日) names a day by
// itself: not the day of a month already read (11月25日), not part of a
// longer number or an ordinal (第3号), and followed by a pause or a word that
// goes with a date rather than a building, a line or a trip.
func dayOfMonthAlone(s string, start, end int) bool {
	if before, _ := utf8.DecodeLastRuneInString(s[:start]); start > 0 &&
		(isDigitByte(s[start-1]) || strings.ContainsRune("月第期周拜〇零一二三四五六七八九十两", before)) {
		return false
	}
	if namesAPlace(s[:start]) {
		return false
	}
	after, _ := utf8.DecodeRuneInString(s[end:])
	if end == len(s) || !isCJK(after) || strings.ContainsRune(dayOfMonthFollowers, after) {
		return true
	}
	for _, w := range dayOfMonthPlaceWords {
		if strings.HasPrefix(s[end:], w) {
			return false
		}
	}
	for _, w := range dayOfMonthFollowerWords {
		if strings.HasPrefix(s[end:], w) {
			return true
		}
	}
	return false
}

// placeCues, right before a number with 号, make it a room, a seat or a
// door rather than a day: 家住3号 (lives at number 3), 房间号是25号, 座位12号.
// 住 and 房 alone are not cues: in a hotel's 我想住3号 and 我要订房3号 they
// are staying and booking, and the number is the day.
var placeCues = []string{"家住", "住在", "号是", "号为", "号码是", "号：", "号:", "房间", "病房", "室", "床", "座位", "门牌", "车位", "柜"}

func namesAPlace(before string) bool {
	for _, cue := range placeCues {
		if strings.HasSuffix(before, cue) {
			return true
		}
	}
	return false
}

// resolveWeekday picks the date of a weekday. A bare weekday is the next one
// to come, today included; "this" is the one in the current Monday-based week,
// "next" the one in the following week, "last" the one in the previous week.
func resolveWeekday(today time.Time, w time.Weekday, modifier string) time.Time {
	mondayIndex := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	var delta int
	switch modifier {
	case "this":
		delta = mondayIndex(w) - mondayIndex(today.Weekday())
	case "next":
		delta = mondayIndex(w) - mondayIndex(today.Weekday()) + 7
	case "next2":
		delta = mondayIndex(w) - mondayIndex(today.Weekday()) + 14
	case "last":
		delta = mondayIndex(w) - mondayIndex(today.Weekday()) - 7
	case "coming":
		// "this coming Tuesday", said on a Tuesday, is a week away: coming
		// is after today.
		delta = (int(w)-int(today.Weekday())+6)%7 + 1
	default:
		delta = (int(w) - int(today.Weekday()) + 7) % 7
	}
	return today.AddDate(0, 0, delta)
}

// parseNumeral reads Arabic or Chinese digits ("11", "十一", "二〇二六").
func parseNumeral(s string) float64 {
	if v, err := strconv.Atoi(s); err == nil {
		return float64(v)
	}
	v, _ := parseChineseNumber([]rune(s))
	return v
}

func hasMonthName(s string) bool {
	for i := 0; i < len(s); {
		if !isAlnumByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAlnumByte(s[j]) {
			j++
		}
		if _, ok := monthByName[s[i:j]]; ok {
			return true
		}
		i = j
	}
	return false
}

func relativeENMatches(s string) [][]int {
	if !strings.Contains(s, "day") && !strings.Contains(s, "tomor") && !strings.Contains(s, "tonight") && !strings.Contains(s, "tmr") && !strings.Contains(s, "night") && !strings.Contains(s, "this") {
		return nil
	}
	return reDateRelEN.FindAllStringSubmatchIndex(s, -1)
}

// dayEndsWithoutMarker reports whether a day written without 日 or 号
// ("12月5搬家", "12月5，") ends where the text after it starts: not inside a
// number or before a unit or measure word that makes it a count (12月5个,
// 12月5点, 3月2千, 12月5位客人, 12月3件).
func dayEndsWithoutMarker(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	if rest == "" {
		return true
	}
	return !(r >= '0' && r <= '9') && r != '.' && !isZhNumeral(r) && !strings.ContainsRune("个天点时分秒块元毛角度户人次年月周岁万%-~到至位间张件台份本只条箱盒瓶双套辆单笔包袋支把", r)
}

var (
	reOrdinalDayStartEN = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)\b`)
	reDayStartZh        = regexp.MustCompile(`^(\d{1,2}|[一二三四五六七八九十]{1,3})[号日]`)
)

// weekdayBeforeDay makes an English weekday written before the day it falls
// on one date with that day: "Saturday 19 December", "fri the 18th" and
// "friday 18th" are the day named, not the next Saturday or Friday and a
// second date (or the number 18). The day wins when the two disagree: it
// is the more precise. weekdays indexes dst's weekday dates, in order.
func weekdayBeforeDay(dst []candidate, first int, weekdays []int, s string, today time.Time) []candidate {
	drop := map[int]bool{}
	for _, w := range weekdays {
		end := dst[w].end
		next := end + len(s[end:]) - len(strings.TrimLeft(s[end:], ", ，、"))
		if next == end && next < len(s) && s[end-1] < utf8.RuneSelf {
			continue // "fridays": no pause after an English weekday
		}
		afterThe := next
		if rest := s[next:]; strings.HasPrefix(rest, "the ") {
			afterThe = next + len("the ") + len(rest[len("the "):]) - len(strings.TrimLeft(rest[len("the "):], " "))
		}
		merged := false
		for i := first; i < len(dst); i++ {
			if i == w || drop[i] || dst[i].ent.Type != "date" || (dst[i].start != next && dst[i].start != afterThe) {
				continue
			}
			if text := s[dst[i].start:dst[i].end]; !hasDigit(text) && !strings.Contains(text, "月") || strings.HasPrefix(text, "in ") {
				continue // "saturday, sunday", "friday, tomorrow", "friday in 3 days": two days
			}
			dst[i].start = dst[w].start
			merged = true
			break
		}
		if !merged {
			// "friday 18th": a bare ordinal is the number 18 alone, but after a
			// weekday it is that day of the month.
			m := reOrdinalDayStartEN.FindStringSubmatchIndex(s[afterThe:])
			if m != nil && !ordinalDayAlone(s[afterThe+m[1]:]) {
				m = nil
			}
			if m == nil {
				// 周六19号: a day of the month, unless it numbers a place (周六3号楼).
				if m = reDayStartZh.FindStringSubmatchIndex(s[afterThe:]); m != nil && !dayOfMonthAlone(s[afterThe:], 0, m[1]) {
					m = nil
				}
			}
			if m == nil {
				continue
			}
			day := int(parseNumeral(s[afterThe+m[2] : afterThe+m[3]]))
			t, ok := nextDayOfMonth(today, day)
			if !ok {
				continue
			}
			dst = append(dst, candidate{start: dst[w].start, end: afterThe + m[1], rank: rankDate, ent: Entity{Type: "date", Value: t.Format(time.DateOnly)}})
		}
		drop[w] = true
	}
	if len(drop) == 0 {
		return dst
	}
	out := dst[:first]
	for i := first; i < len(dst); i++ {
		if !drop[i] {
			out = append(out, dst[i])
		}
	}
	return out
}
