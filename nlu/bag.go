package nlu

import (
	"context"
	"math"
	"math/rand/v2"
)

// bagParams configure bagging of the SVM member: bags SVMs, each trained
// on a share of each class's examples (frac) and of the features
// (featFrac), their weights averaged. The scores are linear in the
// weights, so the average costs nothing at parse time.
type bagParams struct {
	bags     int
	frac     float64 // 0 means 1
	featFrac float64 // 0 means 1
}

func trainBaggedSVM(ctx context.Context, examples []trainingExample, dim, k int, p svmParams, bp bagParams, seed int64) ([]float32, []float32, error) {
	if bp.bags <= 1 {
		return trainOvRSVM(ctx, examples, dim, k, p, seed)
	}
	byClass := make([][]int, k)
	for i := range examples {
		byClass[examples[i].class] = append(byClass[examples[i].class], i)
	}
	weights := make([]float32, dim*k)
	biases := make([]float32, k)
	inv := 1 / float32(bp.bags)
	for b := range bp.bags {
		rng := rand.New(rand.NewPCG(uint64(seed)+uint64(b), 0xba9))
		var sub []trainingExample
		for _, idx := range byClass {
			n := len(idx)
			if bp.frac > 0 && bp.frac < 1 {
				n = max(1, int(math.Ceil(bp.frac*float64(n))))
			}
			for _, j := range rng.Perm(len(idx))[:n] {
				sub = append(sub, examples[idx[j]])
			}
		}
		if bp.featFrac > 0 && bp.featFrac < 1 {
			keep := make([]bool, dim)
			for f := range keep {
				keep[f] = rng.Float64() < bp.featFrac
			}
			for i := range sub {
				v := sparseVec{}
				for j, f := range sub[i].vec.idx {
					if keep[f] {
						v.idx = append(v.idx, f)
						v.val = append(v.val, sub[i].vec.val[j])
					}
				}
				sub[i].vec = v
			}
		}
		w, bias, err := trainOvRSVM(ctx, sub, dim, k, p, seed+int64(b))
		if err != nil {
			return nil, nil, err
		}
		for i, x := range w {
			weights[i] += x * inv
		}
		for i, x := range bias {
			biases[i] += x * inv
		}
	}
	return weights, biases, nil
}
