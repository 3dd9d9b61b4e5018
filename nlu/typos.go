package nlu

import (
	"cmp"
	"slices"

	"github.com/parleyhq/parley/nlu/wordvec"
)

// Misspelling limits. A typo is looked for only in words of minTypo to
// maxTypo letters a-z: shorter words have too many neighbours to guess
// ("form" and "from" are both words), longer ones are rarely words.
const (
	minTypo = 4
	maxTypo = 20
)

// fnvOffset starts an unsalted FNV-1a hash.
const fnvOffset uint64 = 0xcbf29ce484222325

// editIndex finds, among a fixed list of words, those one Damerau edit from
// a word: a letter deleted, inserted or replaced, or two neighbours swapped.
// Every string made by deleting one letter of a listed word is kept, by hash,
// beside the word; a word one edit away from a listed one then shares one of
// these strings with it, is one, or has the listed word among its own
// deletions (SymSpell with distance 1). A lookup costs about twice the
// word's length in binary searches, whatever the size of the list.
type editIndex struct {
	words []string         // in order of preference: lower ids are better
	exact map[string]int32 // words, by text
	keys  []uint64         // hashes of the words' one-letter deletions, sorted
	ids   []int32          // beside keys: the word each came from, ascending within a key
}

// newEditIndex indexes words (unique, in order of preference). Words shorter
// than minTypo are found only as a typo's deletion ("carr" for "car").
func newEditIndex(words []string) *editIndex {
	x := &editIndex{words: words, exact: make(map[string]int32, len(words))}
	type entry struct {
		key uint64
		id  int32
	}
	var entries []entry
	for i, w := range words {
		x.exact[w] = int32(i)
		if len(w) < minTypo {
			continue
		}
		for j := range len(w) {
			entries = append(entries, entry{hashDeletion(w, j), int32(i)})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.id, b.id))
	})
	entries = slices.Compact(entries) // "aab" loses its first or second a alike
	x.keys = make([]uint64, len(entries))
	x.ids = make([]int32, len(entries))
	for i, e := range entries {
		x.keys[i], x.ids[i] = e.key, e.id
	}
	return x
}

// hashDeletion hashes w without its byte j.
func hashDeletion(w string, j int) uint64 {
	return hashString(hashString(fnvOffset, w[:j]), w[j+1:])
}

// each calls fn with the id of every listed word one edit from w, better
// words first within each way of reaching them, until fn returns false. An
// id may come more than once; w itself, when listed, does not come.
func (x *editIndex) each(w string, fn func(id int32) bool) {
	if x == nil || len(x.words) == 0 || len(w) < minTypo || len(w) > maxTypo || !isASCIILower(w) {
		return
	}
	// probe visits the words with a deletion hashing to key that are
	// really one edit from w (a hash may be shared by chance).
	probe := func(key uint64) bool {
		i, _ := slices.BinarySearch(x.keys, key)
		for ; i < len(x.keys) && x.keys[i] == key; i++ {
			if id := x.ids[i]; wordvec.OneEdit(w, x.words[id]) && !fn(id) {
				return false
			}
		}
		return true
	}
	// A letter missing from w: w is a deletion of a listed word.
	if !probe(hashString(fnvOffset, w)) {
		return
	}
	var buf [maxTypo]byte
	for j := range len(w) {
		del := append(append(buf[:0], w[:j]...), w[j+1:]...)
		// A letter too many: the deletion is a listed word.
		if id, ok := x.exact[string(del)]; ok && !fn(id) {
			return
		}
		// A letter replaced or two swapped: both share a deletion.
		if !probe(hashDeletion(w, j)) {
			return
		}
	}
}

// best returns the most preferred listed word one edit from w, or "".
func (x *editIndex) best(w string) string {
	best := int32(-1)
	x.each(w, func(id int32) bool {
		if best < 0 || id < best {
			best = id
		}
		return true
	})
	if best < 0 {
		return ""
	}
	return x.words[best]
}

func isASCIILower(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return w != ""
}

// newTypoIndex indexes the words of the training data (of 3 or more letters
// a-z) that the model kept, in order of preference for reading a typo: the
// bot's own words by how often its examples use them, then by the pretrained
// table's frequency. So "invoce" is "invoice" in a bot about invoices, even
// though English writes "invoke" more often.
func newTypoIndex(counts map[string]int) *editIndex {
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	rank := func(w string) int {
		if r := wordvec.Rank(w); r >= 0 {
			return r
		}
		return wordvec.Len()
	}
	slices.SortFunc(words, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b))
	})
	return newEditIndex(words)
}

// correction returns the word of the model a Latin word it never saw is
// probably a misspelling of, or "": only for words of minTypo or more
// letters that are not English words themselves ("form" is no typo of
// "from") and not codes ("FN000499").
func (m *Model) correction(word string) string {
	if m.typos == nil || len(word) < minTypo || !isASCIILower(word) {
		return ""
	}
	if h, _ := m.feat.wordHashes(word); m.knowsWord(h) {
		return ""
	}
	if wordvec.Rank(word) >= 0 {
		return "" // a real word, only new to the model
	}
	return m.typos.best(word)
}

// chatWords are the short forms customers type for words bots' examples
// spell out: "can u come tmrw" is "can you come tomorrow".
var chatWords = map[string]string{
	"tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow",
	"u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks", "thnx": "thanks",
	"r": "are", "abt": "about", "b4": "before", "msg": "message", "ppl": "people", "cuz": "because", "coz": "because",
	"w": "with", "appt": "appointment", "appts": "appointments", "resched": "reschedule",
}

// fullWord returns the word a chat short form stands for, when the model
// knows that word and not the short form itself (an example that says
// "tmrw" keeps it), or "".
func (m *Model) fullWord(word string) string {
	full, ok := chatWords[word]
	if !ok {
		return ""
	}
	if h, _ := m.feat.wordHashes(word); m.knowsWord(h) {
		return ""
	}
	if h, _ := m.feat.wordHashes(full); !m.knowsWord(h) {
		return ""
	}
	return full
}
