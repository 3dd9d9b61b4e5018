package embed

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuiltinVectorsAreUnitLength(t *testing.T) {
	b := NewBuiltin(BuiltinOptions{})
	for _, text := range []string{
		"What is your return policy?",
		"退货政策是什么",
		"SF快递 ships to Hong Kong?",
		"ＡＢＣ１２３ full-width",
		"x",
		strings.Repeat("very long text with many words ", 500),
		strings.Repeat("退", 1000),
		"\xff\xfe invalid utf-8 \xc3",
	} {
		v, err := b.EmbedQuery(context.Background(), text)
		if err != nil {
			t.Fatalf("EmbedQuery(%q): %v", text, err)
		}
		if len(v) != DefaultDimensions {
			t.Fatalf("EmbedQuery(%.20q) has %d dims, want %d", text, len(v), DefaultDimensions)
		}
		if n := vecNorm(v); math.Abs(n-1) > 1e-4 {
			t.Errorf("EmbedQuery(%.20q) has norm %v, want 1", text, n)
		}
	}
}

func TestBuiltinEmptyTextIsZeroVector(t *testing.T) {
	b := NewBuiltin(BuiltinOptions{Dimensions: 16})
	b.Fit([]string{"shipping costs", "return policy"})
	for _, text := range []string{"", "   ", "?!.,", "the a an", "的了吗"} {
		v, err := b.EmbedQuery(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(make([]float32, 16), v); diff != "" {
			t.Errorf("EmbedQuery(%q) is not the zero vector (-want +got):\n%s", text, diff)
		}
		if s := Cosine(v, b.Embed("shipping")); s != 0 || math.IsNaN(float64(s)) {
			t.Errorf("Cosine of zero vector = %v, want 0", s)
		}
	}
}

func TestBuiltinIsDeterministic(t *testing.T) {
	a, b := NewBuiltin(BuiltinOptions{}), NewBuiltin(BuiltinOptions{})
	corpus := []string{"How long does shipping take?", "运费多少钱", "Can I return an opened item?"}
	a.Fit(corpus)
	b.Fit(corpus)
	if a.Name() != b.Name() {
		t.Fatalf("same fit, different names: %q vs %q", a.Name(), b.Name())
	}
	if diff := cmp.Diff(a.Embed("when will my parcel arrive"), b.Embed("when will my parcel arrive")); diff != "" {
		t.Errorf("same text, different vectors:\n%s", diff)
	}
}

func TestBuiltinName(t *testing.T) {
	b := NewBuiltin(BuiltinOptions{Dimensions: 128})
	if got, want := b.Name(), "builtin-v1-128d-uniform"; got != want {
		t.Errorf("unfitted Name() = %q, want %q", got, want)
	}
	b.Fit([]string{"one document"})
	first := b.Name()
	if !strings.HasPrefix(first, "builtin-v1-128d-idf-") {
		t.Errorf("fitted Name() = %q, want prefix builtin-v1-128d-idf-", first)
	}
	b.Fit([]string{"one document", "another document"})
	if b.Name() == first {
		t.Errorf("Name() did not change after fitting a different corpus: %q", first)
	}
	b.Fit(nil)
	if got, want := b.Name(), "builtin-v1-128d-uniform"; got != want {
		t.Errorf("Name() after Fit(nil) = %q, want %q", got, want)
	}
}

// The embedder must rank the paraphrase above the unrelated text, which is
// the whole point of it.
func TestBuiltinSimilarity(t *testing.T) {
	corpus := []string{
		"How long does delivery take? Orders arrive in 1-3 days with SF Express.",
		"What is your return policy? You can return items within 30 days.",
		"Which payment methods do you accept? Alipay, WeChat Pay and cards.",
		"发货后多久能到？顺丰一般1-3天送达。",
		"退货政策是什么？签收后30天内可以退货。",
		"支持哪些付款方式？支持支付宝、微信支付和银行卡。",
	}
	b := NewBuiltin(BuiltinOptions{})
	b.Fit(corpus)
	docs, err := b.EmbedDocuments(context.Background(), corpus)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  int
	}{
		{"when will my parcel be delivered", 0},
		{"can I send items back? returns", 1},
		{"do you take alipay", 2},
		{"how many days for shiping and delivry", 0}, // typos
		{"顺丰几天能送到", 3},
		{"我想退货", 4},
		{"可以用微信付款吗", 5},
	}
	for _, tt := range tests {
		q := b.Embed(tt.query)
		top := TopK(q, docs, 1)
		if len(top) != 1 || top[0].Index != tt.want {
			t.Errorf("TopK(%q) = %v, want index %d", tt.query, top, tt.want)
		}
	}
}

func TestStemEnglish(t *testing.T) {
	tests := map[string]string{
		"returns": "return", "returned": "return", "returning": "return", "return": "return",
		"deliveries": "deliver", "delivered": "deliver", "policies": "policy", "boxes": "box",
		"shipping": "ship", "stopped": "stop", "address": "address", "status": "status",
		"invoices": "invoice", "bus": "bus", "is": "is", "quickly": "quick", "café": "café",
	}
	for in, want := range tests {
		if got := stemEnglish(in); got != want {
			t.Errorf("stemEnglish(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChineseStopwordsSplitRuns(t *testing.T) {
	// "的" must split the run, so "订单的状态" has no "单的" or "的状" pair.
	got := extractFeatures("订单的状态", nil)
	want := extractFeatures("订单 状态", nil)
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(feature{})); diff != "" {
		t.Errorf("features differ (-want +got):\n%s", diff)
	}
}

func TestBuiltinConcurrentFitAndEmbed(t *testing.T) {
	b := NewBuiltin(BuiltinOptions{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				if i == 0 {
					b.Fit([]string{fmt.Sprintf("doc %d", j), "shipping"})
					continue
				}
				if _, err := b.EmbedDocuments(context.Background(), []string{"shipping costs", "运费"}); err != nil {
					t.Error(err)
					return
				}
				_ = b.Name()
			}
		}()
	}
	wg.Wait()
}

func TestBuiltinHonoursCanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := NewBuiltin(BuiltinOptions{})
	if _, err := b.EmbedQuery(ctx, "x"); err == nil {
		t.Error("EmbedQuery with a canceled context: no error")
	}
	if _, err := b.EmbedDocuments(ctx, []string{"x"}); err == nil {
		t.Error("EmbedDocuments with a canceled context: no error")
	}
}

func vecNorm(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}
