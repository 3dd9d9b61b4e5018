package wordvec

import (
	"math"
	"testing"
)

func vector(t *testing.T, word string) []float32 {
	t.Helper()
	v := make([]float32, Dims)
	if !Add(v, word, 1) {
		t.Fatalf("no vector for %q", word)
	}
	return v
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

func TestTable(t *testing.T) {
	if n := Len(); n != 50000 {
		t.Errorf("Len() = %d, want 50000", n)
	}
	if r := Rank("the"); r != 0 {
		t.Errorf(`Rank("the") = %d, want 0 (the most frequent word)`, r)
	}
	for _, w := range []string{"refund", "not", "card", "bank"} {
		if Rank(w) < 0 {
			t.Errorf("Rank(%q) < 0: want the word in the table", w)
		}
	}
	for _, w := range []string{"The", ",", "", "zzzzqx"} {
		if Rank(w) >= 0 {
			t.Errorf("Rank(%q) = %d, want -1", w, Rank(w))
		}
	}
	if RankBytes([]byte("card")) != Rank("card") {
		t.Error("RankBytes and Rank disagree")
	}
	// Quantisation keeps meaning: related words stay nearer than unrelated ones.
	near, far := cosine(vector(t, "refund"), vector(t, "reimbursement")), cosine(vector(t, "refund"), vector(t, "giraffe"))
	if near < 0.4 || near <= far+0.2 {
		t.Errorf("cosine(refund, reimbursement) = %.2f, cosine(refund, giraffe) = %.2f: want the first clearly larger", near, far)
	}
	// Add scales by its weight.
	one, two := make([]float32, Dims), make([]float32, Dims)
	Add(one, "card", 1)
	Add(two, "card", 2)
	for i := range one {
		if two[i] != 2*one[i] {
			t.Fatalf("Add with weight 2: component %d is %v, want %v", i, two[i], 2*one[i])
		}
	}
}

func BenchmarkAdd(b *testing.B) {
	v := make([]float32, Dims)
	Len()
	for b.Loop() {
		Add(v, "refund", 1)
	}
}

func TestNearest(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"transfr", "transfer"}, // a letter missing
		{"recieve", "receive"},  // two letters swapped
		{"refumd", "refund"},    // a letter replaced
		{"cancell", "cancel"},   // a letter too many
		{"acount", "amount"},    // ambiguous: the more frequent word wins
		{"abc", ""},             // too short to guess
		{"a1b2c3", ""},          // not a word
		{"xqzvkwj", ""},         // nothing one edit away
	} {
		if got := Nearest(tc.in); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"card", "card", false}, {"card", "cards", true}, {"cards", "card", true}, {"card", "cart", true},
		{"card", "crad", true}, {"card", "drac", false}, {"card", "cord", true}, {"card", "co", false},
		{"abcd", "abdc", true}, {"abcd", "bacd", true}, {"abcd", "acbe", false},
	} {
		if got := OneEdit(tc.a, tc.b); got != tc.want {
			t.Errorf("OneEdit(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func BenchmarkNearest(b *testing.B) {
	Nearest("warmup")
	for b.Loop() {
		Nearest("reimbursment")
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		load()
		loadDeletes()
	}
}
