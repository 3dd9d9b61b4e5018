package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/parleyhq/parley/engine/store"
)

const (
	// The HNSW index, chosen with BenchmarkPgvectorTuning on 100,000 chunks of
	// 384 dimensions (BENCHMARKS.md): with pgvector's defaults (m 16,
	// ef_construction 64) recall@10 stays under 0.9 at any ef_search; a denser
	// graph reaches 0.95 at ef_search 200. The index is in half precision
	// (halfvec): half the memory and the same recall; scores are computed from
	// the full vectors.
	hnswType           = "halfvec"
	hnswM              = 32
	hnswEFConstruction = 200
	hnswEFSearch       = 200 // a session setting, see Open
	// maxIndexedDims is pgvector's limit for an HNSW index (4000 for halfvec;
	// the lower one keeps the choice of type free).
	maxIndexedDims = 2000
)

// indexName names an index after what it is built with, so that new settings
// build a new index when the store opens (indexExisting) and drop the old one.
func indexName(dims int) string {
	return fmt.Sprintf("kb_chunks_hnsw_%d_%s_m%d_ef%d", dims, hnswType, hnswM, hnswEFConstruction)
}

func (s *Store) upsertChunks(ctx context.Context, tx *sql.Tx, chunks []store.Chunk) error {
	for _, c := range chunks {
		s.kbSizes.Delete(len(c.Embedding)) // counted again at the next search
		if err := s.ensureIndex(ctx, tx, len(c.Embedding)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO kb_chunks (id, source, title, content, hash, embedder, dims, embedding)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET source = excluded.source, title = excluded.title,
			content = excluded.content, hash = excluded.hash, embedder = excluded.embedder, dims = excluded.dims, embedding = excluded.embedding`,
			c.ID, c.Source, c.Title, c.Content, c.Hash, c.Embedder, len(c.Embedding), pgvector.NewVector(c.Embedding)); err != nil {
			return fmt.Errorf("chunk %s: %w", c.ID, err)
		}
	}
	return nil
}

// ensureIndex creates the HNSW index for dims once per process, and drops
// indexes of dims built with other settings; the advisory lock keeps
// concurrent creators (other processes) from colliding.
func (s *Store) ensureIndex(ctx context.Context, tx *sql.Tx, dims int) error {
	if dims > maxIndexedDims {
		return nil
	}
	if _, ok := s.indexed.Load(dims); ok {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('parley.kb_index'))`); err != nil {
		return fmt.Errorf("kb index lock: %w", err)
	}
	name := indexName(dims)
	d := strconv.Itoa(dims) // an int: safe to inline, and DDL takes no parameters
	if _, err := tx.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS `+name+` ON kb_chunks
		USING hnsw ((embedding::`+hnswType+`(`+d+`)) `+hnswType+`_cosine_ops)
		WITH (m = `+strconv.Itoa(hnswM)+`, ef_construction = `+strconv.Itoa(hnswEFConstruction)+`) WHERE dims = `+d); err != nil {
		return fmt.Errorf("kb index for %d dimensions: %w", dims, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'kb_chunks'
		AND (indexname = $1 OR indexname LIKE $2) AND indexname <> $3`, "kb_chunks_hnsw_"+d, "kb\\_chunks\\_hnsw\\_"+d+"\\_%", name)
	if err != nil {
		return fmt.Errorf("kb indexes: %w", err)
	}
	var old []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		old = append(old, n)
	}
	rows.Close()
	for _, n := range old {
		if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS `+pgx.Identifier{n}.Sanitize()); err != nil {
			return fmt.Errorf("drop old kb index %s: %w", n, err)
		}
	}
	// Remembered only once committed would be exact; a rolled-back creation just
	// means the next upsert after a restart recreates it, and IF NOT EXISTS is cheap.
	s.indexed.Store(dims, true)
	return nil
}

// indexExisting makes sure every dimension stored has its index as this
// version builds it: when the settings changed, the first instance to start
// builds the new index (which takes a while for a large knowledge base).
func (s *Store) indexExisting(ctx context.Context) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT dims FROM kb_chunks`)
	if err != nil {
		return fmt.Errorf("kb dimensions: %w", err)
	}
	var dims []int
	for rows.Next() {
		var d int
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return err
		}
		dims = append(dims, d)
	}
	rows.Close()
	for _, d := range dims {
		tx, err := s.DB.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := s.ensureIndex(ctx, tx, d); err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("kb index for %d dimensions: %w", d, err)
		}
	}
	return nil
}

// searchChunks asks the HNSW index for the k nearest chunks: their ids and
// scores only, in one round trip, the query vector in binary. The order comes
// from the index (half precision), the scores from the full vectors. A small
// knowledge base is searched exactly (see exactBelow).
func (s *Store) searchChunks(ctx context.Context, vec []float32, k int) ([]store.ChunkScore, error) {
	exact := len(vec) > maxIndexedDims || s.smallKB(ctx, len(vec))
	rows, err := s.pool.Query(ctx, searchQuery(len(vec), exact), pgvector.NewVector(vec), k)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ChunkScore
	for rows.Next() {
		var c store.ChunkScore
		var score sql.NullFloat64 // NULL/NaN when a vector is all zeros
		if err := rows.Scan(&c.ID, &c.Embedder, &score); err != nil {
			return nil, err
		}
		if score.Valid && score.Float64 == score.Float64 {
			c.Score = score.Float64
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// searchQuery is the top-k query for dims dimensions ($1 the vector, $2 k):
// unless exact, ordered by the index's own expression, so that the planner
// uses it.
func searchQuery(dims int, exact bool) string {
	d := strconv.Itoa(dims)
	q := `$1::vector(` + d + `)`
	order := `embedding::vector(` + d + `) <=> ` + q
	if !exact {
		order = `embedding::` + hnswType + `(` + d + `) <=> ` + q + `::` + hnswType + `(` + d + `)`
	}
	return `SELECT id, embedder, 1 - (embedding::vector(` + d + `) <=> ` + q + `) FROM kb_chunks WHERE dims = ` + d + `
		ORDER BY ` + order + ` LIMIT $2`
}

// exactBelow: a knowledge base with fewer chunks of a dimension than the HNSW
// search's candidate list (ef_search) is searched exactly. The index would
// visit every chunk anyway, at a higher cost: for the shop's 68 chunks
// PostgreSQL either walked the whole graph or, planning a scan of so small a
// table, converted every chunk to half precision to order by the index's
// expression (together 12% of its CPU under load). Exact search also has
// perfect recall.
const exactBelow = hnswEFSearch

// kbSizeFresh is how long smallKB trusts what it counted: a knowledge base
// that grows past exactBelow (an ingest, here or on another instance) is
// searched through its index again within that time.
const kbSizeFresh = 10 * time.Second

type kbSize struct {
	small bool
	at    time.Time
}

// smallKB says whether fewer than exactBelow chunks have dims dimensions,
// counting at most exactBelow of them every kbSizeFresh.
func (s *Store) smallKB(ctx context.Context, dims int) bool {
	if v, ok := s.kbSizes.Load(dims); ok && time.Since(v.(kbSize).at) < kbSizeFresh {
		return v.(kbSize).small
	}
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM kb_chunks WHERE dims = $1 LIMIT $2) few`, dims, exactBelow).Scan(&n); err != nil {
		return false // the index answers; the search reports what went wrong
	}
	small := n < exactBelow
	s.kbSizes.Store(dims, kbSize{small: small, at: time.Now()})
	return small
}
