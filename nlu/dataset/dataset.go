// Package dataset reads labelled intent data for training and scoring the NLU:
// CSV files with a text and a label column (Banking77's layout among others)
// and the CLINC150 JSON layout, whose one file holds every split.
package dataset

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/nlu"
)

// Header names recognised for the two CSV columns, in order of preference.
var (
	textColumns  = []string{"text", "utterance", "sentence", "message", "query"}
	labelColumns = []string{"label", "intent", "category", "class"}
)

// ReadCSV reads labelled examples from CSV. A first row naming a text column
// and a label column (text/utterance/message/query and label/intent/category)
// is a header, and those columns are used; otherwise every row is text,label.
// CLINC150's "oos" label, and "none", mark out-of-scope examples.
func ReadCSV(r io.Reader) ([]nlu.LabeledText, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	textCol, labelCol := 0, 1
	var out []nlu.LabeledText
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read csv: %w", err)
		}
		row, _ := cr.FieldPos(0)
		if line == 1 {
			if t, l, ok := headerColumns(rec); ok {
				textCol, labelCol = t, l
				continue
			}
		}
		if len(rec) <= max(textCol, labelCol) {
			return nil, fmt.Errorf("csv line %d: %d column(s), want a text and a label", row, len(rec))
		}
		text, label := rec[textCol], strings.TrimSpace(rec[labelCol])
		switch {
		case strings.TrimSpace(text) == "":
			return nil, fmt.Errorf("csv line %d: empty text", row)
		case label == "":
			return nil, fmt.Errorf("csv line %d: empty label", row)
		case !utf8.ValidString(text):
			return nil, fmt.Errorf("csv line %d: text is not valid UTF-8", row)
		}
		out = append(out, nlu.LabeledText{Text: text, Label: normalizeLabel(label)})
	}
	if len(out) == 0 {
		return nil, errors.New("read csv: no examples")
	}
	return out, nil
}

func headerColumns(rec []string) (textCol, labelCol int, ok bool) {
	find := func(names []string) int {
		for _, n := range names {
			for i, h := range rec {
				if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), n) {
					return i
				}
			}
		}
		return -1
	}
	textCol, labelCol = find(textColumns), find(labelColumns)
	return textCol, labelCol, textCol >= 0 && labelCol >= 0 && textCol != labelCol
}

// normalizeLabel maps the usual spellings of "no intent" to nlu.OutOfScope.
func normalizeLabel(l string) string {
	switch strings.ToLower(l) {
	case "oos", "none", "out_of_scope", "out-of-scope":
		return nlu.OutOfScope
	}
	return l
}

// CLINC150Splits are the keys of CLINC150's data_full.json.
var CLINC150Splits = []string{"train", "val", "test", "oos_train", "oos_val", "oos_test"}

// ReadCLINC150 reads the named splits of a CLINC150 JSON file (an object of
// split name to [text, label] pairs), concatenated in the order given. A split
// name without the "oos_" prefix brings its out-of-scope part along when
// withOOS is set: "test" then means test and oos_test.
func ReadCLINC150(r io.Reader, splits []string, withOOS bool) ([]nlu.LabeledText, error) {
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("read clinc150 json: %w", err)
	}
	if len(splits) == 0 {
		return nil, errors.New("read clinc150 json: no split named")
	}
	var out []nlu.LabeledText
	for _, split := range splits {
		keys := []string{split}
		if withOOS && !strings.HasPrefix(split, "oos_") {
			if _, ok := raw["oos_"+split]; ok {
				keys = append(keys, "oos_"+split)
			}
		}
		for _, key := range keys {
			msg, ok := raw[key]
			if !ok {
				have := make([]string, 0, len(raw))
				for k := range raw {
					have = append(have, k)
				}
				slices.Sort(have)
				return nil, fmt.Errorf("read clinc150 json: no split %q (the file has %s)", key, strings.Join(have, ", "))
			}
			var rows [][]string
			if err := json.Unmarshal(msg, &rows); err != nil {
				return nil, fmt.Errorf("read clinc150 json: split %q: %w", key, err)
			}
			for i, row := range rows {
				if len(row) != 2 || strings.TrimSpace(row[0]) == "" || strings.TrimSpace(row[1]) == "" {
					return nil, fmt.Errorf("read clinc150 json: split %q row %d: want [text, label], got %q", key, i, row)
				}
				out = append(out, nlu.LabeledText{Text: row[0], Label: normalizeLabel(row[1])})
			}
		}
	}
	return out, nil
}

// Format is how a data file is laid out.
type Format string

const (
	CSV      Format = "csv"
	CLINC150 Format = "clinc"
)

// DetectFormat guesses a file's format from its name: .json is CLINC150, the rest CSV.
func DetectFormat(path string) Format {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return CLINC150
	}
	return CSV
}

// ReadFile reads a CSV or CLINC150 file; splits and withOOS apply to CLINC150 only.
func ReadFile(path string, format Format, splits []string, withOOS bool) ([]nlu.LabeledText, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []nlu.LabeledText
	switch format {
	case CSV:
		out, err = ReadCSV(f)
	case CLINC150:
		out, err = ReadCLINC150(f, splits, withOOS)
	default:
		return nil, fmt.Errorf("unknown data format %q (want csv or clinc)", format)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// TrainingData groups labelled examples into intents, in order of first
// appearance. Out-of-scope examples are left out unless keepOOS is set, in
// which case they train an intent named nlu.OutOfScope.
func TrainingData(examples []nlu.LabeledText, keepOOS bool) nlu.TrainingData {
	var td nlu.TrainingData
	index := map[string]int{}
	for _, ex := range examples {
		if ex.Label == nlu.OutOfScope && !keepOOS {
			continue
		}
		i, ok := index[ex.Label]
		if !ok {
			i = len(td.Intents)
			index[ex.Label] = i
			td.Intents = append(td.Intents, nlu.IntentData{Name: ex.Label})
		}
		td.Intents[i].Examples = append(td.Intents[i].Examples, nlu.ExampleData{Text: ex.Text})
	}
	return td
}

// HoldOut splits examples deterministically and per label: of each label's
// examples, in file order, every nth goes to held and the rest to kept. It is
// how a validation split is carved from data that has none (Banking77).
func HoldOut(examples []nlu.LabeledText, n int) (kept, held []nlu.LabeledText) {
	if n < 2 {
		return examples, nil
	}
	seen := map[string]int{}
	for _, ex := range examples {
		seen[ex.Label]++
		if seen[ex.Label]%n == 0 {
			held = append(held, ex)
		} else {
			kept = append(kept, ex)
		}
	}
	return kept, held
}
