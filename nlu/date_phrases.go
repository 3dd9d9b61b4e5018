package nlu

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Dates said as set phrases: a week or a fortnight from a day (British
// "a week on Saturday"), a deadline at the end of a month or a year, and
// holidays on a fixed day.
var (
	// "a week today", "a week tomorrow", "a week on Saturday", "a fortnight
	// on Friday": that day, then a week or two.
	reDateWeekOnEN = regexp.MustCompile(`\ba\s+(week|fortnight)\s+(today|tomorrow|on\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b`)
	// "in a fortnight", "a fortnight ago".
	reDateFortnightEN = regexp.MustCompile(`\bin\s+a\s+fortnight\b|\ba\s+fortnight\s+ago\b`)
	// A deadline at the end of a month or a year is its last day: "by the
	// end of the month", "before end of March", "月底前", "下个月底之前".
	// Said alone, "the end of the month" and "本月底" are a span nobody can
	// tell the day of, which reads as no date (see ranges.go).
	reDateEndOfEN   = regexp.MustCompile(`\b(?:by|before)\s+(?:the\s+)?end\s+of\s+(?:(?:(the|this|next|last)\s+)?(month|year)|(` + fullMonths + `))\b`)
	reDateHolidayEN = regexp.MustCompile(`\b(?:christmas|xmas)\s+(day|eve)\b|\bboxing\s+day\b|\bnew\s+year'?s\s+(day|eve)\b`)
	// 月底前, 本月底之前, 下个月月底以前, 12月底前, 明年年底前.
	reDateEndOfZh   = regexp.MustCompile(`(?:(?:(\d{1,2}|[一二三四五六七八九十]{1,3})|(上个?|下个?|这个?|本))?月月?|(去|今|明)?年?年)(?:底|末)(?:之|以)?前`)
	reDateHolidayZh = regexp.MustCompile(`元旦|圣诞节|平安夜`)
	// The end or the start of a month named from today, said alone: "the
	// end of the month", "beginning of next month", "月底", "下个月初". See
	// monthPartDates.
	reDateMonthPartEN = regexp.MustCompile(`\b(?P<part>end|beginning|start)\s+of\s+(?:(?P<which>the|this|next|last)\s+)?month\b`)
	reDateMonthPartZh = regexp.MustCompile(`(?P<which>上个?|下个?|这个?|本)?月月?(?P<part>底|末|初)`)
)

const fullMonths = `january|february|march|april|may|june|july|august|september|october|november|december`

// holidays are the days of holidays that fall on one date every year.
var holidays = map[string]struct {
	month time.Month
	day   int
}{
	"christmas day": {12, 25}, "christmas eve": {12, 24}, "boxing day": {12, 26},
	"new year's day": {1, 1}, "new year's eve": {12, 31},
	"元旦": {1, 1}, "圣诞节": {12, 25}, "平安夜": {12, 24},
}

// phraseDates adds the dates of set phrases. inYear places a month and day
// without a year, as a date written so is placed.
func phraseDates(dst []candidate, s string, today time.Time, inYear func(time.Month, int) time.Time) []candidate {
	add := func(start, end int, d time.Time) []candidate {
		return append(dst, candidate{start: start, end: end, rank: rankDate, ent: Entity{Type: "date", Value: d.Format(time.DateOnly)}})
	}
	if strings.Contains(s, "a week") || strings.Contains(s, "fortnight") {
		for _, m := range reDateWeekOnEN.FindAllStringSubmatchIndex(s, -1) {
			weeks := map[string]int{"week": 1, "fortnight": 2}[s[m[2]:m[3]]]
			from := today
			switch {
			case m[6] >= 0:
				from = resolveWeekday(today, weekdayByName[s[m[6]:m[7]]], "")
			case s[m[4]:m[5]] == "tomorrow":
				from = today.AddDate(0, 0, 1)
			}
			dst = add(m[0], m[1], from.AddDate(0, 0, 7*weeks))
		}
		for _, m := range reDateFortnightEN.FindAllStringIndex(s, -1) {
			days := 14
			if strings.HasSuffix(s[m[0]:m[1]], "ago") {
				days = -14
			}
			dst = add(m[0], m[1], today.AddDate(0, 0, days))
		}
	}
	if strings.Contains(s, "end of") {
		for _, m := range reDateEndOfEN.FindAllStringSubmatchIndex(s, -1) {
			if m[6] >= 0 {
				d := inYear(monthByName[s[m[6]:m[7]]], 1)
				dst = add(m[0], m[1], lastDayOf(d, "month"))
				continue
			}
			offset := 0
			if m[2] >= 0 {
				offset = map[string]int{"next": 1, "last": -1}[s[m[2]:m[3]]]
			}
			dst = add(m[0], m[1], lastDayOf(shift(today, s[m[4]:m[5]], offset), s[m[4]:m[5]]))
		}
	}
	if strings.Contains(s, "month") {
		dst = monthPartDates(dst, s, today, reDateMonthPartEN)
	}
	if strings.Contains(s, "day") || strings.Contains(s, "eve") {
		for _, m := range reDateHolidayEN.FindAllStringIndex(s, -1) {
			name := strings.Join(strings.Fields(strings.Replace(s[m[0]:m[1]], "xmas", "christmas", 1)), " ")
			name = strings.Replace(name, "years", "year's", 1)
			if h, ok := holidays[name]; ok {
				dst = add(m[0], m[1], inYear(h.month, h.day))
			}
		}
	}
	if !hasNonASCII(s) {
		return dst
	}
	if (strings.Contains(s, "底") || strings.Contains(s, "末")) && strings.Contains(s, "前") {
		for _, m := range reDateEndOfZh.FindAllStringSubmatchIndex(s, -1) {
			word := s[m[0]:m[1]]
			switch {
			case m[2] >= 0:
				mo, _ := strconv.Atoi(s[m[2]:m[3]])
				if mo == 0 {
					mo = int(parseNumeral(s[m[2]:m[3]]))
				}
				if mo < 1 || mo > 12 {
					continue
				}
				dst = add(m[0], m[1], lastDayOf(inYear(time.Month(mo), 1), "month"))
			case strings.Contains(word, "月"):
				offset := 0
				if m[4] >= 0 {
					offset = map[string]int{"上": -1, "下": 1}[s[m[4]:m[4]+len("上")]]
				}
				dst = add(m[0], m[1], lastDayOf(shift(today, "month", offset), "month"))
			default:
				offset := 0
				if m[6] >= 0 {
					offset = map[string]int{"去": -1, "明": 1}[s[m[6]:m[7]]]
				}
				dst = add(m[0], m[1], lastDayOf(shift(today, "year", offset), "year"))
			}
		}
	}
	if strings.Contains(s, "月") {
		dst = monthPartDates(dst, s, today, reDateMonthPartZh)
	}
	if strings.Contains(s, "元旦") || strings.Contains(s, "圣诞节") || strings.Contains(s, "平安夜") {
		for _, m := range reDateHolidayZh.FindAllStringIndex(s, -1) {
			h := holidays[s[m[0]:m[1]]]
			dst = add(m[0], m[1], inYear(h.month, h.day))
		}
	}
	return dst
}

// shift moves a day by whole months or years, from the first of its month
// so that no month overflows.
func shift(d time.Time, unit string, n int) time.Time {
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	if unit == "year" {
		return first.AddDate(n, 0, 0)
	}
	return first.AddDate(0, n, 0)
}

// lastDayOf is the last day of the month or the year holding d.
func lastDayOf(d time.Time, unit string) time.Time {
	if unit == "year" {
		return time.Date(d.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC)
}

// monthPartDates reads the end or the start of a month named from today
// (today in the conversation's time zone) as one day, for a date slot:
// the end is the month's last day ("月底", "本月底", "the end of the
// month" on 23 November: 30 November; "下个月底", "end of next month": 31
// December), the start its first ("下个月初", "beginning of next month": 1
// December; "本月初", "start of this month": 1 November). A start said
// without a month ("月初", "the beginning of the month") looks ahead: the
// first of next month, or today on the first. A deadline ("月底前", "by the
// end of the month") is read by reDateEndOf*, and a month named by its
// number ("12月底") stays that month's period (ranges.go); 每月底 is no day.
func monthPartDates(dst []candidate, s string, today time.Time, re *regexp.Regexp) []candidate {
	taken := dst
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		if slices.ContainsFunc(taken, func(c candidate) bool { return c.ent.Type == "date" && c.start <= m[0] && m[1] <= c.end }) {
			continue
		}
		w, p := 2*re.SubexpIndex("which"), 2*re.SubexpIndex("part")
		which, part := "", s[m[p]:m[p+1]]
		if m[w] >= 0 {
			which = s[m[w]:m[w+1]]
		}
		if before := s[:m[0]]; which == "" && (strings.HasSuffix(before, "每") || strings.HasSuffix(before, "个") || strings.HasSuffix(before, "岁") ||
			endsWithNumeral(before)) {
			continue // 每月底, 3个月底, 岁月, 12月底
		}
		if part == "底" || part == "末" {
			if rest := strings.TrimPrefix(strings.TrimPrefix(s[m[1]:], "之"), "以"); strings.HasPrefix(rest, "前") {
				continue // a deadline
			}
		}
		offset := 0
		switch {
		case strings.HasPrefix(which, "下") || which == "next":
			offset = 1
		case strings.HasPrefix(which, "上") || which == "last":
			offset = -1
		}
		month := shift(today, "month", offset)
		var d time.Time
		switch {
		case part == "end" || part == "底" || part == "末":
			d = lastDayOf(month, "month")
		case which == "" || which == "the":
			// "月初" alone looks ahead: this month's first is gone but today.
			d = month
			if today.Day() != 1 {
				d = shift(today, "month", 1)
			}
		default:
			d = month
		}
		dst = append(dst, candidate{start: m[0], end: m[1], rank: rankDate, ent: Entity{Type: "date", Value: d.Format(time.DateOnly)}})
	}
	return dst
}

// endsWithNumeral reports a digit or a Chinese numeral at the end of s.
func endsWithNumeral(s string) bool {
	r := lastRuneOf(s)
	return r >= '0' && r <= '9' || isZhNumeral(r)
}
