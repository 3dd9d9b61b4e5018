package policies

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkPatternWords warns about a code-like pattern entity with ignore_case
// that reads ordinary words as values: [A-Z0-9]{6} takes "refund" in "I want
// a refund for K7QX2B" as a booking reference, first, and the real one is
// left over. The NLU looks for a pattern as a whole word anywhere in a
// message, so the examples show it: a word written in lower case, all
// letters, that the pattern matches and no annotation marks. A pattern that
// takes no digits may be meant for words ("express|standard"): nothing is
// said about it. One warning per entity.
func (c *checker) checkPatternWords() {
	for _, name := range sortedKeys(c.bot.Entities) {
		e := c.bot.Entities[name]
		if e.Kind != EntityPattern || e.Pattern == nil || !e.IgnoreCase || !takesDigits(e.Pattern.String()) {
			continue
		}
	examples:
		for _, it := range c.bot.Intents {
			for _, ex := range it.Examples {
				for _, m := range e.Pattern.FindAllStringIndex(ex.Text, -1) {
					word := ex.Text[m[0]:m[1]]
					if !wholeWord(ex.Text, m[0], m[1]) || !ordinaryWord(word) || annotated(ex, m[0], m[1]) {
						continue
					}
					c.warnf(e.Range, "Pattern matches ordinary words",
						"With ignore_case, the pattern of entity %q matches the word %q in an example of intent %q (at %s): the bot would read words like it as a %s, and may fill a slot with one instead of the real value. Make the pattern stricter (require a digit, say), or drop ignore_case.",
						name, word, it.Name, ex.Range.String(), name)
					break examples
				}
			}
		}
	}
}

// takesDigits reports whether a pattern can match a digit anywhere.
func takesDigits(pattern string) bool {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return false
	}
	var walk func(re *syntax.Regexp) bool
	walk = func(re *syntax.Regexp) bool {
		switch re.Op {
		case syntax.OpLiteral:
			return slices.ContainsFunc(re.Rune, unicode.IsDigit)
		case syntax.OpCharClass:
			for i := 0; i+1 < len(re.Rune); i += 2 {
				if re.Rune[i] <= '9' && re.Rune[i+1] >= '0' {
					return true
				}
			}
			return false
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			return true
		}
		return slices.ContainsFunc(re.Sub, walk)
	}
	return walk(re)
}

// wholeWord reports whether text[start:end] is not cut out of a longer
// Latin word or number, as the NLU requires of a pattern's match.
func wholeWord(text string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:start])
	after, _ := utf8.DecodeRuneInString(text[end:])
	return (start == 0 || !latinWordRune(before)) && (end == len(text) || !latinWordRune(after))
}

func latinWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// ordinaryWord is a word as prose writes it: Latin letters only, lower case.
func ordinaryWord(w string) bool {
	return w != "" && strings.IndexFunc(w, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsLower(r) }) < 0
}

func annotated(ex Example, start, end int) bool {
	return slices.ContainsFunc(ex.Annotations, func(a Annotation) bool { return a.Start < end && start < a.End })
}

// checkAnnotationsShadowed warns about an example whose annotated value
// another pattern entity matches as well, where the NLU takes the other one:
// of two matches of the same text, the entity whose name sorts first; of
// overlapping ones, the longer. "[SK1234](flight_number)" is read as a
// booking_ref when booking_ref's pattern [A-Z0-9]{6} matches SK1234 too.
// One warning per pair of entities.
func (c *checker) checkAnnotationsShadowed() {
	warned := map[[2]string]bool{}
	for _, it := range c.bot.Intents {
		for _, ex := range it.Examples {
			for _, a := range ex.Annotations {
				for _, name := range sortedKeys(c.bot.Entities) {
					e := c.bot.Entities[name]
					if name == a.Entity || e.Kind != EntityPattern || e.Pattern == nil || warned[[2]string{a.Entity, name}] {
						continue
					}
					if c.bot.Entities[a.Entity] == nil || c.bot.Entities[a.Entity].Kind != EntityPattern {
						continue // builtin types and lists: other rules decide
					}
					for _, m := range e.Pattern.FindAllStringIndex(ex.Text, -1) {
						same := m[0] == a.Start && m[1] == a.End && name < a.Entity
						longer := m[0] <= a.Start && a.End <= m[1] && m[1]-m[0] > a.End-a.Start
						if !wholeWord(ex.Text, m[0], m[1]) || !same && !longer {
							continue
						}
						warned[[2]string{a.Entity, name}] = true
						c.warnf(ex.Range, "Value read as another entity",
							"%q is marked as %s here, but the pattern of entity %q matches %q too, and the bot takes that one (%s), so it would read this value as a %s. Make the patterns exclusive, for example by a different prefix or length.",
							ex.Text[a.Start:a.End], a.Entity, name, ex.Text[m[0]:m[1]],
							map[bool]string{true: "of two matches of the same text, the entity whose name sorts first", false: "the longer match"}[same], name)
						break
					}
				}
			}
		}
	}
}
