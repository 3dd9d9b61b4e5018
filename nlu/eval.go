package nlu

import (
	"math"
	"sort"
	"time"
)

// OutOfScope is the label of examples no intent covers (CLINC150's "oos").
const OutOfScope = "oos"

// LabeledText is one evaluation example. Label is an intent name, or
// OutOfScope for a message the bot should not claim to understand.
type LabeledText struct {
	Text  string
	Label string
}

// EvalReport summarizes how a model does on labelled examples. A prediction
// is the top intent when its confidence reaches the threshold, else OutOfScope.
type EvalReport struct {
	Examples  int
	Threshold float64
	// Accuracy over all examples, out-of-scope ones included.
	Accuracy float64
	// InScopeAccuracy over examples whose label is an intent.
	InScopeAccuracy float64
	// MacroF1 averages the per-label F1 over the labels in the examples.
	MacroF1 float64
	// ECE is the expected calibration error of the top intent's confidence on
	// in-scope examples, over ten equal-width bins (0 is perfect).
	ECE float64
	// OOSPrecision and OOSRecall treat "predicted out of scope" as the positive
	// class; both are 0 when no example is labelled OutOfScope.
	OOSPrecision, OOSRecall float64
}

// Evaluate parses every example and scores the predictions.
func Evaluate(m *Model, examples []LabeledText, threshold float64) EvalReport {
	opts := ParseOptions{Now: time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)}
	rankings := make([][]IntentScore, len(examples))
	for i, ex := range examples {
		rankings[i] = m.Parse(ex.Text, opts).Intents
	}
	return scoreRankings(rankings, examples, threshold)
}

// scoreRankings is Evaluate over rankings already made (rankings[i] for
// examples[i]), so a tuning loop can parse each message once.
func scoreRankings(rankings [][]IntentScore, examples []LabeledText, threshold float64) EvalReport {
	rep := EvalReport{Examples: len(examples), Threshold: threshold}
	if len(examples) == 0 {
		return rep
	}
	type counts struct{ tp, fp, fn int }
	perLabel := map[string]*counts{}
	get := func(l string) *counts {
		c := perLabel[l]
		if c == nil {
			c = &counts{}
			perLabel[l] = c
		}
		return c
	}
	const bins = 10
	var binConf, binCorrect [bins]float64
	var binCount [bins]int
	correct, inScope, inScopeCorrect := 0, 0, 0
	oosTP, oosFP, oosFN := 0, 0, 0
	for i, ex := range examples {
		top := Result{Intents: rankings[i]}.Top()
		pred := top.Name
		if pred == "" || top.Confidence < threshold {
			pred = OutOfScope
		}
		if pred == ex.Label {
			correct++
			get(ex.Label).tp++
		} else {
			get(ex.Label).fn++
			get(pred).fp++
		}
		if ex.Label == OutOfScope {
			if pred == OutOfScope {
				oosTP++
			} else {
				oosFN++
			}
			continue
		}
		if pred == OutOfScope {
			oosFP++
		}
		inScope++
		if pred == ex.Label {
			inScopeCorrect++
		}
		b := min(int(top.Confidence*bins), bins-1)
		binCount[b]++
		binConf[b] += top.Confidence
		if top.Name == ex.Label {
			binCorrect[b]++
		}
	}
	rep.Accuracy = float64(correct) / float64(len(examples))
	if inScope > 0 {
		rep.InScopeAccuracy = float64(inScopeCorrect) / float64(inScope)
		for b := range bins {
			if binCount[b] > 0 {
				rep.ECE += math.Abs(binConf[b]-binCorrect[b]) / float64(inScope)
			}
		}
	}
	if oosTP+oosFP > 0 {
		rep.OOSPrecision = float64(oosTP) / float64(oosTP+oosFP)
	}
	if oosTP+oosFN > 0 {
		rep.OOSRecall = float64(oosTP) / float64(oosTP+oosFN)
	}
	labels := make([]string, 0, len(perLabel))
	for l := range perLabel {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	f1Sum, nLabels := 0.0, 0
	gold := map[string]bool{}
	for _, ex := range examples {
		gold[ex.Label] = true
	}
	for _, l := range labels {
		if !gold[l] {
			continue
		}
		c := perLabel[l]
		nLabels++
		if c.tp == 0 {
			continue
		}
		p := float64(c.tp) / float64(c.tp+c.fp)
		r := float64(c.tp) / float64(c.tp+c.fn)
		f1Sum += 2 * p * r / (p + r)
	}
	if nLabels > 0 {
		rep.MacroF1 = f1Sum / float64(nLabels)
	}
	return rep
}
