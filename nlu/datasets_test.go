package nlu

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// datasetDir finds shared/datasets/<name> beside the repository (or inside
// it), walking up from the package directory.
func datasetDir(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "datasets", name)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("dataset %s not found in shared/datasets above the package", name)
	}
	t.Skipf("dataset %s not found in shared/datasets above the package", name)
	return ""
}

func readBanking77(t testing.TB, file string) []LabeledText {
	t.Helper()
	f, err := os.Open(filepath.Join(datasetDir(t, "banking77"), file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]LabeledText, 0, len(rows))
	for _, r := range rows[1:] {
		out = append(out, LabeledText{Text: r[0], Label: r[1]})
	}
	return out
}

func readCLINC150(t testing.TB) map[string][]LabeledText {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(datasetDir(t, "clinc150"), "data_full.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string][][2]string
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string][]LabeledText{}
	for split, rows := range raw {
		for _, r := range rows {
			out[split] = append(out[split], LabeledText{Text: r[0], Label: r[1]})
		}
	}
	return out
}

// trainingDataFrom groups labelled texts into intents, in order of first appearance.
func trainingDataFrom(examples []LabeledText) TrainingData {
	var td TrainingData
	index := map[string]int{}
	for _, ex := range examples {
		i, ok := index[ex.Label]
		if !ok {
			i = len(td.Intents)
			index[ex.Label] = i
			td.Intents = append(td.Intents, IntentData{Name: ex.Label})
		}
		td.Intents[i].Examples = append(td.Intents[i].Examples, ExampleData{Text: ex.Text})
	}
	return td
}

// splitEvery puts every nth example into the second slice (a deterministic held-out split).
func splitEvery(examples []LabeledText, n int) (train, held []LabeledText) {
	for i, ex := range examples {
		if i%n == n-1 {
			held = append(held, ex)
		} else {
			train = append(train, ex)
		}
	}
	return train, held
}

// TestTune prints validation figures used to choose the hyperparameters; it
// runs only with NLU_TUNE=1 and never looks at a test split.
func TestTune(t *testing.T) {
	if os.Getenv("NLU_TUNE") == "" {
		t.Skip("set NLU_TUNE=1 to print validation figures")
	}
	epochs, _ := strconv.Atoi(os.Getenv("NLU_EPOCHS"))
	train, val := splitEvery(readBanking77(t, "train.csv"), 5)
	start := time.Now()
	m, err := Train(context.Background(), trainingDataFrom(train), Options{Epochs: epochs})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("banking77 train %d examples in %v", len(train), time.Since(start))
	t.Logf("banking77 val: %+v", Evaluate(m, val, 0))

	c := readCLINC150(t)
	start = time.Now()
	if os.Getenv("NLU_CLINC") == "" {
		return
	}
	m, err = Train(context.Background(), trainingDataFrom(c["train"]), Options{Epochs: epochs})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("clinc150 train %d examples in %v", len(c["train"]), time.Since(start))
	for _, th := range []float64{0, 0.2, 0.3, 0.4, 0.5} {
		t.Logf("clinc150 val+oos_val @%.2f: %+v", th, Evaluate(m, append(c["val"], c["oos_val"]...), th))
	}
}

// TestBanking77 trains on the 10,003 training examples and checks accuracy on
// the 3,080 test examples (Casanueva et al., 2020; CC BY 4.0).
func TestBanking77(t *testing.T) {
	train := readBanking77(t, "train.csv")
	test := readBanking77(t, "test.csv")
	start := time.Now()
	m, err := Train(context.Background(), trainingDataFrom(train), Options{})
	if err != nil {
		t.Fatal(err)
	}
	trained := time.Since(start)
	rep := Evaluate(m, test, 0)
	t.Logf("banking77: trained on %d in %v; test %+v", len(train), trained, rep)
	const accuracyFloor = 0.87 // measured 0.906 (ECE 0.042) with the defaults
	if rep.Accuracy < accuracyFloor {
		t.Errorf("banking77 test accuracy = %.4f, want >= %.2f", rep.Accuracy, accuracyFloor)
	}
	if rep.ECE > 0.08 {
		t.Errorf("banking77 expected calibration error = %.4f, want <= 0.08", rep.ECE)
	}
}

// TestCLINC150 is slower (15,000 examples), so it runs only with NLU_CLINC=1.
func TestCLINC150(t *testing.T) {
	if os.Getenv("NLU_CLINC") == "" {
		t.Skip("set NLU_CLINC=1 to evaluate on CLINC150")
	}
	c := readCLINC150(t)
	start := time.Now()
	m, err := Train(context.Background(), trainingDataFrom(c["train"]), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("clinc150: trained on %d in %v", len(c["train"]), time.Since(start))
	for _, th := range []float64{0, 0.3} {
		t.Logf("clinc150 test+oos_test @%.2f: %+v", th, Evaluate(m, append(c["test"], c["oos_test"]...), th))
	}
}
