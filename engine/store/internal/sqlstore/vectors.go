package sqlstore

import (
	"context"
	"database/sql"
	"sync"

	"github.com/parleyhq/parley/engine/store/internal/vecsearch"
)

// vectorIndex keeps the embedded store's vectors in memory, one exact index
// per dimension (vecsearch), so a search reads no rows. It is rebuilt lazily
// after any change to the chunks.
type vectorIndex struct {
	mu    sync.Mutex
	valid bool
	byDim map[int]*vecsearch.Index
}

func (x *vectorIndex) invalidate() {
	x.mu.Lock()
	x.valid, x.byDim = false, nil
	x.mu.Unlock()
}

// get returns the index of one dimension, loading every vector on first use.
func (x *vectorIndex) get(ctx context.Context, db *sql.DB, dims int) (*vecsearch.Index, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.valid {
		byDim, err := loadVectors(ctx, db)
		if err != nil {
			return nil, err
		}
		x.byDim, x.valid = byDim, true
	}
	return x.byDim[dims], nil
}

func loadVectors(ctx context.Context, db *sql.DB) (map[int]*vecsearch.Index, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, embedder, dims, embedding FROM kb_chunks ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byDim := map[int]*vecsearch.Index{}
	embedders := map[string]string{} // one string per embedder name, not one per row
	for rows.Next() {
		var id, embedder string
		var dims int
		var blob []byte
		if err := rows.Scan(&id, &embedder, &dims, &blob); err != nil {
			return nil, err
		}
		v := DecodeVector(blob)
		if len(v) != dims || dims == 0 {
			continue
		}
		if e, ok := embedders[embedder]; ok {
			embedder = e
		} else {
			embedders[embedder] = embedder
		}
		x := byDim[dims]
		if x == nil {
			x = vecsearch.New(dims)
			byDim[dims] = x
		}
		x.Add(id, embedder, v)
	}
	return byDim, rows.Err()
}
