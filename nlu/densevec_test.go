package nlu

import (
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMessageVector(t *testing.T) {
	m := &Model{}
	m.vec.vecWeight, m.vec.vecMax = 1, true
	dst := make([]float32, m.vec.denseLen())
	vec := func(text string, typos bool) bool {
		return m.messageVector(scanTokens(nil, newNormText(text).lower, nil), dst, typos)
	}
	if vec("我要退款", true) || vec("我的iphone坏了", true) {
		t.Error("a Chinese message got a word vector: Chinese has none")
	}
	if vec("AB123456 zzzzqx", false) {
		t.Error("a message of unknown words got a word vector")
	}
	if !vec("I don't have my card", false) {
		t.Fatal("an English message got no word vector")
	}
	norm := 0.0
	for _, x := range dst {
		norm += float64(x) * float64(x)
	}
	if norm < 0.999 || norm > 1.001 {
		t.Errorf("word-vector block has squared norm %.4f, want 1", norm)
	}
	if !vec("don't", false) {
		t.Error(`"don't" got no vector: want "do" and "n't"`)
	}
	if vec("refumd", false) || !vec("refumd", true) {
		t.Error(`"refumd" should get "refund"'s vector with typos only`)
	}
}

func TestAppendCorrections(t *testing.T) {
	word := func(w string) uint64 { return hashString(saltWord, w)&^flagBits | wordFeature }
	m := &Model{typos: newTypoIndex(map[string]int{"refund": 1})}
	m.vec.vocab = map[uint64]int32{word("refund"): 0, word("my"): 1}
	for _, tc := range []struct {
		text string
		want []uint64
	}{
		{"refnud my order", []uint64{word("refund")}}, // misspelled, near a known word
		{"refund my order", nil},                      // nothing misspelled
		{"refunds", nil},                              // a real word, only new to the model
		{"ordr", nil},                                 // near "order", which the model does not know
		{"退款 refnd", []uint64{word("refund")}},
	} {
		got := m.appendCorrections(nil, scanTokens(nil, newNormText(tc.text).lower, nil))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.text, diff)
		}
	}
}

// TestCentredMessageVector checks that centring removes the share of the
// training mean it should and keeps the block a unit vector, and that a
// message parsed later is centred as the training examples were.
func TestCentredMessageVector(t *testing.T) {
	texts := []string{"where is my card", "my card has not arrived", "I want a refund", "cancel my order please"}
	m := &Model{}
	m.vec.vecWeight = 1
	tokens := func(s string) []token { return scanTokens(nil, newNormText(s).lower, nil) }
	var vs [][]float32
	for _, s := range texts {
		d := make([]float32, denseDims)
		if !m.messageVector(tokens(s), d, false) {
			t.Fatalf("%q got no word vector", s)
		}
		vs = append(vs, d)
	}
	mean := make([]float32, denseDims)
	for _, v := range vs {
		for j, x := range v {
			mean[j] += x / float32(len(vs))
		}
	}
	m.vec.fitCenter(vs, 0.5)
	half := make([]float32, denseDims)
	for j, x := range mean {
		half[j] = x / 2
	}
	near := cmp.Comparer(func(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-6 })
	if diff := cmp.Diff(half, m.vec.vecCenter, near); diff != "" {
		t.Errorf("centre is not half the mean (-want +got):\n%s", diff)
	}
	for i, s := range texts {
		want := slices.Clone(vs[i])
		if !m.vec.centre(want) {
			t.Fatalf("%q: centring left nothing", s)
		}
		got := make([]float32, denseDims)
		if !m.messageVector(tokens(s), got, false) {
			t.Fatalf("%q got no centred vector", s)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q: parsed differently from training (-training +parse):\n%s", s, diff)
		}
		norm, before, after := 0.0, 0.0, 0.0
		for j, x := range got {
			norm += float64(x) * float64(x)
			before += float64(vs[i][j] * mean[j])
			after += float64(x * mean[j])
		}
		if norm < 0.999 || norm > 1.001 {
			t.Errorf("%q: centred block has squared norm %.4f, want 1", s, norm)
		}
		if after >= before {
			t.Errorf("%q: centring did not move the vector away from the mean (%.3f -> %.3f)", s, before, after)
		}
	}
	if hp := defaultHyperparams(botSized); hp.vecCenter != 0 || hp.vecWeight != 0 {
		t.Errorf("bots' model has word vectors (%v) or a centre (%v): want neither", hp.vecWeight, hp.vecCenter)
	}
}
