package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/knowledge"
	"github.com/parleyhq/parley/nlu/embed"
)

// syntheticChunks makes n FAQ-like chunks by varying the shop's own, so texts
// have realistic length and vocabulary.
func syntheticChunks(b *testing.B, n int) []knowledge.Chunk {
	bot := loadShop(b)
	base, err := KnowledgeChunks(bot)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]knowledge.Chunk, n)
	for i := range out {
		c := base[i%len(base)]
		out[i] = knowledge.FAQChunk("bench.hcl", fmt.Sprintf("c%d", i), fmt.Sprintf("%s (variant %d)", c.Title, i), nil, c.Reply(), i+1)
	}
	return out
}

// BenchmarkKnowledgeIngest measures a full ingest (embed with the built-in
// embedder, then store) of 2,000 chunks into each store, reporting chunks/s.
//
//	go test -run '^$' -bench KnowledgeIngest -benchtime 3x ./engine/
func BenchmarkKnowledgeIngest(b *testing.B) {
	const n = 2000
	chunks := syntheticChunks(b, n)
	stores := benchStores(b)
	for _, name := range []string{"memory", "embedded", "postgres"} {
		b.Run("store="+name, func(b *testing.B) {
			var total time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st := stores[name](b)
				emb := embed.NewBuiltin(embed.BuiltinOptions{})
				corpus := make([]string, len(chunks))
				for j, c := range chunks {
					corpus[j] = c.EmbedText()
				}
				emb.Fit(corpus)
				kb := &KnowledgeBase{emb: emb, embedder: emb.Name(), st: st}
				b.StartTimer()
				start := time.Now()
				if _, err := kb.ingest(context.Background(), chunks, nil); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/total.Seconds(), "chunks/s")
		})
	}
}
