package policies

import (
	"strings"
	"testing"
)

func TestHandoffWrittenAsActionSaysQueue(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/handoff_written_as_action", testOptions)
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %d: %v", len(diags), diags)
	}
	if d := diags[0].Detail; !strings.Contains(d, `Did you mean "queue"?`) || !strings.Contains(d, "queue = queue.NAME") {
		t.Errorf("detail does not point at queue: %q", d)
	}
}
