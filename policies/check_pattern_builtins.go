package policies

import (
	"fmt"
	"slices"
	"strings"
)

// builtinProbes are values customers write for the builtin types whose text
// holds bare digits, as docs/language.md lists them. Amounts come in every
// length, so a pattern of four digits shows on "5000 元" and one of six on
// "500000 元".
var builtinProbes = map[string][]string{
	"money":      {"5 元", "50 元", "500 元", "5000 元", "50000 元", "500000 元", "5000000 元", "¥1,280.50"},
	"date":       {"2026-11-25", "Nov 25", "11月25日"},
	"date_range": {"January 2019", "2019年1月", "from May 1 to May 5"},
}

// builtinNouns name the values of the builtin types for the customer's side.
var builtinNouns = map[string][2]string{"money": {"an", "amount"}, "date": {"a", "date"}, "date_range": {"a", "period"}}

// checkPatternsTakeBuiltins warns about a pattern entity that takes the
// digits of a value a builtin slot asks for. The NLU reads the bot's own
// entities before the builtin types, and a builtin value that overlaps one is
// dropped however much longer it is: with card_last4 = "[0-9]{4}", "5000 元"
// is the card 5000 and no amount, and "2026-11-25" the card 2026 and no date.
// Found by a stranger's card-services bot, whose dispute of exactly the
// supervisor limit could not be typed. One warning per entity and type.
func (c *checker) checkPatternsTakeBuiltins() {
	asked := map[string]string{} // builtin type -> the first slot asking for it
	for _, d := range c.bot.Dialogs {
		for _, s := range d.Slots {
			if _, ok := builtinProbes[s.Type]; ok && asked[s.Type] == "" {
				asked[s.Type] = "slot \"" + s.Name + "\" of dialog \"" + d.Name + "\""
			}
		}
	}
	for _, name := range sortedKeys(c.bot.Entities) {
		e := c.bot.Entities[name]
		if e.Kind != EntityPattern || e.Pattern == nil || !takesDigits(e.Pattern.String()) {
			continue
		}
		for _, typ := range sortedKeys(builtinProbes) {
			if asked[typ] == "" {
				continue
			}
			for _, probe := range builtinProbes[typ] {
				word, ok := wholeWordMatch(e, probe)
				if !ok {
					continue
				}
				fix := fmt.Sprintf("Make the pattern need what %s lacks (a prefix, say), or, for a value of bare digits, drop the entity and ask for it with a slot of type text and a validate: matches(slot.NAME, \"%s\").",
					builtinNoun(typ), digitsValidate(word))
				if c.bot.Privacy != nil && slices.Contains(c.bot.Privacy.Mask, name) {
					// A one-time code masked in the audit trail: the text slot
					// would keep it as typed, so the trade-off must be said.
					fix = fmt.Sprintf("Make the pattern need what %s lacks (a prefix, say). The entity is named in privacy's mask: a text slot in its place would keep the value as typed in the conversation's messages, so where no %s the bot takes is as long as %q, keep the entity and this warning.",
						builtinNoun(typ), bareNoun(typ), word)
				}
				c.warnf(e.Range, "Pattern takes the digits of "+builtinNoun(typ),
					"The pattern of entity %q matches %q in %q, %s that %s asks for. The bot reads its own entities before the builtin types, so a customer who writes %q gets the %s %q and no %s. %s",
					name, word, probe, builtinNoun(typ), asked[typ], probe, name, word, bareNoun(typ), fix)
				break
			}
		}
	}
}

// digitsValidate is the validate the hint suggests for a value of bare
// digits, as long as the one the pattern took: a six-digit pickup code is
// not told to check for four digits.
func digitsValidate(word string) string {
	if word != "" && strings.Trim(word, "0123456789") == "" {
		return fmt.Sprintf("^[0-9]{%d}$", len(word))
	}
	return "^[0-9]+$"
}

// checkBuiltinAnnotationsShadowed warns about an example whose value marked
// as a builtin type ("[2000元](money)") a pattern entity takes part of: the
// NLU keeps the pattern's match and drops the builtin one. One warning per
// builtin type and entity.
func (c *checker) checkBuiltinAnnotationsShadowed() {
	warned := map[[2]string]bool{}
	for _, it := range c.bot.Intents {
		for _, ex := range it.Examples {
			for _, a := range ex.Annotations {
				if c.bot.Entities[a.Entity] != nil {
					continue // the bot's own entities: checkAnnotationsShadowed
				}
				for _, name := range sortedKeys(c.bot.Entities) {
					e := c.bot.Entities[name]
					if e.Kind != EntityPattern || e.Pattern == nil || warned[[2]string{a.Entity, name}] {
						continue
					}
					matches := e.Pattern.FindAllStringIndex(ex.Text, -1)
					i := slices.IndexFunc(matches, func(m []int) bool {
						return m[0] < a.End && a.Start < m[1] && wholeWord(ex.Text, m[0], m[1])
					})
					if i < 0 {
						continue
					}
					m := matches[i]
					warned[[2]string{a.Entity, name}] = true
					c.warnf(ex.Range, "Value read as another entity",
						"%q is marked as %s here, but the pattern of entity %q matches %q in it, and the bot reads its own entities before the builtin types, so it would read it as %s, and find no %s. Make the pattern need what %s lacks, such as a prefix.",
						ex.Text[a.Start:a.End], a.Entity, name, ex.Text[m[0]:m[1]], name, bareNoun(a.Entity), builtinNoun(a.Entity))
				}
			}
		}
	}
}

// wholeWordMatch returns the first match of e's pattern in text that the NLU
// would take: a whole word, not cut out of a longer Latin word or number.
func wholeWordMatch(e *Entity, text string) (string, bool) {
	for _, m := range e.Pattern.FindAllStringIndex(text, -1) {
		if m[0] < m[1] && wholeWord(text, m[0], m[1]) && strings.TrimSpace(text[m[0]:m[1]]) != "" {
			return text[m[0]:m[1]], true
		}
	}
	return "", false
}

// builtinNoun is typ's value with its article: "an amount", "a number".
func builtinNoun(typ string) string {
	if n, ok := builtinNouns[typ]; ok {
		return n[0] + " " + n[1]
	}
	return "a " + typ
}

// bareNoun is typ's value without its article: "amount", "number".
func bareNoun(typ string) string {
	if n, ok := builtinNouns[typ]; ok {
		return n[1]
	}
	return typ
}
