package nlu

import (
	"cmp"
	"math"
	"slices"
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
	Examples    int     `json:"examples"`
	OOSExamples int     `json:"oos_examples"` // examples labelled OutOfScope
	Threshold   float64 `json:"threshold"`
	// Accuracy over all examples, out-of-scope ones included.
	Accuracy float64 `json:"accuracy"`
	// InScopeAccuracy over examples whose label is an intent: right intent at
	// or above the threshold.
	InScopeAccuracy float64 `json:"in_scope_accuracy"`
	// MacroF1 averages the per-label F1 over the labels in the examples.
	MacroF1 float64 `json:"macro_f1"`
	// ECE is the expected calibration error of the top intent's confidence on
	// in-scope examples, over ten equal-width bins (0 is perfect).
	ECE float64 `json:"ece"`
	// OOSPrecision and OOSRecall treat "predicted out of scope" as the positive
	// class; both are 0 when no example is labelled OutOfScope.
	OOSPrecision float64 `json:"oos_precision"`
	OOSRecall    float64 `json:"oos_recall"`

	// Confusions are the most frequent (label, prediction) mistakes, most
	// frequent first; "oos" stands for out of scope on either side.
	Confusions []Confusion `json:"confusions"`
	// Confidences is the distribution of the top intent's confidence, in ten
	// equal-width bins from 0 to 1.
	Confidences []ConfidenceBin `json:"confidences"`
	// Sweep shows the threshold's trade-off, from 0 to 0.95 by 0.05.
	Sweep []ThresholdPoint `json:"sweep"`

	// Parse latency per message, measured by Evaluate (zero from scoreRankings).
	ParseMean time.Duration `json:"-"`
	ParseP50  time.Duration `json:"-"`
	ParseP99  time.Duration `json:"-"`
	ParseMax  time.Duration `json:"-"`
}

// Confusion counts examples of Label predicted as Predicted.
type Confusion struct {
	Label     string `json:"label"`
	Predicted string `json:"predicted"`
	Count     int    `json:"count"`
}

// ConfidenceBin counts examples whose top confidence falls in [Low, High).
type ConfidenceBin struct {
	Low, High float64 `json:"-"`
	// InScopeRight: labelled with an intent, and that intent is the top one.
	InScopeRight int `json:"in_scope_right"`
	// InScopeWrong: labelled with an intent, and another intent is on top.
	InScopeWrong int `json:"in_scope_wrong"`
	OutOfScope   int `json:"out_of_scope"`
}

// ThresholdPoint is what a confidence threshold would give.
type ThresholdPoint struct {
	Threshold       float64 `json:"threshold"`
	Accuracy        float64 `json:"accuracy"`
	InScopeAccuracy float64 `json:"in_scope_accuracy"`
	OOSPrecision    float64 `json:"oos_precision"`
	OOSRecall       float64 `json:"oos_recall"`
}

// maxConfusions bounds EvalReport.Confusions.
const maxConfusions = 20

// Evaluate parses every example and scores the predictions.
func Evaluate(m *Model, examples []LabeledText, threshold float64) EvalReport {
	opts := ParseOptions{Now: time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)}
	rankings := make([][]IntentScore, len(examples))
	took := make([]time.Duration, len(examples))
	for i, ex := range examples {
		start := time.Now()
		rankings[i] = m.Parse(ex.Text, opts).Intents
		took[i] = time.Since(start)
	}
	rep := scoreRankings(rankings, examples, threshold)
	if len(took) > 0 {
		var sum time.Duration
		for _, d := range took {
			sum += d
		}
		slices.Sort(took)
		rep.ParseMean = sum / time.Duration(len(took))
		rep.ParseP50 = percentile(took, 0.50)
		rep.ParseP99 = percentile(took, 0.99)
		rep.ParseMax = took[len(took)-1]
	}
	return rep
}

// percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// predict is the label a ranking stands for at a threshold.
func predict(top IntentScore, threshold float64) string {
	if top.Name == "" || top.Confidence < threshold {
		return OutOfScope
	}
	return top.Name
}

// scoreRankings is Evaluate over rankings already made (rankings[i] for
// examples[i]), so a tuning loop can parse each message once.
func scoreRankings(rankings [][]IntentScore, examples []LabeledText, threshold float64) EvalReport {
	rep := EvalReport{Examples: len(examples), Threshold: threshold}
	if len(examples) == 0 {
		return rep
	}
	tops := make([]IntentScore, len(examples))
	for i := range examples {
		tops[i] = Result{Intents: rankings[i]}.Top()
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
	rep.Confidences = make([]ConfidenceBin, bins)
	for b := range rep.Confidences {
		rep.Confidences[b].Low, rep.Confidences[b].High = float64(b)/bins, float64(b+1)/bins
	}
	confused := map[[2]string]int{}
	inScope := 0
	for i, ex := range examples {
		top := tops[i]
		pred := predict(top, threshold)
		if pred == ex.Label {
			get(ex.Label).tp++
		} else {
			get(ex.Label).fn++
			get(pred).fp++
			confused[[2]string{ex.Label, pred}]++
		}
		b := min(int(top.Confidence*bins), bins-1)
		if ex.Label == OutOfScope {
			rep.OOSExamples++
			rep.Confidences[b].OutOfScope++
			continue
		}
		inScope++
		binCount[b]++
		binConf[b] += top.Confidence
		if top.Name == ex.Label {
			binCorrect[b]++
			rep.Confidences[b].InScopeRight++
		} else {
			rep.Confidences[b].InScopeWrong++
		}
	}
	point := thresholdPoint(tops, examples, threshold)
	rep.Accuracy, rep.InScopeAccuracy = point.Accuracy, point.InScopeAccuracy
	rep.OOSPrecision, rep.OOSRecall = point.OOSPrecision, point.OOSRecall
	if inScope > 0 {
		for b := range bins {
			if binCount[b] > 0 {
				rep.ECE += math.Abs(binConf[b]-binCorrect[b]) / float64(inScope)
			}
		}
	}
	for th := 0; th < 100; th += 5 {
		rep.Sweep = append(rep.Sweep, thresholdPoint(tops, examples, float64(th)/100))
	}
	for pair, n := range confused {
		rep.Confusions = append(rep.Confusions, Confusion{Label: pair[0], Predicted: pair[1], Count: n})
	}
	slices.SortFunc(rep.Confusions, func(a, b Confusion) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Label, b.Label), cmp.Compare(a.Predicted, b.Predicted))
	})
	if len(rep.Confusions) > maxConfusions {
		rep.Confusions = rep.Confusions[:maxConfusions]
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

// thresholdPoint scores the top intents at one threshold.
func thresholdPoint(tops []IntentScore, examples []LabeledText, threshold float64) ThresholdPoint {
	p := ThresholdPoint{Threshold: threshold}
	correct, inScope, inScopeCorrect := 0, 0, 0
	oosTP, oosFP, oosFN := 0, 0, 0
	for i, ex := range examples {
		pred := predict(tops[i], threshold)
		if pred == ex.Label {
			correct++
		}
		switch {
		case ex.Label == OutOfScope && pred == OutOfScope:
			oosTP++
		case ex.Label == OutOfScope:
			oosFN++
		default:
			inScope++
			if pred == OutOfScope {
				oosFP++
			} else if pred == ex.Label {
				inScopeCorrect++
			}
		}
	}
	if len(examples) > 0 {
		p.Accuracy = float64(correct) / float64(len(examples))
	}
	if inScope > 0 {
		p.InScopeAccuracy = float64(inScopeCorrect) / float64(inScope)
	}
	if oosTP+oosFP > 0 {
		p.OOSPrecision = float64(oosTP) / float64(oosTP+oosFP)
	}
	if oosTP+oosFN > 0 {
		p.OOSRecall = float64(oosTP) / float64(oosTP+oosFN)
	}
	return p
}
