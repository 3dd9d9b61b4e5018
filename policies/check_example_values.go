package policies

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The NLU reads a list entity's value in a message as the entity, not its
// words: "my iPhone won't charge" and "my Galaxy won't charge" are both "my
// <device> won't charge" to the classifier, which is what lets an intent
// learnt on one product take another. An intent told apart from another only
// by which value its examples name, or one whose examples are mostly a value
// alone, therefore cannot be recognised; checkExampleValues says so, since
// nothing else would.

// checkExampleValues warns about examples of two intents that read the same
// once list values are replaced by their entity, and about an intent at
// least half of whose examples are only a value.
func (c *checker) checkExampleValues() {
	vals := listValueForms(c.bot.Entities)
	if len(vals) == 0 {
		return
	}
	type firstUse struct {
		intent, text string
	}
	seen := map[string]firstUse{}
	for _, it := range c.bot.Intents {
		alone := 0
		var aloneTexts []string
		for _, ex := range it.Examples {
			key, entities := replaceListValues(ex.Text, vals)
			if len(entities) == 0 {
				continue
			}
			if len(entities) == 1 && key == "\x00"+entities[0]+"\x00" {
				alone++
				aloneTexts = append(aloneTexts, ex.Text)
			}
			first, ok := seen[key]
			switch {
			case !ok:
				seen[key] = firstUse{it.Name, ex.Text}
			case first.intent != it.Name && normalizeExample(first.text) != normalizeExample(ex.Text):
				c.warnf(ex.Range, "Examples differ only in an entity's value",
					"%q (intent %q) and %q (intent %q) differ only in a value of entity %q. The bot reads a value as its entity, not its words, so it cannot tell these intents apart. Make them one intent and let the value decide (entity.%s, or a slot), or take these words out of the entity.",
					ex.Text, it.Name, first.text, first.intent, entities[0], entities[0])
			}
		}
		if alone > 0 && 2*alone >= len(it.Examples) {
			c.warnf(it.Range, "Examples that are only an entity's value",
				"%d of the %d examples of intent %q are only a value of a list entity (%s). The bot reads a value as its entity, not its words, so this intent learns little but \"some value\", and any message naming one leans towards it. Write examples with the words customers say around the value.",
				alone, len(it.Examples), it.Name, quoteList(aloneTexts))
		}
	}
}

// listValueForm is one way a list entity's value is written, lower-case.
type listValueForm struct {
	text, entity string
}

// listValueForms lists every canonical value and synonym of the list
// entities, longest first, so "gold member" is read before "gold".
func listValueForms(entities map[string]*Entity) []listValueForm {
	var out []listValueForm
	for _, name := range slices.Sorted(maps.Keys(entities)) {
		e := entities[name]
		if e.Kind != EntityList {
			continue
		}
		for _, v := range e.Values {
			for _, f := range append([]string{v.Canonical}, v.Synonyms...) {
				if f = strings.ToLower(strings.TrimSpace(f)); f != "" {
					out = append(out, listValueForm{f, e.Name})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b listValueForm) int { return cmp.Compare(len(b.text), len(a.text)) })
	return out
}

// replaceListValues writes text lower-case with each list value replaced by
// "\x00entity\x00" (Latin values as whole words), and the entities replaced.
func replaceListValues(text string, forms []listValueForm) (string, []string) {
	s := strings.Join(strings.Fields(strings.ToLower(text)), " ")
	var b strings.Builder
	var entities []string
	for i := 0; i < len(s); {
		matched := false
		for _, f := range forms {
			if strings.HasPrefix(s[i:], f.text) && wordEdge(s, i, true) && wordEdge(s, i+len(f.text), false) {
				b.WriteString("\x00" + f.entity + "\x00")
				entities = append(entities, f.entity)
				i += len(f.text)
				matched = true
				break
			}
		}
		if !matched {
			_, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+n])
			i += n
		}
	}
	return strings.Trim(b.String(), " .!?,;:。！？，"), entities
}

// wordEdge reports whether position i of s does not cut a Latin word: the
// rune before it (start) or after it is no letter or digit.
func wordEdge(s string, i int, start bool) bool {
	var r rune
	if start {
		if i == 0 {
			return true
		}
		r, _ = utf8.DecodeLastRuneInString(s[:i])
	} else {
		if i >= len(s) {
			return true
		}
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
}

func quoteList(texts []string) string {
	q := make([]string, len(texts))
	for i, t := range texts {
		q[i] = `"` + t + `"`
	}
	return strings.Join(q, ", ")
}
