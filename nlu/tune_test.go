package nlu

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
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
	oos  bool // train an oos intent on CLINC150's oos_train
}

func tuneCases() []tuneCase {
	d := defaultHyperparams(pruneAbove + 1)
	with := func(name string, f func(*hyperparams)) tuneCase {
		h := d
		f(&h)
		return tuneCase{name: name, hp: h}
	}
	oos := func(name string, f func(*hyperparams)) tuneCase {
		c := with(name, f)
		c.oos = true
		return c
	}
	all := []tuneCase{
		{name: "default", hp: d},
		{name: "defaultoos", hp: d, oos: true},
		oos("ww1", func(h *hyperparams) { h.wordWeight, h.temperature = 1, 1 }),
		oos("ww1.5", func(h *hyperparams) { h.wordWeight = 1.5 }),
		oos("ww2.5", func(h *hyperparams) { h.wordWeight = 2.5 }),
		oos("ww3", func(h *hyperparams) { h.wordWeight = 3 }),
		oos("t1", func(h *hyperparams) { h.temperature = 1 }),
		oos("e7", func(h *hyperparams) { h.epochs = 7 }),
		oos("e10", func(h *hyperparams) { h.epochs = 10 }),
		oos("trigrams", func(h *hyperparams) { h.wordTrigrams = true }),
		oos("char1-4", func(h *hyperparams) { h.charMin = 1 }),
		oos("minDF1", func(h *hyperparams) { h.minDF = 1 }),
		oos("l2=3e-5", func(h *hyperparams) { h.l2 = 3e-5 }),
		oos("single", func(h *hyperparams) { h.members = 1 }),
		oos("members3", func(h *hyperparams) { h.members = 3 }),
		oos("t0.6", func(h *hyperparams) { h.temperature = 0.6 }),
		oos("t0.8", func(h *hyperparams) { h.temperature = 0.8 }),
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

// TestValidation prints validation figures for choosing the model: Banking77
// with a tenth of each intent's training examples held out, CLINC150 on its
// val and oos_val splits. It never reads a test split; NLU_TUNE=1 runs it.
func TestValidation(t *testing.T) {
	if os.Getenv("NLU_TUNE") == "" {
		t.Skip("set NLU_TUNE=1 to print validation figures")
	}
	bTrain, bVal := holdOutPerLabel(readBanking77(t, "train.csv"), 10)
	c := readCLINC150(t)
	cVal := append(slices.Clone(c["val"]), c["oos_val"]...)
	for _, tc := range tuneCases() {
		hp := tc.hp
		var line strings.Builder
		fmt.Fprintf(&line, "%-10s", tc.name)
		if os.Getenv("NLU_SKIP_BANKING") == "" {
			start := time.Now()
			m, err := Train(context.Background(), trainingDataFrom(bTrain), Options{tune: &hp})
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			rep := Evaluate(m, bVal, 0)
			fmt.Fprintf(&line, " | b77 acc %.4f ece %.3f train %4.2fs p99 %3.0fµs", rep.Accuracy, rep.ECE, took.Seconds(), float64(rep.ParseP99)/1e3)
		}
		cTrain := c["train"]
		if tc.oos {
			cTrain = append(slices.Clone(cTrain), c["oos_train"]...)
		}
		start := time.Now()
		m, err := Train(context.Background(), trainingDataFrom(cTrain), Options{tune: &hp})
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		rankings := make([][]IntentScore, len(cVal))
		for i, ex := range cVal {
			rankings[i] = m.Parse(ex.Text, ParseOptions{Now: trainingNow}).Intents
		}
		rep := scoreRankings(rankings, cVal, 0)
		th6, in6 := atOOSRecall(rankings, cVal, 0.6)
		th7, in7 := atOOSRecall(rankings, cVal, 0.7)
		fmt.Fprintf(&line, " | clinc in@0 %.4f ece %.3f; in %.4f @oos0.6 (th %.3f); in %.4f @oos0.7 (th %.3f) train %4.2fs",
			rep.InScopeAccuracy, rep.ECE, in6, th6, in7, th7, took.Seconds())
		if pick := pickThreshold(rankings, cVal, 0.6); pick.Threshold > 0 {
			fmt.Fprintf(&line, " | T=%.2f in %.4f oos recall %.4f", pick.Threshold, pick.InScopeAccuracy, pick.OOSRecall)
		}
		for _, alpha := range []float64{0.5, 1, 2} {
			alt := make([][]IntentScore, len(rankings))
			for i, r := range rankings {
				if len(r) == 0 {
					continue
				}
				second := 0.0
				if len(r) > 1 {
					second = r[1].Confidence
				}
				if r[0].Name == OutOfScope {
					alt[i] = []IntentScore{{Name: OutOfScope, Confidence: 0}}
					continue
				}
				alt[i] = []IntentScore{{Name: r[0].Name, Confidence: r[0].Confidence + alpha*(r[0].Confidence-second)}}
			}
			_, in6 := atOOSRecall(alt, cVal, 0.6)
			_, in7 := atOOSRecall(alt, cVal, 0.7)
			fmt.Fprintf(&line, " | margin%.1f %.4f %.4f", alpha, in6, in7)
		}
		for _, variant := range []string{"minus", "times"} {
			alt := make([][]IntentScore, len(rankings))
			for i, r := range rankings {
				pOOS := 0.0
				var rest []IntentScore
				for _, s := range r {
					if s.Name == OutOfScope {
						pOOS = s.Confidence
					} else {
						rest = append(rest, s)
					}
				}
				if len(rest) == 0 {
					continue
				}
				top := rest[0]
				if variant == "minus" {
					top.Confidence = max(0, top.Confidence-pOOS)
				} else {
					top.Confidence *= 1 - pOOS
				}
				alt[i] = []IntentScore{top}
			}
			_, in6 := atOOSRecall(alt, cVal, 0.6)
			_, in7 := atOOSRecall(alt, cVal, 0.7)
			fmt.Fprintf(&line, " | %s %.4f %.4f", variant, in6, in7)
		}
		t.Log(line.String())
	}
}
