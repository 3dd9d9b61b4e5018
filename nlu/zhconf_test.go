package nlu

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// zhLargeSets are the Chinese validation sets for the large-data model's
// confidences: zhdom and zhdomcv (compare_test.go), zhcv and zh with the
// large-data model, and two out-of-scope probes: zhdomho, zhdomcv's folds
// with a quarter of the domains held out of training in turn (every domain
// once), their messages scored as out of scope; zhho, the bots' probe
// (botsized_test.go) with the large-data model. None reads a test part.
func zhLargeSets(t testing.TB) []botSet {
	var dom [][]LabeledText
	for _, part := range []string{"train0", "train1", "train2", "val"} {
		dom = append(dom, readZhDomains(t, part))
	}
	cv := func(parts [][]LabeledText) []botFold {
		var folds []botFold
		for f := range parts {
			var tr []LabeledText
			for g := range parts {
				if g != f {
					tr = append(tr, parts[g]...)
				}
			}
			folds = append(folds, botFold{tr, parts[f]})
		}
		return folds
	}
	sets := []botSet{
		{name: "zhdom", folds: []botFold{{readZhDomains(t, "train"), readZhDomains(t, "val")}}},
		{name: "zhdomcv", folds: cv(dom)},
	}
	var ho []botFold
	labels := labelsOf(dom[0])
	for g := range 4 {
		held := map[string]bool{}
		for i, l := range labels {
			if i%4 == g {
				held[l] = true
			}
		}
		ho = append(ho, holdOut(cv(dom), held)...)
	}
	sets = append(sets, botSet{name: "zhdomho", folds: ho})
	var zh [][]LabeledText
	for _, part := range []string{"train0", "train1", "dev"} {
		zh = append(zh, readZhSupport(t, part))
	}
	held := map[string]bool{}
	for i, l := range labelsOf(zh[0]) {
		if i%3 == 1 {
			held[l] = true
		}
	}
	return append(sets,
		botSet{name: "zhcv", folds: cv(zh)},
		botSet{name: "zh", folds: []botFold{{readZhSupport(t, "train"), readZhSupport(t, "dev")}}},
		botSet{name: "zhho", folds: holdOut(cv(zh), held)})
}

// holdOut drops the held labels from each fold's training part and marks
// their validation messages out of scope.
func holdOut(folds []botFold, held map[string]bool) []botFold {
	var out []botFold
	for _, f := range folds {
		var hf botFold
		for _, ex := range f.train {
			if !held[ex.Label] {
				hf.train = append(hf.train, ex)
			}
		}
		for _, ex := range f.val {
			if held[ex.Label] {
				ex.Label = OutOfScope
			}
			hf.val = append(hf.val, ex)
		}
		out = append(out, hf)
	}
	return out
}

// zhLargeCases vary the large-data model's Chinese-only settings.
func zhLargeCases() []tuneCase {
	cs := []tuneCase{{name: "default"}}
	with := func(name string, f func(*hyperparams)) { cs = append(cs, tuneCase{name: name, vary: f}) }
	// the scores shrink by coverage to this power (2, as English, ships)
	for _, p := range []float64{0, 0.25, 0.5, 0.75, 1, 1.5, 3, 4} {
		with(fmt.Sprintf("zp%v", p), func(h *hyperparams) { h.zhIgnoreUnknown, h.zhCovPower = true, p })
	}
	// with the softmax member's temperature (the bots' rule: zp0.5/t0.8)
	for _, p := range []float64{0.5, 1} {
		for _, temp := range []float64{0.8, 1.25} {
			with(fmt.Sprintf("zp%v/t%v", p, temp), func(h *hyperparams) {
				h.zhIgnoreUnknown, h.zhCovPower, h.zhTemperature = true, p, temp
			})
		}
	}
	with("zt0.5", func(h *hyperparams) { h.zhTemperature = 0.5 })
	want := os.Getenv("NLU_CASES")
	if want == "" {
		return cs
	}
	var out []tuneCase
	for _, c := range cs {
		if slices.Contains(strings.Split(want, ","), c.name) {
			out = append(out, c)
		}
	}
	return out
}

// TestZhLarge prints, per case and Chinese set, the large-data model's
// top-1 accuracy on in-scope messages, their expected calibration error and
// mean top confidence, and at thresholds 0.3, 0.45 and 0.5 (the default
// confidence_threshold) the percentages of in-scope messages accepted and
// right / accepted and wrong, and of out-of-scope messages accepted.
// Every set gets the large-data model, whatever its size. NLU_COMPARE=1
// runs it; NLU_SETS and NLU_CASES pick sets and cases.
func TestZhLarge(t *testing.T) {
	if os.Getenv("NLU_COMPARE") == "" {
		t.Skip("set NLU_COMPARE=1 to print validation figures")
	}
	want := os.Getenv("NLU_SETS")
	sets := slices.DeleteFunc(zhLargeSets(t), func(s botSet) bool {
		return want != "" && !slices.Contains(strings.Split(want, ","), s.name)
	})
	for _, c := range zhLargeCases() {
		for _, s := range sets {
			var rank [][]IntentScore
			var val []LabeledText
			for _, f := range s.folds {
				hp := c.hyperparams(max(len(f.train), botSized+1))
				m, err := Train(context.Background(), trainingDataFrom(f.train), Options{tune: &hp, Seed: compareSeed()})
				if err != nil {
					t.Fatal(err)
				}
				for _, ex := range f.val {
					rank = append(rank, m.Parse(ex.Text, ParseOptions{Now: trainingNow}).Intents)
				}
				val = append(val, f.val...)
			}
			t.Logf("%-10s %s%s", c.name, describeBotSized(rank, val, s), atOOSAccepted(rank, val))
		}
	}
}

// atOOSAccepted gives, where the messages include out-of-scope ones, the
// percentages of in-scope messages accepted and right / accepted and wrong
// at the lowest threshold that accepts at most 10, 20 and 30% of the
// out-of-scope ones: how well confidences separate the two, whatever the
// scale.
func atOOSAccepted(rank [][]IntentScore, val []LabeledText) string {
	var oos []float64
	for i, ex := range val {
		if ex.Label == OutOfScope {
			oos = append(oos, Result{Intents: rank[i]}.Top().Confidence)
		}
	}
	if len(oos) == 0 {
		return ""
	}
	slices.Sort(oos)
	s := " | at oos accepted"
	for _, share := range []float64{0.1, 0.2, 0.3} {
		th := oos[len(oos)-int(share*float64(len(oos)))-1] + 1e-9
		right, wrong, in := 0, 0, 0
		for i, ex := range val {
			if ex.Label == OutOfScope {
				continue
			}
			in++
			if top := (Result{Intents: rank[i]}).Top(); top.Confidence >= th {
				if top.Name == ex.Label {
					right++
				} else {
					wrong++
				}
			}
		}
		s += fmt.Sprintf(" %.0f%%: %.1f/%.1f (th %.2f)", 100*share, 100*float64(right)/float64(in), 100*float64(wrong)/float64(in), th)
	}
	return s
}
