package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestKnowledgeExpectationHint: a stranger expected knowledge = "visa_en",
// the FAQ's name, where the chunk id is "knowledge/faq.hcl#visa_en"; the
// warning gives the id to write.
func TestKnowledgeExpectationHint(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/test_knowledge_id", testOptions)
	var got []string
	for _, d := range diags {
		got = append(got, d.Detail)
	}
	want := []string{
		`A chunk id names the file of the FAQ: faq "visa_en" is "knowledge/faq.hcl#visa_en".`,
		`"includes" names no chunk: a chunk id is the file and the passage, like "knowledge/faq.hcl#hours_en" or "knowledge/returns.md#returns/refunds", or "none". parley kb search FOLDER "question" prints the ids.`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}
