package engine

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tmc/langchaingo/embeddings"
	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/fake"

	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/nlu"
)

// countingLLM is langchaingo's fake LLM, counting calls so a test can prove
// nothing was generated.
type countingLLM struct {
	*fake.LLM
	calls atomic.Int32
}

func (c *countingLLM) GenerateContent(ctx context.Context, msgs []llms.MessageContent, opts ...llms.CallOption) (*llms.ContentResponse, error) {
	c.calls.Add(1)
	return c.LLM.GenerateContent(ctx, msgs, opts...)
}

func TestKnowledgeGeneration(t *testing.T) {
	ctx := context.Background()
	bot := loadShop(t)
	llm := &countingLLM{LLM: fake.NewFakeLLM([]string{"Delivery takes 1-2 days to major cities [1]."})}
	kb, rep, err := OpenKnowledge(ctx, bot, memstore.New(), KnowledgeOptions{LLM: llm})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Chunks == 0 || rep.Embedded != rep.Chunks {
		t.Fatalf("ingest report %+v: want every chunk embedded on a fresh store", rep)
	}

	ans, ok, err := kb.Answer(ctx, "How long does delivery take?")
	if err != nil || !ok {
		t.Fatalf("Answer: ok=%v err=%v", ok, err)
	}
	if !ans.Generated || ans.Text != "Delivery takes 1-2 days to major cities [1]." || !strings.Contains(ans.ChunkID, "delivery") {
		t.Errorf("answer = %+v, want the generated text citing the delivery chunk", ans)
	}

	before := llm.calls.Load()
	if _, ok, err := kb.Answer(ctx, "who won the football match?"); err != nil || ok {
		t.Fatalf("an off-topic question: ok=%v err=%v, want no answer", ok, err)
	}
	if llm.calls.Load() != before {
		t.Error("the LLM was called although no chunk reached the threshold")
	}
}

func TestKnowledgeIngestIsIncremental(t *testing.T) {
	ctx := context.Background()
	bot := loadShop(t)
	st := memstore.New()
	if _, rep, err := OpenKnowledge(ctx, bot, st, KnowledgeOptions{}); err != nil || rep.Embedded == 0 {
		t.Fatalf("first ingest: %+v, %v", rep, err)
	}
	_, rep, err := OpenKnowledge(ctx, bot, st, KnowledgeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Embedded != 0 || rep.Removed != 0 {
		t.Errorf("second ingest of unchanged sources: %+v, want nothing embedded or removed", rep)
	}
}

// countingEmbedder counts the questions the knowledge base was searched for.
type countingEmbedder struct {
	embeddings.Embedder
	queries atomic.Int32
}

func (c *countingEmbedder) EmbedQuery(ctx context.Context, text string) ([]float32, error) {
	c.queries.Add(1)
	return c.Embedder.EmbedQuery(ctx, text)
}

// TestKnowledgeSearchedOnlyWhenUsable: a message is looked up in the knowledge
// base only when the dialog would use the answer, not for a slot's answer or a
// "yes" to a confirmation, although no intent is confident about them.
func TestKnowledgeSearchedOnlyWhenUsable(t *testing.T) {
	ctx := context.Background()
	bot := loadShop(t)
	chunks, err := KnowledgeChunks(bot)
	if err != nil {
		t.Fatal(err)
	}
	corpus := make([]string, len(chunks))
	for i, c := range chunks {
		corpus[i] = c.EmbedText()
	}
	builtin, err := NewEmbedder(ctx, bot, corpus)
	if err != nil {
		t.Fatal(err)
	}
	emb := &countingEmbedder{Embedder: builtin}
	e, err := New(ctx, bot, Options{Store: memstore.New(), Clock: stepClock(monday10, 5*time.Second), NewID: SequentialIDs(), Knowledge: KnowledgeOptions{Embedder: emb}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, tc := range []struct {
		text     string
		searched bool
	}{
		{"I want a refund for order CD654321", false},
		{"it arrived damaged", false},  // the reason slot's answer
		{"the box was crushed", false}, // free text for the description slot (confidence 0.18)
		{"yes", false},                 // the confirmation (confidence 0.15)
		{"How long does delivery take?", true},
	} {
		before := emb.queries.Load()
		res, err := e.Handle(ctx, Message{ConversationID: "c1", Text: tc.text})
		if err != nil {
			t.Fatalf("%q: %v", tc.text, err)
		}
		if searched := emb.queries.Load() > before; searched != tc.searched {
			t.Errorf("%q (intent %q, %.2f): searched = %v, want %v", tc.text, res.Intent, res.Confidence, searched, tc.searched)
		}
		if tc.searched && res.Knowledge == "" {
			t.Errorf("%q: no knowledge answer: %+v", tc.text, res.Replies)
		}
	}
}

// TestKnowledgeNeededUntilSettled: a Chinese message is searched while its
// intent is not settled (the shop's threshold is 0.45, so from 0.725 it is),
// since a passage that matches better may answer it instead, and never once
// it is; any other message only while no intent is accepted.
func TestKnowledgeNeededUntilSettled(t *testing.T) {
	bot := loadShop(t)
	for _, tc := range []struct {
		text, lang string
		conf       float64
		want       bool
	}{
		{"客服工作时间是什么时候？", "zh", 0, true},
		{"客服工作时间是什么时候？", "zh", 0.3, true},
		{"客服工作时间是什么时候？", "zh", 0.45, true},
		{"客服工作时间是什么时候？", "zh", 0.7, true},
		{"客服工作时间是什么时候？", "zh", 0.725, false},
		{"客服工作时间是什么时候？", "zh", 0.95, false},
		{"when are you open?", "en", 0.3, true},
		{"when are you open?", "en", 0.45, false},
		{"when are you open?", "en", 0.7, false},
	} {
		u := nlu.Result{Text: tc.text, Language: tc.lang, Intents: []nlu.IntentScore{{Name: "track_order", Confidence: tc.conf}}}
		if got := NeedsKnowledge(bot, u); got != tc.want {
			t.Errorf("%s %v: NeedsKnowledge = %v, want %v", tc.lang, tc.conf, got, tc.want)
		}
	}
}
