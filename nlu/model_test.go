package nlu

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A message that is one of the training examples, after normalisation, is
// recognised confidently, however short: "Ok" and "check earnings" scored
// 0.27-0.30 before, below most bots' thresholds.
func TestExactExampleIsConfident(t *testing.T) {
	td := TrainingData{Intents: []IntentData{
		{Name: "confirm", Examples: []ExampleData{{Text: "Ok"}, {Text: "sounds good"}, {Text: "yes do it"}}},
		{Name: "earnings", Examples: []ExampleData{{Text: "check earnings"}, {Text: "how much did I earn"}, {Text: "show my income"}}},
		{Name: "balance", Examples: []ExampleData{{Text: "check balance"}, {Text: "how much money do I have"}, {Text: "account balance"}}},
		{Name: "greet", Examples: []ExampleData{{Text: "hello"}, {Text: "hi there"}, {Text: "good morning"}}},
	}}
	m, err := Train(context.Background(), td, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"Ok": "confirm", "ok!": "confirm", " OK ": "confirm", "check earnings": "earnings", "Check  earnings?": "earnings", "check balance": "balance"} {
		top := m.Parse(in, testOpts).Top()
		if top.Name != want || top.Confidence < exactConfidence {
			t.Errorf("Parse(%q).Top() = %+v, want %s with confidence >= %v", in, top, want, exactConfidence)
		}
	}
	// Not an example: no boost.
	if top := m.Parse("check", testOpts).Top(); top.Confidence >= exactConfidence {
		t.Errorf("Parse(%q).Top() = %+v, want less than %v", "check", top, exactConfidence)
	}
}

// An example two intents share is not promoted: the author's data is
// ambiguous there.
func TestExactExampleAmbiguous(t *testing.T) {
	td := TrainingData{Intents: []IntentData{
		{Name: "a", Examples: []ExampleData{{Text: "help"}, {Text: "alpha one"}}},
		{Name: "b", Examples: []ExampleData{{Text: "Help!"}, {Text: "beta two"}}},
	}}
	m, err := Train(context.Background(), td, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if top := m.Parse("help", testOpts).Top(); top.Confidence >= exactConfidence {
		t.Errorf("Parse(help).Top() = %+v, want no promotion", top)
	}
}

func TestPromote(t *testing.T) {
	got := promote([]IntentScore{{"a", 0.5}, {"b", 0.3}, {"c", 0.1}}, "b")
	want := []IntentScore{{"b", 0.95}, {"a", 0.05 * 5 / 6}, {"c", 0.05 / 6}}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y float64) bool { return math.Abs(x-y) < 1e-12 })); diff != "" {
		t.Errorf("promote (-want +got):\n%s", diff)
	}
}

// Rare intents are not pulled into a big one: 200 examples of one intent
// against 5 of each other, where the rare ones share the big one's words.
func TestRareIntentsRecognised(t *testing.T) {
	var big []ExampleData
	for i := range 200 {
		big = append(big, ExampleData{Text: fmt.Sprintf("where is my order number %c%c please", 'a'+i%26, 'a'+i/26)})
	}
	td := TrainingData{Intents: []IntentData{
		{Name: "track", Examples: big},
		{Name: "cancel", Examples: []ExampleData{{Text: "cancel my order"}, {Text: "please cancel it"}, {Text: "I want to cancel"}, {Text: "cancel the order please"}, {Text: "how do I cancel"}}},
		{Name: "invoice", Examples: []ExampleData{{Text: "send my invoice"}, {Text: "I need an invoice"}, {Text: "invoice please"}, {Text: "where is the invoice"}, {Text: "invoice for my order"}}},
	}}
	m, err := Train(context.Background(), td, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"cancel my order please": "cancel", "could you cancel that": "cancel", "invoice for my order please": "invoice", "where is my order": "track"} {
		if got := m.Parse(in, testOpts).Top(); got.Name != want {
			t.Errorf("Parse(%q).Top() = %+v, want %s", in, got, want)
		}
	}
	counts := m.TrainingCounts()
	if counts["track"] != 200 || counts["cancel"] != 5 {
		t.Errorf("TrainingCounts() = %v", counts)
	}
}

func TestBucketF1(t *testing.T) {
	examples := []LabeledText{{"x", "big"}, {"x", "big"}, {"x", "rare"}, {"x", "rare"}}
	rankings := [][]IntentScore{{{"big", 1}}, {{"big", 1}}, {{"rare", 1}}, {{"big", 1}}}
	got := BucketF1(rankings, examples, map[string]int{"big": 300, "rare": 5})
	// big: tp 2, fp 1 -> F1 0.8; rare: tp 1, fn 1 -> F1 2/3.
	want := []FrequencyBucket{
		{Min: 1, Max: 9, Labels: 1, Examples: 2, MacroF1: 2.0 / 3, Accuracy: 0.5},
		{Min: 200, Max: 0, Labels: 1, Examples: 2, MacroF1: 0.8, Accuracy: 1},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y float64) bool { return math.Abs(x-y) < 1e-12 })); diff != "" {
		t.Errorf("BucketF1 (-want +got):\n%s", diff)
	}
}

// The SVM separates what a linear boundary separates, and its scores have
// the sign of the class.
func TestOvRSVM(t *testing.T) {
	vec := func(i int32, v float32) sparseVec { return sparseVec{idx: []int32{i}, val: []float32{v}} }
	examples := []trainingExample{
		{class: 0, vec: vec(0, 1)}, {class: 0, vec: vec(0, 0.8)},
		{class: 1, vec: vec(1, 1)}, {class: 1, vec: vec(1, 0.9)},
		{class: 2, vec: vec(2, 1)},
	}
	w, b, err := trainOvRSVM(context.Background(), examples, 3, 3, svmParams{c: 1, eps: 1e-4, maxIter: 200, rareBoost: 1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, ex := range examples {
		out := make([]float64, 3)
		scores(w, ex.vec, out)
		for c := range out {
			s := out[c] + float64(b[c])
			if (c == ex.class) != (s > 0) {
				t.Errorf("example %d: class %d score %.3f", i, c, s)
			}
		}
	}
}

// Features unseen in training stay out of the direction of the vector but
// lower its coverage, so they weaken the answer without changing it.
func TestVectorizeCoverage(t *testing.T) {
	v := vectorizer{vocab: map[uint64]int32{1: 0, 2 | wordFeature: 1}, idf: []float32{1, 1}, unknownIDF: 1, wordWeight: 1, blocks: true, ignoreUnknown: true}
	known := v.vectorize([]uint64{1, 2 | wordFeature}, nil, sparseVec{})
	half := v.vectorize([]uint64{1, 2 | wordFeature, 3, 4 | wordFeature}, nil, sparseVec{})
	if diff := cmp.Diff(known.val, half.val); diff != "" {
		t.Errorf("unknown features changed the vector (-known +with unknown):\n%s", diff)
	}
	if math.Abs(known.coverage-1) > 1e-9 || math.Abs(half.coverage-math.Sqrt(0.5)) > 1e-9 {
		t.Errorf("coverage = %v and %v, want 1 and %v", known.coverage, half.coverage, math.Sqrt(0.5))
	}
}

// The word-vector block is a third block of the unit vector, after the
// vocabulary's features, and the model knows all of it.
func TestVectorizeWordVectors(t *testing.T) {
	dense := make([]float32, denseDims)
	dense[0], dense[3] = 0.6, 0.8
	for _, blocks := range []bool{true, false} {
		v := vectorizer{vocab: map[uint64]int32{1: 0, 2 | wordFeature: 1}, idf: []float32{1, 1}, unknownIDF: 1,
			wordWeight: 1, blocks: blocks, ignoreUnknown: true, vecWeight: 1}
		got := v.vectorize([]uint64{1, 2 | wordFeature, 3, 4 | wordFeature}, dense, sparseVec{})
		norm := 0.0
		for _, x := range got.val {
			norm += float64(x) * float64(x)
		}
		var denseIdx []int32
		for _, i := range got.idx {
			if i >= 2 {
				denseIdx = append(denseIdx, i)
			}
		}
		if diff := cmp.Diff([]int32{2, 5}, denseIdx); diff != "" {
			t.Errorf("blocks=%v: word-vector indices (-want +got):\n%s", blocks, diff)
		}
		if math.Abs(norm-1) > 1e-6 {
			t.Errorf("blocks=%v: squared norm %v, want 1", blocks, norm)
		}
		// Half of each sparse block's weight is unknown; the vector block is
		// all known. Blocks: three of squared weight 1/3 each; one norm: the
		// sparse part and the vector block, 1/2 each.
		want := math.Sqrt(1.0/3*0.5 + 1.0/3*0.5 + 1.0/3)
		if !blocks {
			want = math.Sqrt(0.5*0.5 + 0.5)
		}
		if math.Abs(got.coverage-want) > 1e-6 {
			t.Errorf("blocks=%v: coverage %v, want %v", blocks, got.coverage, want)
		}
	}
}

// The SVM's weights averaged over its last passes are the mean of the
// weights the same training stopped after each of those passes has.
func TestOvRSVMAverage(t *testing.T) {
	vec := func(i int32, v float32) sparseVec { return sparseVec{idx: []int32{i, 3}, val: []float32{v, 0.5}} }
	examples := []trainingExample{
		{class: 0, vec: vec(0, 1)}, {class: 0, vec: vec(1, 0.3)}, {class: 0, vec: vec(2, 0.2)},
		{class: 1, vec: vec(1, 1)}, {class: 1, vec: vec(0, 0.4)},
		{class: 2, vec: vec(2, 1)}, {class: 2, vec: vec(1, 0.5)},
	}
	train := func(passes, average int) []float32 {
		// eps 0 never stops early: every pass counts
		w, b, err := trainOvRSVM(context.Background(), examples, 4, 3, svmParams{c: 1.5, maxIter: passes, rareBoost: 1, average: average}, 7)
		if err != nil {
			t.Fatal(err)
		}
		return append(w, b...)
	}
	for _, tc := range []struct{ passes, average int }{{2, 2}, {3, 2}, {4, 3}} {
		want := make([]float32, 15)
		for p := tc.passes - tc.average + 1; p <= tc.passes; p++ {
			for i, x := range train(p, 1) {
				want[i] += x / float32(tc.average)
			}
		}
		got := train(tc.passes, tc.average)
		if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y float32) bool { return math.Abs(float64(x-y)) < 1e-5 })); diff != "" {
			t.Errorf("%d passes, the last %d averaged (-mean of the runs +averaged):\n%s", tc.passes, tc.average, diff)
		}
		if cmp.Equal(got, train(tc.passes, 1)) {
			t.Errorf("%d passes, the last %d averaged: the same as the last pass's", tc.passes, tc.average)
		}
	}
}
