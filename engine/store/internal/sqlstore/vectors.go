package sqlstore

import (
	"context"
	"database/sql"
	"math"
	"sync"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// vectorIndex keeps the embedded store's vectors in memory, contiguous per
// dimension, so an exact search is one pass of dot products instead of reading
// and decoding every row of kb_chunks on each question. It is rebuilt lazily
// after any change to the chunks.
type vectorIndex struct {
	mu    sync.Mutex
	valid bool
	byDim map[int]*flatVectors
}

type flatVectors struct {
	ids  []string
	vecs []float32 // len(ids) * dims, each row scaled to unit length
}

func (x *vectorIndex) invalidate() {
	x.mu.Lock()
	x.valid, x.byDim = false, nil
	x.mu.Unlock()
}

// get returns the vectors of one dimension, loading them on first use.
func (x *vectorIndex) get(ctx context.Context, db *sql.DB, dims int) (*flatVectors, error) {
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

func loadVectors(ctx context.Context, db *sql.DB) (map[int]*flatVectors, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, dims, embedding FROM kb_chunks ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byDim := map[int]*flatVectors{}
	for rows.Next() {
		var id string
		var dims int
		var blob []byte
		if err := rows.Scan(&id, &dims, &blob); err != nil {
			return nil, err
		}
		v := DecodeVector(blob)
		if len(v) != dims || dims == 0 {
			continue
		}
		unit(v)
		f := byDim[dims]
		if f == nil {
			f = &flatVectors{}
			byDim[dims] = f
		}
		f.ids = append(f.ids, id)
		f.vecs = append(f.vecs, v...)
	}
	return byDim, rows.Err()
}

func unit(v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
}

// search scores every vector against the query (exact cosine) and keeps the k best.
func (f *flatVectors) search(query []float32, k int) []store.ScoredChunk {
	q := append([]float32(nil), query...)
	unit(q)
	dims := len(q)
	top := turn.NewTopK(k)
	for i, id := range f.ids {
		row := f.vecs[i*dims : (i+1)*dims]
		var dot float32
		for j, x := range row {
			dot += x * q[j]
		}
		top.Push(store.ScoredChunk{Chunk: store.Chunk{ID: id}, Score: float64(dot)})
	}
	return top.Result()
}
