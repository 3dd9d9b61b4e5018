package embed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

var benchSentences = []string{
	"How long does delivery take to Shanghai?",
	"Can I return headphones I already opened?",
	"Do you accept Alipay or WeChat Pay for orders over 5000 yuan?",
	"My laptop stopped charging after two months, is that covered by the warranty?",
	"请问发票怎么开？我需要公司抬头的增值税专用发票",
	"快递到新疆要几天，运费多少钱",
	"I want to delete my account and all my personal data",
	"你们周末有客服吗",
}

// BenchmarkBuiltinEmbed measures single-core throughput of the offline
// embedder on realistic customer questions (target: > 10,000 sentences/s).
func BenchmarkBuiltinEmbed(b *testing.B) {
	emb := NewBuiltin(BuiltinOptions{})
	emb.Fit(benchSentences)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := emb.EmbedQuery(ctx, benchSentences[i%len(benchSentences)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkTopK is exact in-process search, as the embedded store does it.
func BenchmarkTopK(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d/dim=%d", n, DefaultDimensions), func(b *testing.B) {
			r := rand.New(rand.NewPCG(7, 9))
			vecs := randomVectors(r, n, DefaultDimensions)
			q := randomVectors(r, 1, DefaultDimensions)[0]
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if got := TopK(q, vecs, 5); len(got) != 5 {
					b.Fatalf("TopK returned %d hits", len(got))
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
		})
	}
}
