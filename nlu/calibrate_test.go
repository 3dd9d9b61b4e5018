package nlu

import (
	"context"
	"math"
	"slices"
)

// calibrateSVM refits a trained model's SVM calibration (scale and none)
// per bot by cross-validation over its own training examples
// (fitSVMCalibration). Test-only: BENCHMARKS.md, "Bot-sized data", says why
// it does not ship.
func calibrateSVM(ctx context.Context, m *Model, train []LabeledText, hp hyperparams, folds int) (scale, none float64, ok bool, err error) {
	sc := new(scratch)
	dense := make([]float32, m.vec.denseLen())
	var exs []trainingExample
	for _, ex := range train {
		class := slices.Index(m.classes, m.intentIndex[ex.Label])
		if class < 0 {
			continue
		}
		t := newNormText(truncateRunes(ex.Text, MaxParseRunes))
		m.featurize(sc, t, nil, trainingNow, false)
		var d []float32
		if m.vec.vecWeight > 0 && m.messageVector(sc.toks, dense, m.vec.vecTypos) {
			d = dense
		}
		exs = append(exs, trainingExample{class: class, vec: m.vec.vectorize(slices.Clone(sc.hashes), d, sparseVec{})})
	}
	scale, none, ok, err = fitSVMCalibration(ctx, exs, m.vec.dims(), len(m.classes),
		svmParams{c: hp.svmC, eps: hp.svmEps, maxIter: hp.svmIter, rareBoost: hp.svmBoost}, folds, 0)
	if ok {
		m.svmScale, m.svmNone = scale, none
	}
	return scale, none, ok, err
}

// fitSVMCalibration fits, by cross-validation on the training examples
// themselves, how the one-vs-rest SVM's scores become confidences: Platt
// scaling (Platt, 1999, with Lin, Lin and Weng's 2007 targets and Newton
// steps), one sigmoid σ(A·s + B) shared by all classes. Each of folds
// stratified parts is held out in turn, an SVM is trained on the rest, and
// every held-out example gives one pair per class: its score, and whether it
// is that class. The negatives are real messages of the same bot that a
// class must not claim, so B learns how far below the margin a score still
// means "this intent" in this bot's own data, which a scale fixed on
// thousands of examples does not know.
//
// It returns the SVM member's scale and "none" score (softmaxWithNone
// with scale A and none −B/A gives σ(A·s + B) to a lone claimant), and
// ok = false when the data cannot tell (too few examples, or a fit that
// does not rise with the score).
func fitSVMCalibration(ctx context.Context, examples []trainingExample, dim, k int, p svmParams, folds int, seed int64) (scale, none float64, ok bool, err error) {
	n := len(examples)
	if k < 2 || n < 2*folds {
		return 0, 0, false, nil
	}
	fold := make([]int, n)
	seen := make([]int, k)
	for i := range examples {
		c := examples[i].class
		fold[i] = seen[c] % folds
		seen[c]++
	}
	pairScores := make([]float64, 0, n*k)
	labels := make([]bool, 0, n*k)
	train := make([]trainingExample, 0, n)
	row := make([]float64, k)
	for f := range folds {
		train = train[:0]
		for i := range examples {
			if fold[i] != f {
				train = append(train, examples[i])
			}
		}
		w, b, err := trainOvRSVM(ctx, train, dim, k, p, seed+int64(f)+1)
		if err != nil {
			return 0, 0, false, err
		}
		for i := range examples {
			if fold[i] != f {
				continue
			}
			scores(w, examples[i].vec, row)
			for c := range row {
				pairScores = append(pairScores, row[c]+float64(b[c]))
				labels = append(labels, examples[i].class == c)
			}
		}
	}
	a, bias, ok := fitPlatt(pairScores, labels)
	if !ok || a <= 0 {
		return 0, 0, false, nil
	}
	return a, -bias / a, true, nil
}

// fitPlatt fits P(y | s) = σ(a·s + b) by Newton's method with backtracking,
// on Platt's smoothed targets, which keep a separable fold from driving a to
// infinity.
func fitPlatt(s []float64, y []bool) (a, b float64, ok bool) {
	var pos, neg float64
	for _, v := range y {
		if v {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return 0, 0, false
	}
	hi, lo := (pos+1)/(pos+2), 1/(neg+2)
	t := func(i int) float64 {
		if y[i] {
			return hi
		}
		return lo
	}
	// loss is the cross-entropy of σ(a·s+b) against the targets, written
	// so that neither log overflows.
	loss := func(a, b float64) float64 {
		sum := 0.0
		for i, x := range s {
			z := a*x + b
			if z >= 0 {
				sum += (1-t(i))*z + math.Log1p(math.Exp(-z))
			} else {
				sum += -t(i)*z + math.Log1p(math.Exp(z))
			}
		}
		return sum
	}
	a, b = 1, math.Log((pos+1)/(neg+1))
	f := loss(a, b)
	const sigma = 1e-12 // keeps the Hessian positive definite
	for iter := 0; iter < 100; iter++ {
		var h11, h22, h21, g1, g2 float64
		for i, x := range s {
			z := a*x + b
			var p, q float64 // σ(z) and 1 − σ(z)
			if z >= 0 {
				e := math.Exp(-z)
				p, q = 1/(1+e), e/(1+e)
			} else {
				e := math.Exp(z)
				p, q = e/(1+e), 1/(1+e)
			}
			d2 := p * q
			h11 += x * x * d2
			h22 += d2
			h21 += x * d2
			d1 := p - t(i)
			g1 += x * d1
			g2 += d1
		}
		if math.Abs(g1) < 1e-5 && math.Abs(g2) < 1e-5 {
			return a, b, true
		}
		h11 += sigma
		h22 += sigma
		det := h11*h22 - h21*h21
		da := -(h22*g1 - h21*g2) / det
		db := -(-h21*g1 + h11*g2) / det
		gd := g1*da + g2*db
		step := 1.0
		for step >= 1e-10 {
			na, nb := a+step*da, b+step*db
			if nf := loss(na, nb); nf < f+1e-4*step*gd {
				a, b, f = na, nb, nf
				break
			}
			step /= 2
		}
		if step < 1e-10 {
			break // no progress along the Newton direction: as good as it gets
		}
	}
	return a, b, true
}
