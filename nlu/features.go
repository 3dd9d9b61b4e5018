package nlu

import (
	"math"
	"slices"
)

// Feature hashes are salted by kind so a word and a character n-gram with the
// same letters stay distinct features.
const (
	saltWord    uint64 = 0xcbf29ce484222325
	saltBigram  uint64 = 0x84222325cbf29ce4
	saltTrigram uint64 = 0x27d4eb4f84222325
	saltChar    uint64 = 0x9e3779b97f4a7c15
	saltCJK     uint64 = 0xc2b2ae3d27d4eb4f
	saltEntity  uint64 = 0x165667b19e3779f9
	fnvPrime    uint64 = 0x100000001b3
	maxWordRune        = 32 // longer "words" (hashes, URLs) get no character n-grams

	// wordFeature marks the hashes of word-level features (words, word
	// n-grams, entity placeholders) so the vectorizer can weigh them against
	// character n-grams; giving it a bit costs one bit of hash space.
	wordFeature uint64 = 1 << 63
)

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashRunes(h uint64, rs []rune) uint64 {
	for _, r := range rs {
		h ^= uint64(r)
		h *= fnvPrime
		h ^= h >> 29
	}
	return h
}

// appendFeatures appends the hashed features of a token sequence: word
// unigrams and bigrams, character 2-4-grams of each word with boundary
// markers, CJK character 1-3-grams, and one feature per entity placeholder.
// runeBuf is scratch space.
func (fs featureSet) appendFeatures(dst []uint64, toks []token, runeBuf []rune) ([]uint64, []rune) {
	prevWord, prevPrev := uint64(0), uint64(0)
	havePrev, havePrevPrev := false, false
	for _, tk := range toks {
		switch tk.kind {
		case tokWord, tokPlaceholder:
			var h uint64
			if tk.kind == tokWord {
				h = hashString(saltWord, tk.text)
			} else {
				h = hashString(saltEntity, tk.text)
			}
			dst = append(dst, h|wordFeature)
			if havePrev {
				dst = append(dst, ((prevWord*31+h)^saltBigram)|wordFeature)
				if fs.wordTrigrams && havePrevPrev {
					dst = append(dst, (((prevPrev*31+prevWord)*31+h)^saltTrigram)|wordFeature)
				}
			}
			prevPrev, havePrevPrev = prevWord, havePrev
			prevWord, havePrev = h, true
			if tk.kind == tokWord {
				runeBuf = append(runeBuf[:0], '<')
				for _, r := range tk.text {
					runeBuf = append(runeBuf, r)
				}
				runeBuf = append(runeBuf, '>')
				if len(runeBuf) <= maxWordRune+2 {
					for n := fs.charMin; n <= fs.charMax; n++ {
						for i := 0; i+n <= len(runeBuf); i++ {
							dst = append(dst, hashRunes(saltChar+uint64(n), runeBuf[i:i+n])&^wordFeature)
						}
					}
				}
			}
		case tokCJK:
			havePrev, havePrevPrev = false, false
			runeBuf = runeBuf[:0]
			for _, r := range tk.text {
				runeBuf = append(runeBuf, r)
			}
			for n := 1; n <= 3; n++ {
				for i := 0; i+n <= len(runeBuf); i++ {
					dst = append(dst, hashRunes(saltCJK+uint64(n), runeBuf[i:i+n])&^wordFeature)
				}
			}
		}
	}
	return dst, runeBuf
}

// featureSet chooses the features a model uses.
type featureSet struct {
	charMin, charMax int // character n-gram lengths of Latin words
	wordTrigrams     bool
}

// sparseVec is an L2-normalized feature vector.
type sparseVec struct {
	idx []int32
	val []float32
}

// vectorizer turns feature hashes into TF-IDF vectors over a vocabulary
// learned at training time.
type vectorizer struct {
	vocab      map[uint64]int32
	idf        []float32
	unknownIDF float32
	wordWeight float32 // 0 means 1: see hyperparams.wordWeight
}

// vectorize sorts hashes in place and returns the sublinear TF-IDF vector.
// Features never seen in training carry no weight but still count towards the
// norm, so a message made mostly of unknown words gets a weak, uncertain score.
func (v *vectorizer) vectorize(hashes []uint64, dst sparseVec) sparseVec {
	slices.Sort(hashes)
	dst.idx, dst.val = dst.idx[:0], dst.val[:0]
	var sumSq float64
	for i := 0; i < len(hashes); {
		j := i + 1
		for j < len(hashes) && hashes[j] == hashes[i] {
			j++
		}
		tf := 1 + math.Log(float64(j-i))
		if id, ok := v.vocab[hashes[i]]; ok {
			w := tf * float64(v.idf[id])
			dst.idx = append(dst.idx, id)
			dst.val = append(dst.val, float32(w))
			sumSq += w * w
		} else {
			w := tf * float64(v.unknownIDF)
			if hashes[i]&wordFeature != 0 && v.wordWeight != 0 {
				w *= float64(v.wordWeight)
			}
			sumSq += w * w
		}
		i = j
	}
	if sumSq > 0 {
		inv := float32(1 / math.Sqrt(sumSq))
		for i := range dst.val {
			dst.val[i] *= inv
		}
	}
	return dst
}
