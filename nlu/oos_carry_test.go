package nlu

import (
	"context"
	"os"
	"slices"
	"testing"
)

// TestOOSCarry asks whether a threshold chosen on CLINC150's validation
// data keeps its out-of-scope recall on other data: each of two folds
// holds out a fifth of every intent's training examples and half of
// oos_train, trains on the rest, picks the threshold reaching recall 0.7
// on val + oos_val and applies it to the held-out part. No test split is
// read. NLU_COMPARE=1 runs it; NLU_CASES picks the cases.
func TestOOSCarry(t *testing.T) {
	if os.Getenv("NLU_COMPARE") == "" {
		t.Skip("set NLU_COMPARE=1 to print validation figures")
	}
	c := readCLINC150(t)
	val := append(slices.Clone(c["val"]), c["oos_val"]...)
	for _, tc := range tuneCases() {
		var valIn, heldIn float64
		var heldTops []IntentScore
		rec, n := 0, 0 // out-of-scope messages held out, and rejected at val's threshold
		for f := range 2 {
			var train, ho []LabeledText
			seen := map[string]int{}
			for _, ex := range c["train"] {
				seen[ex.Label]++
				if seen[ex.Label]%5 == f {
					ho = append(ho, ex)
				} else {
					train = append(train, ex)
				}
			}
			oos := c["oos_train"]
			half := len(oos) / 2
			for i, ex := range oos {
				if i/half == f {
					ho = append(ho, ex)
				} else {
					train = append(train, ex)
				}
			}
			hp := tc.hyperparams(len(train))
			m, err := Train(context.Background(), trainingDataFrom(train), Options{tune: &hp, Seed: compareSeed()})
			if err != nil {
				t.Fatal(err)
			}
			rank := func(exs []LabeledText) [][]IntentScore {
				out := make([][]IntentScore, len(exs))
				for i, ex := range exs {
					out[i] = m.Parse(ex.Text, ParseOptions{Now: trainingNow}).Intents
				}
				return out
			}
			th, in := atOOSRecall(rank(val), val, 0.7)
			valIn += in / 2
			heldTops = append(heldTops, topsOf(rank(ho))...)
			// each fold's own threshold on its own held-out part
			p := thresholdPoint(heldTops[len(heldTops)-len(ho):], ho, th)
			heldIn += p.InScopeAccuracy / 2
			for i, ex := range ho {
				if ex.Label == OutOfScope {
					n++
					if predict(heldTops[len(heldTops)-len(ho)+i], th) == OutOfScope {
						rec++
					}
				}
			}
			t.Logf("%-22s fold %d threshold %.4f: val in %.4f | held in %.4f oos recall %.4f precision %.4f",
				tc.name, f, th, in, p.InScopeAccuracy, p.OOSRecall, p.OOSPrecision)
		}
		t.Logf("%-22s val in@0.7 %.4f | held in %.4f, oos recall at val's threshold %.4f (%d/%d)",
			tc.name, valIn, heldIn, float64(rec)/float64(n), rec, n)
	}
}
