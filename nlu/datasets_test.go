package nlu

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// datasetDir finds the public data set name (banking77, clinc150) in
// $PARLEY_DATASETS, or else in shared/datasets beside the repository (or
// inside it), walking up from the package directory. Tests and benchmarks
// that need it skip, saying so, when it is absent: the data is not part of
// the repository, and a plain test run must not depend on it.
func datasetDir(t testing.TB, name string) string {
	t.Helper()
	if root := os.Getenv("PARLEY_DATASETS"); root != "" {
		p := filepath.Join(root, name)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		t.Skipf("dataset %s not found in $PARLEY_DATASETS (%s); see shared/datasets/README.md", name, root)
	}
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
	t.Skipf("dataset %s not found: set PARLEY_DATASETS or put shared/datasets beside the repository", name)
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
