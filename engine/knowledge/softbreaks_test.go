package knowledge

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnwrapSoftBreaks(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"wrapped prose", "Refunds reach your card\nwithin 5 working days.", "Refunds reach your card within 5 working days."},
		{"indented continuation", "Refunds reach your card\n   within 5 days.", "Refunds reach your card within 5 days."},
		{"Chinese joins without a space", "退款会在5个工作日内\n原路退回。", "退款会在5个工作日内原路退回。"},
		{"Chinese then English", "支持\nVisa 卡", "支持 Visa 卡"},
		{"hard break: two spaces", "Line one  \nline two", "Line one  \nline two"},
		{"hard break: backslash", "Line one\\\nline two", "Line one\\\nline two"},
		{"list items stay", "Bring:\n- the receipt\n- the box", "Bring:\n- the receipt\n- the box"},
		{"a wrapped list item", "- the receipt, or a\n  copy of it\n- the box", "- the receipt, or a copy of it\n- the box"},
		{"numbered items stay", "1. Sign in\n2. Open orders", "1. Sign in\n2. Open orders"},
		{"table rows stay", "| plan | price |\n| --- | --- |\n| basic | 5 |", "| plan | price |\n| --- | --- |\n| basic | 5 |"},
		{"quotes stay", "> Note\n> more", "> Note\n> more"},
		{"fenced code stays", "```\na\nb\n```", "```\na\nb\n```"},
		{"fenced code after text stays", "Run:\n```\nparley validate\nparley test\n```", "Run:\n```\nparley validate\nparley test\n```"},
		{"text after a fence joins", "```\na\n```\nThen\ngo on.", "```\na\n```\nThen go on."},
		{"one line", "Hello.", "Hello."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, unwrapSoftBreaks(tc.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestMarkdownChunkUnwrapped: a chunk's text is what the customer reads, so
// a paragraph an editor wrapped arrives as one.
func TestMarkdownChunkUnwrapped(t *testing.T) {
	chunks := parseMarkdown("knowledge/returns.md", "# Returns\n\nYou can return an item\nwithin 30 days.\n\n- keep the box\n- keep the receipt\n")
	if len(chunks) != 1 {
		t.Fatalf("%d chunks, want 1", len(chunks))
	}
	if diff := cmp.Diff("You can return an item within 30 days.\n\n- keep the box\n- keep the receipt", chunks[0].Text); diff != "" {
		t.Errorf("content (-want +got):\n%s", diff)
	}
}
