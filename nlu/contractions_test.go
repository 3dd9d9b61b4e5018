package nlu

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// contractionModel is trained on examples that write some contractions out
// ("where is", "did not", "I am") and contract others ("what's", "can't",
// "don't").
func contractionModel(t *testing.T) *Model {
	t.Helper()
	td := TrainingData{Intents: []IntentData{
		{Name: "track", Examples: []ExampleData{{Text: "where is my parcel"}, {Text: "I don't know where my order is"}, {Text: "track my delivery"}, {Text: "let me see my delivery"}}},
		{Name: "cancel", Examples: []ExampleData{{Text: "what's the way to cancel my order"}, {Text: "I am cancelling"}, {Text: "stop my order"}, {Text: "I am going to cancel"}}},
		{Name: "refund", Examples: []ExampleData{{Text: "I can't get my money back"}, {Text: "I did not get a refund"}, {Text: "I want my money back"}, {Text: "I want to get a refund"}, {Text: "give me my money"}}},
	}}
	m, err := Train(context.Background(), td, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReadContractions(t *testing.T) {
	m := contractionModel(t)
	tests := []struct{ in, want string }{
		// the examples' form, as written
		{"where is my parcel", "where is my parcel"},
		{"what's the fee", "what's the fee"},
		{"I can't log in", "i can't log in"},
		// another form, read as theirs
		{"where's my parcel", "where is my parcel"},
		{"Where’s my parcel", "where is my parcel"}, // a curly apostrophe
		{"wheres my parcel", "where is my parcel"},
		{"what is the fee, whats", "what's the fee what's"},
		{"I'm cancelling, im", "i am cancelling i am"},
		{"I cant log in, cannot, can not", "i can't log in can't can't"},
		{"I dont know, do not", "i don't know don't"},
		{"I didn't get it, didnt", "i did not get it did not"},
		// chat forms of two words, read as the examples' words
		{"I wanna get a refund, gonna cancel", "i want to get a refund going to cancel"},
		{"gimme my money, lemme see", "give me my money let me see"},
		// not across a clause break
		{"can? not", "can not"},
		// forms the examples have in neither way stay as written
		{"it isn't here, it's there", "it isn't here it's there"},
		// a possessive, and words a missing apostrophe would make ambiguous
		{"my wife's card", "my wife's card"},
		{"its screen, we were there, ill, well, my id, hes", "its screen we were there ill well my id hes"},
	}
	for _, tc := range tests {
		toks := m.readContractions(scanTokens(nil, newNormText(tc.in).lower, nil))
		var words []string
		for _, tk := range toks {
			words = append(words, tk.text)
		}
		if got := strings.Join(words, " "); got != tc.want {
			t.Errorf("readContractions(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A bot trained on "where is" understands "where's", and the reverse: the
// two read as the same features, so they score the same.
func TestContractionsScoreAsTheExamples(t *testing.T) {
	m := contractionModel(t)
	for _, pair := range [][2]string{
		{"where's my parcel", "where is my parcel"},
		{"wheres my parcel", "where is my parcel"},
		{"I do not know where my order is", "I don't know where my order is"},
		{"what is the way to cancel my order", "what's the way to cancel my order"},
		{"I cannot get my money back", "I can't get my money back"},
		{"I cant get my money back", "I can't get my money back"},
		{"I didn't get a refund", "I did not get a refund"},
		{"I'm cancelling", "I am cancelling"},
		{"I wanna get a refund", "I want to get a refund"},
		{"I'm gonna cancel", "I am going to cancel"},
		{"gimme my money", "give me my money"},
	} {
		got, want := m.Parse(pair[0], testOpts).Intents, m.Parse(pair[1], testOpts).Intents
		if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
			t.Errorf("Parse(%q) differs from Parse(%q) (-want +got):\n%s", pair[0], pair[1], diff)
		}
	}
}

// "didn't" read as "did not" is still a negation: the words after it get
// their negated copy.
func TestContractionNegationScope(t *testing.T) {
	m := contractionModel(t)
	fs := featureSet{charMin: 2, charMax: 4, negation: 3, stem: true}
	for _, text := range []string{"I didn't make this payment", "I didnt make this payment", "I did not make this payment"} {
		toks := m.readContractions(scanTokens(nil, newNormText(text).lower, nil))
		hashes, _ := fs.appendFeatures(nil, toks, nil)
		have := map[uint64]bool{}
		for _, h := range hashes {
			have[h] = true
		}
		var negated []string
		for _, tk := range toks {
			if h, _ := fs.wordHashes(tk.text); have[(h^saltNeg)*fnvPrime&^flagBits|wordFeature] {
				negated = append(negated, tk.text)
			}
		}
		if diff := cmp.Diff([]string{"make", "this", "payment"}, negated); diff != "" {
			t.Errorf("%q: negated words (-want +got):\n%s", text, diff)
		}
	}
}

// Fillers the examples never use are read as if not typed: a request padded
// with them scores as the request does. One the examples use is kept.
func TestFillersScoreAsTheRequest(t *testing.T) {
	m := contractionModel(t)
	for _, pair := range [][2]string{
		{"actually I want my money back", "I want my money back"},
		{"um just track my delivery", "track my delivery"},
		{"basically, where is my parcel honestly", "where is my parcel"},
	} {
		got, want := m.Parse(pair[0], testOpts).Intents, m.Parse(pair[1], testOpts).Intents
		if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
			t.Errorf("Parse(%q) differs from Parse(%q) (-want +got):\n%s", pair[0], pair[1], diff)
		}
	}
	td := TrainingData{Intents: []IntentData{
		{Name: "track", Examples: []ExampleData{{Text: "just track my delivery"}, {Text: "where is my parcel"}}},
		{Name: "refund", Examples: []ExampleData{{Text: "I want my money back"}, {Text: "refund please"}}},
	}}
	known, err := Train(context.Background(), td, Options{})
	if err != nil {
		t.Fatal(err)
	}
	toks := known.withoutFillers(scanTokens(nil, newNormText("actually just track it").lower, nil))
	var words []string
	for _, tk := range toks {
		words = append(words, tk.text)
	}
	if diff := cmp.Diff([]string{"just", "track", "it"}, words); diff != "" {
		t.Errorf("withoutFillers with \"just\" in the examples (-want +got):\n%s", diff)
	}
}
