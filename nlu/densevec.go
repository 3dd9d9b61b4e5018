package nlu

import (
	"math"
	"strings"

	"github.com/parleyhq/parley/nlu/wordvec"
)

// denseDims is the length of the word-vector block: see hyperparams.vecWeight.
const denseDims = wordvec.Dims

// messageVector writes into dst (of length denseDims) the L2-normalised,
// IDF-weighted mean of the pretrained vectors of the message's Latin words,
// less vecCenter (then normalised again), and reports whether any word had
// one. Words the table lacks are split at
// their apostrophe as GloVe's tokenizer splits them ("don't" is "do" and
// "not"); a misspelled word takes the vector of the most frequent known word
// one edit away, when typos is set. Chinese text has no vectors, and a
// message with any gets none.
func (m *Model) messageVector(toks []token, dst []float32, typos bool) bool {
	clear(dst)
	mean := dst[:denseDims]
	var word [denseDims]float32
	var maxv []float32
	if m.vec.vecMax {
		maxv = dst[denseDims : 2*denseDims]
	}
	for _, tk := range toks {
		if tk.kind == tokCJK {
			// Chinese has no vectors: an English word or two in a Chinese
			// message ("我的iPhone坏了") would speak for all of it.
			return false
		}
	}
	found := false
	for _, tk := range toks {
		if tk.kind != tokWord {
			continue
		}
		w := m.vec.unknownIDF
		id, known := m.vec.vocab[hashString(saltWord, tk.text)&^flagBits|wordFeature]
		if known {
			w = m.vec.idf[id]
		}
		if !m.vec.vecIDF {
			w = 1
		}
		clear(word[:])
		// A word of the training data is no misspelling, whatever the
		// table says: "venmo" is not "venue".
		if !m.addCorrectedVector(word[:], tk.text, typos && !known) {
			continue
		}
		for j, x := range word {
			mean[j] += w * x
		}
		if maxv != nil {
			if !found {
				copy(maxv, word[:])
			} else {
				for j, x := range word {
					maxv[j] = max(maxv[j], x)
				}
			}
		}
		found = true
	}
	if !found {
		return false
	}
	scale := float32(1)
	if maxv != nil {
		scale = float32(1 / math.Sqrt2)
	}
	if m.vec.vecCenter != nil {
		return normalize(mean, 1) && m.vec.centre(mean)
	}
	return normalize(mean, scale) && (maxv == nil || normalize(maxv, scale))
}

// centre subtracts vecCenter from the unit vector v and normalises it
// again: what every message shares says little about which intent it is.
func (v *vectorizer) centre(x []float32) bool {
	for j, c := range v.vecCenter {
		x[j] -= c
	}
	return normalize(x, 1)
}

// fitCenter sets vecCenter to share times the mean of the training
// examples' unit message vectors (each its word-vector block before
// centring), or leaves it nil when none has one.
func (v *vectorizer) fitCenter(vs [][]float32, share float32) {
	if len(vs) == 0 || share <= 0 {
		return
	}
	c := make([]float32, denseDims)
	for _, x := range vs {
		for j := range c {
			c[j] += x[j]
		}
	}
	for j := range c {
		c[j] *= share / float32(len(vs))
	}
	v.vecCenter = c
}

// normalize scales v to length norm and reports whether it was not zero.
func normalize(v []float32, norm float32) bool {
	sum := 0.0
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return false
	}
	inv := norm / float32(math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
	return true
}

// addCorrectedVector is addWordVector, but a misspelling reads first as
// the model's own word (correction), so "invoce" takes the vector of
// "invoice", not that of the more frequent "invoke".
func (m *Model) addCorrectedVector(dst []float32, word string, typos bool) bool {
	if typos {
		if near := m.correction(word); near != "" && wordvec.Add(dst, near, 1) {
			return true
		}
	}
	return addWordVector(dst, word, 1, typos)
}

func addWordVector(dst []float32, word string, weight float32, typos bool) bool {
	if wordvec.Add(dst, word, weight) {
		return true
	}
	if i := strings.IndexByte(word, '\''); i > 0 {
		// GloVe's table has no contractions: "don't" reads as "do not".
		left, right := word[:i], word[i:]
		if strings.HasSuffix(word, "n't") {
			left, right = word[:len(word)-3], "n't"
		}
		a := wordvec.Add(dst, left, weight)
		b := false
		if full, ok := contractions[right]; ok {
			b = wordvec.Add(dst, full, weight)
		}
		return a || b
	}
	if typos {
		if near := wordvec.Nearest(word); near != "" {
			return wordvec.Add(dst, near, weight)
		}
	}
	return false
}

// contractions are the words English contractions stand for; "'s" is left
// out, being "is", "has" or a possessive.
var contractions = map[string]string{"n't": "not", "'m": "am", "'re": "are", "'ve": "have", "'ll": "will", "'d": "would"}

// appendCorrections appends, for each Latin word the model has never seen
// that reads as a misspelling of one of its words (correction), that word's
// features: a misspelled "refnd" then also reads as "refund".
func (m *Model) appendCorrections(dst []uint64, toks []token) []uint64 {
	for _, tk := range toks {
		if tk.kind != tokWord {
			continue
		}
		near := m.correction(tk.text)
		if near == "" {
			continue
		}
		h, hs := m.feat.wordHashes(near)
		dst = append(dst, h&^flagBits|wordFeature)
		if (m.feat.stem || m.feat.stemShared && hs != h) && m.knowsWord(hs) {
			dst = append(dst, hs&^flagBits|wordFeature)
		}
	}
	return dst
}

// knowsWord reports whether the word-level feature hash h is in the vocabulary.
func (m *Model) knowsWord(h uint64) bool {
	_, ok := m.vec.vocab[h&^flagBits|wordFeature]
	return ok
}
