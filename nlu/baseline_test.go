package nlu

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
)

// The reference pipeline of issue 17, rebuilt in Go so the comparison runs in
// one command on a machine without Python: scikit-learn's
//
//	make_pipeline(
//	    make_union(
//	        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
//	        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
//	    LinearSVC(C=1))
//
// Both vectorisers lowercase, use the default token pattern (runs of two or
// more word characters), smooth idf and L2-normalise their own block; the
// SVM is liblinear's dual coordinate descent for the squared hinge loss,
// one-vs-rest, with an intercept (intercept_scaling=1), tol 1e-4 and at most
// 1,000 passes (trainLiblinearOvR below; the model itself uses
// trainOvRSVM, the same problem solved for all classes at once).
type baselineModel struct {
	vocab   map[string]int32
	idf     []float32
	labels  []string
	weights []float32 // feature-major
	biases  []float32
}

var baselineToken = regexp.MustCompile(`[\p{L}\p{N}_]{2,}`)

// baselineFeatures returns the word and char_wb features of text, each
// prefixed to keep the two vocabularies apart.
func baselineFeatures(text string) (words, chars []string) {
	lower := strings.ToLower(text)
	toks := baselineToken.FindAllString(lower, -1)
	for i, tk := range toks {
		words = append(words, "w:"+tk)
		if i > 0 {
			words = append(words, "w:"+toks[i-1]+" "+tk)
		}
	}
	for _, w := range strings.Fields(lower) {
		rs := []rune(" " + w + " ")
		for n := 2; n <= 5; n++ {
			// scikit-learn's _char_wb_ngrams: a word shorter than n gives
			// itself once.
			offset := 0
			chars = append(chars, "c:"+string(rs[offset:min(offset+n, len(rs))]))
			for offset+n < len(rs) {
				offset++
				chars = append(chars, "c:"+string(rs[offset:offset+n]))
			}
		}
	}
	return words, chars
}

// baselineVector is the sublinear TF-IDF of one block, L2-normalised;
// features outside the vocabulary are ignored, as scikit-learn does.
func (b *baselineModel) blockVector(feats []string, dst sparseVec) sparseVec {
	counts := map[int32]int{}
	for _, f := range feats {
		if id, ok := b.vocab[f]; ok {
			counts[id]++
		}
	}
	ids := make([]int32, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var sumSq float64
	start := len(dst.val)
	for _, id := range ids {
		w := (1 + math.Log(float64(counts[id]))) * float64(b.idf[id])
		dst.idx = append(dst.idx, id)
		dst.val = append(dst.val, float32(w))
		sumSq += w * w
	}
	if sumSq > 0 {
		inv := float32(1 / math.Sqrt(sumSq))
		for i := start; i < len(dst.val); i++ {
			dst.val[i] *= inv
		}
	}
	return dst
}

func (b *baselineModel) vector(text string) sparseVec {
	words, chars := baselineFeatures(text)
	v := b.blockVector(words, sparseVec{})
	return b.blockVector(chars, v)
}

func trainBaseline(ctx context.Context, examples []LabeledText) (*baselineModel, error) {
	b := &baselineModel{vocab: map[string]int32{}}
	classOf := map[string]int{}
	df := map[string]int{}
	var order []string
	type doc struct{ words, chars []string }
	docs := make([]doc, len(examples))
	for i, ex := range examples {
		if _, ok := classOf[ex.Label]; !ok {
			classOf[ex.Label] = len(b.labels)
			b.labels = append(b.labels, ex.Label)
		}
		w, c := baselineFeatures(ex.Text)
		docs[i] = doc{w, c}
		seen := map[string]bool{}
		for _, f := range append(slices.Clone(w), c...) {
			if !seen[f] {
				seen[f] = true
				if df[f] == 0 {
					order = append(order, f)
				}
				df[f]++
			}
		}
	}
	n := float64(len(examples))
	for _, f := range order {
		b.vocab[f] = int32(len(b.idf))
		b.idf = append(b.idf, float32(math.Log((1+n)/(1+float64(df[f])))+1))
	}
	train := make([]trainingExample, len(examples))
	for i, ex := range examples {
		v := b.blockVector(docs[i].words, sparseVec{})
		train[i] = trainingExample{class: classOf[ex.Label], vec: b.blockVector(docs[i].chars, v)}
	}
	var err error
	b.weights, b.biases, err = trainLiblinearOvR(ctx, train, len(b.idf), len(b.labels), svmParams{c: 1, eps: 1e-4, maxIter: 1000}, 0)
	return b, err
}

// rank returns every label with its decision value, best first. The values
// are margins, not probabilities: thresholds on them are swept, not read.
func (b *baselineModel) rank(text string) []IntentScore {
	v := b.vector(text)
	out := make([]float64, len(b.labels))
	scores(b.weights, v, out)
	ranked := make([]IntentScore, len(out))
	for c, s := range out {
		ranked[c] = IntentScore{Name: b.labels[c], Confidence: s + float64(b.biases[c])}
	}
	slices.SortStableFunc(ranked, func(x, y IntentScore) int {
		switch {
		case x.Confidence > y.Confidence:
			return -1
		case x.Confidence < y.Confidence:
			return 1
		}
		return 0
	})
	return ranked
}

// baselineRankings ranks every example; for data with out-of-scope examples
// the "oos" class, when trained, counts as a rejection, and an intent's
// confidence is its margin over the out-of-scope class (as Parley's is).
func baselineRankings(b *baselineModel, examples []LabeledText) [][]IntentScore {
	out := make([][]IntentScore, len(examples))
	for i, ex := range examples {
		r := b.rank(ex.Text)
		oos := math.Inf(-1)
		kept := r[:0]
		for _, s := range r {
			if s.Name == OutOfScope {
				oos = s.Confidence
				continue
			}
			kept = append(kept, s)
		}
		if !math.IsInf(oos, -1) {
			for j := range kept {
				kept[j].Confidence -= oos
			}
		}
		out[i] = kept
	}
	return out
}

// trainLiblinearOvR fits one L2-regularised, squared-hinge-loss linear SVM per
// class (the class against all others) by dual coordinate descent with
// shrinking (Hsieh et al., 2008; liblinear's L2R_L2LOSS_SVC_DUAL), with a
// bias as one more feature of value 1, regularised like the others. It
// returns feature-major weights (dim*k) and the k biases.
//
// One-vs-rest hinge differs from the softmax member where data are
// imbalanced: every class gets its own margin, so a rare intent is not pulled
// into a frequent one whose probability mass dominates the softmax gradient.
func trainLiblinearOvR(ctx context.Context, examples []trainingExample, dim, k int, p svmParams, seed int64) ([]float32, []float32, error) {
	n := len(examples)
	weights := make([]float32, dim*k)
	biases := make([]float32, k)
	if n == 0 || k == 0 {
		return weights, biases, nil
	}
	diag := 0.5 / p.c
	qd := make([]float64, n)
	for i := range examples {
		sum := 1.0 // the bias feature
		for _, v := range examples[i].vec.val {
			sum += float64(v) * float64(v)
		}
		qd[i] = sum + diag
	}
	w := make([]float64, dim+1) // the last one is the bias
	alpha := make([]float64, n)
	index := make([]int, n)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5173))
	for c := 0; c < k; c++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("train nlu: %w", err)
		}
		clear(w)
		clear(alpha)
		for i := range index {
			index[i] = i
		}
		active := n
		pgMaxOld := math.Inf(1) // L2-loss: no upper bound on alpha, so only this side shrinks
		for iter := 0; iter < p.maxIter; iter++ {
			pgMaxNew, pgMinNew := math.Inf(-1), math.Inf(1)
			for i := 0; i < active; i++ {
				j := i + rng.IntN(active-i)
				index[i], index[j] = index[j], index[i]
			}
			for s := 0; s < active; s++ {
				i := index[s]
				ex := &examples[i]
				y := -1.0
				if ex.class == c {
					y = 1
				}
				dot := w[dim]
				for j, f := range ex.vec.idx {
					dot += w[f] * float64(ex.vec.val[j])
				}
				g := y*dot - 1 + alpha[i]*diag
				pg := 0.0
				if alpha[i] == 0 {
					if g > pgMaxOld {
						// Bound and likely to stay so: leave it out until the
						// final check.
						active--
						index[s], index[active] = index[active], index[s]
						s--
						continue
					}
					if g < 0 {
						pg = g
					}
				} else {
					pg = g
				}
				pgMaxNew = max(pgMaxNew, pg)
				pgMinNew = min(pgMinNew, pg)
				if math.Abs(pg) > 1e-12 {
					old := alpha[i]
					alpha[i] = max(old-g/qd[i], 0)
					d := (alpha[i] - old) * y
					for j, f := range ex.vec.idx {
						w[f] += d * float64(ex.vec.val[j])
					}
					w[dim] += d
				}
			}
			if pgMaxNew-pgMinNew <= p.eps {
				if active == n {
					break
				}
				active = n
				pgMaxOld = math.Inf(1)
				continue
			}
			pgMaxOld = pgMaxNew
			if pgMaxOld <= 0 {
				pgMaxOld = math.Inf(1)
			}
		}
		for f := 0; f < dim; f++ {
			weights[f*k+c] = float32(w[f])
		}
		biases[c] = float32(w[dim])
	}
	return weights, biases, nil
}
