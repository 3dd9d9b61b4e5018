package nlu

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A synonym's plural is found ("2 beds"), but not a word that only looks
// like one: "any news on my refund?" named the condition "new".
func TestSynonymPluralsThatAreOtherWords(t *testing.T) {
	m, err := Train(context.Background(), TrainingData{
		Intents: []IntentData{
			{Name: "ask", Examples: []ExampleData{{Text: "is it new or used"}, {Text: "any news on my refund"}}},
			{Name: "greet", Examples: []ExampleData{{Text: "hello"}, {Text: "hi there"}}},
		},
		Entities: []EntityData{
			{Name: "condition", Values: []EntityValueData{{Canonical: "new", Synonyms: []string{"brand new"}}, {Canonical: "used"}}},
			{Name: "rating", Values: []EntityValueData{{Canonical: "good"}}},
			{Name: "plan", Values: []EntityValueData{{Canonical: "custom"}}},
			{Name: "furniture", Values: []EntityValueData{{Canonical: "bed"}}},
		},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
	}{
		{"any news on my refund?", nil},
		{"the goods arrived damaged", nil},
		{"my parcel is held at customs", nil},
		{"is it new?", []string{"condition=new"}},
		{"2 beds please", []string{"furniture=bed"}},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range m.Parse(tt.text, ParseOptions{}).Entities {
			if e.Type != "number" {
				got = append(got, e.Type+"="+e.Value)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) entities (-want +got):\n%s", tt.text, diff)
		}
	}
}
