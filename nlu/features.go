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
	saltNeg     uint64 = 0x3c6ef372fe94f82b
	saltStem    uint64 = 0xa54ff53a5f1d36f1
	saltStem2   uint64 = 0x510e527fade682d1
	fnvPrime    uint64 = 0x100000001b3
	maxWordRune        = 32 // longer "words" (hashes, URLs) get no character n-grams

	// wordFeature marks the hashes of word-level features (words, word
	// n-grams, entity placeholders) so the vectorizer can weigh them against
	// character n-grams; giving it a bit costs one bit of hash space.
	wordFeature uint64 = 1 << 63
	// keptFeature marks character features never pruned for rarity: a
	// Chinese character seen once may be all a bot's only Chinese example
	// of an intent shares with a customer's message.
	keptFeature uint64 = 1 << 62
	// optionalFeature marks features that say much when known and nothing
	// when not: a whole Chinese clause as a word matches a training example
	// or nothing, and an unseen clause must not count as an unknown word.
	optionalFeature uint64 = 1 << 61

	// flagBits are the bits above; every hash has them cleared before its
	// own are set, so no feature carries a flag by chance.
	flagBits = wordFeature | keptFeature | optionalFeature
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
	prevStem := uint64(0)
	negLeft := 0 // words left in a negation's scope
	for _, tk := range toks {
		if tk.clause {
			negLeft = 0
		}
		switch tk.kind {
		case tokWord, tokPlaceholder:
			var h, hs uint64
			if tk.kind == tokWord {
				h, hs = fs.wordHashes(tk.text)
			} else {
				h = hashString(saltEntity, tk.text)
				hs = h
			}
			dst = append(dst, h&^flagBits|wordFeature)
			if fs.negation > 0 {
				switch {
				case tk.kind == tokWord && negatesScope(tk.text):
					negLeft = fs.negation
				case negLeft > 0:
					negLeft--
					dst = append(dst, (h^saltNeg)*fnvPrime&^flagBits|wordFeature)
				}
			}
			switch {
			case fs.stem:
				dst = append(dst, hs&^flagBits|wordFeature)
				if havePrev {
					dst = append(dst, ((prevStem*31+hs)^saltStem2)&^flagBits|wordFeature)
				}
			case fs.stemShared:
				if hs != h {
					dst = append(dst, hs&^flagBits|wordFeature)
				}
				if havePrev && (hs != h || prevStem != prevWord) {
					dst = append(dst, ((prevStem*31+hs)^saltBigram)&^flagBits|wordFeature)
				}
			}
			if havePrev {
				dst = append(dst, ((prevWord*31+h)^saltBigram)&^flagBits|wordFeature)
				if fs.wordTrigrams && havePrevPrev {
					dst = append(dst, (((prevPrev*31+prevWord)*31+h)^saltTrigram)&^flagBits|wordFeature)
				}
			}
			prevPrev, havePrevPrev = prevWord, havePrev
			prevWord, havePrev = h, true
			prevStem = hs
			if tk.kind == tokWord {
				runeBuf = append(runeBuf[:0], '<')
				for _, r := range tk.text {
					runeBuf = append(runeBuf, r)
				}
				runeBuf = append(runeBuf, '>')
				if len(runeBuf) <= maxWordRune+2 {
					for n := fs.charMin; n <= fs.charMax; n++ {
						for i := 0; i+n <= len(runeBuf); i++ {
							dst = append(dst, hashRunes(saltChar+uint64(n), runeBuf[i:i+n])&^flagBits)
						}
					}
				}
			}
		case tokCJK:
			havePrev, havePrevPrev = false, false
			negLeft = 0
			runeBuf = runeBuf[:0]
			for _, r := range tk.text {
				runeBuf = append(runeBuf, r)
			}
			cjkMax := fs.cjkMax
			if cjkMax == 0 {
				cjkMax = 3
			}
			for n := 1; n <= cjkMax; n++ {
				for i := 0; i+n <= len(runeBuf); i++ {
					h := hashRunes(saltCJK+uint64(n), runeBuf[i:i+n]) &^ flagBits
					if n <= fs.cjkKeep {
						h |= keptFeature
					}
					dst = append(dst, h)
				}
			}
			if fs.cjkEdges && len(runeBuf) > 1 {
				// Where a clause starts and ends says much in Chinese: 吗 and
				// 呢 end questions, 我要 starts requests.
				dst = append(dst, hashRunes(saltCJK+11, runeBuf[:1])&^flagBits,
					hashRunes(saltCJK+12, runeBuf[len(runeBuf)-1:])&^flagBits,
					hashRunes(saltCJK+13, runeBuf[:2])&^flagBits,
					hashRunes(saltCJK+14, runeBuf[len(runeBuf)-2:])&^flagBits)
			}
			if fs.cjkRunWord && len(runeBuf) <= maxWordRune {
				// The whole clause as one word, as a word tokenizer reads
				// unsegmented Chinese: an exact match of a short example.
				dst = append(dst, hashString(saltWord, tk.text)&^flagBits|wordFeature|optionalFeature)
			}
			if fs.cjkWords {
				// Without a segmenter, a run's character bigrams stand in
				// for its words in the word block.
				for n := 1; n <= 2; n++ {
					for i := 0; i+n <= len(runeBuf); i++ {
						dst = append(dst, hashRunes(saltWord+uint64(n), runeBuf[i:i+n])&^flagBits|wordFeature)
					}
				}
			}
		}
	}
	return dst, runeBuf
}

// wordHashes returns the hashes (flags not yet set) of a word's unigram
// feature and, with stemming, of its stem's.
func (fs featureSet) wordHashes(w string) (h, hs uint64) {
	h = hashString(saltWord, w)
	switch {
	case fs.stem && fs.stemIdentity:
		hs = hashString(saltStem, w)
	case fs.stem:
		hs = hashString(saltStem, lightStem(w))
	case fs.stemShared:
		hs = hashString(saltWord, lightStem(w))
	}
	return h, hs
}

// featureSet chooses the features a model uses.
type featureSet struct {
	charMin, charMax int // character n-gram lengths of Latin words
	wordTrigrams     bool
	cjkMax           int  // longest CJK character n-gram; 0 means 3
	cjkWords         bool // CJK character unigrams and bigrams also count as word features
	cjkKeep          int  // CJK n-grams up to this long are never pruned (keptFeature)
	cjkEdges         bool // features for the first and last characters of a CJK run
	cjkRunWord       bool // a whole CJK run is also a word feature
	// negation adds a marked copy of the words in a negation's scope: up to
	// this many words after "not", "didn't", ..., within the clause.
	negation int
	// stem adds the unigrams and bigrams of the words' lightStem forms
	// beside the words'.
	stem bool
	// stemShared adds a word's stem, where it differs from the word, as
	// the word feature the stem would be ("cards" also counts as "card"),
	// and so for word bigrams.
	stemShared bool
	// stemIdentity makes stem's copy the words themselves, to tell the
	// stemming from the second copy (validation only).
	stemIdentity bool
}

// sparseVec is an L2-normalized feature vector.
type sparseVec struct {
	idx []int32
	val []float32
	// coverage is the share of the message's weight the model knows: the
	// norm the vector would have if features never seen in training kept
	// their place in it (1 when every feature is known).
	coverage float64
}

// vectorizer turns feature hashes into TF-IDF vectors over a vocabulary
// learned at training time.
type vectorizer struct {
	vocab      map[uint64]int32
	idf        []float32
	unknownIDF float32
	wordWeight float32 // 0 means 1: see hyperparams.wordWeight
	// blocks normalises word-level and character-level features separately,
	// as a union of two TF-IDF vectorisers does; the word block is then scaled
	// by wordWeight and the whole by 1/sqrt(1+wordWeight²), so the vector
	// keeps unit length. Otherwise the idf of word features carries the
	// weight and one norm covers both.
	blocks bool
	// ignoreUnknown leaves features never seen in training out of the norm.
	ignoreUnknown bool
	// vecWeight, when above 0, adds a block (the third with blocks): the
	// message's mean pretrained word vector (messageVector), of norm
	// vecWeight against the other blocks' 1 (with blocks: the word block's
	// wordWeight) before the whole is scaled to unit length. Its features
	// follow the vocabulary's, from index len(idf).
	vecWeight float64
	vecIDF    bool // the mean is weighted by each word's IDF
	vecTypos  bool // a misspelled word takes its nearest known word's vector
	vecMax    bool // the block also holds the per-dimension maximum over the words
	// vecCenter, when set, is subtracted from the unit mean vector: a share
	// of the training messages' mean (hyperparams.vecCenter).
	vecCenter []float32
	// typoWords: at parse time, a word unknown to the model that is one
	// edit from a word it knows (Model.correction) also counts as that word.
	typoWords bool
}

// denseLen is the length of the word-vector block.
func (v *vectorizer) denseLen() int {
	switch {
	case v.vecWeight <= 0:
		return 0
	case v.vecMax:
		return 2 * denseDims
	}
	return denseDims
}

// dims is the number of feature indices: the vocabulary, then the word-vector block.
func (v *vectorizer) dims() int {
	return len(v.idf) + v.denseLen()
}

// vectorize sorts hashes in place and returns the sublinear TF-IDF vector.
// Features never seen in training carry no weight but still count towards the
// norm, so a message made mostly of unknown words gets a weak, uncertain score.
// dense is the message's word-vector block, or nil when it has none.
func (v *vectorizer) vectorize(hashes []uint64, dense []float32, dst sparseVec) sparseVec {
	slices.Sort(hashes)
	dst.idx, dst.val = dst.idx[:0], dst.val[:0]
	var sumSq, wordSq, knownSq, knownWordSq float64
	firstWord := -1 // word features sort after character ones: the top bit marks them
	for i := 0; i < len(hashes); {
		j := i + 1
		for j < len(hashes) && hashes[j] == hashes[i] {
			j++
		}
		tf := 1 + math.Log(float64(j-i))
		isWord := hashes[i]&wordFeature != 0
		if isWord && firstWord < 0 {
			firstWord = len(dst.idx)
		}
		var w float64
		if id, ok := v.vocab[hashes[i]]; ok {
			w = tf * float64(v.idf[id])
			dst.idx = append(dst.idx, id)
			dst.val = append(dst.val, float32(w))
			if isWord {
				knownWordSq += w * w
			} else {
				knownSq += w * w
			}
		} else if hashes[i]&optionalFeature == 0 {
			w = tf * float64(v.unknownIDF)
			if isWord && v.wordWeight != 0 && !v.blocks {
				w *= float64(v.wordWeight)
			}
		}
		if isWord {
			wordSq += w * w
		} else {
			sumSq += w * w
		}
		i = j
	}
	dst.coverage = 1
	if !v.blocks {
		sumSq += wordSq
		knownSq += knownWordSq
		if v.ignoreUnknown {
			if sumSq > 0 {
				dst.coverage = math.Sqrt(knownSq / sumSq)
			}
			sumSq = knownSq
		}
		sparseScale, vecScale := 1.0, 0.0
		if vw := v.vecWeight; vw > 0 && dense != nil {
			if sumSq > 0 {
				sparseScale = 1 / math.Sqrt(1+vw*vw)
				vecScale = vw * sparseScale
			} else {
				sparseScale, vecScale = 0, 1
			}
			dst.coverage = math.Sqrt(sparseScale*sparseScale*dst.coverage*dst.coverage + vecScale*vecScale)
		}
		if sumSq > 0 {
			inv := float32(sparseScale / math.Sqrt(sumSq))
			for i := range dst.val {
				dst.val[i] *= inv
			}
		}
		return v.appendDense(dst, dense, vecScale)
	}
	if firstWord < 0 {
		firstWord = len(dst.idx)
	}
	ww := float64(v.wordWeight)
	if ww == 0 {
		ww = 1
	}
	cw := 1.0
	if sumSq == 0 {
		cw = 0
	}
	if wordSq == 0 {
		ww = 0
	}
	vw := v.vecWeight
	if dense == nil {
		vw = 0
	}
	if cw == 0 && ww == 0 && vw == 0 {
		return dst
	}
	total := math.Sqrt(cw*cw + ww*ww + vw*vw)
	charScale, wordScale, vecScale := cw/total, ww/total, vw/total
	if v.ignoreUnknown {
		// Each block is normalised over what the model knows of it; the
		// coverage keeps what it does not know.
		cov := 0.0
		if sumSq > 0 {
			cov += charScale * charScale * knownSq / sumSq
		}
		if wordSq > 0 {
			cov += wordScale * wordScale * knownWordSq / wordSq
		}
		dst.coverage = math.Sqrt(cov + vecScale*vecScale)
		sumSq, wordSq = knownSq, knownWordSq
	}
	charInv := float32(charScale / math.Sqrt(max(sumSq, 1e-300)))
	wordInv := float32(wordScale / math.Sqrt(max(wordSq, 1e-300)))
	for i := range dst.val {
		if i < firstWord {
			dst.val[i] *= charInv
		} else {
			dst.val[i] *= wordInv
		}
	}
	return v.appendDense(dst, dense, vecScale)
}

// appendDense appends the word-vector block, scaled, after the vocabulary's
// features.
func (v *vectorizer) appendDense(dst sparseVec, dense []float32, scale float64) sparseVec {
	if scale <= 0 {
		return dst
	}
	base := int32(len(v.idf))
	for j, x := range dense {
		if x == 0 {
			continue // a stored zero would stall AdaGrad at 0/0
		}
		dst.idx = append(dst.idx, base+int32(j))
		dst.val = append(dst.val, x*float32(scale))
	}
	return dst
}
