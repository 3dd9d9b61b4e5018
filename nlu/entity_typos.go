package nlu

import (
	"unicode/utf8"

	"github.com/parleyhq/parley/nlu/wordvec"
)

// minSynonymTypo is the shortest list-entity synonym found misspelled. With
// four letters a typo too often makes another word the table lacks: a name,
// a brand or an abbreviation ("sofa" in "soda", "sony", "sofi"); see
// BENCHMARKS.md, "Misspelled words".
const minSynonymTypo = 5

// synonymTypos finds list-entity synonyms written with one typo.
type synonymTypos struct {
	index   *editIndex
	targets [][]listSynonym // by index id: the synonyms with that text
	forms   map[string]bool // every synonym and canonical value, lower-case: never a typo
}

// newSynonymTypos indexes the one-word synonyms (and canonical values) of
// minSynonymTypo or more letters a-z.
func newSynonymTypos(syns []listSynonym) *synonymTypos {
	st := &synonymTypos{forms: map[string]bool{}}
	ids := map[string]int{}
	var words []string
	for _, s := range syns {
		st.forms[s.text] = true
		if len(s.text) < minSynonymTypo || len(s.text) > maxTypo || !isASCIILower(s.text) {
			continue
		}
		id, ok := ids[s.text]
		if !ok {
			id = len(words)
			ids[s.text] = id
			words = append(words, s.text)
			st.targets = append(st.targets, nil)
		}
		st.targets[id] = append(st.targets[id], s)
	}
	if len(words) == 0 {
		return nil
	}
	st.index = newEditIndex(words)
	return st
}

// appendCandidates appends an entity for each word of s one edit from a
// synonym, when the word is not an English word itself ("cart" is no
// typo of "card") nor any entity's synonym, and its synonyms within one edit
// name one value of the entity: "wardorbe" is the wardrobe, but "chais"
// (chair? chaise?) is neither.
func (st *synonymTypos) appendCandidates(dst []candidate, s string) []candidate {
	if st == nil {
		return dst
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		end := i + n
		for end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if !isWordRune(r) {
				break
			}
			end += n
		}
		dst = st.appendWord(dst, s, i, end)
		i = end
	}
	return dst
}

func (st *synonymTypos) appendWord(dst []candidate, s string, start, end int) []candidate {
	w := s[start:end]
	if len(w) < minSynonymTypo-1 || len(w) > maxTypo || !isASCIILower(w) || st.forms[w] || wordvec.Rank(w) >= 0 {
		return dst
	}
	var buf [8]listSynonym
	matches := buf[:0]
	st.index.each(w, func(id int32) bool {
		matches = append(matches, st.targets[id]...)
		return true
	})
	for i, m := range matches {
		ok := true
		for j, o := range matches {
			if o.entity == m.entity && (j < i || o.canonical != m.canonical) {
				ok = false // said already, or two values of one entity: ambiguous
				break
			}
		}
		if ok {
			dst = append(dst, candidate{start: start, end: end, user: true, ent: Entity{Type: m.entity, Value: m.canonical}})
		}
	}
	return dst
}
