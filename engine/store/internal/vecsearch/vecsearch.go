// Package vecsearch is the embedded store's exact nearest-neighbour search by
// cosine similarity, fast enough for a hundred thousand chunks without an
// approximate index.
//
// Each vector is kept twice: at unit length in float32, and quantised to int8
// with its own scale. A search first scores every vector with int8 dot
// products (a quarter of the memory traffic, and a SIMD kernel), together with
// a bound on how far each quantised score can be from the true one. Only the
// vectors whose upper bound reaches the k-th best lower bound can be in the
// top k, and those are scored again in float32. The result is the same as
// scoring everything in float32: quantisation only decides what need not be
// looked at twice.
package vecsearch

import (
	"container/heap"
	"math"
	"runtime"
	"sync"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// Index holds vectors of one dimension. Build it with Add, then Search it from
// any number of goroutines.
type Index struct {
	dims, stride int
	ids          []string
	embedders    []string
	unit         []float32 // len(ids) rows of dims, each of length 1 (or 0)
	q8           []int8    // len(ids) rows of stride: round(unit / scale), zero-padded
	scale        []float32 // per row: max |unit| / 127
	slack        []float32 // per row: scale * (½‖q8‖₁ + ¼·nonzeros), see Search
}

// New makes an empty index for vectors of dims dimensions.
func New(dims int) *Index {
	return &Index{dims: dims, stride: (dims + 31) &^ 31}
}

// Len is the number of vectors.
func (x *Index) Len() int { return len(x.ids) }

// Add appends a vector; v must have the index's dimension.
func (x *Index) Add(id, embedder string, v []float32) {
	u := make([]float32, x.dims)
	copy(u, v)
	unit(u)
	var maxAbs float32
	for _, f := range u {
		maxAbs = max(maxAbs, abs(f))
	}
	scale := maxAbs / 127
	row := make([]int8, x.stride)
	var l1, nonzero float32
	if scale > 0 {
		for i, f := range u {
			q := int8(math.Round(float64(f / scale)))
			row[i] = q
			l1 += abs(float32(q))
			if f != 0 {
				nonzero++
			}
		}
	}
	x.ids = append(x.ids, id)
	x.embedders = append(x.embedders, embedder)
	x.unit = append(x.unit, u...)
	x.q8 = append(x.q8, row...)
	x.scale = append(x.scale, scale)
	x.slack = append(x.slack, scale*(0.5*l1+0.25*nonzero))
}

// scratch holds a search's per-vector arrays between searches.
type scratch struct {
	dots  []int32
	upper []float32
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// Search returns the k vectors most similar to query, best first (ties by id).
//
// With x = s·(x̂+δ) for the quantised vector x̂ (|δᵢ| ≤ ½, and δᵢ = 0 where
// xᵢ = 0) and likewise q = t·(q̂+ε), the true score x·q differs from the
// quantised s·t·(x̂·q̂) by at most s·t·(½‖x̂‖₁ + ½‖q̂‖₁ + ¼·nonzeros(x)).
func (x *Index) Search(query []float32, k int) []store.ChunkScore {
	n := len(x.ids)
	if k <= 0 || n == 0 || len(query) != x.dims {
		return nil
	}
	q := make([]float32, x.stride)
	copy(q, query)
	unit(q[:x.dims])
	var maxAbs float32
	for _, f := range q {
		maxAbs = max(maxAbs, abs(f))
	}
	top := turn.NewTopK(k)
	if maxAbs == 0 || n <= k {
		for r := range n {
			top.Push(x.exact(q, r))
		}
		return top.Result()
	}
	t := maxAbs / 127
	q16 := make([]int16, x.stride)
	var ql1 float32
	for i, f := range q[:x.dims] {
		v := int16(math.Round(float64(f / t)))
		q16[i] = v
		ql1 += abs(float32(v))
	}

	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	if cap(sc.dots) < n {
		sc.dots, sc.upper = make([]int32, n), make([]float32, n)
	}
	dots, upper := sc.dots[:n], sc.upper[:n]

	// Large indexes are scanned in parts on several cores: the scan is bound by
	// memory bandwidth, which one core does not exhaust.
	parts := 1
	if n*x.stride >= parallelBytes {
		parts = min(runtime.GOMAXPROCS(0), maxParts)
	}
	lows := make([]lowHeap, parts)
	scan := func(p int) {
		from, to := p*n/parts, (p+1)*n/parts
		dotsInt8(dots[from:to], x.q8[from*x.stride:to*x.stride], q16, x.stride)
		lows[p] = x.bounds(dots, upper, from, to, t, 0.5*ql1, k)
	}
	if parts == 1 {
		scan(0)
	} else {
		var wg sync.WaitGroup
		for p := range parts {
			wg.Go(func() { scan(p) })
		}
		wg.Wait()
	}
	// The k-th best lower bound: nothing scoring below it can be in the top k.
	all := lows[0]
	for _, h := range lows[1:] {
		for _, low := range h {
			all.offer(low, k)
		}
	}
	// A little below, for the rounding of the float32 arithmetic above.
	threshold := all[0] - 1e-5
	for r, u := range upper {
		if u >= threshold {
			top.Push(x.exact(q, r))
		}
	}
	return top.Result()
}

// parallelBytes: indexes of this many quantised bytes or more are scanned in
// parallel (some ten thousand vectors). A variable for tests.
var parallelBytes = 4 << 20

const maxParts = 4

// bounds turns the quantised dot products of rows [from, to) into upper
// bounds of their scores, and returns the k best lower bounds among them.
func (x *Index) bounds(dots []int32, upper []float32, from, to int, t, halfQ float32, k int) lowHeap {
	lows := make(lowHeap, 0, k)
	for r := from; r < to; r++ {
		approx := x.scale[r] * t * float32(dots[r])
		bound := t * (x.slack[r] + x.scale[r]*halfQ)
		upper[r] = approx + bound
		lows.offer(approx-bound, k)
	}
	return lows
}

// exact scores row r against the unit query q in float32.
func (x *Index) exact(q []float32, r int) store.ChunkScore {
	row := x.unit[r*x.dims : (r+1)*x.dims]
	return store.ChunkScore{ID: x.ids[r], Embedder: x.embedders[r], Score: float64(dotF32(q[:x.dims], row))}
}

func unit(v []float32) {
	var sum float64
	for _, f := range v {
		sum += float64(f) * float64(f)
	}
	if sum == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
}

func abs(f float32) float32 { return math.Float32frombits(math.Float32bits(f) &^ (1 << 31)) }

// lowHeap is a min-heap of lower bounds: the k best, the worst at the root.
type lowHeap []float32

// offer keeps low if it is among the k best.
func (h *lowHeap) offer(low float32, k int) {
	switch {
	case len(*h) < k:
		heap.Push(h, low)
	case low > (*h)[0]:
		(*h)[0] = low
		heap.Fix(h, 0)
	}
}

func (h lowHeap) Len() int           { return len(h) }
func (h lowHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h lowHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *lowHeap) Push(v any)        { *h = append(*h, v.(float32)) }
func (h *lowHeap) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}
