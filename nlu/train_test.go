package nlu

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExpNonPositive(t *testing.T) {
	for x := 0.0; x > -700; x -= 0.00731 {
		got, want := expNonPositive(x), math.Exp(x)
		if rel := math.Abs(got-want) / want; rel > 1e-9 {
			t.Fatalf("expNonPositive(%v) = %v, want %v (relative error %.2g)", x, got, want, rel)
		}
	}
	if got := expNonPositive(-800); got != 0 {
		t.Errorf("expNonPositive(-800) = %v, want 0", got)
	}
}

// TestAxpy checks the assembly kernel against the plain loop, bit for bit, on
// every tail length its unrolled loops leave.
func TestAxpy(t *testing.T) {
	for n := 0; n <= 40; n++ {
		row := make([]float32, n+3)
		dst := make([]float32, n)
		for i := range row {
			row[i] = float32(i)*0.37 - 2.1
		}
		for i := range dst {
			dst[i] = float32(i)*-1.3 + 0.5
		}
		want := make([]float32, n)
		for i := range want {
			want[i] = dst[i] + 0.71*row[i]
		}
		axpy(dst, 0.71, row)
		if diff := cmp.Diff(want, dst); diff != "" {
			t.Errorf("axpy, length %d (-want +got):\n%s", n, diff)
		}
	}
}

// TestEnsemble checks that the members are the single model with successive
// seeds, whether trained one after the other or concurrently.
func TestEnsemble(t *testing.T) {
	data := shopData()
	hp := defaultHyperparams(0)
	hp.members = 2
	ens, err := Train(context.Background(), data, Options{Seed: 7, tune: &hp})
	if err != nil {
		t.Fatal(err)
	}
	for i, seed := range []int64{7, 8} {
		single, err := Train(context.Background(), data, Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(single.weights[0], ens.weights[i]); diff != "" {
			t.Errorf("member %d differs from the model with seed %d", i, seed)
		}
	}
	if got := ens.Parse("where is my order", testOpts).Top().Name; got != "track_order" {
		t.Errorf("ensemble Parse(where is my order).Top() = %q, want track_order", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Train(ctx, data, Options{tune: &hp}); !errors.Is(err, context.Canceled) {
		t.Errorf("Train with a cancelled context: err = %v, want context.Canceled", err)
	}
}
