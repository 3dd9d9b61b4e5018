package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/pgvector/pgvector-go"

	"github.com/parleyhq/parley/engine/store"
)

const (
	// hnswEFSearch is the HNSW candidate list of every search (a session
	// setting, see Open); with hnswM and hnswEFConstruction it is what
	// BENCHMARKS.md found to reach recall@10 0.95 at 100,000 chunks.
	hnswEFSearch       = 200
	hnswM              = 16
	hnswEFConstruction = 64
	// maxIndexedDims is pgvector's limit for an HNSW index on vector.
	maxIndexedDims = 2000
)

func (s *Store) upsertChunks(ctx context.Context, tx *sql.Tx, chunks []store.Chunk) error {
	for _, c := range chunks {
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

// ensureIndex creates the HNSW index for dims once per process; the advisory lock
// keeps concurrent creators (other processes) from colliding.
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
	d := strconv.Itoa(dims) // an int: safe to inline, and DDL takes no parameters
	if _, err := tx.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS kb_chunks_hnsw_`+d+` ON kb_chunks
		USING hnsw ((embedding::vector(`+d+`)) vector_cosine_ops) WITH (m = `+strconv.Itoa(hnswM)+`, ef_construction = `+strconv.Itoa(hnswEFConstruction)+`)
		WHERE dims = `+d); err != nil {
		return fmt.Errorf("kb index for %d dimensions: %w", dims, err)
	}
	// Remembered only once committed would be exact; a rolled-back creation just
	// means the next upsert after a restart recreates it, and IF NOT EXISTS is cheap.
	s.indexed.Store(dims, true)
	return nil
}

// searchChunks asks the HNSW index for the k nearest chunks: their ids and
// scores only, in one round trip, the query vector in binary.
func (s *Store) searchChunks(ctx context.Context, vec []float32, k int) ([]store.ChunkScore, error) {
	d := strconv.Itoa(len(vec))
	dist := `embedding::vector(` + d + `) <=> $1::vector(` + d + `)`
	rows, err := s.pool.Query(ctx, `SELECT id, embedder, 1 - (`+dist+`) FROM kb_chunks WHERE dims = `+d+` ORDER BY `+dist+` LIMIT $2`,
		pgvector.NewVector(vec), k)
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
