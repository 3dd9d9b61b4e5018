package parleycmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/nlu/dataset"
)

const nluUsage = `Usage:
  parley nlu eval [flags]   train the built-in NLU on one data set and score another

Run "parley nlu eval -h" for its flags.
`

func cmdNLU(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, nluUsage)
		return &exitError{code: 2}
	}
	switch args[0] {
	case "eval":
		return nluEval(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "parley nlu: unknown command %q\n\n%s", args[0], nluUsage)
		return &exitError{code: 2}
	}
}

const nluEvalSynopsis = `nlu eval [-data PATH | -train PATH [-test PATH]] [flags]

Trains the built-in NLU on labelled data and scores it on other data: accuracy,
macro-F1 (overall, and by how many training examples an intent had, so rare
intents in imbalanced data show), the most confused intents, the distribution of confidences, and for
data with out-of-scope examples (label "oos" or "none") in-scope accuracy and
out-of-scope recall at the threshold, with the threshold sweep.

A PATH is a CSV file (columns text,label with a header, or text and label in
that order), a CLINC150 JSON file (data_full.json: one file, every split), or
a bot folder (trains on its intents, scores the "intent" of its test turns).

Examples:
  parley nlu eval -data examples/shop
  parley nlu eval -train banking77/train.csv -holdout 10
  parley nlu eval -train banking77/train.csv -test banking77/test.csv
  parley nlu eval -data clinc150/data_full.json -split val
  parley nlu eval -data clinc150/data_full.json -split test -json`

// evalOutput is what -json prints.
type evalOutput struct {
	Train         string  `json:"train"`
	Test          string  `json:"test"`
	TrainExamples int     `json:"train_examples"`
	Intents       int     `json:"intents"`
	TrainSeconds  float64 `json:"train_seconds"`
	ParseMeanUS   float64 `json:"parse_mean_us"`
	ParseP50US    float64 `json:"parse_p50_us"`
	ParseP99US    float64 `json:"parse_p99_us"`
	ParseMaxUS    float64 `json:"parse_max_us"`
	nlu.EvalReport
}

func nluEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("nlu eval", nluEvalSynopsis, stderr)
	data := fs.String("data", "", "train and test from this one `PATH` (a CLINC150 file or a bot folder)")
	trainPath := fs.String("train", "", "training data `PATH`")
	testPath := fs.String("test", "", "data `PATH` to score; default: the training data (a CLINC150 -split, a bot's tests, or the -holdout part)")
	format := fs.String("format", "", "csv, clinc or bot; default: a folder is a bot, .json is CLINC150, anything else CSV")
	trainSplit := fs.String("train-split", "train", "CLINC150 `splits` to train on, comma-separated")
	split := fs.String("split", "val", "CLINC150 `splits` to score, comma-separated; each brings its oos_ part (val = val + oos_val)")
	oosTrain := fs.Bool("oos-train", false, "also train an \"oos\" intent on out-of-scope training examples (CLINC150's oos_train)")
	holdout := fs.Int("holdout", 0, "score every `N`th example of each label of the training data, train on the rest (a validation split for data with none)")
	threshold := fs.Float64("threshold", -1, "confidence threshold; default: the bot's confidence_threshold; for data files 0.5 (a bot's default) when they have out-of-scope examples, else 0 (every message gets its top intent)")
	top := fs.Int("top", 10, "how many confused pairs to show")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) > 0 || *threshold > 1 || *holdout < 0 || *holdout == 1 || *top < 0 {
		fs.Usage()
		return &exitError{code: 2}
	}
	if *data != "" {
		if *trainPath != "" || *testPath != "" {
			return &exitError{code: 2, msg: "parley nlu eval: -data is -train and -test at once; give one or the others"}
		}
		*trainPath = *data
	}
	if *trainPath == "" {
		fs.Usage()
		return &exitError{code: 2, msg: "parley nlu eval: no training data: give -data or -train"}
	}
	if *holdout > 0 && *testPath != "" {
		return &exitError{code: 2, msg: "parley nlu eval: -holdout scores part of the training data; it does not go with -test"}
	}

	trainSrc, err := readEvalData(ctx, *trainPath, *format, splitList(*trainSplit), *oosTrain, stderr)
	if err != nil {
		return &exitError{code: 1, msg: "parley nlu eval: " + err.Error()}
	}
	var testSrc evalData
	switch {
	case *testPath != "":
		testSrc, err = readEvalData(ctx, *testPath, *format, splitList(*split), true, stderr)
	case *holdout > 0:
		testSrc = trainSrc
		trainSrc.examples, testSrc.examples = dataset.HoldOut(trainSrc.examples, *holdout)
		testSrc.training = nil
	case trainSrc.kind == "csv":
		return &exitError{code: 2, msg: "parley nlu eval: a CSV file holds one split: give -test, or -holdout N to score part of it"}
	default:
		testSrc, err = readEvalData(ctx, *trainPath, *format, splitList(*split), true, stderr)
	}
	if err != nil {
		return &exitError{code: 1, msg: "parley nlu eval: " + err.Error()}
	}
	if len(testSrc.examples) == 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("parley nlu eval: nothing to score in %s (a bot's test turns need an intent = ... to be scored)", testSrc.path)}
	}

	td := trainSrc.training
	if td == nil {
		t := dataset.TrainingData(trainSrc.examples, *oosTrain)
		td = &t
	}
	th := *threshold
	if th < 0 {
		switch {
		case trainSrc.threshold > 0:
			th = trainSrc.threshold
		case slices.ContainsFunc(testSrc.examples, func(ex nlu.LabeledText) bool { return ex.Label == nlu.OutOfScope }):
			th = 0.5
		default:
			th = 0
		}
	}
	trainExamples := 0
	for _, in := range td.Intents {
		trainExamples += len(in.Examples)
	}

	start := time.Now()
	model, err := nlu.Train(ctx, *td, nlu.Options{})
	if err != nil {
		return &exitError{code: 1, msg: "parley nlu eval: " + err.Error()}
	}
	trained := time.Since(start)
	rep := nlu.Evaluate(model, testSrc.examples, th)

	out := evalOutput{
		Train: trainSrc.path, Test: testSrc.path, TrainExamples: trainExamples, Intents: len(td.Intents),
		TrainSeconds: trained.Seconds(),
		ParseMeanUS:  micros(rep.ParseMean), ParseP50US: micros(rep.ParseP50), ParseP99US: micros(rep.ParseP99), ParseMaxUS: micros(rep.ParseMax),
		EvalReport: rep,
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printEvalReport(stdout, out, *top)
	return nil
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// evalData is one side of an evaluation: labelled examples, and for a bot
// folder its own training data (entities included) and threshold.
type evalData struct {
	path      string
	kind      string // csv, clinc or bot
	examples  []nlu.LabeledText
	training  *nlu.TrainingData
	threshold float64
}

// readEvalData reads a CSV file, a CLINC150 file (the given splits; their oos_
// parts too when scoring) or a bot folder.
func readEvalData(ctx context.Context, path, format string, splits []string, scoring bool, stderr io.Writer) (evalData, error) {
	d := evalData{path: path, kind: format}
	if d.kind == "" {
		st, err := os.Stat(path)
		if err != nil {
			return d, err
		}
		if st.IsDir() {
			d.kind = "bot"
		} else {
			d.kind = string(dataset.DetectFormat(path))
		}
	}
	switch d.kind {
	case "bot":
		bot, err := loadBot(ctx, path, stderr)
		if err != nil {
			return d, err
		}
		td := engine.TrainingData(bot)
		d.training, d.threshold = &td, bot.ConfidenceThreshold
		for _, test := range bot.Tests {
			for _, turn := range test.Turns {
				if turn.Intent == "" || strings.TrimSpace(turn.User) == "" {
					continue
				}
				label := turn.Intent
				if label == "none" {
					label = nlu.OutOfScope
				}
				d.examples = append(d.examples, nlu.LabeledText{Text: turn.User, Label: label})
			}
		}
		return d, nil
	case string(dataset.CSV), string(dataset.CLINC150):
		var err error
		d.examples, err = dataset.ReadFile(path, dataset.Format(d.kind), splits, scoring)
		return d, err
	default:
		return d, fmt.Errorf("unknown -format %q: want csv, clinc or bot", d.kind)
	}
}

func printEvalReport(w io.Writer, out evalOutput, top int) {
	r := out.EvalReport
	fmt.Fprintf(w, "trained on %s: %d examples, %d intents, in %s\n", out.Train, out.TrainExamples, out.Intents, roundDuration(time.Duration(out.TrainSeconds*float64(time.Second))))
	fmt.Fprintf(w, "scored %s: %d examples", out.Test, r.Examples)
	if r.OOSExamples > 0 {
		fmt.Fprintf(w, " (%d out of scope)", r.OOSExamples)
	}
	fmt.Fprintf(w, ", at threshold %.2f\n\n", r.Threshold)

	fmt.Fprintf(w, "  accuracy            %.4f\n", r.Accuracy)
	fmt.Fprintf(w, "  macro-F1            %.4f\n", r.MacroF1)
	if r.OOSExamples > 0 {
		fmt.Fprintf(w, "  in-scope accuracy   %.4f\n", r.InScopeAccuracy)
		fmt.Fprintf(w, "  out-of-scope recall %.4f (precision %.4f)\n", r.OOSRecall, r.OOSPrecision)
	}
	fmt.Fprintf(w, "  calibration error   %.4f (ECE, 10 bins, in-scope)\n", r.ECE)
	fmt.Fprintf(w, "  parse latency       p50 %.1f µs, p99 %.1f µs, mean %.1f µs, max %.1f µs\n", out.ParseP50US, out.ParseP99US, out.ParseMeanUS, out.ParseMaxUS)

	if len(r.ByFrequency) > 0 {
		fmt.Fprintf(w, "\nmacro-F1 by training examples per intent\n  %-9s  %7s  %8s  %8s  %8s\n", "examples", "intents", "scored", "macro-F1", "recall")
		for _, b := range r.ByFrequency {
			span := fmt.Sprintf("%d-%d", b.Min, b.Max)
			if b.Max == 0 {
				span = fmt.Sprintf("%d+", b.Min)
			}
			fmt.Fprintf(w, "  %-9s  %7d  %8d  %8.4f  %8.4f\n", span, b.Labels, b.Examples, b.MacroF1, b.Accuracy)
		}
	}

	if top > 0 && len(r.Confusions) > 0 {
		fmt.Fprintf(w, "\nmost confused (label -> predicted)\n")
		for i, c := range r.Confusions {
			if i == top {
				break
			}
			fmt.Fprintf(w, "  %5d  %s -> %s\n", c.Count, c.Label, c.Predicted)
		}
	}

	fmt.Fprintf(w, "\nconfidence of the top intent\n  %-9s  %8s  %8s", "range", "right", "wrong")
	if r.OOSExamples > 0 {
		fmt.Fprintf(w, "  %12s", "out of scope")
	}
	fmt.Fprintln(w)
	for _, b := range r.Confidences {
		fmt.Fprintf(w, "  %.1f-%.1f    %8d  %8d", b.Low, b.High, b.InScopeRight, b.InScopeWrong)
		if r.OOSExamples > 0 {
			fmt.Fprintf(w, "  %12d", b.OutOfScope)
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "\nthreshold sweep\n  threshold  accuracy  in-scope acc")
	if r.OOSExamples > 0 {
		fmt.Fprintf(w, "  oos recall  oos precision")
	}
	fmt.Fprintln(w)
	for _, p := range r.Sweep {
		fmt.Fprintf(w, "  %9.2f  %8.4f  %12.4f", p.Threshold, p.Accuracy, p.InScopeAccuracy)
		if r.OOSExamples > 0 {
			fmt.Fprintf(w, "  %10.4f  %13.4f", p.OOSRecall, p.OOSPrecision)
		}
		fmt.Fprintln(w)
	}
}

func roundDuration(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(10 * time.Microsecond)
}
