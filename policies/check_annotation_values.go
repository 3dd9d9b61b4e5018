package policies

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An example's marked value stands, to the intent, for any value of its
// entity. Text the entity never reads — "[同一个订单](order_id)" next to a
// pattern LD[0-9]{8}, "[the blue one](colour)" where no synonym says it — is
// no value in a customer's message, so the example teaches the intent words
// it will never see as a value, and a test expecting the value fails with
// nothing saying why. checkAnnotationValues says so.

// checkAnnotationValues warns about an example whose marked text its entity
// never reads: a pattern that does not match the whole of it, or a list
// none of whose values or synonyms it holds (nor a typo of one the bot
// reads as it). Built-in types are left alone. One warning per example.
func (c *checker) checkAnnotationValues() {
	anchored := map[string]*regexp.Regexp{}
	for _, it := range c.bot.Intents {
		for _, ex := range it.Examples {
			for _, a := range ex.Annotations {
				e := c.bot.Entities[a.Entity]
				if e == nil || a.Start >= a.End || a.End > len(ex.Text) {
					continue
				}
				text := strings.TrimSpace(ex.Text[a.Start:a.End])
				var why string
				switch {
				case e.Kind == EntityPattern && e.Pattern != nil:
					re, ok := anchored[e.Name]
					if !ok {
						re, _ = regexp.Compile(`^(?:` + e.Pattern.String() + `)$`)
						anchored[e.Name] = re
					}
					if re == nil || re.MatchString(text) {
						continue
					}
					why = "the pattern of entity " + strconv.Quote(e.Name) + " does not match it"
				case e.Kind == EntityList:
					if listReads(e, text) {
						continue
					}
					why = "it holds none of the values or synonyms of entity " + strconv.Quote(e.Name)
				default:
					continue
				}
				c.warnf(ex.Range, "Marked text the entity never reads",
					"%q is marked as %s in an example of intent %q, but %s, so the bot never reads such text in a message as one: the example teaches the intent a value customers' messages never give, and a slot of that type is not filled from it. Mark a value the entity reads (%s), or leave the words unmarked.",
					text, a.Entity, it.Name, why, entityValueExample(e))
				break
			}
		}
	}
}

// listReads reports whether a list entity finds one of its values in text:
// a value or synonym written in it, or a one-letter typo of a one-word one
// of five letters or more, which the NLU reads too.
func listReads(e *Entity, text string) bool {
	lower := strings.ToLower(text)
	for _, v := range e.Values {
		for _, f := range append([]string{v.Canonical}, v.Synonyms...) {
			f = strings.ToLower(strings.TrimSpace(f))
			if f == "" {
				continue
			}
			if strings.Contains(lower, f) {
				return true
			}
			if utf8.RuneCountInString(f) >= 5 && !strings.Contains(f, " ") && oneEditApart(lower, f) {
				return true
			}
		}
	}
	return false
}

// oneEditApart reports whether a and b differ by one letter missing, extra
// or changed, or two neighbours swapped.
func oneEditApart(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	switch len(ra) - len(rb) {
	case 0:
		diff := -1
		for i := range ra {
			if ra[i] != rb[i] {
				if diff >= 0 {
					return i == diff+1 && ra[diff] == rb[i] && ra[i] == rb[diff] && string(ra[i+1:]) == string(rb[i+1:])
				}
				diff = i
			}
		}
		return diff >= 0
	case 1:
		i := 0
		for i < len(rb) && ra[i] == rb[i] {
			i++
		}
		return string(ra[i+1:]) == string(rb[i:])
	}
	return false
}

// entityValueExample names what a marked value of e may be: a list's first
// value, or what a pattern is.
func entityValueExample(e *Entity) string {
	if e.Kind == EntityList && len(e.Values) > 0 {
		return "such as " + strconv.Quote(e.Values[0].Canonical)
	}
	return "text its pattern " + strings.TrimPrefix(e.Pattern.String(), "(?i)") + " matches whole"
}
