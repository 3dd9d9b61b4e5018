package nlu

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/nlu/embed"
)

// builtinKNN builds a kNN index with the built-in embedder fitted on the
// training examples, as a bot would at load time.
func builtinKNN(t testing.TB, data TrainingData) *knnIndex {
	t.Helper()
	var corpus []string
	for _, in := range data.Intents {
		for _, ex := range in.Examples {
			corpus = append(corpus, ex.Text)
		}
	}
	emb := embed.NewBuiltin(embed.BuiltinOptions{})
	emb.Fit(corpus)
	x, err := newKNNIndex(context.Background(), emb, data)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestKNNVoteAndBlend(t *testing.T) {
	data := TrainingData{Intents: []IntentData{
		{Name: "refund", Examples: []ExampleData{{Text: "I want my money back"}, {Text: "refund my order please"}, {Text: "  "}}},
		{Name: "track_order", Examples: []ExampleData{{Text: "where is my parcel"}, {Text: "track my order"}}},
		{Name: "no_examples"},
	}}
	x := builtinKNN(t, data)
	if got, want := len(x.vecs), 4; got != want {
		t.Fatalf("indexed %d examples, want %d (blank ones skipped)", got, want)
	}
	ctx := context.Background()
	tests := []struct {
		name   string
		text   string
		params knnParams
		linear []IntentScore
		want   []IntentScore
	}{
		{
			name:   "nearest neighbour decides at a low temperature",
			text:   "refund my order",
			params: knnParams{K: 1, Temperature: 0.05, Weight: 1},
			want:   []IntentScore{{Name: "refund", Confidence: 1}},
		},
		{
			name:   "blend weights the two distributions",
			text:   "where is my parcel",
			params: knnParams{K: 1, Temperature: 0.05, Weight: 0.5},
			linear: []IntentScore{{Name: "refund", Confidence: 0.6}, {Name: "track_order", Confidence: 0.4}},
			want:   []IntentScore{{Name: "track_order", Confidence: 0.7}, {Name: "refund", Confidence: 0.3}},
		},
		{
			name:   "blank message leaves the linear ranking alone",
			text:   "   ",
			params: knnParams{K: 3, Temperature: 0.05, Weight: 0.5},
			linear: []IntentScore{{Name: "refund", Confidence: 0.9}},
			want:   []IntentScore{{Name: "refund", Confidence: 0.9}},
		},
		{
			name:   "zero weight leaves the linear ranking alone",
			text:   "track my order",
			params: knnParams{K: 3, Temperature: 0.05, Weight: 0},
			linear: []IntentScore{{Name: "refund", Confidence: 0.9}},
			want:   []IntentScore{{Name: "refund", Confidence: 0.9}},
		},
		{
			name:   "k beyond the index is capped",
			text:   "track my order",
			params: knnParams{K: 100, Temperature: 1000, Weight: 1},
			// The vote is nearly even; the nearer examples still edge it.
			want: []IntentScore{{Name: "track_order", Confidence: 0.5}, {Name: "refund", Confidence: 0.5}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := x.neighbours(ctx, tt.text, tt.params.K)
			if err != nil {
				t.Fatal(err)
			}
			got := blendIntents(tt.linear, x.vote(hits, tt.params.K, tt.params.Temperature), tt.params.Weight)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 0.01)); diff != "" {
				t.Errorf("blend (-want +got):\n%s", diff)
			}
		})
	}

	if _, err := newKNNIndex(ctx, nil, data); err == nil {
		t.Error("newKNNIndex with no embedder: want an error")
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := x.neighbours(canceled, "refund", 3); err == nil {
		t.Error("neighbours with a canceled context: want an error")
	}
}

// scoredExample is what the grid search needs of one evaluation message: the
// linear model's ranking and the nearest training examples.
type scoredExample struct {
	linear []IntentScore
	hits   []embed.Scored
}

const maxGridK = 20

// scoreAll parses and searches every example once, on all CPUs.
func scoreAll(t testing.TB, m *Model, x *knnIndex, examples []LabeledText) []scoredExample {
	t.Helper()
	out := make([]scoredExample, len(examples))
	opts := ParseOptions{Now: trainingNow}
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(examples); i += workers {
				out[i].linear = m.Parse(examples[i].Text, opts).Intents
				hits, err := x.neighbours(context.Background(), examples[i].Text, maxGridK)
				if err != nil {
					errs[w] = err
					return
				}
				out[i].hits = hits
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func predictAll(x *knnIndex, scored []scoredExample, p knnParams) [][]IntentScore {
	out := make([][]IntentScore, len(scored))
	for i, s := range scored {
		out[i] = blendIntents(s.linear, x.vote(s.hits, p.K, p.Temperature), p.Weight)
	}
	return out
}

// knnGrid is every blend the held-out search tries; Weight 0 is the linear model.
func knnGrid() []knnParams {
	var grid []knnParams
	for _, k := range []int{1, 3, 5, 10, 20} {
		for _, temp := range []float64{0.02, 0.05, 0.1, 1} {
			for _, w := range []float64{0.1, 0.2, 0.3, 0.5, 0.7, 1} {
				grid = append(grid, knnParams{K: k, Temperature: temp, Weight: w})
			}
		}
	}
	return grid
}

func formatReport(r EvalReport) string {
	return fmt.Sprintf("in-scope acc %.4f  macro-F1 %.4f  ECE %.4f  OOS P %.4f R %.4f (threshold %.2f)",
		r.InScopeAccuracy, r.MacroF1, r.ECE, r.OOSPrecision, r.OOSRecall, r.Threshold)
}

// TestKNNMeasure decides whether nearest-example search helps intent
// classification. It picks k, the temperature and the blend weight on a
// held-out fifth of each TRAIN split (the one setting that maximizes the mean
// held-out accuracy over both datasets, since a default must serve both),
// picks CLINC150's out-of-scope threshold on its validation split, and only
// then scores the test splits. It takes about two minutes, so it runs only
// with NLU_KNN=1.
func TestKNNMeasure(t *testing.T) {
	if os.Getenv("NLU_KNN") == "" {
		t.Skip("set NLU_KNN=1 to measure the kNN blend on banking77 and CLINC150")
	}
	ctx := context.Background()
	bankTrain, bankTest := readBanking77(t, "train.csv"), readBanking77(t, "test.csv")
	clinc := readCLINC150(t)

	// 1. Held-out search on TRAIN only.
	grid := knnGrid()
	meanAcc := make([]float64, len(grid))
	meanECE := make([]float64, len(grid))
	var linearAcc, linearECE float64
	for _, train := range [][]LabeledText{bankTrain, clinc["train"]} {
		fit, held := splitEvery(train, 5)
		td := trainingDataFrom(fit)
		m, err := Train(ctx, td, Options{})
		if err != nil {
			t.Fatal(err)
		}
		x := builtinKNN(t, td)
		scored := scoreAll(t, m, x, held)
		rep := scoreRankings(predictAll(x, scored, knnParams{}), held, 0)
		linearAcc += rep.Accuracy / 2
		linearECE += rep.ECE / 2
		for i, p := range grid {
			rep := scoreRankings(predictAll(x, scored, p), held, 0)
			meanAcc[i] += rep.Accuracy / 2
			meanECE[i] += rep.ECE / 2
		}
	}
	// The most accurate blend, and the most accurate one that keeps
	// calibration within a point of the linear model's.
	best, calibrated := 0, -1
	for i := range grid {
		if meanAcc[i] > meanAcc[best] {
			best = i
		}
		if meanECE[i] <= linearECE+0.01 && (calibrated < 0 || meanAcc[i] > meanAcc[calibrated]) {
			calibrated = i
		}
	}
	t.Logf("held-out (TRAIN split) mean over both datasets: linear acc %.4f ECE %.4f", linearAcc, linearECE)
	candidates := []struct {
		name   string
		params knnParams
	}{{"linear", knnParams{}}, {"blend (best accuracy)", grid[best]}}
	t.Logf("  best accuracy: %+v acc %.4f ECE %.4f", grid[best], meanAcc[best], meanECE[best])
	if calibrated >= 0 {
		t.Logf("  best within +0.01 ECE: %+v acc %.4f ECE %.4f", grid[calibrated], meanAcc[calibrated], meanECE[calibrated])
		candidates = append(candidates, struct {
			name   string
			params knnParams
		}{"blend (calibrated)", grid[calibrated]})
	}

	// 2. banking77 test.
	start := time.Now()
	bankTD := trainingDataFrom(bankTrain)
	m, err := Train(ctx, bankTD, Options{})
	if err != nil {
		t.Fatal(err)
	}
	trainLinear := time.Since(start)
	start = time.Now()
	x := builtinKNN(t, bankTD)
	trainKNN := time.Since(start)
	t.Logf("banking77 train: linear %v, kNN index +%v", trainLinear.Round(time.Millisecond), trainKNN.Round(time.Millisecond))
	scored := scoreAll(t, m, x, bankTest)
	linear := scoreRankings(predictAll(x, scored, knnParams{}), bankTest, 0)
	if diff := cmp.Diff(Evaluate(m, bankTest, 0), linear, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Fatalf("the blend with weight 0 differs from the linear model (-Evaluate +blend):\n%s", diff)
	}
	for _, c := range candidates {
		t.Logf("banking77 test %-22s %s", c.name+":", formatReport(scoreRankings(predictAll(x, scored, c.params), bankTest, 0)))
	}

	// 3. CLINC150 test; the out-of-scope threshold comes from validation.
	clincTD := trainingDataFrom(clinc["train"])
	m, err = Train(ctx, clincTD, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x = builtinKNN(t, clincTD)
	val := append(clinc["val"], clinc["oos_val"]...)
	test := append(clinc["test"], clinc["oos_test"]...)
	scoredVal := scoreAll(t, m, x, val)
	scoredTest := scoreAll(t, m, x, test)
	for _, c := range candidates {
		valPreds := predictAll(x, scoredVal, c.params)
		threshold, bestAcc := 0.0, -1.0
		for th := 0.0; th < 0.96; th += 0.05 {
			if acc := scoreRankings(valPreds, val, th).Accuracy; acc > bestAcc {
				threshold, bestAcc = th, acc
			}
		}
		testPreds := predictAll(x, scoredTest, c.params)
		at0 := scoreRankings(testPreds, clinc["test"], 0)
		rep := scoreRankings(testPreds, test, threshold)
		t.Logf("CLINC150 test %-22s in-scope acc @0 %.4f ECE %.4f | %s; all-example acc %.4f",
			c.name+":", at0.InScopeAccuracy, at0.ECE, formatReport(rep), rep.Accuracy)
	}
}

func benchBanking77KNN(b *testing.B) (*Model, *knnIndex, []LabeledText) {
	td := trainingDataFrom(readBanking77(b, "train.csv"))
	m, err := Train(context.Background(), td, Options{})
	if err != nil {
		b.Fatal(err)
	}
	return m, builtinKNN(b, td), readBanking77(b, "test.csv")
}

// BenchmarkParseBanking77 is the linear model alone on a 77-intent,
// 10,003-example bot, the baseline for BenchmarkParseBanking77KNN.
func BenchmarkParseBanking77(b *testing.B) {
	m, _, test := benchBanking77KNN(b)
	opts := ParseOptions{Now: trainingNow}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Parse(test[i%len(test)].Text, opts)
		i++
	}
}

// BenchmarkParseBanking77KNN adds what the blend costs a message: one query
// embedding and an exact search over every training example.
func BenchmarkParseBanking77KNN(b *testing.B) {
	m, x, test := benchBanking77KNN(b)
	opts := ParseOptions{Now: trainingNow}
	p := knnParams{K: 10, Temperature: 0.05, Weight: 0.3}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		text := test[i%len(test)].Text
		res := m.Parse(text, opts)
		hits, err := x.neighbours(ctx, text, p.K)
		if err != nil {
			b.Fatal(err)
		}
		res.Intents = blendIntents(res.Intents, x.vote(hits, p.K, p.Temperature), p.Weight)
		i++
	}
}

// BenchmarkTrainBanking77KNN is BenchmarkTrainBanking77 plus fitting the
// embedder and embedding every example.
func BenchmarkTrainBanking77KNN(b *testing.B) {
	td := trainingDataFrom(readBanking77(b, "train.csv"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(context.Background(), td, Options{}); err != nil {
			b.Fatal(err)
		}
		builtinKNN(b, td)
	}
}
