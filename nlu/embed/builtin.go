// Package embed turns text into vectors for knowledge-base search.
//
// Every embedder implements langchaingo's embeddings.Embedder. The Builtin
// embedder needs no network and no downloaded weights: it hashes words, word
// pairs and character n-grams into a fixed-size vector weighted by IDF learned
// from the knowledge base. Providers (OpenAI, Ollama) are reached through
// langchaingo and wrapped so every vector this package hands out is
// L2-normalized, which makes the dot product a cosine.
package embed

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// builtinVersion changes whenever the feature extraction changes, so stores
// holding vectors from an older version know to re-index.
const builtinVersion = "v1"

// DefaultDimensions is the Builtin vector size when BuiltinOptions leaves it 0.
const DefaultDimensions = 384

// BuiltinOptions configures a Builtin embedder. The zero value is usable.
type BuiltinOptions struct {
	// Dimensions of the output vectors; 0 means DefaultDimensions.
	Dimensions int
}

// Builtin is the offline embedder: hashed lexical features weighted by IDF.
// It is safe for concurrent use, including Fit while other goroutines embed.
type Builtin struct {
	dim int
	idf atomic.Pointer[idfTable]
}

// idfTable is immutable once published so readers need no lock.
type idfTable struct {
	weights map[uint64]float32
	unseen  float32 // weight of a feature the corpus never had
	id      string  // short hash of the table, part of Name
}

// NewBuiltin returns an unfitted Builtin embedder: all features weigh the same
// until Fit learns IDF from a corpus.
func NewBuiltin(opts BuiltinOptions) *Builtin {
	dim := opts.Dimensions
	if dim <= 0 {
		dim = DefaultDimensions
	}
	return &Builtin{dim: dim}
}

// Dimensions is the length of every vector the embedder returns.
func (b *Builtin) Dimensions() int { return b.dim }

// Name identifies the embedder, its version, dimension and fitted IDF table.
// A store compares it with the name its vectors were made with: a different
// name means every vector must be recomputed.
func (b *Builtin) Name() string {
	idf := "uniform"
	if t := b.idf.Load(); t != nil {
		idf = "idf-" + t.id
	}
	return fmt.Sprintf("builtin-%s-%dd-%s", builtinVersion, b.dim, idf)
}

// Fit learns IDF weights from corpus, replacing any earlier fit. Features that
// occur in many documents (words like "order" in a shop's FAQ) then count for
// less than the rare ones that tell documents apart. An empty corpus resets the
// embedder to uniform weights.
func (b *Builtin) Fit(corpus []string) {
	if len(corpus) == 0 {
		b.idf.Store(nil)
		return
	}
	df := make(map[uint64]int)
	sc := getScratch()
	defer putScratch(sc)
	for _, doc := range corpus {
		sc.feats = extractFeatures(doc, sc.feats[:0])
		slices.SortFunc(sc.feats, func(x, y feature) int { return cmpUint64(x.hash, y.hash) })
		for i, f := range sc.feats {
			if i > 0 && sc.feats[i-1].hash == f.hash {
				continue
			}
			df[f.hash]++
		}
	}
	n := float64(len(corpus))
	t := &idfTable{
		weights: make(map[uint64]float32, len(df)),
		unseen:  float32(math.Log(1+n) + 1),
	}
	keys := make([]uint64, 0, len(df))
	for h, c := range df {
		t.weights[h] = float32(math.Log((1+n)/(1+float64(c))) + 1)
		keys = append(keys, h)
	}
	slices.Sort(keys)
	sum := sha256.New()
	var buf [12]byte
	for _, h := range keys {
		binary.LittleEndian.PutUint64(buf[:8], h)
		binary.LittleEndian.PutUint32(buf[8:], math.Float32bits(t.weights[h]))
		sum.Write(buf[:])
	}
	binary.LittleEndian.PutUint64(buf[:8], uint64(len(corpus)))
	sum.Write(buf[:8])
	t.id = hex.EncodeToString(sum.Sum(nil)[:6])
	b.idf.Store(t)
}

// EmbedDocuments embeds each text. It never fails except when ctx is done.
func (b *Builtin) EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	// One backing array keeps a large batch to a single allocation.
	backing := make([]float32, len(texts)*b.dim)
	sc := getScratch()
	defer putScratch(sc)
	for i, text := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("embed documents: %w", err)
			}
		}
		v := backing[i*b.dim : (i+1)*b.dim : (i+1)*b.dim]
		b.embedInto(text, v, sc)
		out[i] = v
	}
	return out, nil
}

// EmbedQuery embeds one text.
func (b *Builtin) EmbedQuery(ctx context.Context, text string) ([]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("embed query: %w", err)
	}
	v := make([]float32, b.dim)
	sc := getScratch()
	b.embedInto(text, v, sc)
	putScratch(sc)
	return v, nil
}

// Embed is EmbedQuery without a context, for callers outside a request.
func (b *Builtin) Embed(text string) []float32 {
	v := make([]float32, b.dim)
	sc := getScratch()
	b.embedInto(text, v, sc)
	putScratch(sc)
	return v
}

func (b *Builtin) embedInto(text string, v []float32, sc *scratch) {
	clear(v)
	sc.feats = extractFeatures(text, sc.feats[:0])
	if len(sc.feats) == 0 {
		return
	}
	slices.SortFunc(sc.feats, func(x, y feature) int { return cmpUint64(x.hash, y.hash) })
	t := b.idf.Load()
	dim := uint64(b.dim)
	feats := sc.feats
	for i := 0; i < len(feats); {
		j := i + 1
		for j < len(feats) && feats[j].hash == feats[i].hash {
			j++
		}
		f := feats[i]
		w := f.weight
		if j-i > 1 {
			w *= 1 + float32(math.Log(float64(j-i))) // sublinear TF
		}
		if t != nil {
			if idf, ok := t.weights[f.hash]; ok {
				w *= idf
			} else {
				w *= t.unseen
			}
		}
		m := mix64(f.hash)
		if m>>63 == 1 {
			w = -w
		}
		v[(m&(1<<62-1))%dim] += w
		i = j
	}
	Normalize(v)
}

func cmpUint64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mix64 is the splitmix64 finalizer: FNV's low bits are too regular to pick
// buckets from directly.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// feature is one hashed feature occurrence and the weight of its family.
type feature struct {
	hash   uint64
	weight float32
}

type scratch struct {
	feats []feature
	words []string
	runes []rune
	buf   []byte
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{feats: make([]feature, 0, 256), runes: make([]rune, 0, 64), buf: make([]byte, 0, 64)}
}}

func getScratch() *scratch  { return scratchPool.Get().(*scratch) }
func putScratch(s *scratch) { scratchPool.Put(s) }

// Feature families. Each family has its own hash seed so a word and a
// character n-gram that happen to be the same string stay distinct features.
const (
	famWord byte = iota + 1
	famBigram
	famChar
	famHan1
	famHan2
	famHan3
)

// Family weights: whole words carry the meaning; character n-grams are many
// per word and only there to forgive typos and inflections, so each is light.
// Single Chinese characters are ambiguous; pairs are closest to Chinese words.
const (
	weightWord   = 1.0
	weightBigram = 0.6
	weightChar   = 0.22
	weightHan1   = 0.35
	weightHan2   = 1.0
	weightHan3   = 0.6
)

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

func hashRunes(h uint64, rs []rune) uint64 {
	for _, r := range rs {
		h ^= uint64(r)
		h *= fnvPrime
	}
	return h
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
	text = normalizeText(text)
	var prevStem string
	havePrev := false
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') || r >= utf8.RuneSelf && !isHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			// A word: letters and digits, with apostrophes inside dropped
			// ("don't" -> "dont") rather than splitting it.
			start := i
			j := i
			apostrophe := false
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if r2 == '\'' || r2 == '’' {
					if j+s2 < len(text) {
						if r3, _ := utf8.DecodeRuneInString(text[j+s2:]); r3 < utf8.RuneSelf && r3 >= 'a' && r3 <= 'z' {
							apostrophe = true
							j += s2
							continue
						}
					}
					break
				}
				if isHan(r2) || !(unicode.IsLetter(r2) || unicode.IsDigit(r2) || unicode.Is(unicode.Mn, r2)) {
					break
				}
				j += s2
			}
			word := text[start:j]
			if apostrophe {
				word = strings.NewReplacer("'", "", "’", "").Replace(word)
			}
			i = j
			if englishStopwords[word] {
				continue
			}
			stem := stemEnglish(word)
			feats = append(feats, feature{hashString(hashStart(famWord), stem), weightWord})
			if havePrev {
				h := hashString(hashStart(famBigram), prevStem)
				h = hashString(h^' ', stem)
				feats = append(feats, feature{h, weightBigram})
			}
			prevStem, havePrev = stem, true
			if !isNumber(word) {
				feats = appendCharGrams(feats, word)
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
			feats = appendHanFeatures(feats, text[start:i])
			// Chinese words do not pair with the English word before them.
			havePrev = false
		default:
			i += size
		}
	}
	return feats
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// appendCharGrams adds the 3- to 5-rune n-grams of "<word>", so "shiping"
// still shares most of its n-grams with "shipping".
func appendCharGrams(feats []feature, word string) []feature {
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
	for n := 3; n <= 5; n++ {
		for s := 0; s+n <= len(rs); s++ {
			if n == len(rs) && n > 3 {
				continue // the whole "<word>" is the unigram already
			}
			feats = append(feats, feature{hashRunes(hashStart(famChar), rs[s:s+n]), weightChar})
		}
	}
	return feats
}

// appendHanFeatures adds character unigrams, bigrams and trigrams of a run of
// Chinese characters. Chinese has no spaces, so overlapping character pairs
// stand in for words. Function words (的, 了, 吗...) split the run instead
// of joining the characters around them.
func appendHanFeatures(feats []feature, run string) []feature {
	var arr [64]rune
	rs := arr[:0]
	flush := func() {
		for k := range rs {
			feats = append(feats, feature{hashRunes(hashStart(famHan1), rs[k:k+1]), weightHan1})
			if k+2 <= len(rs) {
				feats = append(feats, feature{hashRunes(hashStart(famHan2), rs[k:k+2]), weightHan2})
			}
			if k+3 <= len(rs) {
				feats = append(feats, feature{hashRunes(hashStart(famHan3), rs[k:k+3]), weightHan3})
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
