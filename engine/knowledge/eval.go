package knowledge

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/tmc/langchaingo/embeddings"

	"github.com/parleyhq/parley/nlu/embed"
)

// EvalCase is one question of a retrieval evaluation set. An empty ExpectedID
// marks a question the knowledge base must not answer.
type EvalCase struct {
	Question   string
	ExpectedID string
	Line       int // in the CSV it came from, for reports
}

// EvalReport sums up how well retrieval answers an evaluation set.
type EvalReport struct {
	// RecallAt1 and RecallAt5: share of answerable questions whose expected
	// chunk is first, or in the first five, whatever the score.
	RecallAt1, RecallAt5 float64
	// MRR is the mean reciprocal rank of the expected chunk (0 when not in the top 10).
	MRR float64
	// AnswerAccuracy: share of answerable questions answered, with the right
	// chunk, at the threshold.
	AnswerAccuracy float64
	// NoAnswerPrecision: share of refusals (top score below the threshold) that
	// were out-of-scope questions. NoAnswerRecall: share of out-of-scope
	// questions refused. Both are 1 when there is nothing to count.
	NoAnswerPrecision, NoAnswerRecall float64
	// Accuracy: share of all questions handled right: answered with the right
	// chunk, or refused when out of scope.
	Accuracy float64
	// N counts all questions; Answerable and OutOfScope split it.
	N, Answerable, OutOfScope int
	Threshold                 float32
}

// CaseResult is how retrieval ranked one evaluation question.
type CaseResult struct {
	Case     EvalCase
	Rank     int     // 1-based rank of the expected chunk in the top 10, 0 if absent
	TopID    string  // the best chunk
	TopScore float32 // its cosine similarity
}

// evalDepth is how deep ranks are looked at for MRR.
const evalDepth = 10

// Rank embeds the chunks and every question and ranks the chunks for each.
func Rank(ctx context.Context, emb embeddings.Embedder, chunks []Chunk, set []EvalCase) ([]CaseResult, error) {
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = c.EmbedText()
	}
	docs, err := emb.EmbedDocuments(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("embed chunks: %w", err)
	}
	if len(docs) != len(chunks) {
		return nil, fmt.Errorf("embed chunks: got %d vectors for %d chunks", len(docs), len(chunks))
	}
	questions := make([]string, len(set))
	for i, c := range set {
		questions[i] = c.Question
	}
	qs, err := emb.EmbedDocuments(ctx, questions)
	if err != nil {
		return nil, fmt.Errorf("embed questions: %w", err)
	}
	if len(qs) != len(set) {
		return nil, fmt.Errorf("embed questions: got %d vectors for %d questions", len(qs), len(set))
	}
	out := make([]CaseResult, len(set))
	for i, c := range set {
		r := CaseResult{Case: c}
		for rank, hit := range embed.TopK(qs[i], docs, evalDepth) {
			if rank == 0 {
				r.TopID, r.TopScore = chunks[hit.Index].ID, hit.Score
			}
			if c.ExpectedID != "" && chunks[hit.Index].ID == c.ExpectedID {
				r.Rank = rank + 1
				break
			}
		}
		out[i] = r
	}
	return out, nil
}

// Summarize scores ranked results at a threshold: a top score below it means
// the bot says it does not know.
func Summarize(results []CaseResult, threshold float32) EvalReport {
	rep := EvalReport{N: len(results), Threshold: threshold}
	var r1, r5, answered, refused, refusedRight, oosRefused int
	var rr float64
	for _, r := range results {
		refuse := r.TopID == "" || r.TopScore < threshold
		if refuse {
			refused++
		}
		if r.Case.ExpectedID == "" {
			rep.OutOfScope++
			if refuse {
				oosRefused++
				refusedRight++
			}
			continue
		}
		rep.Answerable++
		if r.Rank == 1 {
			r1++
			if !refuse {
				answered++
			}
		}
		if r.Rank >= 1 && r.Rank <= 5 {
			r5++
		}
		if r.Rank > 0 {
			rr += 1 / float64(r.Rank)
		}
	}
	rep.RecallAt1 = ratio(r1, rep.Answerable)
	rep.RecallAt5 = ratio(r5, rep.Answerable)
	rep.MRR = ratioF(rr, rep.Answerable)
	rep.AnswerAccuracy = ratio(answered, rep.Answerable)
	rep.NoAnswerPrecision = ratio(refusedRight, refused)
	rep.NoAnswerRecall = ratio(oosRefused, rep.OutOfScope)
	rep.Accuracy = ratio(answered+oosRefused, rep.N)
	return rep
}

func ratio(n, d int) float64 { return ratioF(float64(n), d) }

func ratioF(n float64, d int) float64 {
	if d == 0 {
		return 1
	}
	return n / float64(d)
}

// Evaluate ranks the set against the chunks and scores it at threshold.
func Evaluate(ctx context.Context, emb embeddings.Embedder, chunks []Chunk, set []EvalCase, threshold float32) (EvalReport, error) {
	results, err := Rank(ctx, emb, chunks, set)
	if err != nil {
		return EvalReport{}, err
	}
	return Summarize(results, threshold), nil
}

// BestThreshold returns the threshold, among the scores seen, that handles the
// most questions right (Accuracy); ties go to the lowest such threshold's
// midpoint with the next score, so small score drifts do not flip answers.
func BestThreshold(results []CaseResult) float32 {
	scores := []float32{0}
	for _, r := range results {
		scores = append(scores, r.TopScore)
	}
	slices.Sort(scores)
	scores = slices.Compact(scores)
	best, bestAcc := float32(0), -1.0
	for i, s := range scores {
		// A threshold midway between two seen scores sits furthest from both.
		t := s
		if i > 0 {
			t = (scores[i-1] + s) / 2
		}
		if acc := Summarize(results, t).Accuracy; acc > bestAcc+1e-12 {
			best, bestAcc = t, acc
		}
	}
	return float32(math.Round(float64(best)*1000) / 1000)
}

// SplitEvalSet splits an evaluation set in two halves to tune on one and
// measure on the other. Within each stratum (answerable English, answerable
// Chinese, out-of-scope English, out-of-scope Chinese) questions alternate
// between dev and test in file order, so both halves hold every stratum and
// the questions about one chunk, which sit together, land in both.
func SplitEvalSet(set []EvalCase) (dev, test []EvalCase) {
	seen := map[string]int{}
	for _, c := range set {
		stratum := DetectLang(c.Question)
		if c.ExpectedID == "" {
			stratum += "/out-of-scope"
		}
		if seen[stratum]%2 == 0 {
			dev = append(dev, c)
		} else {
			test = append(test, c)
		}
		seen[stratum]++
	}
	return dev, test
}

// LoadEvalSet reads a CSV with question and expected_id columns.
func LoadEvalSet(file string) ([]EvalCase, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("eval set: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("eval set %s: %w", file, err)
	}
	qCol, idCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))) {
		case "question":
			qCol = i
		case "expected_id":
			idCol = i
		}
	}
	if qCol < 0 || idCol < 0 {
		return nil, fmt.Errorf("%s:1: the header needs question and expected_id columns, it has %q", file, header)
	}
	var set []EvalCase
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("eval set %s: %w", file, err)
		}
		line, _ := r.FieldPos(0)
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if get(qCol) == "" {
			continue
		}
		set = append(set, EvalCase{Question: get(qCol), ExpectedID: get(idCol), Line: line})
	}
	return set, nil
}
