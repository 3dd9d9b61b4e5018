package knowledge

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/nlu/embed"
)

// shopThreshold is the score below which the shop bot should say it does not
// know: the threshold that handles the most evaluation questions right with
// the Builtin embedder at its default 384 dimensions (BestThreshold says 0.156).
const shopThreshold = 0.16

func shopEval(t testing.TB) ([]Chunk, []EvalCase, *embed.Builtin) {
	t.Helper()
	dir := shopDir(t)
	chunks, err := Load(dir, shopSources)
	if err != nil {
		t.Fatal(err)
	}
	set, err := LoadEvalSet(filepath.Join(dir, "knowledge", "eval", "retrieval.csv"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range chunks {
		ids[c.ID] = true
	}
	for _, c := range set {
		if c.ExpectedID != "" && !ids[c.ExpectedID] {
			t.Fatalf("retrieval.csv:%d: expected_id %q is no chunk of the shop knowledge base", c.Line, c.ExpectedID)
		}
	}
	emb := embed.NewBuiltin(embed.BuiltinOptions{})
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = c.EmbedText()
	}
	emb.Fit(texts)
	return chunks, set, emb
}

// TestShopRetrieval measures the Builtin embedder on the shop knowledge base.
// The floors sit a few points under the measured figures, so a change that
// makes retrieval worse fails here.
func TestShopRetrieval(t *testing.T) {
	chunks, set, emb := shopEval(t)
	results, err := Rank(context.Background(), emb, chunks, set)
	if err != nil {
		t.Fatal(err)
	}
	rep := Summarize(results, shopThreshold)
	best := BestThreshold(results)
	t.Logf("%s: %d chunks, %d questions (%d answerable, %d out of scope)", emb.Name(), len(chunks), rep.N, rep.Answerable, rep.OutOfScope)
	t.Logf("R@1 %.3f  R@5 %.3f  MRR %.3f", rep.RecallAt1, rep.RecallAt5, rep.MRR)
	t.Logf("at threshold %.2f: answer accuracy %.3f, no-answer precision %.3f, recall %.3f, overall accuracy %.3f",
		rep.Threshold, rep.AnswerAccuracy, rep.NoAnswerPrecision, rep.NoAnswerRecall, rep.Accuracy)
	b := Summarize(results, best)
	t.Logf("best threshold %.3f: accuracy %.3f (no-answer precision %.3f, recall %.3f)", best, b.Accuracy, b.NoAnswerPrecision, b.NoAnswerRecall)
	for _, lang := range []string{"en", "zh"} {
		var sub []CaseResult
		for _, r := range results {
			if DetectLang(r.Case.Question) == lang {
				sub = append(sub, r)
			}
		}
		s := Summarize(sub, shopThreshold)
		t.Logf("%s: R@1 %.3f  R@5 %.3f  MRR %.3f  no-answer P %.3f R %.3f (n=%d)", lang, s.RecallAt1, s.RecallAt5, s.MRR, s.NoAnswerPrecision, s.NoAnswerRecall, s.N)
	}
	if testing.Verbose() {
		for _, r := range results {
			if (r.Case.ExpectedID == "") != (r.TopScore < shopThreshold) || r.Case.ExpectedID != "" && r.Rank != 1 {
				t.Logf("miss line %d %q: want %q rank %d, top %q %.3f", r.Case.Line, r.Case.Question, r.Case.ExpectedID, r.Rank, r.TopID, r.TopScore)
			}
		}
	}
	floors := []struct {
		name       string
		got, floor float64
	}{
		{"R@1", rep.RecallAt1, 0.42},
		{"R@5", rep.RecallAt5, 0.63},
		{"MRR", rep.MRR, 0.51},
		{"no-answer precision", rep.NoAnswerPrecision, 0.30},
		{"no-answer recall", rep.NoAnswerRecall, 0.75},
	}
	for _, f := range floors {
		if f.got < f.floor {
			t.Errorf("%s = %.3f, below the floor %.2f", f.name, f.got, f.floor)
		}
	}
}
