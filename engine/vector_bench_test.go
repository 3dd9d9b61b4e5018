package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

const benchDims = 384

// clusteredVectors makes n unit vectors around a few hundred centres, as real
// embeddings of FAQ-like text cluster by topic. Deterministic for a seed.
func clusteredVectors(n int, seed uint64) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	centres := make([][]float32, 256)
	for i := range centres {
		centres[i] = randomUnit(r, nil, 1)
	}
	out := make([][]float32, n)
	for i := range out {
		out[i] = randomUnit(r, centres[r.IntN(len(centres))], 0.5)
	}
	return out
}

func randomUnit(r *rand.Rand, centre []float32, noise float64) []float32 {
	v := make([]float32, benchDims)
	var norm float64
	// Noise per dimension scaled so its whole length is about `noise`.
	scale := noise / math.Sqrt(benchDims)
	for i := range v {
		x := r.NormFloat64() * scale
		if centre != nil {
			x += float64(centre[i])
		}
		v[i] = float32(x)
		norm += x * x
	}
	norm = math.Sqrt(norm)
	for i := range v {
		v[i] = float32(float64(v[i]) / norm)
	}
	return v
}

// exactTopK is the ground truth recall is measured against.
func exactTopK(q []float32, vecs [][]float32, k int) map[int]bool {
	type scored struct {
		i int
		s float32
	}
	all := make([]scored, len(vecs))
	for i, v := range vecs {
		var dot float32
		for j := range v {
			dot += v[j] * q[j]
		}
		all[i] = scored{i, dot}
	}
	sort.Slice(all, func(a, b int) bool { return all[a].s > all[b].s })
	top := map[int]bool{}
	for _, s := range all[:k] {
		top[s.i] = true
	}
	return top
}

// BenchmarkVectorSearch compares top-10 search in the embedded store (exact, in
// process) with pgvector's HNSW index, at 10k and 100k vectors of 384 dimensions,
// reporting latency and recall@10 against an exact search.
//
//	go test -run '^$' -bench VectorSearch -benchtime 200x ./engine/
func BenchmarkVectorSearch(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10_000, 100_000} {
		vecs := clusteredVectors(n, 42)
		queries := clusteredVectors(50, 7)
		truth := make([]map[int]bool, len(queries))
		for i, q := range queries {
			truth[i] = exactTopK(q, vecs, 10)
		}
		for _, kind := range []string{"embedded", "pgvector"} {
			b.Run(fmt.Sprintf("n=%d/store=%s", n, kind), func(b *testing.B) {
				st := openVectorStore(b, kind)
				loadVectors(b, st, vecs)
				hits, total := 0, 0
				lat := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					qi := i % len(queries)
					start := time.Now()
					res, err := st.SearchChunks(ctx, queries[qi], 10)
					lat = append(lat, time.Since(start))
					if err != nil {
						b.Fatal(err)
					}
					for _, r := range res {
						var idx int
						fmt.Sscanf(r.ID, "v%d", &idx)
						if truth[qi][idx] {
							hits++
						}
					}
					total += 10
				}
				b.StopTimer()
				reportLatency(b, lat, "queries/s")
				b.ReportMetric(float64(hits)/float64(total), "recall@10")
			})
		}
	}
}

func openVectorStore(b *testing.B, kind string) store.Store {
	ctx := context.Background()
	var st store.Store
	var err error
	switch kind {
	case "embedded":
		st, err = sqlite.Open(ctx, filepath.Join(b.TempDir(), "vectors.db"))
	case "pgvector":
		url := pgtest.URL(b)
		st, err = postgres.Open(ctx, url, postgres.Options{Schema: pgtest.Schema(b, url)})
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func loadVectors(b *testing.B, st store.Store, vecs [][]float32) {
	const batch = 1000
	for start := 0; start < len(vecs); start += batch {
		end := min(start+batch, len(vecs))
		chunks := make([]store.Chunk, 0, end-start)
		for i := start; i < end; i++ {
			chunks = append(chunks, store.Chunk{ID: fmt.Sprintf("v%d", i), Source: "bench", Content: "x", Hash: fmt.Sprint(i), Embedder: "bench", Embedding: vecs[i]})
		}
		if err := st.UpsertChunks(context.Background(), chunks); err != nil {
			b.Fatal(err)
		}
	}
}
