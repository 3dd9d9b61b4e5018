package nlu

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// A list of days names its month once: "9月3、4号", "12月1、2、3日", "Sept 3
// and 4". Every day listed is in that month, not the next day of that number
// to come, which a day read alone would be.
var (
	reListDayEN = regexp.MustCompile(`^\s*(?:,\s*(?:and\s+|or\s+|&\s*)?|and\s+|or\s+|&\s*)((?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?)\b`)
	reListDayZh = regexp.MustCompile(`^\s*(?:、|，|,|和|及|与|跟|或者|或)\s*((\d{1,2}|[一二三四五六七八九十]{1,3})([号日])?)`)
)

// listedDayPlaces, right after 4号 in a list, make it a building, a line or a
// room rather than a day.
const listedDayPlaces = "楼线房室床座门栋"

// listedDays adds the days listed after each date of heads (indexes into dst
// of dates that name their month) and gives a day already read alone in such
// a list (4号 in 9月3、4号) the month of the list. The days must rise; a list
// whose last day does not end like a day ("Sept 3 and 4 nights", "12月1日和2个人")
// adds nothing.
func listedDays(dst []candidate, first int, heads []int, s string) []candidate {
	for _, h := range heads {
		head := dst[h]
		prev, err := time.Parse(time.DateOnly, head.ent.Value)
		if err != nil {
			continue
		}
		re := reListDayEN
		if hasNonASCII(s[head.start:head.end]) {
			re = reListDayZh
		}
		type item struct {
			start, end int
			day        time.Time
		}
		var pending []item
		for pos := head.end; ; {
			m := re.FindStringSubmatchIndex(s[pos:])
			if m == nil {
				break
			}
			start, end := pos+m[2], pos+m[3]
			day := time.Date(prev.Year(), prev.Month(), int(parseNumeral(s[pos+m[4]:pos+m[5]])), 0, 0, 0, 0, time.UTC)
			if day.Month() != prev.Month() || !day.After(prev) || overlapsOtherDate(dst[first:], start, end) {
				break
			}
			pending = append(pending, item{start, end, day})
			rest := s[end:]
			if re.MatchString(rest) {
				prev = day
				pos = end
				continue // the list goes on: "12月1、2、3日"
			}
			if listedDayEnds(rest, re == reListDayZh, re == reListDayZh && m[6] >= 0) {
				for _, it := range pending {
					dst = setDate(dst, first, it.start, it.end, it.day)
				}
			}
			break
		}
	}
	return dst
}

// listedDayEnds reports whether the text after the last day of a list leaves
// it a day: in English a pause or a word that goes with a day ("and 4
// please"); in Chinese, after 号 or 日, anything but a place (4号楼), and
// without them, a pause.
func listedDayEnds(rest string, zh, marked bool) bool {
	if !zh {
		return ordinalDayAlone(rest)
	}
	if marked {
		for _, w := range dayOfMonthPlaceWords {
			if strings.HasPrefix(rest, w) {
				return false
			}
		}
		r, _ := utf8.DecodeRuneInString(rest)
		return !strings.ContainsRune(listedDayPlaces, r)
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return dayEndsWithoutMarker(rest) && (rest == "" || !isCJK(r))
}

// overlapsOtherDate reports whether a date other than a day read alone at
// exactly s[start:end] overlaps it: "12月1日和1月2日" lists another month.
func overlapsOtherDate(dates []candidate, start, end int) bool {
	for _, c := range dates {
		if c.ent.Type == "date" && c.start < end && start < c.end && (c.start != start || c.end != end) {
			return true
		}
	}
	return false
}

// setDate gives the date at s[start:end] the day d, adding it if no date was
// read there.
func setDate(dst []candidate, first, start, end int, d time.Time) []candidate {
	value := d.Format(time.DateOnly)
	for i := first; i < len(dst); i++ {
		if dst[i].ent.Type == "date" && dst[i].start == start && dst[i].end == end {
			dst[i].ent.Value = value
			return dst
		}
	}
	return append(dst, candidate{start: start, end: end, rank: rankDate, ent: Entity{Type: "date", Value: value}})
}
