package embed

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Feature families. Each family has its own hash seed so a word and a
// character n-gram that happen to be the same string stay distinct features.
const (
	famWord byte = iota + 1
	famBigram
	famChar
	famHan1
	famHan2
	famHan3
	famConcept
	famConceptEn
	famConceptZh
)

// params are the weights of the feature families and the switches of the
// term weighting. They were chosen on the DEV half of the shop evaluation set
// (engine/knowledge/eval_test.go, tune_test.go here), each averaged over
// several hash seeds so no choice rests on lucky collisions.
type params struct {
	// Whole English words carry the meaning; word pairs catch phrases
	// ("next day", "gift card"); character n-grams are many per word and only
	// there to forgive typos and inflections, so each is light.
	word, wordPair, charGram float32
	charMin, charMax         int
	// Single Chinese characters are ambiguous; pairs are closest to Chinese
	// words; triples mostly repeat what the pairs say.
	han1, han2, han3 float32
	// concept is the weight of a concept feature (see concepts.go), one per
	// language; conceptCross the weight of the same concept shared by both
	// languages, so a question can also find the chunk of the other language
	// without pulling it above the chunk in its own.
	concept, conceptCross float32
	// durations adds the duration concept for a number followed by a unit
	// of time ("30 days", "48 小时", "七天"), which answers "how long" and 多久.
	durations bool
	// idfFloor is added to ln((1+n)/(1+df)), so a feature found in every
	// document still counts a little.
	idfFloor float64
	// unseenBucket puts the weight of the features the fitted corpus never
	// had in index 0 instead of hashing them over the others (see embedInto).
	unseenBucket bool
	// vocabBuckets deals the fitted vocabulary out evenly over the indexes,
	// heaviest features first, instead of hashing it (see Fit).
	vocabBuckets bool
	// seed changes which index and sign each hashed feature gets; 0 ships,
	// others tell how much a measurement owes to lucky collisions.
	seed uint64
}

var defaultParams = params{
	word: 1.0, wordPair: 0.6, charGram: 0.22, charMin: 3, charMax: 5,
	han1: 0.35, han2: 1.0, han3: 0.6,
	concept: 1.0, conceptCross: 0.3,
	durations:    true,
	idfFloor:     1,
	unseenBucket: true,
	vocabBuckets: true,
}

// tuning is what the embedder uses; tests swap it to compare variants.
var tuning = defaultParams

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashStart(fam byte) uint64 {
	return (fnvOffset ^ uint64(fam)) * fnvPrime
}

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashRune(h uint64, r rune) uint64 {
	h ^= uint64(r)
	return h * fnvPrime
}

func hashRunes(h uint64, rs []rune) uint64 {
	for _, r := range rs {
		h = hashRune(h, r)
	}
	return h
}

// pairHash is the hash of two word stems in a row: the word pair feature, and
// the key of two-word concept terms.
func pairHash(first, second string) uint64 {
	h := hashString(hashStart(famBigram), first)
	return hashString(h^' ', second)
}

// normalizeText lowercases and applies NFKC so full-width "ＡＢＣ１２３" and
// "abc123" are the same text. ASCII text skips NFKC, which it cannot change.
func normalizeText(text string) string {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		text = norm.NFKC.String(text)
		return strings.ToLower(text)
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(text)
		}
	}
	return text
}

func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r)
}

// extractFeatures appends the features of text to feats.
func extractFeatures(text string, feats []feature) []feature {
	p := &tuning
	cs := conceptTable.Load()
	text = normalizeText(text)
	var prevStem, prevPrevStem string
	havePrev, havePrevPrev := false, false
	afterNumber := false
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') || r >= utf8.RuneSelf && !isHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			word, next := scanWord(text, i)
			i = next
			if englishStopwords[word] {
				continue
			}
			stem := stemEnglish(word)
			if p.durations && afterNumber && englishTimeUnits[stem] {
				feats = cs.appendFeatures(feats, cs.duration, p, famConceptEn)
			}
			afterNumber = isNumber(word) || englishNumbers[word]
			wh := hashString(hashStart(famWord), stem)
			feats = append(feats, feature{wh, p.word})
			feats = cs.appendFeatures(feats, cs.en[wh], p, famConceptEn)
			if havePrev {
				ph := pairHash(prevStem, stem)
				feats = append(feats, feature{ph, p.wordPair})
				feats = cs.appendFeatures(feats, cs.en[ph], p, famConceptEn)
				if havePrevPrev {
					feats = cs.appendFeatures(feats, cs.en[hashString(ph^' ', prevPrevStem)], p, famConceptEn)
				}
			}
			prevPrevStem, havePrevPrev = prevStem, havePrev
			prevStem, havePrev = stem, true
			if !isNumber(word) {
				feats = appendCharGrams(feats, word, p)
			}
		case isHan(r):
			start := i
			for i < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[i:])
				if !isHan(r2) {
					break
				}
				i += s2
			}
			feats = appendHanFeatures(feats, text[start:i], p)
			feats = appendHanConcepts(feats, text[start:i], afterNumber, cs, p)
			afterNumber = false
			// Chinese words do not pair with the English word before them.
			havePrev, havePrevPrev = false, false
		default:
			i += size
		}
	}
	return feats
}

// scanWord returns the word starting at text[i] (letters and digits, with
// apostrophes inside dropped: "don't" is "dont") and where it ends.
func scanWord(text string, i int) (string, int) {
	start, j := i, i
	apostrophe := false
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if r == '\'' || r == '’' {
			if j+size < len(text) {
				if r3, _ := utf8.DecodeRuneInString(text[j+size:]); r3 < utf8.RuneSelf && r3 >= 'a' && r3 <= 'z' {
					apostrophe = true
					j += size
					continue
				}
			}
			break
		}
		if isHan(r) || !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			break
		}
		j += size
	}
	word := text[start:j]
	if apostrophe {
		word = strings.NewReplacer("'", "", "’", "").Replace(word)
	}
	return word, j
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// appendCharGrams adds the character n-grams of "<word>", so "shiping" still
// shares most of its n-grams with "shipping".
func appendCharGrams(feats []feature, word string, p *params) []feature {
	if p.charGram == 0 {
		return feats
	}
	var arr [40]rune
	rs := arr[:0]
	rs = append(rs, '<')
	for _, r := range word {
		if len(rs) == len(arr)-1 {
			break // very long tokens (URLs, hashes) need no more n-grams
		}
		rs = append(rs, r)
	}
	rs = append(rs, '>')
	for n := p.charMin; n <= p.charMax; n++ {
		for s := 0; s+n <= len(rs); s++ {
			if n == len(rs) && n > 3 {
				continue // the whole "<word>" is the unigram already
			}
			feats = append(feats, feature{hashRunes(hashStart(famChar), rs[s:s+n]), p.charGram})
		}
	}
	return feats
}

// appendHanFeatures adds character unigrams, bigrams and trigrams of a run of
// Chinese characters. Chinese has no spaces, so overlapping character pairs
// stand in for words. Function words (的, 了, 吗...) split the run instead
// of joining the characters around them.
func appendHanFeatures(feats []feature, run string, p *params) []feature {
	var arr [64]rune
	rs := arr[:0]
	flush := func() {
		for k := range rs {
			if p.han1 != 0 {
				feats = append(feats, feature{hashRunes(hashStart(famHan1), rs[k:k+1]), p.han1})
			}
			if k+2 <= len(rs) && p.han2 != 0 {
				feats = append(feats, feature{hashRunes(hashStart(famHan2), rs[k:k+2]), p.han2})
			}
			if k+3 <= len(rs) && p.han3 != 0 {
				feats = append(feats, feature{hashRunes(hashStart(famHan3), rs[k:k+3]), p.han3})
			}
		}
		rs = rs[:0]
	}
	for i := 0; i < len(run); {
		if n := chineseStopwordAt(run[i:]); n > 0 {
			flush()
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(run[i:])
		if len(rs) == cap(arr) {
			flush()
		}
		rs = append(rs, r)
		i += size
	}
	flush()
	return feats
}

// appendHanConcepts adds the concepts of the Chinese terms in run, matching
// the longest term first and going on after it, so 退款 (refund) does not also
// count as 退 (return). A numeral followed by a unit of time (七天, or 30 天
// when afterNumber says the text before the run ended in a number) adds the
// duration concept.
func appendHanConcepts(feats []feature, run string, afterNumber bool, cs *concepts, p *params) []feature {
	for i := 0; i < len(run); {
		if p.durations && afterNumber {
			if n := chineseTimeUnitAt(run[i:]); n > 0 {
				feats = cs.appendFeatures(feats, cs.duration, p, famConceptZh)
				i += n
				afterNumber = false
				continue
			}
		}
		if matched, end := cs.zhTermAt(run, i); end > 0 {
			feats = cs.appendFeatures(feats, matched, p, famConceptZh)
			i = end
			afterNumber = false
			continue
		}
		r, size := utf8.DecodeRuneInString(run[i:])
		afterNumber = strings.ContainsRune(chineseNumerals, r)
		i += size
	}
	return feats
}

// zhTermAt returns the concepts of the longest Chinese term at run[i:] and
// where it ends, or an end of 0.
func (cs *concepts) zhTermAt(run string, i int) (matched []uint32, end int) {
	h := hashStart(famHan2)
	for n := 0; n < cs.zhMaxRunes && i < len(run); n++ {
		r, size := utf8.DecodeRuneInString(run[i:])
		i += size
		h = hashRune(h, r)
		if c, ok := cs.zh[h]; ok {
			matched, end = c, i
		}
	}
	return matched, end
}

// englishTimeUnits are the stems of units of time; after a number they state
// a duration.
var englishTimeUnits = setOf("day", "hour", "week", "month", "year", "minute", "min", "hr", "working")

var englishNumbers = setOf("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "fifteen", "twenty", "thirty", "few", "several", "many")

const chineseNumerals = "一二三四五六七八九十百两几零半"

var chineseTimeUnits = []string{"个工作日", "个小时", "个月", "工作日", "小时", "分钟", "星期", "天", "日", "周", "年", "月"}

// chineseTimeUnitAt returns the byte length of the unit of time at the start
// of s, or 0.
func chineseTimeUnitAt(s string) int {
	for _, u := range chineseTimeUnits {
		if strings.HasPrefix(s, u) {
			return len(u)
		}
	}
	return 0
}
