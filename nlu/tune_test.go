package nlu

import (
	"fmt"
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
// whose out-of-scope recall reaches recall: the rule the CLINC150 threshold in the Makefile follows.
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
	vary func(*hyperparams) // applied to the defaults for the set's size; nil: the defaults
}

// hyperparams are the case's settings for a training set of size examples.
func (c tuneCase) hyperparams(size int) hyperparams {
	hp := defaultHyperparams(size)
	if c.vary != nil {
		c.vary(&hp)
	}
	return hp
}

// tuneCases are the configurations TestCompare scores, NLU_CASES picks
// some by name: the defaults, and the defaults with one thing changed.
func tuneCases() []tuneCase {
	with := func(name string, f func(*hyperparams)) tuneCase { return tuneCase{name: name, vary: f} }
	all := []tuneCase{
		{name: "default"},
		// the large-data model on any size (bot-sized data get the old one)
		with("large", func(h *hyperparams) { *h = defaultHyperparams(botSized + 1); h.epochs = defaultEpochs }),
		with("largenovec", func(h *hyperparams) {
			*h = defaultHyperparams(botSized + 1)
			h.epochs, h.vecWeight = defaultEpochs, 0
		}),
		// the two members alone, and their share
		with("svmonly", func(h *hyperparams) { h.members = 0 }),
		with("lronly", func(h *hyperparams) { h.svm = false }),
		with("share.5", func(h *hyperparams) { h.svmShare = 0.5 }),
		with("lr2", func(h *hyperparams) { h.members = 2 }),
		// imbalance
		with("noboost", func(h *hyperparams) { h.svmBoost, h.lrBoost = 0, 0 }),
		with("lrb2", func(h *hyperparams) { h.lrBoost = 2 }),
		with("unknown", func(h *hyperparams) { h.ignoreUnknown = false }),
		with("joint", func(h *hyperparams) { h.blocks = false }),
		// features
		with("c25", func(h *hyperparams) { h.charMax = 5 }),
		with("minDF1", func(h *hyperparams) { h.minDF = 1 }),
		with("prunewords", func(h *hyperparams) { h.keepWords = false }),
		with("cjk3", func(h *hyperparams) {
			h.cjkMax, h.cjkWords, h.cjkEdges, h.cjkRunWord, h.cjkKeep = 3, false, false, false, 0
		}),
		with("cjkwords", func(h *hyperparams) { h.cjkWords = true }),
		with("nocjkwords", func(h *hyperparams) { h.cjkWords = false }),
		with("norun", func(h *hyperparams) { h.cjkRunWord = false }),
		with("noedges", func(h *hyperparams) { h.cjkEdges = false }),
		with("cjkkeep4", func(h *hyperparams) { h.cjkKeep = 4 }),
		// the Chinese confidences of the bots' calibration (botHyperparams)
		with("zhcov.5", func(h *hyperparams) { h.zhIgnoreUnknown, h.zhCovPower = true, 0.5 }),
		// passes and confidences
		with("e5", func(h *hyperparams) { h.epochs = 5 }),
		with("e6", func(h *hyperparams) { h.epochs = 6 }),
		with("it50", func(h *hyperparams) { h.svmIter = 50 }),
		with("s12", func(h *hyperparams) { h.svmScale = 12 }),
		with("n0", func(h *hyperparams) { h.svmNone = 0 }),
		with("n-.6", func(h *hyperparams) { h.svmNone = -0.6 }),
		with("cov1", func(h *hyperparams) { h.covPower = 1 }),
		with("t0.7", func(h *hyperparams) { h.temperature = 0.7 }),
	}
	// pretrained word vectors: none, the block's weight, plain mean, no
	// typo correction, the per-dimension maximum too
	all = append(all,
		with("novec", func(h *hyperparams) { h.vecWeight = 0 }),
		with("v0.5", func(h *hyperparams) { h.vecWeight = 0.5 }),
		with("v0.7", func(h *hyperparams) { h.vecWeight = 0.7 }),
		with("v1.4", func(h *hyperparams) { h.vecWeight = 1.4 }),
		with("vplain", func(h *hyperparams) { h.vecIDF = false }),
		with("vnotypo", func(h *hyperparams) { h.vecTypos = false }),
		with("vmax", func(h *hyperparams) { h.vecMax = true }),
		with("notypow", func(h *hyperparams) { h.typoWords = false }),
		// a misspelt word read as its correction alone, as bots do
		with("typorep", func(h *hyperparams) { h.typoReplace = true }))
	// stems and negation scope (issue 17, seventh round): without either,
	// without both (the model before), a longer scope. What lost is on
	// branch nlu7-features (BENCHMARKS.md).
	all = append(all,
		with("noneg", func(h *hyperparams) { h.negation = 0 }),
		with("nostem", func(h *hyperparams) { h.stem = false }),
		with("nonegstem", func(h *hyperparams) { h.negation, h.stem = 0, false }),
		with("neg9", func(h *hyperparams) { h.negation = 9 }),
		with("stemx", func(h *hyperparams) { h.stem, h.stemShared = false, true }),
		with("dupwords", func(h *hyperparams) { h.stemIdentity = true }))
	// issue 17, tenth round: a share of the training messages' mean vector
	// removed from the word-vector block (0.5 ships); the members' share and
	// the SVM's rare weighting. SIF weights, the first principal axis
	// removed, an L2 per block in the SVM member and augmentation by word
	// dropping are on branch nlu10-experiments (BENCHMARKS.md).
	for _, x := range []float32{0, 0.25, 0.75, 1} {
		all = append(all, with(fmt.Sprintf("vc%v", x), func(h *hyperparams) { h.vecCenter = x }))
	}
	for _, x := range []float32{1.2, 1.4} {
		all = append(all, with(fmt.Sprintf("ww%v", x), func(h *hyperparams) { h.wordWeight = x }))
	}
	for _, x := range []float64{0.6, 0.8, 0.9} {
		all = append(all, with(fmt.Sprintf("share%v", x), func(h *hyperparams) { h.svmShare = x }))
	}
	for _, x := range []float64{0.5, 0.75, 1.5} {
		all = append(all, with(fmt.Sprintf("sb%v", x), func(h *hyperparams) { h.svmBoost = x }))
	}
	// issue 17, eleventh round: the SVM's weights the mean of its last n
	// passes' (2 ships; 1: the last pass's, the model before). Averaging
	// the softmax member's, unordered pairs of stems as features and a
	// word-vector gate on out-of-scope messages are on branch
	// nlu11-experiments (BENCHMARKS.md).
	for _, n := range []int{1, 3, 4} {
		all = append(all, with(fmt.Sprintf("savg%d", n), func(h *hyperparams) { h.svmAverage = n }))
	}
	// the SVM's C, and C with more passes
	for _, it := range []int{20, 30} {
		for _, c := range []float64{1, 1.5, 2} {
			all = append(all, with(fmt.Sprintf("C%v/i%d", c, it), func(h *hyperparams) { h.svmC, h.svmIter = c, it }))
		}
	}
	for _, c := range []float64{0.1, 0.2, 0.3, 0.5, 0.7, 1.5, 2, 3, 5} {
		all = append(all, with(fmt.Sprintf("C%v", c), func(h *hyperparams) { h.svmC = c }))
	}
	// the model before issue 17, as near as the knobs get
	all = append(all, with("old", func(h *hyperparams) {
		*h = hyperparams{epochs: h.epochs, learningRate: learningRate, l2: l2, minDF: 1, charMin: 3, charMax: 5,
			temperature: 1, wordWeight: 1, members: 1}
	}))
	// calibration grid: the SVM's scale and none, the coverage power
	for _, scale := range []float64{8, 12, 16, 24} {
		for _, none := range []float64{-0.3, -0.6, -1} {
			for _, cov := range []float64{1, 2} {
				all = append(all, with(fmt.Sprintf("g%v/%v/%v", scale, none, cov), func(h *hyperparams) {
					h.svmScale, h.svmNone, h.covPower = scale, none, cov
				}))
			}
		}
	}
	want := os.Getenv("NLU_CASES")
	if want == "grid" {
		var out []tuneCase
		for _, c := range all {
			if strings.HasPrefix(c.name, "g") {
				out = append(out, c)
			}
		}
		return out
	}
	if want == "" {
		return all
	}
	var out []tuneCase
	for _, c := range all {
		if slices.Contains(strings.Split(want, ","), c.name) {
			out = append(out, c)
		}
	}
	// "a+b" is case a's change, then case b's
	for _, name := range strings.Split(want, ",") {
		if !strings.Contains(name, "+") {
			continue
		}
		var parts []tuneCase
		for _, part := range strings.Split(name, "+") {
			if i := slices.IndexFunc(all, func(c tuneCase) bool { return c.name == part }); i >= 0 {
				parts = append(parts, all[i])
			}
		}
		out = append(out, with(name, func(h *hyperparams) {
			for _, p := range parts {
				if p.vary != nil {
					p.vary(h)
				}
			}
		}))
	}
	return out
}
