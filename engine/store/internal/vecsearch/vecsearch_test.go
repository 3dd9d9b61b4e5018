package vecsearch

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomVectors makes n vectors of dims: dense Gaussian ones, and sparse
// ones like the built-in embedder's (a few hashed features), with some
// duplicates, since ties are where an exact search is easiest to get wrong.
func randomVectors(r *rand.Rand, n, dims int) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		v := make([]float32, dims)
		switch i % 3 {
		case 0:
			for j := range v {
				v[j] = float32(r.NormFloat64())
			}
		case 1:
			for range 8 {
				v[r.IntN(dims)] = float32(r.Float64())
			}
		default:
			if i > 3 {
				copy(v, out[r.IntN(i)])
			}
		}
		out[i] = v
	}
	return out
}

func bruteForce(vecs [][]float32, q []float32, k int) []float64 {
	qu := slices.Clone(q)
	unit(qu)
	scores := make([]float64, len(vecs))
	for i, v := range vecs {
		u := slices.Clone(v)
		unit(u)
		var s float64
		for j := range u {
			s += float64(u[j]) * float64(qu[j])
		}
		scores[i] = s
	}
	slices.SortFunc(scores, func(a, b float64) int { return cmp.Compare(b, a) })
	return scores[:min(k, len(scores))]
}

func TestSearchIsExact(t *testing.T) {
	defer func(b int) { parallelBytes = b }(parallelBytes)
	for _, tc := range []struct {
		dims     int
		parallel bool
	}{{3, false}, {31, false}, {384, false}, {1024, false}, {384, true}, {31, true}} {
		dims := tc.dims
		parallelBytes = 1 << 30
		if tc.parallel {
			parallelBytes = 0 // in parts, whatever the size
		}
		t.Run(fmt.Sprintf("%d/parallel=%v", dims, tc.parallel), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(dims)))
			vecs := randomVectors(r, 2000, dims)
			x := New(dims)
			for i, v := range vecs {
				x.Add(fmt.Sprintf("v%04d", i), "e", v)
			}
			for qi := range 40 {
				q := randomVectors(r, 3, dims)[qi%3]
				if qi%5 == 0 {
					q = slices.Clone(vecs[r.IntN(len(vecs))]) // a query equal to a stored vector
				}
				for _, k := range []int{1, 10, 50} {
					got := x.Search(q, k)
					want := bruteForce(vecs, q, k)
					if len(got) != len(want) {
						t.Fatalf("query %d k=%d: %d results, want %d", qi, k, len(got), len(want))
					}
					for i := range got {
						if math.Abs(got[i].Score-want[i]) > 1e-5 {
							t.Fatalf("query %d k=%d: result %d scores %v, exact %v", qi, k, i, got[i].Score, want[i])
						}
						var idx int
						fmt.Sscanf(got[i].ID, "v%d", &idx)
						if s := bruteForce([][]float32{vecs[idx]}, q, 1)[0]; math.Abs(s-got[i].Score) > 1e-5 {
							t.Fatalf("query %d: %s reported %v, its score is %v", qi, got[i].ID, got[i].Score, s)
						}
					}
				}
			}
		})
	}
}

func TestSearchEdges(t *testing.T) {
	x := New(4)
	if got := x.Search([]float32{1, 0, 0, 0}, 3); got != nil {
		t.Errorf("empty index: %v", got)
	}
	x.Add("zero", "e", []float32{0, 0, 0, 0})
	x.Add("a", "e", []float32{1, 0, 0, 0})
	x.Add("b", "e", []float32{0, 2, 0, 0})
	if got := x.Search([]float32{1, 0, 0}, 3); got != nil {
		t.Errorf("query of another dimension: %v", got)
	}
	got := x.Search([]float32{3, 0, 0, 0}, 1)
	if len(got) != 1 || got[0].ID != "a" || math.Abs(got[0].Score-1) > 1e-6 {
		t.Errorf("Search = %+v, want a with score 1", got)
	}
	// A zero query scores 0 against everything: ties by id.
	got = x.Search([]float32{0, 0, 0, 0}, 2)
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" || got[0].Score != 0 {
		t.Errorf("zero query = %+v", got)
	}
}

func TestKernelsMatchGo(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, stride := range []int{32, 64, 384, 1024} {
		rows := make([]int8, 37*stride)
		for i := range rows {
			rows[i] = int8(r.IntN(255) - 127)
		}
		q := make([]int16, stride)
		for i := range q {
			q[i] = int16(r.IntN(255) - 127)
		}
		got, want := make([]int32, 37), make([]int32, 37)
		dotsInt8(got, rows, q, stride)
		dotsInt8Go(want, rows, q, stride)
		if !slices.Equal(got, want) {
			t.Errorf("stride %d: dotsInt8 = %v, want %v", stride, got[:4], want[:4])
		}
	}
	for _, n := range []int{0, 1, 15, 16, 17, 384, 1000} {
		a, b := make([]float32, n), make([]float32, n)
		for i := range a {
			a[i], b[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
		}
		if got, want := dotF32(a, b), dotF32Go(a, b); math.Abs(float64(got-want)) > 1e-3 {
			t.Errorf("n=%d: dotF32 = %v, want %v", n, got, want)
		}
	}
}

// BenchmarkSearch: exact top-10 over 100,000 vectors of 384 dimensions.
//
//	go test -run '^$' -bench Search ./engine/store/internal/vecsearch/
func BenchmarkSearch(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	const n, dims = 100_000, 384
	x := New(dims)
	for i, v := range randomVectors(r, n, dims) {
		x.Add(fmt.Sprint(i), "e", v)
	}
	queries := randomVectors(r, 64, dims)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x.Search(queries[i%len(queries)], 10)
	}
}

func BenchmarkKernelInt8(b *testing.B) {
	const n, stride = 100_000, 384
	rows := make([]int8, n*stride)
	q := make([]int16, stride)
	out := make([]int32, n)
	b.SetBytes(int64(len(rows)))
	for i := 0; i < b.N; i++ {
		dotsInt8(out, rows, q, stride)
	}
}
