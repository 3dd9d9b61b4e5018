package nlu

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// svmParams configure the one-vs-rest linear SVM.
type svmParams struct {
	c       float64 // the cost of a margin violation; liblinear's and scikit-learn's default is 1
	eps     float64 // stop when the projected gradients' spread is below this (liblinear's -e)
	maxIter int     // passes over the examples at most
	// rareBoost raises the cost of missing a rare class's example: a class
	// with fewer examples than the mean gets c·(mean/count)^rareBoost for its
	// own examples.
	rareBoost float64
	// average > 1 returns the mean of the weights at the end of the last
	// average passes (tail averaging, after Polyak), unless it stopped
	// early, converged: ten passes leave the last pass's weights leaning
	// towards the examples it visited last.
	average int
}

// trainOvRSVM fits one L2-regularised, squared-hinge-loss linear SVM per
// class (the class against all others), with a bias as one more feature of
// value 1, regularised like the others: scikit-learn's LinearSVC. It solves
// liblinear's dual (Hsieh et al., 2008) by coordinate descent, but for all
// classes at once: one pass reads an example once, scores every class with
// the feature-major rows the softmax members use, and updates the classes
// whose dual variable moves. That is several times faster than class after
// class, and stops when no class's projected gradient exceeds eps.
//
// One-vs-rest hinge differs from the softmax member where data are
// imbalanced: every class gets its own margin, so a rare intent is not pulled
// into a frequent one whose probability mass dominates the softmax gradient.
func trainOvRSVM(ctx context.Context, examples []trainingExample, dim, k int, p svmParams, seed int64) ([]float32, []float32, error) {
	n := len(examples)
	weights := make([]float32, dim*k)
	biases := make([]float32, k)
	if n == 0 || k == 0 {
		return weights, biases, nil
	}
	diag := float32(0.5 / p.c)
	// posDiag is the diagonal term for an example in its own class's
	// problem, where a rare class may cost more.
	count := make([]int, k)
	for i := range examples {
		count[examples[i].class]++
	}
	posDiag := make([]float32, k)
	mean := float64(n) / float64(k)
	for c := range posDiag {
		posDiag[c] = diag
		if p.rareBoost > 0 && count[c] > 0 && float64(count[c]) < mean {
			posDiag[c] = float32(0.5 / (p.c * math.Pow(mean/float64(count[c]), p.rareBoost)))
		}
	}
	xx := make([]float32, n)
	for i := range examples {
		sum := 1.0 // the bias feature
		for _, v := range examples[i].vec.val {
			sum += float64(v) * float64(v)
		}
		xx[i] = float32(sum)
	}
	alpha := make([]float32, n*k)
	scores := make([]float32, k)
	deltas := make([]float32, k)
	active := make([]int32, 0, k)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5173))
	// With average > 1, the dual variables of the last passes are summed:
	// the weights are linear in them, so the mean weights are rebuilt from
	// the mean, in a fifth of the memory of summing the weights (CLINC150:
	// 9 MB against 42).
	var alphaSum []float32
	avgFrom, summed := p.maxIter-p.average, 0
	if p.average > 1 {
		alphaSum = make([]float32, n*k)
	}
	for iter := 0; iter < p.maxIter; iter++ {
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		var pgMax, pgMin float32
		for step, i := range perm {
			if step%512 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, nil, fmt.Errorf("train nlu: %w", err)
				}
			}
			ex := &examples[i]
			copy(scores, biases)
			for j, f := range ex.vec.idx {
				base := int(f) * k
				axpy(scores, ex.vec.val[j], weights[base:base+k:base+k])
			}
			a := alpha[i*k : (i+1)*k : (i+1)*k]
			active = active[:0]
			for c, s := range scores {
				y, dg := float32(-1), diag
				if c == ex.class {
					y, dg = 1, posDiag[c]
				}
				g := y*s - 1 + a[c]*dg
				if a[c] == 0 {
					if g >= 0 {
						continue // bound, and the gradient keeps it there
					}
				}
				pgMax, pgMin = max(pgMax, g), min(pgMin, g)
				na := max(a[c]-g/(xx[i]+dg), 0)
				if d := (na - a[c]) * y; d != 0 {
					a[c] = na
					deltas[c] = d
					active = append(active, int32(c))
				}
			}
			if len(active) == 0 {
				continue
			}
			for j, f := range ex.vec.idx {
				x := ex.vec.val[j]
				row := weights[int(f)*k : int(f)*k+k : int(f)*k+k]
				for _, c := range active {
					row[c] += x * deltas[c]
				}
			}
			for _, c := range active {
				biases[c] += deltas[c]
			}
		}
		if float64(pgMax-pgMin) <= p.eps {
			return weights, biases, nil
		}
		if alphaSum != nil && iter >= avgFrom {
			axpy(alphaSum, 1, alpha)
			summed++
		}
	}
	if summed > 1 {
		clear(weights)
		clear(biases)
		inv := 1 / float32(summed)
		for i := range examples {
			ex := &examples[i]
			active = active[:0]
			for c, a := range alphaSum[i*k : (i+1)*k] {
				if a != 0 {
					deltas[c] = -a * inv
					if c == ex.class {
						deltas[c] = a * inv
					}
					active = append(active, int32(c))
				}
			}
			for j, f := range ex.vec.idx {
				x := ex.vec.val[j]
				row := weights[int(f)*k : int(f)*k+k : int(f)*k+k]
				for _, c := range active {
					row[c] += x * deltas[c]
				}
			}
			for _, c := range active {
				biases[c] += deltas[c]
			}
		}
	}
	return weights, biases, nil
}
