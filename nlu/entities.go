package nlu

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// candidate is an entity before overlaps are resolved, in normText coordinates.
type candidate struct {
	start, end int
	user       bool // user-defined entities win overlaps against builtins
	rank       int  // among builtins of equal length: money/phone/date beat number
	ent        Entity
}

const (
	rankNumber = iota
	rankYesNo
	rankPerson
	rankDate
	rankDateRange
	rankMoney
	rankPhone
	rankEmail
)

type userRegex struct {
	name string
	re   *regexp.Regexp
	// longest is re with leftmost-longest matching, tried where re's match
	// stops inside a word: with "kg|kgs", re takes "2 kg" of "2 kgs", which
	// is no whole word, while the analyst's alternative "kgs" fits.
	longest    *regexp.Regexp
	ignoreCase bool
}

type listSynonym struct {
	entity, canonical string
	text              string // normalized, lower-case
	wordStart         bool   // the synonym starts with a Latin word character: needs a word boundary
	wordEnd           bool
}

// entityExtractor finds user-defined and builtin entities.
type entityExtractor struct {
	regexes  []userRegex
	synonyms []listSynonym
	typos    *synonymTypos   // the synonyms found misspelled; nil when none can be
	lists    map[string]bool // the names of list entities
}

func newEntityExtractor(defs []EntityData) (*entityExtractor, error) {
	x := &entityExtractor{lists: map[string]bool{}}
	seen := map[string]bool{}
	for _, d := range defs {
		if d.Name == "" {
			return nil, fmt.Errorf("entity with empty name")
		}
		if seen[d.Name] {
			return nil, fmt.Errorf("duplicate entity %q", d.Name)
		}
		seen[d.Name] = true
		if d.Pattern != "" {
			pat := d.Pattern
			if d.IgnoreCase {
				pat = "(?i)" + pat
			}
			re, err := regexp.Compile(pat)
			if err != nil {
				return nil, fmt.Errorf("entity %q pattern: %w", d.Name, err)
			}
			longest := regexp.MustCompile(re.String())
			longest.Longest()
			x.regexes = append(x.regexes, userRegex{name: d.Name, re: re, longest: longest, ignoreCase: d.IgnoreCase})
			continue
		}
		x.lists[d.Name] = true
		for _, v := range d.Values {
			forms := append([]string{v.Canonical}, v.Synonyms...)
			for _, f := range forms {
				lower := strings.TrimSpace(newNormText(f).lower)
				if lower == "" {
					continue
				}
				first, _ := utf8.DecodeRuneInString(lower)
				last, _ := utf8.DecodeLastRuneInString(lower)
				x.synonyms = append(x.synonyms, listSynonym{
					entity: d.Name, canonical: v.Canonical, text: lower,
					wordStart: isWordRune(first), wordEnd: isWordRune(last),
				})
			}
		}
	}
	x.typos = newSynonymTypos(x.synonyms)
	return x, nil
}

// isList reports whether entity is a list entity.
func (x *entityExtractor) isList(entity string) bool { return x != nil && x.lists[entity] }

// wordBoundaryBefore reports whether position i of s is not inside a Latin word.
func wordBoundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !isWordRune(r)
}

func wordBoundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isWordRune(r)
}

// wholeWord reports whether match m of s is not cut out of a longer word:
// an order id must not be read inside "XAB1234567".
func wholeWord(s string, m []int) bool {
	first, _ := utf8.DecodeRuneInString(s[m[0]:])
	last, _ := utf8.DecodeLastRuneInString(s[:m[1]])
	return !(isWordRune(first) && !wordBoundaryBefore(s, m[0]) || isWordRune(last) && !wordBoundaryAfter(s, m[1]))
}

// longerMatch returns the longest match of the pattern starting where m
// does, when it is a whole word and m is not, else nil.
func (ur userRegex) longerMatch(s string, m []int) []int {
	for _, l := range ur.longest.FindAllStringIndex(s, -1) {
		if l[0] == m[0] && l[1] > m[1] && wholeWord(s, l) {
			return l
		}
	}
	return nil
}

func (x *entityExtractor) userCandidates(dst []candidate, t *normText) []candidate {
	for _, ur := range x.regexes {
		for _, m := range ur.re.FindAllStringIndex(t.norm, -1) {
			if m[0] == m[1] {
				continue
			}
			if !wholeWord(t.norm, m) {
				m = ur.longerMatch(t.norm, m)
				if m == nil {
					continue
				}
			}
			val := t.norm[m[0]:m[1]]
			if ur.ignoreCase {
				val = strings.ToUpper(val)
			}
			dst = append(dst, candidate{start: m[0], end: m[1], user: true, ent: Entity{Type: ur.name, Value: val}})
		}
	}
	for _, syn := range x.synonyms {
		for from := 0; from < len(t.lower); {
			i := strings.Index(t.lower[from:], syn.text)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(syn.text)
			if syn.wordEnd && !wordBoundaryAfter(t.lower, end) {
				end = pluralEnd(t.lower, end, syn.text)
			}
			if end > 0 && (!syn.wordStart || wordBoundaryBefore(t.lower, start)) && (!syn.wordEnd || wordBoundaryAfter(t.lower, end)) {
				dst = append(dst, candidate{start: start, end: end, user: true, ent: Entity{Type: syn.entity, Value: syn.canonical}})
			}
			_, n := utf8.DecodeRuneInString(t.lower[start:])
			from = start + n
		}
	}
	return x.typos.appendCandidates(dst, t.lower)
}

// pluralEnd extends a synonym found in s at [.., end) over its English plural
// in s or es: "bed" in "2 beds", "couch" in "couches". It returns the end of
// the plural, or -1 when the word goes on otherwise. Synonyms shorter than
// three letters have no plural here: "hi" is not found in "his". (A y turned
// into ies, "accessories", is not found: list such plurals.)
func pluralEnd(s string, end int, syn string) int {
	last := syn[len(syn)-1]
	if len(syn) < 3 || last < 'a' || last > 'z' {
		return -1
	}
	var suffix string
	switch {
	case strings.HasSuffix(syn, "s") || strings.HasSuffix(syn, "x") || strings.HasSuffix(syn, "z") || strings.HasSuffix(syn, "ch") || strings.HasSuffix(syn, "sh"):
		suffix = "es"
	default:
		suffix = "s"
	}
	if strings.HasPrefix(s[end:], suffix) && wordBoundaryAfter(s, end+len(suffix)) && !otherWordPlurals[syn+suffix] {
		return end + len(suffix)
	}
	return -1
}

// otherWordPlurals are words that look like a plural and mean something else:
// "any news?" names no value "new", "damaged goods" no "good", "held at
// customs" no "custom" plan.
var otherWordPlurals = map[string]bool{
	"news": true, "goods": true, "customs": true, "means": true, "thanks": true, "arms": true,
	"savings": true, "earnings": true, "premises": true, "manners": true, "spirits": true,
}

// extract returns the entities of t, overlaps resolved, ordered by position.
func (x *entityExtractor) extract(t *normText, now time.Time) []candidate {
	var cands []candidate
	if x != nil {
		cands = x.userCandidates(cands, t)
	}
	cands = builtinCandidates(cands, t, now)
	return resolveOverlaps(cands)
}

// resolveOverlaps keeps, greedily, user-defined entities first, then longer
// ones, then the more specific builtin type (so the 11 digits of a phone
// number are not also a number), then the earlier one.
func resolveOverlaps(cands []candidate) []candidate {
	if len(cands) < 2 {
		return cands
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if a.user != b.user {
			if a.user {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.end-b.start, a.end-a.start); c != 0 {
			return c
		}
		if c := cmp.Compare(b.rank, a.rank); c != 0 {
			return c
		}
		return cmp.Compare(a.start, b.start)
	})
	kept := cands[:0:0]
	for _, c := range cands {
		overlaps := false
		for _, k := range kept {
			if c.start < k.end && k.start < c.end {
				overlaps = true
				break
			}
		}
		if !overlaps {
			kept = append(kept, c)
		}
	}
	slices.SortFunc(kept, func(a, b candidate) int { return cmp.Compare(a.start, b.start) })
	return kept
}

// toEntities fills in the text as written and the original byte offsets.
func toEntities(t *normText, cands []candidate) []Entity {
	if len(cands) == 0 {
		return nil
	}
	out := make([]Entity, 0, len(cands))
	for _, c := range cands {
		e := c.ent
		// Results go into JSON event logs: a value JSON cannot hold is no value.
		if math.IsInf(e.Number, 0) || math.IsNaN(e.Number) {
			continue
		}
		e.Start, e.End = t.origSpan(c.start, c.end)
		e.Text = t.orig[e.Start:e.End]
		out = append(out, e)
	}
	return out
}
