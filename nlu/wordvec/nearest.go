package wordvec

import "sync"

// The misspelling index maps each string made by deleting one letter from a
// table word to the most frequent such word, keyed by the string's hash: a
// word one edit away from a table word shares one of these strings with it,
// or is one, or has a table word among its own deletions (SymSpell with
// distance 1). A lookup then costs about twice the word's length in hash
// probes rather than 54 times it, and stays well inside the parse budget.
var (
	deletesOnce sync.Once
	deletes     map[uint64]int32
	wordList    []string // by rank
)

func loadDeletes() {
	indexOnce.Do(load)
	wordList = make([]string, len(index))
	for w, i := range index {
		wordList[i] = w
	}
	deletes = make(map[uint64]int32, len(index)*7)
	// Built once, by PrepareNearest or the first Nearest: 70-110 ms, 10 MB.
	var buf []byte
	for i, w := range wordList {
		if len(w) < minTypoLen || !asciiLower(w) {
			continue
		}
		for j := range len(w) {
			buf = append(append(buf[:0], w[:j]...), w[j+1:]...)
			h := hashBytes(buf)
			if prev, ok := deletes[h]; !ok || int32(i) < prev {
				deletes[h] = int32(i)
			}
		}
	}
}

// PrepareNearest builds Nearest's index now, so that the first misspelled
// message does not wait for it.
func PrepareNearest() { deletesOnce.Do(loadDeletes) }

// Typo-correction limits: shorter words have too many neighbours to guess,
// longer ones are rarely words.
const (
	minTypoLen = 4
	maxTypoLen = 20
)

// Nearest returns the most frequent table word one edit (a letter deleted,
// inserted, replaced, or two neighbours swapped) from word, or "" when there
// is none or word is too short, too long, or not plain lower-case ASCII
// letters. Nearest is for words the table lacks.
func Nearest(word string) string {
	if len(word) < minTypoLen || len(word) > maxTypoLen || !asciiLower(word) {
		return ""
	}
	deletesOnce.Do(loadDeletes)
	best := int32(-1)
	consider := func(i int32) {
		if best < 0 || i < best {
			best = i
		}
	}
	// A letter missing from word: word is a deletion of a table word.
	if i, ok := deletes[hashBytes([]byte(word))]; ok && OneEdit(word, wordList[i]) {
		consider(i)
	}
	buf := make([]byte, 0, len(word))
	for j := range len(word) {
		buf = append(append(buf[:0], word[:j]...), word[j+1:]...)
		// A letter too many: the deletion is a table word.
		if i, ok := index[string(buf)]; ok {
			consider(i)
		}
		// A letter replaced or two swapped: both share a deletion.
		if i, ok := deletes[hashBytes(buf)]; ok && OneEdit(word, wordList[i]) {
			consider(i)
		}
	}
	if best < 0 {
		return ""
	}
	return wordList[best]
}

// OneEdit reports whether a and b differ by exactly one deletion, insertion,
// substitution or transposition of neighbours.
func OneEdit(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 1:
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return a[i+1:] == b[i:]
	case 0:
		i := 0
		for a[i] == b[i] {
			i++
		}
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return false
}

func asciiLower(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// hashBytes is 64-bit FNV-1a.
func hashBytes(b []byte) uint64 {
	h := uint64(0xcbf29ce484222325)
	for _, c := range b {
		h ^= uint64(c)
		h *= 0x100000001b3
	}
	return h
}
