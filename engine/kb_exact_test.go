package engine

import (
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/policies"
)

func TestKnowledgeExactFAQ(t *testing.T) {
	at := func(line int) hcl.Range {
		return hcl.Range{Filename: "/bot/faq.hcl", Start: hcl.Pos{Line: line}}
	}
	bot := &policies.Bot{Dir: "/bot", FAQs: []*policies.FAQ{
		{Name: "hours", Question: "When is customer service open?", Alternatives: []string{"周末有人工客服吗？", "Are you open?"}, Answer: "9 to 6.", Range: at(1)},
		{Name: "store", Question: "Do you have a store?", Alternatives: []string{"Are you open?"}, Answer: "Online only.", Range: at(7)},
	}}
	x := NewFAQIndex(bot)
	tests := []struct {
		message string
		want    string // the answer; "" for none
	}{
		{"When is customer service open?", "9 to 6."},
		{"  when is CUSTOMER service open ", "9 to 6."},
		{"周末有人工客服吗", "9 to 6."},
		{"Do you have a store", "Online only."},
		// Two FAQs share it: it names neither.
		{"Are you open?", ""},
		// Not word for word: the search's job.
		{"When is your customer service open?", ""},
		{"", ""},
		{"?", ""},
	}
	for _, tc := range tests {
		got, ok := x.Answer(tc.message)
		text := ""
		if got != nil {
			text = got.Text
		}
		if ok != (tc.want != "") || text != tc.want {
			t.Errorf("Answer(%q) = %q, %v; want %q", tc.message, text, ok, tc.want)
		}
		if ok && (!got.Exact || got.Score != 1) {
			t.Errorf("Answer(%q) = %+v, want Exact and score 1", tc.message, got)
		}
	}
	if got, _ := x.Answer("When is customer service open?"); got.ChunkID != "faq.hcl#hours" {
		t.Errorf("chunk id %q, want faq.hcl#hours", got.ChunkID)
	}
	var none *FAQIndex
	if _, ok := none.Answer("When is customer service open?"); ok {
		t.Error("no index answered")
	}
	m := &dialog.Message{Text: "when is customer service open"}
	if got := WithExactFAQ(m, x); !got.Searched || got.Knowledge == nil || m.Searched {
		t.Errorf("WithExactFAQ = %+v (and changed its argument: %v)", got, m.Searched)
	}
}
