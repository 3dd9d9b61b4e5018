package postgres

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pgvector/pgvector-go"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
)

// TestKnowledgeIndexRebuilt: an index built with other settings (an older
// version's) is replaced when the store opens, and searches use the new one.
func TestKnowledgeIndexRebuilt(t *testing.T) {
	url := pgtest.URL(t)
	schema := pgtest.Schema(t, url)
	ctx := t.Context()
	s, err := Open(ctx, url, Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertChunks(ctx, []store.Chunk{{ID: "a", Embedder: "e", Embedding: []float32{1, 0, 0}}, {ID: "b", Embedder: "e", Embedding: []float32{0, 1, 0}}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP INDEX ` + indexName(3),
		`CREATE INDEX kb_chunks_hnsw_3 ON kb_chunks USING hnsw ((embedding::vector(3)) vector_cosine_ops) WHERE dims = 3`,
	} {
		if _, err := s.pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(ctx, url, Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var names []string
	rows, err := s.pool.Query(ctx, `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'kb_chunks_hnsw%'`, schema)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	if !slices.Equal(names, []string{indexName(3)}) {
		t.Errorf("indexes = %v, want only %s", names, indexName(3))
	}
	// The search goes through the index (the planner would scan two rows
	// otherwise, so it is told not to).
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	var plan []string
	rows, err = conn.Query(ctx, `EXPLAIN `+searchQuery(3, false), pgvector.NewVector([]float32{0, 2, 0}), 1)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		_ = rows.Scan(&line)
		plan = append(plan, line)
	}
	rows.Close()
	if !strings.Contains(strings.Join(plan, "\n"), "Index Scan using "+indexName(3)) {
		t.Errorf("the search does not use %s:\n%s", indexName(3), strings.Join(plan, "\n"))
	}
	got, err := s.SearchChunks(ctx, []float32{0, 2, 0}, 1)
	if err != nil || len(got) != 1 || got[0].ID != "b" || got[0].Score < 0.999 {
		t.Errorf("search = %+v, %v; want b with score 1", got, err)
	}
}

// TestSmallKnowledgeSearchedExactly: fewer chunks than exactBelow are
// searched without the index; once an ingest passes it, through the index,
// with the same answers.
func TestSmallKnowledgeSearchedExactly(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	s, err := Open(ctx, url, Options{Schema: pgtest.Schema(t, url)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	search := func() {
		t.Helper()
		got, err := s.SearchChunks(ctx, []float32{0, 2, 0}, 1)
		if err != nil || len(got) != 1 || got[0].ID != "b" || got[0].Score < 0.999 {
			t.Errorf("search = %+v, %v; want b with score 1", got, err)
		}
	}
	if err := s.UpsertChunks(ctx, []store.Chunk{{ID: "a", Embedder: "e", Embedding: []float32{1, 0, 0}}, {ID: "b", Embedder: "e", Embedding: []float32{0, 1, 0}}}); err != nil {
		t.Fatal(err)
	}
	if !s.smallKB(ctx, 3) {
		t.Error("2 chunks: not searched exactly")
	}
	search()
	more := make([]store.Chunk, exactBelow)
	for i := range more {
		more[i] = store.Chunk{ID: fmt.Sprintf("c%d", i), Embedder: "e", Embedding: []float32{1, float32(i%7) / 10, float32(i) / 100}}
	}
	if err := s.UpsertChunks(ctx, more); err != nil {
		t.Fatal(err)
	}
	if s.smallKB(ctx, 3) {
		t.Errorf("%d chunks: searched exactly", exactBelow+2)
	}
	search()
}
