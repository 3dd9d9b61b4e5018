package nlu

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const months = `january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec`

var (
	reDateISO      = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	reDateSlash    = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b`)
	reDateMonthDay = regexp.MustCompile(`\b(` + months + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(\d{4})\b)?`)
	reDateDayMonth = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + months + `)\b\.?(?:,?\s*(\d{4})\b)?`)
	reDateRelEN    = regexp.MustCompile(`\b(?:(?:the\s+)?day\s+after\s+tomorrow|today|tonight|tomorrow|tmrw?|yesterday|(?:(this|next|last|coming)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b`)
	reDateZh       = regexp.MustCompile(`(?:(\d{4}|[〇零一二三四五六七八九]{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]`)
	reDateRelZh    = regexp.MustCompile(`大后天|后天|明天|明日|今天|今日|昨天|昨日|前天|(下下个?|下个?|这个?|本|上个?)?(?:周|星期|礼拜)([一二三四五六日天])`)
)

var monthByName = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
	"june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
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
					add(m[0], m[1], t)
				}
			}
		}
	}
	for _, m := range relativeENMatches(s) {
		word := s[m[0]:m[1]]
		switch {
		case word == "today" || word == "tonight":
			add(m[0], m[1], today)
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
			add(m[0], m[1], resolveWeekday(today, weekdayByName[s[m[4]:m[5]]], modifier))
		}
	}
	if !hasNonASCII(s) {
		return dst
	}
	if strings.Contains(s, "月") {
		for _, m := range reDateZh.FindAllStringSubmatchIndex(s, -1) {
			y, haveYear := 0, m[2] >= 0
			if haveYear {
				y = int(parseNumeral(s[m[2]:m[3]]))
			}
			mo := int(parseNumeral(s[m[4]:m[5]]))
			d := int(parseNumeral(s[m[6]:m[7]]))
			if t, ok := withYear(y, time.Month(mo), d, haveYear); ok {
				add(m[0], m[1], t)
			}
		}
	}
	for _, m := range reDateRelZh.FindAllStringSubmatchIndex(s, -1) {
		word := s[m[0]:m[1]]
		switch word {
		case "今天", "今日":
			add(m[0], m[1], today)
		case "明天", "明日":
			add(m[0], m[1], today.AddDate(0, 0, 1))
		case "后天":
			add(m[0], m[1], today.AddDate(0, 0, 2))
		case "大后天":
			add(m[0], m[1], today.AddDate(0, 0, 3))
		case "昨天", "昨日":
			add(m[0], m[1], today.AddDate(0, 0, -1))
		case "前天":
			add(m[0], m[1], today.AddDate(0, 0, -2))
		default:
			modifier := ""
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
			add(m[0], m[1], resolveWeekday(today, weekdayByName[s[m[4]:m[5]]], modifier))
		}
	}
	return dst
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
	if !strings.Contains(s, "day") && !strings.Contains(s, "tomor") && !strings.Contains(s, "tonight") && !strings.Contains(s, "tmr") {
		return nil
	}
	return reDateRelEN.FindAllStringSubmatchIndex(s, -1)
}
