package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A misspelt argument keeps only its own block's "missing" error quiet: a
// block in another file that lacks the argument, with an argument at the same
// line and column, is still reported.
func TestMisspeltArgumentIsPerFile(t *testing.T) {
	files := map[string][]byte{
		"a.hcl": []byte(`bot "b" {
  languages = ["en"]
}
answer "x" {
  intents = [intent.greet]
  reply   = "Hi!"
}
`),
		// Lines 1 to 3 as long as a.hcl's, so that reply stands where intents does.
		"b.hcl": []byte(`# answers
# without an intent.
#
answer "y" {
  reply   = "Hello!"
}

intent "greet" {
  examples = ["hi", "hello", "hey", "good morning", "hiya"]
}
`),
	}
	_, diags := LoadFiles(files, testOptions)
	want := []string{"error: Unsupported argument", "error: Missing required argument"}
	if diff := cmp.Diff(want, summaries(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diags)
	}
}
