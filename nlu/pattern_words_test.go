package nlu

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A pattern's alternatives are all whole values: "kg|kgs" reads "2 kgs",
// although Go's first alternative alone stops inside the word.
func TestPatternAlternativeWholeWord(t *testing.T) {
	x, err := newEntityExtractor([]EntityData{
		{Name: "weight", Pattern: "[0-9]+(\\.[0-9]+)? ?(kg|kgs|lb|lbs|斤|公斤)", IgnoreCase: true},
		{Name: "order_id", Pattern: "[A-Z]{2}[0-9]{6}"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want []string
	}{
		{"about 2 kgs by air", []string{"2 KGS"}},
		{"4.4lbs please", []string{"4.4LBS"}},
		{"2 kg", []string{"2 KG"}},
		{"3公斤空运", []string{"3公斤"}},
		{"2 kgsx", nil},                          // no whole word, however long
		{"code XAB1234567 is not an order", nil}, // still not cut out of a longer code
	}
	for _, tt := range tests {
		var got []string
		for _, c := range x.userCandidates(nil, newNormText(tt.in)) {
			got = append(got, c.ent.Value)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("userCandidates(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
