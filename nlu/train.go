package nlu

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// trainingExample is one featurized training example.
type trainingExample struct {
	class  int
	hashes []uint64
	toks   []token // only until vectorized, and only with word vectors
	vec    sparseVec
}

// trainMembers trains hp.members models, the first with seed and each next
// one with the next seed, concurrently when GOMAXPROCS allows: they share
// only the read-only examples.
func trainMembers(ctx context.Context, examples []trainingExample, dim, k, epochs int, hp hyperparams, seed int64) ([][]float32, error) {
	n := max(hp.members, 1)
	weights := make([][]float32, n)
	errs := make([]error, n)
	if n == 1 || runtime.GOMAXPROCS(0) == 1 {
		for i := range n {
			if weights[i], errs[i] = trainWeights(ctx, examples, dim, k, epochs, hp, seed+int64(i)); errs[i] != nil {
				return nil, errs[i]
			}
		}
		return weights, nil
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			weights[i], errs[i] = trainWeights(ctx, examples, dim, k, epochs, hp, seed+int64(i))
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // all members fail alike: ctx was cancelled
		}
	}
	return weights, nil
}

// trainWeights fits a multinomial logistic regression over dim features and k
// classes with AdaGrad and L2 on the touched weights, visiting the examples in
// an order shuffled by seed. The weights are feature-major: a sparse example
// reads one contiguous row of k weights per feature.
func trainWeights(ctx context.Context, examples []trainingExample, dim, k, epochs int, hp hyperparams, seed int64) ([]float32, error) {
	if k <= 1 {
		return make([]float32, dim*k), nil
	}
	// Each feature's AdaGrad sums follow its weights, so the update finds
	// them in the cache lines the hardware fetched ahead of the weights'.
	stride := 2 * k
	prefetchBytes := k * 4 // the weights; asking for the sums too was slower
	params := make([]float32, dim*stride)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	perm := make([]int, len(examples))
	for i := range perm {
		perm[i] = i
	}
	scores := make([]float32, k)
	grads := make([]float32, k)
	exps := make([]float64, k)
	active := make([]int32, 0, k)
	lr, l2 := hp.learningRate, hp.l2
	classWeight := rareWeights(examples, k, hp.lrBoost)
	for epoch := 0; epoch < epochs; epoch++ {
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for step, ei := range perm {
			if step%512 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("train nlu: %w", err)
				}
			}
			ex := &examples[ei]
			clear(scores)
			// Rows are scattered over megabytes: ask for the next ones'
			// weights while adding this one.
			idx := ex.vec.idx
			for j := 0; j < min(prefetchAhead, len(idx)); j++ {
				prefetchRow(&params[int(idx[j])*stride], prefetchBytes)
			}
			for j, f := range idx {
				if next := j + prefetchAhead; next < len(idx) {
					prefetchRow(&params[int(idx[next])*stride], prefetchBytes)
				}
				base := int(f) * stride
				axpy(scores, ex.vec.val[j], params[base:base+k:base+k])
			}
			// The gradient of the loss w.r.t. the scores is the softmax
			// minus the one-hot label. Classes the model already rules out
			// contribute almost nothing; skipping them makes later epochs
			// much cheaper.
			active = activeGradients(scores, ex.class, exps, grads, active[:0])
			if cw := classWeight[ex.class]; cw != 1 {
				for _, c := range active {
					grads[c] *= cw
				}
			}
			for j, f := range ex.vec.idx {
				x := ex.vec.val[j]
				base := int(f) * stride
				row := params[base : base+k : base+k]
				acc := params[base+k : base+stride : base+stride]
				for _, c := range active {
					grad := grads[c]*x + l2*row[c]
					a := acc[c] + grad*grad
					acc[c] = a
					row[c] -= lr * grad / float32(math.Sqrt(float64(a)))
				}
			}
		}
	}
	weights := make([]float32, dim*k)
	for f := range dim {
		copy(weights[f*k:(f+1)*k], params[f*stride:f*stride+k])
	}
	return weights, nil
}

// rareWeights gives each class the weight (mean/count)^boost when it has
// fewer examples than the mean, else 1.
func rareWeights(examples []trainingExample, k int, boost float64) []float32 {
	w := make([]float32, k)
	count := make([]int, k)
	for i := range examples {
		count[examples[i].class]++
	}
	mean := float64(len(examples)) / float64(k)
	for c := range w {
		w[c] = 1
		if boost > 0 && count[c] > 0 && float64(count[c]) < mean {
			w[c] = float32(math.Pow(mean/float64(count[c]), boost))
		}
	}
	return w
}

// prefetchAhead is how many feature rows ahead training asks the CPU for.
const prefetchAhead = 4

// activeGradients turns the raw scores of an example with label class into the
// softmax gradient, writes the components of magnitude >= gradSkip into grads
// and appends their classes to active. exps is scratch space as long as
// scores.
func activeGradients(scores []float32, class int, exps []float64, grads []float32, active []int32) []int32 {
	top := scores[0]
	for _, s := range scores[1:] {
		top = max(top, s)
	}
	exps = exps[:len(scores)]
	sum := 0.0
	for c, s := range scores {
		e := expNonPositive(float64(s - top))
		exps[c] = e
		sum += e
	}
	inv := 1 / sum
	for c, e := range exps {
		g := e * inv
		if c == class {
			g--
		}
		if g >= gradSkip || g <= -gradSkip {
			grads[c] = float32(g)
			active = append(active, int32(c))
		}
	}
	return active
}

// expNonPositive is e**x for x <= 0 with a relative error below 1e-9, far
// finer than the float32 gradients it feeds, in about two thirds of
// math.Exp's time: training takes a softmax over every class for every
// example.
func expNonPositive(x float64) float64 {
	if x < -700 {
		return 0
	}
	// e**x = 2**n * e**r with |r| <= ln(2)/2, where a degree 8 Taylor
	// polynomial is accurate to a few parts in 1e10. x <= 0, so truncating
	// x*log2(e) - 0.5 rounds to the nearest integer.
	n := int64(x*math.Log2E - 0.5)
	r := x - float64(n)*math.Ln2
	r2 := r * r
	r4 := r2 * r2
	// Estrin's scheme: the terms are independent, the CPU overlaps them.
	p := (1 + r) + r2*(1.0/2+r*(1.0/6)) + r4*((1.0/24+r*(1.0/120))+r2*(1.0/720+r*(1.0/5040))+r4*(1.0/40320))
	return p * math.Float64frombits(uint64(n+1023)<<52)
}

// axpy adds x*row to dst; row is at least as long as dst. It is the inner
// loop of training.
func axpy(dst []float32, x float32, row []float32) {
	axpyKernel(dst, x, row[:len(dst)])
}
