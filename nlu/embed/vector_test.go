package embed

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCosine(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name string
		a, b []float32
		want float32
	}{
		{"same", []float32{1, 2, 3}, []float32{1, 2, 3}, 1},
		{"scaled", []float32{1, 2, 3}, []float32{2, 4, 6}, 1},
		{"opposite", []float32{1, 0}, []float32{-1, 0}, -1},
		{"orthogonal", []float32{1, 0}, []float32{0, 1}, 0},
		{"zero", []float32{0, 0}, []float32{1, 1}, 0},
		{"length mismatch", []float32{1, 0}, []float32{1, 0, 0}, 0},
		{"empty", nil, nil, 0},
		{"nan", []float32{nan, 1}, []float32{1, 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Cosine(tt.a, tt.b); math.Abs(float64(got-tt.want)) > 1e-6 {
				t.Errorf("Cosine(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   []float32
		want []float32
	}{
		{"unit", []float32{3, 4}, []float32{0.6, 0.8}},
		{"zero stays zero", []float32{0, 0}, []float32{0, 0}},
		{"nan becomes zero", []float32{float32(math.NaN()), 1}, []float32{0, 0}},
		{"inf becomes zero", []float32{float32(math.Inf(1)), 1}, []float32{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := slices.Clone(tt.in)
			Normalize(v)
			if diff := cmp.Diff(tt.want, v, cmp.Comparer(func(x, y float32) bool { return math.Abs(float64(x-y)) < 1e-6 })); diff != "" {
				t.Errorf("Normalize(%v) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestTopK(t *testing.T) {
	vecs := [][]float32{
		{1, 0},
		{0, 1},
		{0.6, 0.8},
		{1, 0}, // ties with 0: the lower index wins
		{1, 0, 0},
		{-1, 0},
	}
	tests := []struct {
		name string
		k    int
		want []Scored
	}{
		{"top1", 1, []Scored{{0, 1}}},
		{"top3", 3, []Scored{{0, 1}, {3, 1}, {2, 0.6}}},
		{"k larger than n skips bad lengths", 10, []Scored{{0, 1}, {3, 1}, {2, 0.6}, {1, 0}, {5, -1}}},
		{"k zero", 0, nil},
		{"k negative", -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, TopK([]float32{1, 0}, vecs, tt.k)); diff != "" {
				t.Errorf("TopK (-want +got):\n%s", diff)
			}
		})
	}
	if got := TopK([]float32{1}, nil, 3); got != nil {
		t.Errorf("TopK over no vectors = %v, want nil", got)
	}
}

// TopK must agree with sorting every score.
func TestTopKMatchesFullSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vecs := randomVectors(r, 2000, 32)
	q := randomVectors(r, 1, 32)[0]
	all := make([]Scored, len(vecs))
	for i, v := range vecs {
		all[i] = Scored{i, Dot(q, v)}
	}
	slices.SortStableFunc(all, func(a, b Scored) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	if diff := cmp.Diff(all[:25], TopK(q, vecs, 25)); diff != "" {
		t.Errorf("TopK differs from a full sort (-want +got):\n%s", diff)
	}
}

func randomVectors(r *rand.Rand, n, dim int) [][]float32 {
	out := make([][]float32, n)
	backing := make([]float32, n*dim)
	for i := range out {
		v := backing[i*dim : (i+1)*dim]
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		Normalize(v)
		out[i] = v
	}
	return out
}
