package nlu

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// An -al that makes another word keeps its word apart from the one it
// would become: "personal details" has nothing to do with "talk to a
// person". Where the -al word means the same thing, they still merge.
func TestLightStemKeepsAlWords(t *testing.T) {
	for _, pair := range [][2]string{
		{"personal", "person"}, {"original", "origin"}, {"partial", "party"}, {"several", "severe"},
		{"special", "species"}, {"memorial", "memory"}, {"factorial", "factory"}, {"universal", "universe"},
		{"digital", "digit"}, {"critical", "critic"}, {"principal", "principle"}, {"internal", "intern"},
		{"informal", "inform"}, {"virtual", "virtue"}, {"literal", "liter"}, {"mineral", "miner"}, {"rational", "ration"},
	} {
		if a, b := lightStem(pair[0]), lightStem(pair[1]); a == b {
			t.Errorf("lightStem(%q) = lightStem(%q) = %q, want them apart", pair[0], pair[1], a)
		}
	}
	for _, pair := range [][2]string{
		{"arrival", "arrive"}, {"refusal", "refuse"}, {"approval", "approve"}, {"removal", "remove"},
		{"renewal", "renew"}, {"withdrawal", "withdraw"}, {"additional", "addition"}, {"optional", "option"},
		{"personals", "personal"}, {"originals", "original"},
	} {
		if a, b := lightStem(pair[0]), lightStem(pair[1]); a != b {
			t.Errorf("lightStem(%q) = %q, lightStem(%q) = %q, want one form", pair[0], a, pair[1], b)
		}
	}
}

// Irregular forms share no stem, as docs/language.md tells analysts, who
// give an example of each: "swollen" is no "swelling".
func TestLightStemLeavesIrregularFormsApart(t *testing.T) {
	for _, pair := range [][2]string{{"swollen", "swelling"}, {"broke", "broken"}, {"paid", "pay"}} {
		if a, b := lightStem(pair[0]), lightStem(pair[1]); a == b {
			t.Errorf("lightStem(%q) = lightStem(%q) = %q; docs/language.md says irregular forms are apart", pair[0], pair[1], a)
		}
	}
}

func TestLightStem(t *testing.T) {
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"charge", "charged", "charges", "charging"}, "charg"},
		{[]string{"arrive", "arrived", "arrival"}, "arriv"},
		{[]string{"activate", "activated", "activation"}, "activat"},
		{[]string{"verify", "verified", "verifies"}, "verifi"},
		{[]string{"stop", "stopped", "stopping"}, "stop"},
		{[]string{"transfer", "transfers", "transferred"}, "transfer"},
		{[]string{"refund", "refunded", "refunds"}, "refund"},
		// -eed is an ending only after a vowel and consonant (Porter's m>0):
		// "need" is not "ne"+"ed", and "feed", "seed" are not "fee", "see".
		{[]string{"need", "needs", "needed", "needing"}, "need"},
		{[]string{"feed"}, "feed"},
		{[]string{"seed"}, "seed"},
		{[]string{"agree", "agreed", "agrees"}, "agre"},
		// British doubled l: one l, as Porter's last step, in longer words only.
		{[]string{"cancel", "cancels", "canceled", "canceling", "cancelled", "cancelling"}, "cancel"},
		{[]string{"enrol", "enroll", "enrolled"}, "enrol"},
		{[]string{"call", "calls", "called", "calling"}, "call"},
		{[]string{"fill", "filled"}, "fill"},
		// left alone: short words, -ss/-us/-is, digits, other scripts
		{[]string{"use"}, "use"},
		{[]string{"process"}, "process"},
		{[]string{"status"}, "status"},
		{[]string{"4pm"}, "4pm"},
		{[]string{"cafés"}, "cafés"},
	}
	for _, tc := range tests {
		for _, w := range tc.words {
			if got := lightStem(w); got != tc.want {
				t.Errorf("lightStem(%q) = %q, want %q", w, got, tc.want)
			}
		}
	}
}

// negatedWords returns the words of text whose negated copy appendFeatures
// emits under fs.
func negatedWords(fs featureSet, text string) []string {
	toks := scanTokens(nil, newNormText(text).lower, nil)
	hashes, _ := fs.appendFeatures(nil, toks, nil)
	have := map[uint64]bool{}
	for _, h := range hashes {
		have[h] = true
	}
	var out []string
	for _, tk := range toks {
		h, _ := fs.wordHashes(tk.text)
		if have[(h^saltNeg)*fnvPrime&^flagBits|wordFeature] {
			out = append(out, tk.text)
		}
	}
	return out
}

func TestNegationScope(t *testing.T) {
	fs := featureSet{charMin: 2, charMax: 4, negation: 3, stem: true}
	tests := []struct {
		text string
		want []string
	}{
		{"my card has not arrived yet", []string{"arrived", "yet"}},
		{"I didn't make this payment at all", []string{"make", "this", "payment"}},
		{"the app wont let me log in", []string{"let", "me", "log"}},
		// the scope ends at clause punctuation
		{"not yet, but the card works", []string{"yet"}},
		{"why? not sure", []string{"sure"}},
		// and at a line break or a dash, as chat messages end sentences
		{"my card hasn't arrived\ncan i get a refund", []string{"arrived"}},
		{"no — I want a refund", nil},
		{"my card arrived", nil},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, negatedWords(fs, tc.text)); diff != "" {
			t.Errorf("%q: negated words (-want +got):\n%s", tc.text, diff)
		}
	}
	if got := negatedWords(featureSet{charMin: 2, charMax: 4}, "my card has not arrived"); got != nil {
		t.Errorf("without negation: negated words %q", got)
	}
}

func TestScanTokensClause(t *testing.T) {
	toks := scanTokens(nil, "no. really, it's fine; ok", nil)
	var got []bool
	for _, tk := range toks {
		got = append(got, tk.clause)
	}
	if diff := cmp.Diff([]bool{false, true, true, false, true}, got); diff != "" {
		t.Errorf("clause marks (-want +got):\n%s", diff)
	}
}
