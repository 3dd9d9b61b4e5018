package embed

import (
	"container/heap"
	"math"
	"slices"
)

// Scored is one search hit: the index of a vector and its similarity.
type Scored struct {
	Index int
	Score float32
}

// Dot returns the dot product of a and b over their common length. For
// L2-normalized vectors, which every embedder of this package returns, it is
// the cosine similarity.
func Dot(a, b []float32) float32 {
	n := min(len(a), len(b))
	a, b = a[:n], b[:n]
	var s0, s1, s2, s3 float32
	// Four accumulators let the CPU overlap the multiply-adds; reslicing
	// instead of indexing lets the compiler drop the bounds checks.
	for len(a) >= 8 && len(b) >= 8 {
		s0 += a[0]*b[0] + a[4]*b[4]
		s1 += a[1]*b[1] + a[5]*b[5]
		s2 += a[2]*b[2] + a[6]*b[6]
		s3 += a[3]*b[3] + a[7]*b[7]
		a, b = a[8:], b[8:]
	}
	for i := range a {
		if i < len(b) {
			s0 += a[i] * b[i]
		}
	}
	return s0 + s1 + s2 + s3
}

// Cosine returns the cosine similarity of a and b, or 0 when either is a zero
// vector or their lengths differ.
func Cosine(a, b []float32) float32 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	c := dot / (math.Sqrt(na) * math.Sqrt(nb))
	if math.IsNaN(c) {
		return 0
	}
	return float32(c)
}

// Normalize scales v in place to unit length. A zero vector, or one holding a
// NaN or an infinity, becomes all zeros so it matches nothing instead of
// poisoning every score.
func Normalize(v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
		clear(v)
		return
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
}

// TopK returns the k vectors most similar to query by dot product (cosine for
// normalized vectors), best first; ties go to the lower index so results are
// deterministic. The search is exact. Vectors whose length differs from the
// query's are skipped, since their scores would mean nothing.
func TopK(query []float32, vecs [][]float32, k int) []Scored {
	if k <= 0 || len(vecs) == 0 {
		return nil
	}
	k = min(k, len(vecs))
	h := make(minHeap, 0, k)
	for i, v := range vecs {
		if len(v) != len(query) {
			continue
		}
		s := Dot(query, v)
		if math.IsNaN(float64(s)) {
			continue
		}
		if len(h) < k {
			heap.Push(&h, Scored{i, s})
			continue
		}
		// Later indexes lose ties, so only a strictly better score enters.
		if s > h[0].Score {
			h[0] = Scored{i, s}
			heap.Fix(&h, 0)
		}
	}
	out := []Scored(h)
	slices.SortFunc(out, func(a, b Scored) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return a.Index - b.Index
	})
	return out
}

// minHeap keeps the worst of the current top k at the root; among equal
// scores the higher index is worse.
type minHeap []Scored

func (h minHeap) Len() int { return len(h) }
func (h minHeap) Less(i, j int) bool {
	if h[i].Score != h[j].Score {
		return h[i].Score < h[j].Score
	}
	return h[i].Index > h[j].Index
}
func (h minHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)   { *h = append(*h, x.(Scored)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
