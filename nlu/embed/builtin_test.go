package embed

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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
	if got, want := b.Name(), "builtin-v2-128d-uniform"; got != want {
		t.Errorf("unfitted Name() = %q, want %q", got, want)
	}
	b.Fit([]string{"one document"})
	first := b.Name()
	if !strings.HasPrefix(first, "builtin-v2-128d-idf-") {
		t.Errorf("fitted Name() = %q, want prefix builtin-v2-128d-idf-", first)
	}
	b.Fit([]string{"one document", "another document"})
	if b.Name() == first {
		t.Errorf("Name() did not change after fitting a different corpus: %q", first)
	}
	b.Fit(nil)
	if got, want := b.Name(), "builtin-v2-128d-uniform"; got != want {
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
	byHash := cmpopts.SortSlices(func(x, y feature) bool { return x.hash < y.hash })
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(feature{}), byHash); diff != "" {
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

// Customers rarely use the knowledge base's own words: the concept table must
// bring a paraphrase, in either language, to the chunk that answers it.
func TestBuiltinConcepts(t *testing.T) {
	corpus := []string{
		"Refunds\nWe refund to the original payment method within 48 hours.",
		"Warranty\nEvery product comes with a 1-year warranty.",
		"Shipping cost\nShipping is free on orders of ¥99 or more.",
		"Invoice\nEvery order can have an electronic VAT invoice.",
		"退款\n退款会原路退回，3-5 个工作日到账。",
		"保修期\n所有商品享受 1 年保修。",
		"发票\n每个订单都可以开具电子普通发票。",
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
		{"when do I get my money back", 0},
		{"is there a guarantee", 1},
		{"how much is postage", 2},
		{"I need a fapiao", 3},
		{"钱什么时候退给我", 4},
		{"质保多久", 5},
		{"能开收据吗", 6},
	}
	for _, tt := range tests {
		top := TopK(b.Embed(tt.query), docs, 1)
		if len(top) != 1 || top[0].Index != tt.want {
			t.Errorf("TopK(%q) = %v, want index %d", tt.query, top, tt.want)
		}
	}
	// With only English chunks, a Chinese question still finds its answer
	// through the concepts both languages share.
	en := corpus[:4]
	b.Fit(en)
	docs, err = b.EmbedDocuments(context.Background(), en)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		query string
		want  int
	}{{"退款", 0}, {"保修", 1}, {"运费", 2}, {"发票", 3}} {
		if top := TopK(b.Embed(tt.query), docs, 1); len(top) != 1 || top[0].Index != tt.want || top[0].Score <= 0 {
			t.Errorf("English-only TopK(%q) = %v, want index %d", tt.query, top, tt.want)
		}
	}
}

// Every term of the concept table must be reachable: a term whose words are
// all stopwords, or that the stemmer changes differently at build time and at
// embedding time, would silently never match.
func TestConceptTermsMatch(t *testing.T) {
	for _, c := range conceptTerms {
		want := hashString(hashStart(famConceptEn), c.name)
		wantZh := hashString(hashStart(famConceptZh), c.name)
		for _, term := range c.terms {
			found := false
			for _, f := range extractFeatures(term, nil) {
				found = found || f.hash == want || f.hash == wantZh
			}
			if !found {
				t.Errorf("concept %q: term %q does not match itself", c.name, term)
			}
		}
	}
}

func TestDurationConcept(t *testing.T) {
	duration := hashString(hashStart(famConceptEn), "duration")
	durationZh := hashString(hashStart(famConceptZh), "duration")
	tests := []struct {
		text string
		want bool
	}{
		{"returns within 30 days of delivery", true},
		{"it takes two weeks", true},
		{"签收后 30 天内", true},
		{"七天无理由退货", true},
		{"3-5 个工作日到账", true},
		{"order 30 items", false},
		{"the day we ship", false},
		{"每天发货", false},
	}
	for _, tt := range tests {
		got := false
		for _, f := range extractFeatures(tt.text, nil) {
			got = got || f.hash == duration || f.hash == durationZh
		}
		if got != tt.want {
			t.Errorf("extractFeatures(%q) has the duration concept: %v, want %v", tt.text, got, tt.want)
		}
	}
}

// Features the fitted corpus never had cannot match a document; they must
// only lower the cosine, never add noise by sharing an index with a feature
// of a document.
func TestBuiltinUnseenFeaturesMatchNothing(t *testing.T) {
	corpus := []string{"How long does delivery take?", "运费多少钱", "Can I return an opened item?"}
	b := NewBuiltin(BuiltinOptions{Dimensions: 64})
	b.Fit(corpus)
	docs, err := b.EmbedDocuments(context.Background(), corpus)
	if err != nil {
		t.Fatal(err)
	}
	q := b.Embed("zyxwv qrstu 猫狗鱼鸟")
	if n := vecNorm(q); math.Abs(n-1) > 1e-4 {
		t.Fatalf("norm %v, want 1", n)
	}
	for i, d := range docs {
		if s := Dot(q, d); s != 0 {
			t.Errorf("unseen words score %v against document %d, want 0", s, i)
		}
	}
	// Half seen, half unseen: a real match, but weaker than the exact text.
	partial := Dot(b.Embed("delivery zyxwv qrstu"), docs[0])
	exact := Dot(b.Embed(corpus[0]), docs[0])
	if !(partial > 0 && partial < exact) {
		t.Errorf("partial match scores %v, exact %v: want 0 < partial < exact", partial, exact)
	}
}
