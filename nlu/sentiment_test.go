package nlu

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// sentimentBand maps a score to the labels of testdata/sentiment.tsv.
func sentimentBand(score float64) string {
	switch {
	case score <= -0.6:
		return "angry"
	case score <= -0.1:
		return "negative"
	case score < 0.1:
		return "neutral"
	}
	return "positive"
}

// readSentimentSet reads the dev or test half of testdata/sentiment.tsv.
func readSentimentSet(t testing.TB, half string) []LabeledText {
	t.Helper()
	b, err := os.ReadFile("testdata/sentiment.tsv")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	var out []LabeledText
	for n, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("testdata/sentiment.tsv:%d: want label<TAB>text", n+1)
		}
		seen[label]++
		if (seen[label]%2 == 1) == (half == "dev") {
			out = append(out, LabeledText{Text: text, Label: label})
		}
	}
	return out
}

type sentimentReport struct {
	n, right                  int
	angryTP, angryFP, angryFN int
	misses                    []string
}

func scoreSentiment(m *Model, set []LabeledText) sentimentReport {
	var r sentimentReport
	for _, ex := range set {
		score := m.Parse(ex.Text, testOpts).Sentiment
		got := sentimentBand(score)
		r.n++
		if got == ex.Label {
			r.right++
		} else {
			r.misses = append(r.misses, fmt.Sprintf("%s -> %s (%.2f): %s", ex.Label, got, score, ex.Text))
		}
		switch {
		case ex.Label == "angry" && got == "angry":
			r.angryTP++
		case ex.Label == "angry":
			r.angryFN++
		case got == "angry":
			r.angryFP++
		}
	}
	return r
}

func (r sentimentReport) String() string {
	return fmt.Sprintf("accuracy %.3f (%d/%d), angry recall %.3f precision %.3f",
		float64(r.right)/float64(r.n), r.right, r.n,
		float64(r.angryTP)/float64(max(r.angryTP+r.angryFN, 1)), float64(r.angryTP)/float64(max(r.angryTP+r.angryFP, 1)))
}

// TestSentimentSet scores the labelled customer-service set (see
// testdata/sentiment.md): the dev half always, the test half with NLU_TEST=1.
func TestSentimentSet(t *testing.T) {
	m := shopModel(t)
	dev := scoreSentiment(m, readSentimentSet(t, "dev"))
	t.Logf("dev: %v", dev)
	for _, miss := range dev.misses {
		t.Logf("  %s", miss)
	}
	// Floors below the measured figures (BENCHMARKS.md): a regression guard.
	if acc := float64(dev.right) / float64(dev.n); acc < 0.8 || dev.angryFN > 4 {
		t.Errorf("dev: %v; want accuracy >= 0.80 and at most 4 angry messages missed", dev)
	}
	if os.Getenv("NLU_TEST") != "" {
		test := scoreSentiment(m, readSentimentSet(t, "test"))
		t.Logf("test: %v", test)
		for _, miss := range test.misses {
			t.Logf("  %s", miss)
		}
	}
}
