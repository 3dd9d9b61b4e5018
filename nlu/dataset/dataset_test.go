package dataset

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/nlu"
)

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []nlu.LabeledText
		wantErr string
	}{
		{
			name: "banking77 header",
			in:   "text,category\nI am still waiting on my card?,card_arrival\n\"a, b\",top_up\n",
			want: []nlu.LabeledText{{Text: "I am still waiting on my card?", Label: "card_arrival"}, {Text: "a, b", Label: "top_up"}},
		},
		{
			name: "columns in another order",
			in:   "intent,id,utterance\ngreet,1,hello\nnone,2,what is the weather\n",
			want: []nlu.LabeledText{{Text: "hello", Label: "greet"}, {Text: "what is the weather", Label: nlu.OutOfScope}},
		},
		{
			name: "no header",
			in:   "hello,greet\nbye,goodbye\n",
			want: []nlu.LabeledText{{Text: "hello", Label: "greet"}, {Text: "bye", Label: "goodbye"}},
		},
		{name: "missing label", in: "text,label\nhello,greet\nbye\n", wantErr: "csv line 3: 1 column(s), want a text and a label"},
		{name: "empty label", in: "text,label\nhello, \n", wantErr: "csv line 2: empty label"},
		{name: "empty", in: "text,label\n", wantErr: "read csv: no examples"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadCSV (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadCLINC150(t *testing.T) {
	const file = `{"train": [["hi", "greet"]], "oos_train": [["weather?", "oos"]],
		"test": [["hello", "greet"]], "oos_test": [["stocks", "oos"]]}`
	tests := []struct {
		name    string
		splits  []string
		withOOS bool
		want    []nlu.LabeledText
		wantErr string
	}{
		{name: "in scope only", splits: []string{"train"}, want: []nlu.LabeledText{{Text: "hi", Label: "greet"}}},
		{name: "with its oos part", splits: []string{"test"}, withOOS: true,
			want: []nlu.LabeledText{{Text: "hello", Label: "greet"}, {Text: "stocks", Label: nlu.OutOfScope}}},
		{name: "explicit keys", splits: []string{"oos_train", "test"},
			want: []nlu.LabeledText{{Text: "weather?", Label: nlu.OutOfScope}, {Text: "hello", Label: "greet"}}},
		{name: "unknown split", splits: []string{"val"}, wantErr: `read clinc150 json: no split "val" (the file has oos_test, oos_train, test, train)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCLINC150(strings.NewReader(file), tt.splits, tt.withOOS)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadCLINC150 (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := ReadCLINC150(strings.NewReader(`{"train": [["hi"]]}`), []string{"train"}, false); err == nil ||
		!strings.Contains(err.Error(), `split "train" row 0`) {
		t.Errorf("malformed row: error = %v", err)
	}
}

func TestHoldOutAndTrainingData(t *testing.T) {
	var ex []nlu.LabeledText
	for i := range 6 {
		ex = append(ex, nlu.LabeledText{Text: "a" + string(rune('0'+i)), Label: "a"}, nlu.LabeledText{Text: "b" + string(rune('0'+i)), Label: "b"})
	}
	ex = append(ex, nlu.LabeledText{Text: "zzz", Label: nlu.OutOfScope})
	kept, held := HoldOut(ex, 3)
	wantHeld := []nlu.LabeledText{{Text: "a2", Label: "a"}, {Text: "b2", Label: "b"}, {Text: "a5", Label: "a"}, {Text: "b5", Label: "b"}}
	if diff := cmp.Diff(wantHeld, held); diff != "" {
		t.Errorf("held (-want +got):\n%s", diff)
	}
	if len(kept) != len(ex)-len(held) {
		t.Errorf("kept %d, want %d", len(kept), len(ex)-len(held))
	}
	td := TrainingData(kept, false)
	var names []string
	for _, in := range td.Intents {
		names = append(names, in.Name)
	}
	if diff := cmp.Diff([]string{"a", "b"}, names); diff != "" {
		t.Errorf("intents (-want +got):\n%s", diff)
	}
	if got := len(TrainingData(kept, true).Intents); got != 3 {
		t.Errorf("with out of scope: %d intents, want 3", got)
	}
}
