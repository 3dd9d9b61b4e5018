// Package embed turns text into vectors for knowledge-base search.
//
// Every embedder implements langchaingo's embeddings.Embedder. The Builtin
// embedder needs no network and no downloaded weights: it hashes words, word
// pairs, character n-grams and customer-service concepts into a fixed-size
// vector weighted by IDF learned from the knowledge base. Providers (OpenAI, Ollama) are reached through
// langchaingo and wrapped so every vector this package hands out is
// L2-normalized, which makes the dot product a cosine.
package embed

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// builtinVersion changes whenever the feature extraction changes, so stores
// holding vectors from an older version know to re-index.
const builtinVersion = "v2"

// DefaultDimensions is the Builtin vector size when BuiltinOptions leaves it 0.
// Fewer dimensions make more features share an index, which blurs them: on
// the shop evaluation set 1024 ranks the right answer first six to seven
// points more often than 384 (see engine/knowledge/eval_test.go). It stays
// under pgvector's 2000-dimension limit for HNSW indexes; exact in-process
// search costs about 1.2 ms per 1,000 chunks a query (BenchmarkTopK).
const DefaultDimensions = 1024

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
	weights map[uint64]vocabEntry
	unseen  float32 // weight of a feature the corpus never had
	id      string  // short hash of the table, part of Name
}

// vocabEntry is what Fit learned about one feature of the corpus.
type vocabEntry struct {
	idf    float32
	bucket int32 // the vector index it adds to; -1: by hash
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
// less than the rare ones that tell documents apart. The corpus's features
// are also dealt out evenly over the vector's indexes, heaviest first, rather
// than hashed: hashing piles some indexes high by chance, and features that
// share an index blur into each other. An empty corpus resets the embedder to
// uniform weights and hashing.
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
		weights: make(map[uint64]vocabEntry, len(df)),
		unseen:  float32(math.Log(1+n) + tuning.idfFloor),
	}
	keys := make([]uint64, 0, len(df))
	for h, c := range df {
		t.weights[h] = vocabEntry{idf: float32(math.Log((1+n)/(1+float64(c))) + tuning.idfFloor), bucket: -1}
		keys = append(keys, h)
	}
	slices.Sort(keys)
	if tuning.vocabBuckets && b.dim > 1 {
		// Index 0 is kept for the features the corpus lacks (see embedInto).
		byWeight := slices.Clone(keys)
		slices.SortStableFunc(byWeight, func(x, y uint64) int { return cmp.Compare(t.weights[y].idf, t.weights[x].idf) })
		for i, h := range byWeight {
			e := t.weights[h]
			e.bucket = int32(1 + i%(b.dim-1))
			t.weights[h] = e
		}
	}
	sum := sha256.New()
	var buf [12]byte
	for _, h := range keys {
		binary.LittleEndian.PutUint64(buf[:8], h)
		binary.LittleEndian.PutUint32(buf[8:], math.Float32bits(t.weights[h].idf))
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
	// With a fitted vocabulary, index 0 holds the weight of the features no
	// document has: they cannot match anything, so spreading them over the
	// other indexes would only add noise, but they still make the vector
	// longer, and the cosine lower, as they should.
	reserve := t != nil && tuning.unseenBucket && dim > 1
	first := uint64(0)
	if reserve {
		first, dim = 1, dim-1
	}
	var unseenSq float64
	var unseenSign uint64
	feats := sc.feats
	for i := 0; i < len(feats); {
		j := i + 1
		for j < len(feats) && feats[j].hash == feats[i].hash {
			j++
		}
		f := feats[i]
		w := f.weight
		if tf := float32(j - i); tf > 1 {
			w *= 1 + float32(math.Log(float64(tf))) // sublinear TF
		}
		m := mix64(f.hash ^ tuning.seed)
		bucket := first + (m&(1<<62-1))%dim
		if t != nil {
			if e, ok := t.weights[f.hash]; ok {
				w *= e.idf
				if e.bucket >= 0 {
					bucket = uint64(e.bucket)
				}
			} else {
				w *= t.unseen
				if reserve {
					unseenSq += float64(w) * float64(w)
					unseenSign ^= m
					i = j
					continue
				}
			}
		}
		if m>>63 == 1 {
			w = -w
		}
		v[bucket] += w
		i = j
	}
	if unseenSq > 0 {
		// A sign from the features themselves keeps two unrelated texts from
		// meeting in this index while an identical text still does.
		w := float32(math.Sqrt(unseenSq))
		if unseenSign>>63 == 1 {
			w = -w
		}
		v[0] = w
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
	runes []rune
	buf   []byte
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{feats: make([]feature, 0, 256), runes: make([]rune, 0, 64), buf: make([]byte, 0, 64)}
}}

func getScratch() *scratch  { return scratchPool.Get().(*scratch) }
func putScratch(s *scratch) { scratchPool.Put(s) }
