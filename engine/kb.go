package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tmc/langchaingo/embeddings"
	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/knowledge"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/nlu/embed"
	"github.com/parleyhq/parley/policies"
)

// KnowledgeBase answers questions from the bot's documents and FAQs by embedding
// search. Vectors live in the store; chunk texts are kept in memory because the
// bot folder is their source of truth.
type KnowledgeBase struct {
	emb       embeddings.Embedder
	embedder  string // the embedder's identity, stored with each vector
	st        store.Store
	chunks    map[string]knowledge.Chunk
	faqs      *FAQIndex
	threshold float64
	topK      int
	llm       llms.Model // nil: answers are the chunks' own text
}

// KnowledgeOptions replace parts of the knowledge base, for tests and tools.
type KnowledgeOptions struct {
	Embedder embeddings.Embedder // nil: the one the bot configures
	LLM      llms.Model          // nil: the one the bot's generate block configures, if any
	// Progress is told how many chunks are embedded so far, for long ingests.
	Progress func(done, total int)
}

// IngestReport says what an ingest did.
type IngestReport struct {
	Chunks   int    // in the sources
	Embedded int    // new or changed, so embedded now
	Removed  int    // gone from the sources, so deleted
	Embedder string // the embedder's identity
}

// HasKnowledge reports whether the bot has anything to search.
func HasKnowledge(bot *policies.Bot) bool {
	return bot.Knowledge != nil || len(bot.FAQs) > 0
}

// KnowledgeChunks reads every chunk of the bot's knowledge: the documents its
// knowledge block lists and its faq blocks.
func KnowledgeChunks(bot *policies.Bot) ([]knowledge.Chunk, error) {
	var chunks []knowledge.Chunk
	if k := bot.Knowledge; k != nil && len(k.Sources) > 0 {
		sources := make([]knowledge.Source, len(k.Sources))
		for i, glob := range k.Sources {
			sources[i] = knowledge.Source{Glob: glob, Kind: "auto"}
		}
		docs, err := knowledge.Load(bot.Dir, sources)
		if err != nil {
			return nil, fmt.Errorf("knowledge sources: %w", err)
		}
		chunks = append(chunks, docs...)
	}
	for _, f := range bot.FAQs {
		chunks = append(chunks, faqChunk(bot, f))
	}
	return chunks, nil
}

func faqChunk(bot *policies.Bot, f *policies.FAQ) knowledge.Chunk {
	src := f.Range.Filename
	if rel, err := filepath.Rel(bot.Dir, src); err == nil && bot.Dir != "" {
		src = filepath.ToSlash(rel)
	}
	return knowledge.FAQChunk(src, f.Name, f.Question, f.Alternatives, f.Answer, f.Range.Start.Line)
}

// OpenKnowledge loads the bot's knowledge and brings the stored vectors up to
// date: only new or changed chunks (by content hash) are embedded, and a
// different embedder re-indexes everything, since vectors of two embedders are
// not comparable. The built-in embedder learns its word weights from the whole
// corpus, so any content change gives it a new identity; it embeds tens of
// thousands of chunks a second, so that costs little.
func OpenKnowledge(ctx context.Context, bot *policies.Bot, st store.Store, opts KnowledgeOptions) (*KnowledgeBase, IngestReport, error) {
	var rep IngestReport
	chunks, err := KnowledgeChunks(bot)
	if err != nil {
		return nil, rep, err
	}
	cfg := policies.Knowledge{Threshold: policies.DefaultKnowledgeThreshold, TopK: policies.DefaultKnowledgeTopK, Embedder: policies.EmbedderConfig{Provider: "builtin"}}
	if bot.Knowledge != nil {
		cfg = *bot.Knowledge
	}
	emb := opts.Embedder
	if emb == nil {
		corpus := make([]string, len(chunks))
		for i, c := range chunks {
			corpus[i] = c.EmbedText()
		}
		if emb, err = NewEmbedder(ctx, bot, corpus); err != nil {
			return nil, rep, err
		}
	}
	kb := &KnowledgeBase{
		emb: emb, embedder: embed.Name(emb), st: st,
		chunks: make(map[string]knowledge.Chunk, len(chunks)), threshold: cfg.Threshold, topK: cfg.TopK,
		llm: opts.LLM,
	}
	for _, c := range chunks {
		kb.chunks[c.ID] = c
	}
	kb.faqs = NewFAQIndex(bot)
	if kb.llm == nil && cfg.Generate != nil {
		if kb.llm, err = newLLM(*cfg.Generate); err != nil {
			return nil, rep, err
		}
	}
	rep, err = kb.ingest(ctx, chunks, opts.Progress)
	if err != nil {
		return nil, rep, err
	}
	return kb, rep, nil
}

// NewEmbedder makes the embedder the bot configures; the built-in one learns its
// word weights from corpus.
func NewEmbedder(ctx context.Context, bot *policies.Bot, corpus []string) (embeddings.Embedder, error) {
	cfg := policies.EmbedderConfig{Provider: "builtin"}
	if bot.Knowledge != nil {
		cfg = bot.Knowledge.Embedder
	}
	emb, err := embed.New(ctx, embed.Config{Provider: cfg.Provider, URL: cfg.URL, Model: cfg.Model, APIKeyEnv: cfg.APIKeyEnv, Dimensions: cfg.Dimensions})
	if err != nil {
		return nil, fmt.Errorf("knowledge embedder: %w", err)
	}
	if b, ok := emb.(*embed.Builtin); ok {
		b.Fit(corpus)
	}
	return emb, nil
}

func (kb *KnowledgeBase) ingest(ctx context.Context, chunks []knowledge.Chunk, progress func(done, total int)) (IngestReport, error) {
	rep := IngestReport{Chunks: len(chunks), Embedder: kb.embedder}
	old, err := kb.st.ChunkHashes(ctx, kb.embedder)
	if err != nil {
		return rep, fmt.Errorf("stored chunks: %w", err)
	}
	changed, _ := knowledge.Diff(old, chunks)
	const batch = 64
	for start := 0; start < len(changed); start += batch {
		part := changed[start:min(start+batch, len(changed))]
		texts := make([]string, len(part))
		for i, c := range part {
			texts[i] = c.EmbedText()
		}
		vecs, err := kb.emb.EmbedDocuments(ctx, texts)
		if err != nil {
			return rep, fmt.Errorf("embed chunks: %w", err)
		}
		if len(vecs) != len(part) {
			return rep, fmt.Errorf("embed chunks: the embedder returned %d vectors for %d texts", len(vecs), len(part))
		}
		rows := make([]store.Chunk, len(part))
		for i, c := range part {
			rows[i] = store.Chunk{ID: c.ID, Source: c.Source, Title: c.Title, Content: c.Reply(), Hash: c.Hash, Embedder: kb.embedder, Embedding: vecs[i]}
		}
		if err := kb.st.UpsertChunks(ctx, rows); err != nil {
			return rep, fmt.Errorf("store chunks: %w", err)
		}
		rep.Embedded += len(part)
		if progress != nil {
			progress(rep.Embedded, len(changed))
		}
	}
	keep := make([]string, 0, len(chunks))
	for _, c := range chunks {
		keep = append(keep, c.ID)
	}
	removed, err := kb.st.DeleteChunksNotIn(ctx, keep)
	if err != nil {
		return rep, fmt.Errorf("remove old chunks: %w", err)
	}
	rep.Removed = removed
	return rep, nil
}

// Hit is a chunk that may answer a question.
type Hit struct {
	Chunk knowledge.Chunk
	Score float64 // cosine similarity
}

// Threshold is the score a hit needs to count as an answer.
func (kb *KnowledgeBase) Threshold() float64 { return kb.threshold }

// Search returns the k chunks closest to the question, best first. k <= 0 uses
// the bot's top_k.
func (kb *KnowledgeBase) Search(ctx context.Context, question string, k int) ([]Hit, error) {
	if k <= 0 {
		k = kb.topK
	}
	vec, err := kb.emb.EmbedQuery(ctx, question)
	if err != nil {
		return nil, fmt.Errorf("embed question: %w", err)
	}
	// Ask for more than k: rows of another embedder (before a re-index finishes)
	// or chunks no longer in the sources are skipped.
	scored, err := kb.st.SearchChunks(ctx, vec, k+8)
	if err != nil {
		return nil, fmt.Errorf("search knowledge: %w", err)
	}
	hits := make([]Hit, 0, k)
	for _, s := range scored {
		c, ok := kb.chunks[s.ID]
		if !ok || (s.Embedder != "" && s.Embedder != kb.embedder) {
			continue
		}
		hits = append(hits, Hit{Chunk: c, Score: s.Score})
		if len(hits) == k {
			break
		}
	}
	return hits, nil
}

// Answer finds the answer to a question: the best chunk at or above the
// threshold or, with generation on, an answer an LLM writes from those chunks
// only. ok is false when nothing scores high enough: then nothing is generated.
func (kb *KnowledgeBase) Answer(ctx context.Context, question string) (answer KnowledgeAnswer, ok bool, err error) {
	hits, err := kb.Search(ctx, question, 0)
	if err != nil {
		return KnowledgeAnswer{}, false, err
	}
	// An answer is in the customer's script: the shop's Chinese FAQ is no answer
	// to an English question, however close its embedding.
	chinese := knowledge.DetectLang(question) == "zh"
	var above []Hit
	for _, h := range hits {
		if h.Score >= kb.threshold && (h.Chunk.Lang == "zh") == chinese {
			above = append(above, h)
		}
	}
	if len(above) == 0 {
		return KnowledgeAnswer{Candidates: hits}, false, nil
	}
	best := above[0]
	answer = KnowledgeAnswer{
		ChunkID: best.Chunk.ID, Title: best.Chunk.Title, Source: best.Chunk.Source,
		Text: best.Chunk.Reply(), Score: best.Score, Candidates: hits,
	}
	if kb.llm != nil {
		text, err := kb.generate(ctx, question, above)
		if err != nil {
			// The retrieved answer is still right; a failed generation only costs polish.
			return answer, true, nil
		}
		answer.Text, answer.Generated = text, true
	}
	return answer, true, nil
}

// FAQIndex finds the FAQ a message asks word for word: its question or an
// alternative, ignoring case, punctuation and spacing (nlu.ExactKey). The
// analyst wrote that wording and its answer, so the answer is the FAQ's
// whatever intent the message reads as, and costs no search.
type FAQIndex struct {
	byKey map[string]knowledge.Chunk
}

// NewFAQIndex indexes the bot's FAQs. A wording two FAQs share is left
// out: it names neither.
func NewFAQIndex(bot *policies.Bot) *FAQIndex {
	x := &FAQIndex{byKey: map[string]knowledge.Chunk{}}
	shared := map[string]bool{}
	for _, f := range bot.FAQs {
		c := faqChunk(bot, f)
		for _, q := range append([]string{f.Question}, f.Alternatives...) {
			key := nlu.ExactKey(q)
			if key == "" {
				continue
			}
			if prev, ok := x.byKey[key]; ok && prev.ID != c.ID {
				shared[key] = true
			}
			x.byKey[key] = c
		}
	}
	for k := range shared {
		delete(x.byKey, k)
	}
	return x
}

// Answer is the answer of the FAQ message asks word for word, if any.
func (x *FAQIndex) Answer(message string) (*dialog.KnowledgeAnswer, bool) {
	if x == nil || len(x.byKey) == 0 {
		return nil, false
	}
	c, ok := x.byKey[nlu.ExactKey(message)]
	if !ok {
		return nil, false
	}
	return &dialog.KnowledgeAnswer{ChunkID: c.ID, Title: c.Title, Source: c.Source, Text: c.Reply(), Score: 1, Exact: true}, true
}

// WithExactFAQ is m with the answer of the FAQ it asks word for word, as if
// searched, or m itself: the engine's turn and a plan's replay alike.
func WithExactFAQ(m *dialog.Message, x *FAQIndex) *dialog.Message {
	if m == nil || m.Searched {
		return m
	}
	ans, ok := x.Answer(m.Text)
	if !ok {
		return m
	}
	exact := *m
	exact.Searched, exact.Knowledge = true, ans
	return &exact
}

// KnowledgeAnswer is what the knowledge base says to a question, and where it
// comes from.
type KnowledgeAnswer struct {
	ChunkID   string
	Title     string
	Source    string
	Text      string
	Score     float64
	Generated bool
	// Exact: the message is the FAQ's question or an alternative, word for
	// word (Exact).
	Exact      bool
	Candidates []Hit // the top hits, above the threshold or not, for debugging
}

// generate asks the LLM to answer from the retrieved chunks only, citing them,
// so it cannot make up policy.
func (kb *KnowledgeBase) generate(ctx context.Context, question string, hits []Hit) (string, error) {
	var b strings.Builder
	b.WriteString("Answer the customer's question using ONLY the numbered sources below. ")
	b.WriteString("If they do not answer it, say you don't know. Cite sources as [1], [2]. ")
	b.WriteString("Answer in the language of the question, in at most three sentences.\n\n")
	for i, h := range hits {
		fmt.Fprintf(&b, "[%d] %s (%s)\n%s\n\n", i+1, h.Chunk.Title, h.Chunk.Source, h.Chunk.Reply())
	}
	fmt.Fprintf(&b, "Question: %s\nAnswer:", question)
	text, err := llms.GenerateFromSinglePrompt(ctx, kb.llm, b.String(), llms.WithTemperature(0))
	if err != nil {
		return "", fmt.Errorf("generate answer: %w", err)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return "", fmt.Errorf("generate answer: empty")
	}
	return text, nil
}

func newLLM(cfg policies.GenerateConfig) (llms.Model, error) {
	key := ""
	if cfg.APIKeyEnv != "" {
		if key = os.Getenv(cfg.APIKeyEnv); key == "" {
			return nil, fmt.Errorf("knowledge generate: environment variable %s is not set (it must hold the API key)", cfg.APIKeyEnv)
		}
	}
	switch cfg.Provider {
	case "openai":
		opts := []openai.Option{openai.WithModel(cfg.Model)}
		if cfg.URL != "" {
			opts = append(opts, openai.WithBaseURL(cfg.URL))
		}
		if key == "" {
			return nil, fmt.Errorf("knowledge generate: openai needs api_key_env, the environment variable holding the key")
		}
		opts = append(opts, openai.WithToken(key))
		return openai.New(opts...)
	case "ollama":
		opts := []ollama.Option{ollama.WithModel(cfg.Model)}
		if cfg.URL != "" {
			opts = append(opts, ollama.WithServerURL(cfg.URL))
		}
		return ollama.New(opts...)
	default:
		return nil, fmt.Errorf("knowledge generate: unknown provider %q", cfg.Provider)
	}
}
