package nlu

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A date_range entity's Value is an ISO 8601 interval of whole days, both
// ends included: "2026-01-01/2026-01-31".

var (
	reRangeCalEN  = regexp.MustCompile(`\b(last|this|next|past|previous|coming|current)\s+(week|month|year)\b`)
	reRangeLastEN = regexp.MustCompile(`\b(?:the\s+)?(?:last|past|previous)\s+(\d{1,3}|` + enCountWords + `)\s+(days?|weeks?|months?|years?)\b`)
	reRangeMonEN  = regexp.MustCompile(`\b(?:(in|during|since|for|of|from|throughout)\s+)?(` + months + `)\.?,?\s+((?:19|20)\d{2})\b|\b(in|during|throughout)\s+(january|february|march|april|may|june|july|august|september|october|november|december)\b`)
	// A month named alone is that month: "my october bill", "the one for
	// November", "Oct" to "Which month?". May and March are also common
	// words, so they need a word that makes them a time, or to be the whole
	// message.
	reRangeBareMonEN = regexp.MustCompile(`\b(january|february|april|june|july|august|september|october|november|december|feb|apr|aug|sept|oct|nov|dec)\b\.?`)
	reRangeMayMarEN  = regexp.MustCompile(`^\s*(may|march)\s*[.!]?\s*$|\b(?:for|last|the)\s+(may|march)\b`)
	reRangeYearEN    = regexp.MustCompile(`\b(in|during|since|throughout)\s+((?:19|20)\d{2})\b`)
	reRangeWeekendEN = regexp.MustCompile(`\b(this|next|the|coming)\s+weekend\b`)
	reRangeWeekendZh = regexp.MustCompile(`(这个?|本|下个?)?周末`)
	reRangeCalZh     = regexp.MustCompile(`上个?月|这个?月|本月|下个?月|上个?(?:周|星期|礼拜)|这个?(?:周|星期|礼拜)|本(?:周|星期)|下下个?(?:周|星期|礼拜|月)|下个?(?:周|星期|礼拜)|今年|去年|明年|前年`)
	reRangeLastZh    = regexp.MustCompile(`(?:过去|最近|近|前|这)(\d{1,3}|[一二两三四五六七八九十半]{1,3})(?:个)?(天|日|周|星期|礼拜|月|年)`)
	reRangeMonZh     = regexp.MustCompile(`(?:(\d{4}|[〇零一二三四五六七八九]{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月份?`)
	reRangeYearZh    = regexp.MustCompile(`(\d{4}|[〇零一二三四五六七八九]{4})年`)
	reRangeJoin      = regexp.MustCompile(`^\s*(?:to|until|till|through|and|-|–|~|到|至|～)\s*$`)
	reRangeBetween   = regexp.MustCompile(`\bbetween\s+$`)
	reRangeFrom      = regexp.MustCompile(`(?:\b(?:from|between)|从|自)\s*$`)
	// A range that names its month once: "Dec 1-4", "December 1st to 4th",
	// "1st to 4th December", "1-4 December", "12月1日到4日".
	reRangeDayAfter   = regexp.MustCompile(`^\s*(?:to|until|till|through|-|–|~)\s*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b`)
	reRangeDayBefore  = regexp.MustCompile(`(?:\bfrom\s+)?(?:the\s+)?\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:to|until|till|through|-|–|~)\s*(?:the\s+)?$|\bbetween\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+and\s+(?:the\s+)?$`)
	reBareWeekday     = regexp.MustCompile(`^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:周|星期|礼拜)[一二三四五六日天])$`)
	reRangePartOfEN   = regexp.MustCompile(`\b(?:end|beginning|start|middle)\s+of\s+(?:the\s+)?$`)
	reRangeDayAfterZh = regexp.MustCompile(`^\s*(?:到|至|-|–|~|～)\s*(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]`)
	// An age after a year word: "我今年23岁", "明年就满二十五周岁".
	reAgeAfterYearZh = regexp.MustCompile(`^\s*(?:就|才|已经|都|刚|也)?\s*满?\s*(?:\d{1,3}|[一二两三四五六七八九十百]{1,4})\s*周?岁`)
)

const enCountWords = `one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|couple of|a couple of`

var enCounts = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "a few": 3, "few": 3, "couple of": 2, "a couple of": 2,
}

// dateRangeCandidates finds spans of days and resolves them against today:
// calendar weeks (Monday to Sunday), months and years ("last month", "上周",
// "去年"), the last N days, weeks, months or years up to today ("past 3 days",
// "过去三天"), a month or a year ("January 2019", "in March", "2019年1月",
// "in 2019"), and two dates joined ("from May 1 to May 5", "5月1日到5月5日",
// which the date candidates already in dst supply).
func dateRangeCandidates(dst []candidate, s string, now time.Time) []candidate {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	add := func(start, end int, from, to time.Time) {
		if to.Before(from) {
			return
		}
		dst = append(dst, candidate{start: start, end: end, rank: rankDateRange, ent: Entity{
			Type: "date_range", Value: from.Format(time.DateOnly) + "/" + to.Format(time.DateOnly)}})
	}
	joinedDates(dst, s, add)
	monthOnceRanges(dst, s, add)
	datesForLength(dst, s, add)
	ascii := !hasNonASCII(s)
	if strings.Contains(s, "week") || strings.Contains(s, "month") || strings.Contains(s, "year") || strings.Contains(s, "day") {
		for _, m := range reRangeCalEN.FindAllStringSubmatchIndex(s, -1) {
			which, unit := s[m[2]:m[3]], s[m[4]:m[5]]
			if unit != "week" && reRangePartOfEN.MatchString(s[:m[0]]) {
				continue // "the end of next month": see partOfPeriodZh
			}
			if which == "past" {
				from, to := lastN(today, 1, unit)
				add(m[0], m[1], from, to)
				continue
			}
			from, to := calendarUnit(today, unit, map[string]int{"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[which])
			add(m[0], m[1], from, to)
		}
		for _, m := range reRangeWeekendEN.FindAllStringSubmatchIndex(s, -1) {
			from := weekend(today, map[string]int{"next": 1}[s[m[2]:m[3]]])
			add(m[0], m[1], from, from.AddDate(0, 0, 1))
		}
		for _, m := range reRangeLastEN.FindAllStringSubmatchIndex(s, -1) {
			count, unit := s[m[2]:m[3]], strings.TrimSuffix(s[m[4]:m[5]], "s")
			n, err := strconv.Atoi(count)
			if err != nil {
				n = enCounts[count]
			}
			if n > 0 {
				from, to := lastN(today, n, unit)
				add(m[0], m[1], from, to)
			}
		}
	}
	if hasMonthName(s) {
		for _, m := range reRangeMonEN.FindAllStringSubmatchIndex(s, -1) {
			if m[4] >= 0 { // month and year
				y, _ := strconv.Atoi(s[m[6]:m[7]])
				from := time.Date(y, monthByName[s[m[4]:m[5]]], 1, 0, 0, 0, 0, time.UTC)
				add(m[0], m[1], from, from.AddDate(0, 1, -1))
				continue
			}
			from := recentMonth(today, monthByName[s[m[10]:m[11]]])
			add(m[10], m[11], from, from.AddDate(0, 1, -1))
		}
		// Inside a day ("October 5", "5 Oct") or a month with its year the
		// longer candidate wins, so a month alone only adds what is left.
		for _, m := range reRangeBareMonEN.FindAllStringSubmatchIndex(s, -1) {
			from := recentMonth(today, monthByName[s[m[2]:m[3]]])
			add(m[2], m[3], from, from.AddDate(0, 1, -1))
		}
		for _, m := range reRangeMayMarEN.FindAllStringSubmatchIndex(s, -1) {
			i := 2
			if m[2] < 0 {
				i = 4
			}
			from := recentMonth(today, monthByName[s[m[i]:m[i+1]]])
			add(m[i], m[i+1], from, from.AddDate(0, 1, -1))
		}
	}
	if strings.Contains(s, "19") || strings.Contains(s, "20") {
		for _, m := range reRangeYearEN.FindAllStringSubmatchIndex(s, -1) {
			y, _ := strconv.Atoi(s[m[4]:m[5]])
			from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			to := from.AddDate(1, 0, -1)
			if s[m[2]:m[3]] == "since" {
				to = today
			}
			add(m[4], m[5], from, to)
		}
	}
	if ascii {
		return dst
	}
	for _, m := range reRangeCalZh.FindAllStringIndex(s, -1) {
		if yixiaBefore(s, m[0]) {
			// 查一下下个月 is next month, from its second 下; 查一下个月
			// names no period.
			m[0] += len("下")
			if !strings.HasPrefix(s[m[0]:], "下") {
				continue
			}
		}
		word := s[m[0]:m[1]]
		// 上周一 is a day, not a week.
		if next := s[m[1]:]; strings.HasSuffix(word, "周") || strings.HasSuffix(word, "星期") || strings.HasSuffix(word, "礼拜") {
			if r := firstRune(next); strings.ContainsRune("一二三四五六日天末", r) {
				continue
			}
		}
		// 今年23岁 tells an age, not a period.
		if strings.HasSuffix(word, "年") && reAgeAfterYearZh.MatchString(s[m[1]:]) {
			continue
		}
		// 本月底, 下个月初, 年底: a part of the month or year, whose days
		// nobody can tell; the whole month would be a wrong answer.
		if unit := lastRune(word); (unit == "月" || unit == "年") && partOfPeriodZh(strings.TrimPrefix(s[m[1]:], unit)) {
			continue
		}
		offset := 0
		switch {
		case strings.HasPrefix(word, "上") || word == "去年":
			offset = -1
		case strings.HasPrefix(word, "下下"):
			offset = 2
		case strings.HasPrefix(word, "下") || word == "明年":
			offset = 1
		case word == "前年":
			offset = -2
		}
		unit := "week"
		switch {
		case strings.HasSuffix(word, "月"):
			unit = "month"
		case strings.HasSuffix(word, "年"):
			unit = "year"
		}
		from, to := calendarUnit(today, unit, offset)
		add(m[0], m[1], from, to)
	}
	if strings.Contains(s, "周末") {
		for _, m := range reRangeWeekendZh.FindAllStringSubmatchIndex(s, -1) {
			offset := 0
			if m[2] >= 0 && strings.HasPrefix(s[m[2]:m[3]], "下") {
				offset = 1
				if yixiaBefore(s, m[2]) && s[m[2]:m[3]] == "下" {
					// 预约一下周末: this weekend, 一下's 下 before it.
					offset, m[0] = 0, m[3]
				}
			}
			from := weekend(today, offset)
			add(m[0], m[1], from, from.AddDate(0, 0, 1))
		}
	}
	for _, m := range reRangeLastZh.FindAllStringSubmatchIndex(s, -1) {
		count, unitZh := s[m[2]:m[3]], s[m[4]:m[5]]
		prefix := s[m[0]:m[2]]
		if prefix == "这" && unitZh != "天" && unitZh != "日" {
			continue // 这两周 reads as two weeks, but 这一月 rarely appears
		}
		unit := map[string]string{"天": "day", "日": "day", "周": "week", "星期": "week", "礼拜": "week", "月": "month", "年": "year"}[unitZh]
		if count == "半" {
			switch unit {
			case "year":
				count, unit = "6", "month"
			case "month":
				count, unit = "15", "day"
			default:
				continue
			}
		}
		n := int(parseNumeral(count))
		if n > 0 {
			from, to := lastN(today, n, unit)
			add(m[0], m[1], from, to)
		}
	}
	if strings.Contains(s, "月") {
		for _, m := range reRangeMonZh.FindAllStringSubmatchIndex(s, -1) {
			mo := int(parseNumeral(s[m[4]:m[5]]))
			if mo < 1 || mo > 12 {
				continue
			}
			// 1月5日 is a day: the date candidate covers it, longer.
			if r := firstRune(s[m[1]:]); isDigitByte(byte(r)) || strings.ContainsRune("一二三四五六七八九十", r) {
				continue
			}
			var from time.Time
			if m[2] >= 0 {
				from = time.Date(int(parseNumeral(s[m[2]:m[3]])), time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
			} else {
				from = recentMonth(today, time.Month(mo))
			}
			add(m[0], m[1], from, from.AddDate(0, 1, -1))
		}
	}
	if strings.Contains(s, "年") {
		for _, m := range reRangeYearZh.FindAllStringSubmatchIndex(s, -1) {
			y := int(parseNumeral(s[m[2]:m[3]]))
			if y < 1900 || y > 2200 {
				continue
			}
			from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			add(m[0], m[1], from, from.AddDate(1, 0, -1))
		}
	}
	return dst
}

// joinedDates turns two date candidates joined by "to", "-", "到"... into
// one range from the first to the second.
func joinedDates(cands []candidate, s string, add func(start, end int, from, to time.Time)) {
	var dates []candidate
	for _, c := range cands {
		if c.ent.Type == "date" {
			dates = append(dates, c)
		}
	}
	for i := 0; i+1 < len(dates); i++ {
		a, b := dates[i], dates[i+1]
		if b.start < a.end || !reRangeJoin.MatchString(s[a.end:b.start]) {
			continue
		}
		if strings.TrimSpace(s[a.end:b.start]) == "and" && !reRangeBetween.MatchString(s[:a.start]) {
			continue // "Sept 3 and 4", "Dec 1 and Dec 3": two days, a range only after "between"
		}
		from, err1 := time.Parse(time.DateOnly, a.ent.Value)
		to, err2 := time.Parse(time.DateOnly, b.ent.Value)
		if err1 != nil || err2 != nil {
			continue
		}
		if to.Before(from) && to.Year() == from.Year()+1 {
			continue
		}
		if day, ok := bareDayZh(s[b.start:b.end]); ok && sameMonthAfter(from, day) {
			// "11月1日到5日" ends on the 5th of November, even once it has
			// passed and "5日" alone would be December's: monthOnceRanges
			// reads it.
			continue
		}
		if to.Before(from) && reBareWeekday.MatchString(s[b.start:b.end]) {
			// "next monday to wednesday", "下周一到周三": the Wednesday after.
			to = to.AddDate(0, 0, 7*((int(from.Sub(to).Hours())/24+6)/7))
		}
		start := a.start
		if m := reRangeFrom.FindStringIndex(s[:a.start]); m != nil {
			start = m[0]
		}
		add(start, b.end, from, to)
	}
}

var (
	// A length after a first day: "Dec 5 for a week", "from 5 Dec for 10
	// days", "12月20号出发，玩10天", "12月5日起两周".
	reRangeForEN = regexp.MustCompile(`^\s*,?\s*(?:and\s+)?for\s+(a|an|one|\d{1,2}|` + enCountWords + `)\s+(days?|weeks?|fortnight)\b`)
	reRangeForZh = regexp.MustCompile(`^\s*(?:开始|出发|起)?\s*[，,]?\s*(?:共|玩|待|呆|去|出差|旅游|旅行)?\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:个)?(天|周|星期|礼拜)`)
)

// datesForLength turns a date followed by a length of days or weeks into the
// range from that day: travellers say when a trip starts and how long it is
// ("on 5 Dec for a week"), where the day alone left the period to be asked.
func datesForLength(cands []candidate, s string, add func(start, end int, from, to time.Time)) {
	for _, c := range cands {
		if c.ent.Type != "date" || slices.ContainsFunc(cands, func(r candidate) bool {
			return r.ent.Type == "date_range" && r.start < c.end && c.start < r.end
		}) {
			// The last day of a range already ("12月1日到5日，共5天"): the
			// length counts it, and stays a number.
			continue
		}
		from, err := time.Parse(time.DateOnly, c.ent.Value)
		if err != nil {
			continue
		}
		rest := s[c.end:]
		var count, unit string
		var end int
		if m := reRangeForEN.FindStringSubmatchIndex(rest); m != nil {
			count, unit, end = rest[m[2]:m[3]], strings.TrimSuffix(rest[m[4]:m[5]], "s"), m[1]
		} else if m := reRangeForZh.FindStringSubmatchIndex(rest); m != nil {
			if r := firstRune(rest[m[1]:]); strings.ContainsRune("后前以之内", r) {
				continue // "3天后" is a day of its own, "3天内" a deadline
			}
			count, end = rest[m[2]:m[3]], m[1]
			unit = map[string]string{"天": "day", "周": "week", "星期": "week", "礼拜": "week"}[rest[m[4]:m[5]]]
		} else {
			continue
		}
		var n int
		switch count {
		case "a", "an", "one":
			n = 1
		case "few", "a few":
			continue // no length anyone can tell
		default:
			if v, err := strconv.Atoi(count); err == nil {
				n = v
			} else if v, ok := enCounts[count]; ok {
				n = v
			} else {
				n = int(parseNumeral(count))
			}
		}
		days := n
		switch unit {
		case "week":
			days = 7 * n
		case "fortnight":
			days = 14 * n
		}
		if days < 1 || days > 366 {
			continue
		}
		start := c.start
		if m := reRangeFrom.FindStringIndex(s[:c.start]); m != nil {
			start = m[0]
		}
		add(start, c.end+end, from, from.AddDate(0, 0, days-1))
	}
}

// reBareDayZh is a day of the month alone: "5日", "22号", "五号".
var reBareDayZh = regexp.MustCompile(`^(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]$`)

// bareDayZh reads a Chinese day of the month written alone.
func bareDayZh(text string) (int, bool) {
	m := reBareDayZh.FindStringSubmatch(text)
	if m == nil {
		return 0, false
	}
	return int(parseNumeral(m[1])), true
}

// sameMonthAfter reports whether day is a day of d's month after d.
func sameMonthAfter(d time.Time, day int) bool {
	t := time.Date(d.Year(), d.Month(), day, 0, 0, 0, 0, time.UTC)
	return day >= 1 && t.Month() == d.Month() && t.After(d)
}

// monthOnceRanges turns a date and a bare day of the same month joined by
// "to", "-", "到"... into one range: "Dec 1-4", "1st to 4th December",
// "12月1日到4日". A day before the first date's (the range would cross into
// the next month) is left alone, as is a day that is part of a date itself.
func monthOnceRanges(cands []candidate, s string, add func(start, end int, from, to time.Time)) {
	var dates []candidate
	for _, c := range cands {
		if c.ent.Type == "date" {
			dates = append(dates, c)
		}
	}
	// partOfDate says whether the day at s[start:end] belongs to a date
	// written there; a day of the month read alone (28日, 28号, spanning
	// start to dayEnd) is the day the range ends on, not another date.
	partOfDate := func(start, end, dayEnd int) bool {
		for _, d := range dates {
			if start < d.end && d.start < end && !(d.start == start && d.end == dayEnd) {
				return true
			}
		}
		return false
	}
	sameMonth := func(d time.Time, day int) (time.Time, bool) {
		t := time.Date(d.Year(), d.Month(), day, 0, 0, 0, 0, time.UTC)
		return t, t.Month() == d.Month() && day >= 1
	}
	for _, c := range dates {
		d, err := time.Parse(time.DateOnly, c.ent.Value)
		if err != nil {
			continue
		}
		rest := s[c.end:]
		// The Chinese day first: the English pattern also reads the 27 of
		// "12月20号-27号", without the 号 that makes it a date of its own.
		bareDayEnd := -1 // English has no bare day that is a date
		m := reRangeDayAfterZh.FindStringSubmatchIndex(rest)
		if m != nil {
			bareDayEnd = c.end + m[1]
		} else {
			m = reRangeDayAfter.FindStringSubmatchIndex(rest)
		}
		if m != nil && !partOfDate(c.end+m[2], c.end+m[3], bareDayEnd) {
			day := int(parseNumeral(rest[m[2]:m[3]]))
			if to, ok := sameMonth(d, day); ok && to.After(d) {
				start := c.start
				if f := reRangeFrom.FindStringIndex(s[:c.start]); f != nil {
					start = f[0]
				}
				add(start, c.end+m[1], d, to)
			}
		}
		if m := reRangeDayBefore.FindStringSubmatchIndex(s[:c.start]); m != nil {
			g := 2 // "1st to 4th December", else "between the 1st and 4th of December"
			if m[g] < 0 {
				g = 4
			}
			if partOfDate(m[g], m[g+1], -1) {
				continue
			}
			day, _ := strconv.Atoi(s[m[g]:m[g+1]])
			if from, ok := sameMonth(d, day); ok && from.Before(d) {
				add(m[0], c.end, from, d)
			}
		}
	}
}

// weekend is the Saturday of the calendar week (Monday to Sunday) offset
// weeks away from the one holding today: "this weekend" on a Sunday is the
// one ending today, as "this week" is.
func weekend(today time.Time, offset int) time.Time {
	monday, _ := calendarUnit(today, "week", offset)
	return monday.AddDate(0, 0, 5)
}

// calendarUnit is the week (Monday to Sunday), month or year offset units
// away from the one holding today.
func calendarUnit(today time.Time, unit string, offset int) (time.Time, time.Time) {
	switch unit {
	case "week":
		monday := today.AddDate(0, 0, -((int(today.Weekday())+6)%7)+7*offset)
		return monday, monday.AddDate(0, 0, 6)
	case "month":
		first := time.Date(today.Year(), today.Month()+time.Month(offset), 1, 0, 0, 0, 0, time.UTC)
		return first, first.AddDate(0, 1, -1)
	default:
		first := time.Date(today.Year()+offset, 1, 1, 0, 0, 0, 0, time.UTC)
		return first, first.AddDate(1, 0, -1)
	}
}

// lastN is the n days, weeks, months or years up to and including today.
func lastN(today time.Time, n int, unit string) (time.Time, time.Time) {
	switch unit {
	case "week":
		return today.AddDate(0, 0, 1-7*n), today
	case "month":
		return today.AddDate(0, -n, 1), today
	case "year":
		return today.AddDate(-n, 0, 1), today
	default:
		return today.AddDate(0, 0, 1-n), today
	}
}

// recentMonth is the first day of the named month this year, or last year's
// when this year's has not begun: a customer names past months far more often
// than future ones.
func recentMonth(today time.Time, m time.Month) time.Time {
	y := today.Year()
	if m > today.Month() {
		y--
	}
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// partOfPeriodZh reports whether rest, the text after a month or a year
// (本月, 下个月, 明年) and a repeat of its unit (明年年底), names a part of
// it: 底, 初, 末, 上旬, 中旬, 下旬.
func partOfPeriodZh(rest string) bool {
	for _, p := range []string{"底", "初", "末", "上旬", "中旬", "下旬"} {
		if strings.HasPrefix(rest, p) {
			return true
		}
	}
	return false
}
