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
// and reports whether any word had one. Words the table lacks are split at
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
		if a := m.vec.vecSIF; a > 0 {
			// SIF (Arora et al., 2017): a/(a + p(w)), p the share of
			// training examples holding the word; unknown words weigh 1.
			p := float32(0)
			if known {
				p = float32(((m.vec.vecN+1)*math.Exp(1-float64(m.vec.idf[id])) - 1) / m.vec.vecN)
			}
			w = a / (a + p)
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
	if m.vec.vecCenter != nil || m.vec.vecPC != nil {
		if !normalize(mean, 1) {
			return false
		}
		m.vec.removeCommon(mean)
	}
	return normalize(mean, scale) && (maxv == nil || normalize(maxv, scale))
}

// removeCommon subtracts from a unit message vector what every message
// shares: the training messages' mean (vecCenter) and its component along
// their first principal axis (vecPC), as SIF does.
func (v *vectorizer) removeCommon(x []float32) {
	for j, c := range v.vecCenter {
		x[j] -= c
	}
	if u := v.vecPC; u != nil {
		d := float32(0)
		for j, c := range u {
			d += c * x[j]
		}
		for j, c := range u {
			x[j] -= d * c
		}
	}
}

// fitCommon sets vecCenter (center) and then vecPC (pc) from the unit
// message vectors of the training examples, rows of denseDims in vs.
func (v *vectorizer) fitCommon(vs [][]float32, center, pc bool) {
	if len(vs) == 0 {
		return
	}
	if center {
		c := make([]float32, denseDims)
		for _, x := range vs {
			for j := range c {
				c[j] += x[j] / float32(len(vs))
			}
		}
		v.vecCenter = c
	}
	if !pc {
		return
	}
	// The first principal axis of the (uncentred, as SIF) vectors, by power
	// iteration on their second-moment matrix.
	var cov [denseDims * denseDims]float64
	var y [denseDims]float64
	for _, x := range vs {
		for j := range denseDims {
			y[j] = float64(x[j])
			if v.vecCenter != nil {
				y[j] -= float64(v.vecCenter[j])
			}
		}
		for a := range denseDims {
			for b := range denseDims {
				cov[a*denseDims+b] += y[a] * y[b]
			}
		}
	}
	u := make([]float64, denseDims)
	for j := range u {
		u[j] = 1
	}
	for range 200 {
		next := make([]float64, denseDims)
		norm := 0.0
		for a := range denseDims {
			for b := range denseDims {
				next[a] += cov[a*denseDims+b] * u[b]
			}
			norm += next[a] * next[a]
		}
		norm = math.Sqrt(norm)
		for a := range next {
			next[a] /= norm
		}
		u = next
	}
	v.vecPC = make([]float32, denseDims)
	for j := range u {
		v.vecPC[j] = float32(u[j])
	}
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
