package nlu

import (
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
