package parleycmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// nluCSV is a tiny labelled set: each intent's phrases share words, so a
// model trained on one half gets the other half right.
const nluTrainCSV = `text,label
where is my order,track_order
track my package,track_order
has my order shipped,track_order
when will my package arrive,track_order
i want a refund,refund
give me my money back,refund
refund this order please,refund
can i get my money back,refund
hello there,greet
hi,greet
good morning,greet
hey hello,greet
`

const nluTestCSV = `text,label
where is my package,track_order
i want my money back,refund
hello,greet
what is the weather on mars,none
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNLUEvalCSV(t *testing.T) {
	dir := t.TempDir()
	train := writeFile(t, dir, "train.csv", nluTrainCSV)
	test := writeFile(t, dir, "test.csv", nluTestCSV)
	code, stdout, stderr := runCmd(t, "", "nlu", "eval", "-train", train, "-test", test, "-threshold", "0.3")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"trained on " + train + ": 12 examples, 3 intents",
		"scored " + test + ": 4 examples (1 out of scope), at threshold 0.30",
		"in-scope accuracy",
		"out-of-scope recall",
		"parse latency",
		"confidence of the top intent",
		"threshold sweep",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestNLUEvalJSON(t *testing.T) {
	dir := t.TempDir()
	train := writeFile(t, dir, "train.csv", nluTrainCSV)
	test := writeFile(t, dir, "test.csv", nluTestCSV)
	code, stdout, stderr := runCmd(t, "", "nlu", "eval", "-train", train, "-test", test, "-json")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	var got struct {
		TrainExamples   int     `json:"train_examples"`
		Intents         int     `json:"intents"`
		Examples        int     `json:"examples"`
		OOSExamples     int     `json:"oos_examples"`
		Threshold       float64 `json:"threshold"`
		InScopeAccuracy float64 `json:"in_scope_accuracy"`
		Sweep           []any   `json:"sweep"`
		Confidences     []any   `json:"confidences"`
		ParseP99US      float64 `json:"parse_p99_us"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if got.ParseP99US <= 0 {
		t.Errorf("parse_p99_us = %v, want > 0", got.ParseP99US)
	}
	summary := []any{got.TrainExamples, got.Intents, got.Examples, got.OOSExamples, got.Threshold, len(got.Sweep), len(got.Confidences)}
	if diff := cmp.Diff([]any{12, 3, 4, 1, 0.5, 20, 10}, summary); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
}

func TestNLUEvalCLINC150Layout(t *testing.T) {
	dir := t.TempDir()
	var train, val [][2]string
	for _, line := range strings.Split(strings.TrimSpace(nluTrainCSV), "\n")[1:] {
		text, label, _ := strings.Cut(line, ",")
		train = append(train, [2]string{text, label})
	}
	for _, line := range strings.Split(strings.TrimSpace(nluTestCSV), "\n")[1:4] {
		text, label, _ := strings.Cut(line, ",")
		val = append(val, [2]string{text, label})
	}
	b, err := json.Marshal(map[string]any{
		"train": train, "oos_train": [][2]string{{"tell me a joke about cats", "oos"}},
		"val": val, "oos_val": [][2]string{{"what is the weather on mars", "oos"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	data := writeFile(t, dir, "data_full.json", string(b))

	code, stdout, stderr := runCmd(t, "", "nlu", "eval", "-data", data, "-split", "val", "-json")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	var got struct {
		TrainExamples int `json:"train_examples"`
		Examples      int `json:"examples"`
		OOSExamples   int `json:"oos_examples"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(struct{ TrainExamples, Examples, OOSExamples int }{12, 4, 1},
		struct{ TrainExamples, Examples, OOSExamples int }{got.TrainExamples, got.Examples, got.OOSExamples}); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}

	// -oos-train adds CLINC150's oos_train as one more intent.
	code, stdout, stderr = runCmd(t, "", "nlu", "eval", "-data", data, "-oos-train", "-json")
	if code != 0 {
		t.Fatalf("-oos-train: exit %d, stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, `"train_examples": 13`) || !strings.Contains(stdout, `"intents": 4`) {
		t.Errorf("-oos-train: want 13 training examples in 4 intents:\n%s", stdout)
	}

	code, _, stderr = runCmd(t, "", "nlu", "eval", "-data", data, "-split", "test")
	if code != 1 || !strings.Contains(stderr, `no split "test" (the file has oos_train, oos_val, train, val)`) {
		t.Errorf("unknown split: exit %d, stderr:\n%s", code, stderr)
	}
}

func TestNLUEvalBot(t *testing.T) {
	code, stdout, stderr := runCmd(t, "", "nlu", "eval", "-data", shop)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	// The shop's threshold is its confidence_threshold; its tests expect
	// "none" for some messages, which are scored as out of scope.
	if !strings.Contains(stdout, "at threshold 0.45") || !strings.Contains(stdout, "out of scope)") {
		t.Errorf("output:\n%s", stdout)
	}
}

func TestNLUEvalHoldout(t *testing.T) {
	dir := t.TempDir()
	train := writeFile(t, dir, "train.csv", nluTrainCSV)
	code, stdout, stderr := runCmd(t, "", "nlu", "eval", "-train", train, "-holdout", "4")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "9 examples, 3 intents") || !strings.Contains(stdout, ": 3 examples, at threshold 0.00") {
		t.Errorf("want 9 examples trained, 3 scored:\n%s", stdout)
	}
}

func TestNLUEvalErrors(t *testing.T) {
	dir := t.TempDir()
	train := writeFile(t, dir, "train.csv", nluTrainCSV)
	bad := writeFile(t, dir, "bad.csv", "text,label\nhello,greet\nbye\n")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no subcommand", []string{"nlu"}, 2, "parley nlu eval"},
		{"unknown subcommand", []string{"nlu", "train"}, 2, `unknown command "train"`},
		{"no data", []string{"nlu", "eval"}, 2, "no training data"},
		{"csv without test", []string{"nlu", "eval", "-train", train}, 2, "give -test, or -holdout N"},
		{"data and train", []string{"nlu", "eval", "-data", train, "-train", train}, 2, "-data is -train and -test at once"},
		{"bad row", []string{"nlu", "eval", "-train", bad, "-holdout", "2"}, 1, "bad.csv: csv line 3: 1 column(s), want a text and a label"},
		{"missing file", []string{"nlu", "eval", "-train", filepath.Join(dir, "nope.csv"), "-holdout", "2"}, 1, "nope.csv: no such file"},
		{"unknown format", []string{"nlu", "eval", "-train", train, "-holdout", "2", "-format", "xml"}, 1, `unknown -format "xml"`},
		{"threshold above 1", []string{"nlu", "eval", "-train", train, "-holdout", "2", "-threshold", "2"}, 2, "Usage: parley nlu eval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", tt.args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, want %d; stderr lacks %q:\n%s", code, tt.wantCode, tt.wantErr, stderr)
			}
		})
	}
}

// TestNLUImbalancedBot trains nlu/testdata/imbalanced (one intent with 200
// examples, five with 5) and checks the rare intents are recognised: by the
// bot's own tests, and in nlu eval's macro-F1 for the 1-9 bucket.
func TestNLUImbalancedBot(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "nlu", "testdata", "imbalanced")
	if code, stdout, stderr := runCmd(t, "", "test", dir); code != 0 {
		t.Fatalf("parley test %s: exit %d\n%s%s", dir, code, stdout, stderr)
	}
	code, stdout, stderr := runCmd(t, "", "nlu", "eval", "-data", dir, "-json")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	var out struct {
		ByFrequency []struct {
			Min, Max, Labels int
			MacroF1          float64 `json:"macro_f1"`
		} `json:"by_frequency"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range out.ByFrequency {
		got = append(got, fmt.Sprintf("%d-%d: %d intents", b.Min, b.Max, b.Labels))
		if b.MacroF1 < 0.9 {
			t.Errorf("macro-F1 of intents with %d-%d examples = %.3f, want >= 0.9", b.Min, b.Max, b.MacroF1)
		}
	}
	if diff := cmp.Diff([]string{"1-9: 5 intents", "200-0: 1 intents"}, got); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
	_, text, _ := runCmd(t, "", "nlu", "eval", "-data", dir)
	if !strings.Contains(text, "macro-F1 by training examples per intent") || !strings.Contains(text, "1-9") {
		t.Errorf("nlu eval does not show macro-F1 by frequency:\n%s", text)
	}
}

// TestBuiltinEntityBot runs the examples of docs/language.md that the NLU
// reads, each a copy in a bot of nlu/testdata: the date_range dialog
// (statement: a range found in the message, or given when asked, fills an
// object slot whose start and end templates read), the time-of-day
// pattern (times: the times customers write, 下午两点 and 8点30 among them)
// and the locals that check such a time against opening hours.
func TestBuiltinEntityBot(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "language.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ bot, copied string }{
		{"statement", "dialog.hcl"},
		{"times", "entity.hcl"},
		{"times", "locals.hcl"},
	} {
		dir := filepath.Join("..", "..", "..", "nlu", "testdata", tc.bot)
		for _, args := range [][]string{{"fmt", "-check", dir}, {"test", dir}} {
			if code, stdout, stderr := runCmd(t, "", args...); code != 0 {
				t.Errorf("parley %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
			}
		}
		example, err := os.ReadFile(filepath.Join(dir, tc.copied))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), "```hcl\n"+string(example)+"```") {
			t.Errorf("docs/language.md no longer shows %s/%s as it is", dir, tc.copied)
		}
	}
}
