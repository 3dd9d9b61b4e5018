package nlu

import (
	"os"
	"slices"
	"strings"
)

// holdOutPerLabel puts every nth example of each label into held (the same
// rule as dataset.HoldOut, which this package cannot import).
func holdOutPerLabel(examples []LabeledText, n int) (kept, held []LabeledText) {
	seen := map[string]int{}
	for _, ex := range examples {
		seen[ex.Label]++
		if seen[ex.Label]%n == 0 {
			held = append(held, ex)
		} else {
			kept = append(kept, ex)
		}
	}
	return kept, held
}

// atOOSRecall returns the threshold at which out-of-scope recall reaches
// recall, and the in-scope accuracy there.
func atOOSRecall(rankings [][]IntentScore, examples []LabeledText, recall float64) (threshold, inScope float64) {
	var oos []float64
	for i, ex := range examples {
		if ex.Label == OutOfScope {
			oos = append(oos, Result{Intents: rankings[i]}.Top().Confidence)
		}
	}
	slices.Sort(oos)
	k := int(recall*float64(len(oos)) + 0.5)
	threshold = oos[k-1] + 1e-9 // everything up to the kth lowest is rejected
	tops := make([]IntentScore, len(examples))
	for i := range examples {
		tops[i] = Result{Intents: rankings[i]}.Top()
	}
	return threshold, thresholdPoint(tops, examples, threshold).InScopeAccuracy
}

// pickThreshold returns the figures at the lowest two-decimal threshold
// whose out-of-scope recall reaches recall: the rule clincThreshold follows.
func pickThreshold(rankings [][]IntentScore, examples []LabeledText, recall float64) ThresholdPoint {
	tops := make([]IntentScore, len(examples))
	for i := range examples {
		tops[i] = Result{Intents: rankings[i]}.Top()
	}
	for hundredths := 1; hundredths < 100; hundredths++ {
		if p := thresholdPoint(tops, examples, float64(hundredths)/100); p.OOSRecall >= recall {
			return p
		}
	}
	return ThresholdPoint{}
}

type tuneCase struct {
	name string
	hp   hyperparams
}

// tuneCases are the configurations TestCompare scores, NLU_CASES picks
// some by name. "default" is whatever defaultHyperparams gives for the
// set's size; the others vary the large-data defaults.
func tuneCases() []tuneCase {
	d := defaultHyperparams(pruneAbove + 1)
	with := func(name string, f func(*hyperparams)) tuneCase {
		h := d
		f(&h)
		return tuneCase{name: name, hp: h}
	}
	all := []tuneCase{
		{name: "default", hp: hyperparams{}},
		with("large", func(*hyperparams) {}),
		with("minDF1", func(h *hyperparams) { h.minDF = 1 }),
		with("keepwords", func(h *hyperparams) { h.keepWords = true }),
		with("it10", func(h *hyperparams) { h.svmIter = 10 }),
		with("it10e5", func(h *hyperparams) { h.svmIter, h.epochs = 10, 5 }),
		with("c24", func(h *hyperparams) { h.charMax = 4 }),
		with("s12", func(h *hyperparams) { h.svmScale = 12 }),
		with("n0", func(h *hyperparams) { h.svmNone = 0 }),
		with("n-.3", func(h *hyperparams) { h.svmNone = -0.3 }),
		with("n-.9", func(h *hyperparams) { h.svmNone = -0.9 }),
		with("n-1.2", func(h *hyperparams) { h.svmNone = -1.2 }),
		with("keep1", func(h *hyperparams) { h.cjkKeep = 1 }),
		with("keep2", func(h *hyperparams) { h.cjkKeep = 2 }),
		with("keep4", func(h *hyperparams) { h.cjkKeep = 4 }),
		with("lrb2", func(h *hyperparams) { h.lrBoost = 2 }),
		with("share.85", func(h *hyperparams) { h.svmShare = 0.85 }),
		with("lrb2s.85", func(h *hyperparams) { h.lrBoost, h.svmShare = 2, 0.85 }),
		with("cov2", func(h *hyperparams) { h.covPower = 2 }),
		with("cov3", func(h *hyperparams) { h.covPower = 3 }),
		with("e5", func(h *hyperparams) { h.epochs = 5 }),
		with("svmonly", func(h *hyperparams) { h.members = 0 }),
		with("lronly", func(h *hyperparams) { h.svm = false }),
		with("share.5", func(h *hyperparams) { h.svmShare = 0.5 }),
		with("noboost", func(h *hyperparams) { h.svmBoost, h.lrBoost = 0, 0 }),
		with("unknown", func(h *hyperparams) { h.ignoreUnknown = false }),
		with("joint", func(h *hyperparams) { h.blocks = false }),
		with("cjk3", func(h *hyperparams) {
			h.cjkMax, h.cjkWords, h.cjkEdges, h.cjkRunWord = 3, false, false, false
		}),
		with("segment", func(h *hyperparams) { h.segment = gseSegment() }),
		with("cjkwords", func(h *hyperparams) { h.cjkWords = true }),
		with("t0.7", func(h *hyperparams) { h.temperature = 0.7 }),
		with("lr2", func(h *hyperparams) { h.members = 2 }),
	}
	want := os.Getenv("NLU_CASES")
	if want == "" {
		return all
	}
	var out []tuneCase
	for _, c := range all {
		if slices.Contains(strings.Split(want, ","), c.name) {
			out = append(out, c)
		}
	}
	return out
}
