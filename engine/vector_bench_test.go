package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pgvector/pgvector-go"

	"github.com/parleyhq/parley/engine/knowledge"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
	"github.com/parleyhq/parley/nlu/embed"
)

const benchDims = 384

// realisticVectors embeds n sentences made from the shop's knowledge base (a
// random run of words from a random chunk, as customers reuse its wording) with
// the built-in embedder at 384 dimensions, and the retrieval set's questions as
// queries. Real text has the low intrinsic dimension approximate indexes rely
// on; uniform random vectors would make every neighbour nearly equidistant.
func realisticVectors(b *testing.B, n int) (vecs, queries [][]float32) {
	bot := loadShop(b)
	chunks, err := KnowledgeChunks(bot)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(42, 1))
	var vocab []string
	for _, c := range chunks {
		vocab = append(vocab, strings.Fields(c.EmbedText())...)
	}
	window := func(maxLen int) string {
		words := strings.Fields(chunks[r.IntN(len(chunks))].EmbedText())
		start := r.IntN(max(1, len(words)-maxLen))
		return strings.Join(words[start:min(len(words), start+2+r.IntN(maxLen))], " ")
	}
	texts := make([]string, n)
	for i := range texts {
		// Mostly one topic, a little of another, and a stray word: varied like real
		// documents rather than 100k copies of 68 chunks.
		texts[i] = window(12) + " " + window(5) + " " + vocab[r.IntN(len(vocab))]
	}
	set, err := knowledge.LoadEvalSet("../examples/shop/knowledge/eval/retrieval.csv")
	if err != nil {
		b.Fatal(err)
	}
	emb := embed.NewBuiltin(embed.BuiltinOptions{Dimensions: benchDims})
	emb.Fit(texts)
	if vecs, err = emb.EmbedDocuments(context.Background(), texts); err != nil {
		b.Fatal(err)
	}
	for _, c := range set {
		q, _ := emb.EmbedQuery(context.Background(), c.Question)
		queries = append(queries, q)
	}
	return vecs, queries
}

// kthScore is the ground truth recall is measured against: the exact k-th best
// cosine. A result counts as a hit when its true score reaches it, so ties
// (duplicate sentences) are not counted as misses.
func kthScore(q []float32, vecs [][]float32, k int) float32 {
	scores := make([]float32, len(vecs))
	for i, v := range vecs {
		scores[i] = dot(q, v)
	}
	sort.Slice(scores, func(a, b int) bool { return scores[a] > scores[b] })
	return scores[min(k, len(scores))-1]
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// BenchmarkVectorSearch compares top-10 search in the embedded store (exact, in
// process) with pgvector's HNSW index, at 10k and 100k vectors of 384 dimensions,
// reporting latency and recall@10 against an exact search.
//
//	go test -run '^$' -bench VectorSearch -benchtime 200x ./engine/
func BenchmarkVectorSearch(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10_000, 100_000} {
		n := n
		vecs, queries := realisticVectors(b, n)
		kth := make([]float32, len(queries))
		for i, q := range queries {
			kth[i] = kthScore(q, vecs, 10)
		}
		for _, kind := range []string{"embedded", "pgvector"} {
			b.Run(fmt.Sprintf("n=%d/store=%s", n, kind), func(b *testing.B) {
				st := openVectorStore(b, kind, n)
				if have, _ := st.ChunkHashes(ctx, "bench"); len(have) != n {
					loadVectors(b, st, vecs)
				}
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
						if dot(queries[qi], vecs[idx]) >= kth[qi]-1e-5 {
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

// openVectorStore opens an empty store of kind; with PARLEY_VECTOR_SCHEMA set,
// pgvector stores of n vectors are kept in that schema with _n appended, so
// that a second run need not index 100,000 vectors again.
func openVectorStore(b *testing.B, kind string, n int) store.Store {
	ctx := context.Background()
	var st store.Store
	var err error
	switch kind {
	case "embedded":
		st, err = sqlite.Open(ctx, filepath.Join(b.TempDir(), "vectors.db"))
	case "pgvector":
		url := pgtest.URL(b)
		schema := os.Getenv("PARLEY_VECTOR_SCHEMA")
		if schema != "" {
			schema += fmt.Sprintf("_%d", n)
		} else {
			schema = pgtest.Schema(b, url)
		}
		st, err = postgres.Open(ctx, url, postgres.Options{Schema: schema})
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

// BenchmarkPgvectorTuning builds pgvector's HNSW index at 100,000 chunks with
// several (m, ef_construction), in full and half precision, and measures
// recall@10 and latency at several ef_search, for choosing the settings in
// engine/store/postgres/knowledge.go. It takes many minutes; run it on its own
// (PARLEY_TUNING_SCHEMA keeps the loaded vectors in that schema between runs):
//
//	go test -run '^$' -bench PgvectorTuning -benchtime 1x -timeout 3h ./engine/
func BenchmarkPgvectorTuning(b *testing.B) {
	ctx := context.Background()
	const n = 100_000
	vecs, queries := realisticVectors(b, n)
	kth := make([]float32, len(queries))
	for i, q := range queries {
		kth[i] = kthScore(q, vecs, 10)
	}
	url := pgtest.URL(b)
	schema := os.Getenv("PARLEY_TUNING_SCHEMA")
	if schema == "" {
		schema = pgtest.Schema(b, url)
	}
	st, err := postgres.Open(ctx, url, postgres.Options{Schema: schema})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	pool := st.Pool()
	var have int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM kb_chunks`).Scan(&have)
	if have != n {
		loadVectors(b, st, vecs)
	}
	for _, idx := range []struct {
		m, efc int
		typ    string
	}{{16, 64, "vector"}, {24, 128, "vector"}, {32, 200, "vector"}, {32, 200, "halfvec"}, {48, 256, "halfvec"}} {
		start := time.Now()
		for _, q := range []string{
			`DROP INDEX IF EXISTS kb_chunks_hnsw_384`,
			`SET maintenance_work_mem = '1GB'`,
			fmt.Sprintf(`CREATE INDEX kb_chunks_hnsw_384 ON kb_chunks USING hnsw ((embedding::%[3]s(384)) %[3]s_cosine_ops)
				WITH (m = %[1]d, ef_construction = %[2]d) WHERE dims = 384`, idx.m, idx.efc, idx.typ),
		} {
			if _, err := pool.Exec(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
		fmt.Printf("%s m=%d ef_construction=%d: built in %v\n", idx.typ, idx.m, idx.efc, time.Since(start).Round(time.Second))
		for _, ef := range []int{40, 100, 200, 400, 800} {
			conn, err := pool.Acquire(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := conn.Exec(ctx, fmt.Sprintf(`SET hnsw.ef_search = %d`, ef)); err != nil {
				b.Fatal(err)
			}
			var lat []time.Duration
			hits, total := 0, 0
			for round := range 3 {
				for qi, q := range queries {
					began := time.Now()
					rows, err := conn.Query(ctx, fmt.Sprintf(`SELECT id FROM kb_chunks WHERE dims = 384
						ORDER BY embedding::%[1]s(384) <=> $1::%[1]s(384) LIMIT 10`, idx.typ), pgvector.NewVector(q))
					if err != nil {
						b.Fatal(err)
					}
					var ids []string
					for rows.Next() {
						var id string
						_ = rows.Scan(&id)
						ids = append(ids, id)
					}
					rows.Close()
					if round > 0 { // the first round warms the index into memory
						lat = append(lat, time.Since(began))
						for _, id := range ids {
							var i int
							fmt.Sscanf(id, "v%d", &i)
							if dot(q, vecs[i]) >= kth[qi]-1e-5 {
								hits++
							}
						}
						total += 10
					}
				}
			}
			conn.Release()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			fmt.Printf("%s m=%d ef_construction=%d ef_search=%d: recall@10 %.3f, p50 %v, p99 %v\n", idx.typ, idx.m, idx.efc, ef,
				float64(hits)/float64(total), lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)*99/100].Round(10*time.Microsecond))
		}
	}
}
