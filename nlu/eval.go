package nlu

import (
	"cmp"
	"math"
	"slices"
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
	// ByFrequency is macro-F1 per bucket of labels grouped by how many
	// training examples they had, so an imbalanced bot's rare intents show
	// (set by Evaluate; labels the model never saw, out of scope among
	// them, are left out).
	ByFrequency []FrequencyBucket `json:"by_frequency,omitempty"`
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

// FrequencyBucket is the macro-F1 over the labels with Min to Max training
// examples.
type FrequencyBucket struct {
	Min      int     `json:"min"`
	Max      int     `json:"max"` // 0: no upper bound
	Labels   int     `json:"labels"`
	Examples int     `json:"examples"` // scored examples of those labels
	MacroF1  float64 `json:"macro_f1"`
	Accuracy float64 `json:"accuracy"` // recall over those examples
}

// frequencyEdges are the buckets' lower bounds.
var frequencyEdges = []int{1, 10, 20, 50, 200}

// BucketF1 groups the labels of examples by their count in trainCounts and
// reports each non-empty bucket's macro-F1 at threshold 0.
func BucketF1(rankings [][]IntentScore, examples []LabeledText, trainCounts map[string]int) []FrequencyBucket {
	tops := make([]IntentScore, len(examples))
	for i := range examples {
		tops[i] = Result{Intents: rankings[i]}.Top()
	}
	return bucketF1(tops, examples, trainCounts, -1e9)
}

func bucketF1(tops []IntentScore, examples []LabeledText, trainCounts map[string]int, threshold float64) []FrequencyBucket {
	f1 := labelF1(tops, examples, threshold)
	right, total := map[string]int{}, map[string]int{}
	for i, ex := range examples {
		total[ex.Label]++
		if predict(tops[i], threshold) == ex.Label {
			right[ex.Label]++
		}
	}
	var out []FrequencyBucket
	for b, lo := range frequencyEdges {
		hi := 0
		if b+1 < len(frequencyEdges) {
			hi = frequencyEdges[b+1] - 1
		}
		bucket := FrequencyBucket{Min: lo, Max: hi}
		sum, hit := 0.0, 0
		for l, score := range f1 {
			n := trainCounts[l]
			if l == OutOfScope || n < lo || hi > 0 && n > hi {
				continue
			}
			bucket.Labels++
			bucket.Examples += total[l]
			hit += right[l]
			sum += score
		}
		if bucket.Labels == 0 {
			continue
		}
		bucket.MacroF1 = sum / float64(bucket.Labels)
		bucket.Accuracy = float64(hit) / float64(bucket.Examples)
		out = append(out, bucket)
	}
	return out
}

// labelF1 is the F1 of every label of the examples.
func labelF1(tops []IntentScore, examples []LabeledText, threshold float64) map[string]float64 {
	type counts struct{ tp, fp, fn int }
	per := map[string]*counts{}
	get := func(l string) *counts {
		c := per[l]
		if c == nil {
			c = &counts{}
			per[l] = c
		}
		return c
	}
	for i, ex := range examples {
		pred := predict(tops[i], threshold)
		if pred == ex.Label {
			get(ex.Label).tp++
		} else {
			get(ex.Label).fn++
			get(pred).fp++
		}
	}
	out := map[string]float64{}
	for _, ex := range examples {
		c := per[ex.Label]
		if _, done := out[ex.Label]; done {
			continue
		}
		out[ex.Label] = 0
		if c.tp > 0 {
			p := float64(c.tp) / float64(c.tp+c.fp)
			r := float64(c.tp) / float64(c.tp+c.fn)
			out[ex.Label] = 2 * p * r / (p + r)
		}
	}
	return out
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
	tops := make([]IntentScore, len(examples))
	for i := range examples {
		tops[i] = Result{Intents: rankings[i]}.Top()
	}
	rep.ByFrequency = bucketF1(tops, examples, m.TrainingCounts(), threshold)
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
		if pred := predict(top, threshold); pred != ex.Label {
			confused[[2]string{ex.Label, pred}]++
		}
		b := min(max(int(top.Confidence*bins), 0), bins-1)
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

	f1 := labelF1(tops, examples, threshold)
	for _, v := range f1 {
		rep.MacroF1 += v
	}
	rep.MacroF1 /= float64(len(f1))
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
