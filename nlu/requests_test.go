package nlu

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// requestParts is appendRequestParts as a fresh list, nil for one piece.
func requestParts(text string) []partSpan {
	spans := appendRequestParts(nil, text)
	if len(spans) < 2 {
		return nil
	}
	return spans
}

func TestRequestParts(t *testing.T) {
	type piece struct {
		Text string
		Also bool
	}
	tests := []struct {
		text string
		want []piece
	}{
		{"where is my order AB123456? also I want to change my delivery address", []piece{{"where is my order AB123456?", false}, {"also I want to change my delivery address", true}}},
		{"Where is my order? Can I change the address?", []piece{{"Where is my order?", false}, {"Can I change the address?", false}}},
		{"I want a refund. Also, where is CD789012?", []piece{{"I want a refund.", false}, {"Also, where is CD789012?", true}}},
		{"track AB123456, and can I get a refund", []piece{{"track AB123456", false}, {"and can I get a refund", false}}},
		{"track my order by the way what are your opening hours", []piece{{"track my order", false}, {"by the way what are your opening hours", true}}},
		{"帮我查下订单AB123456，另外我想改地址", []piece{{"帮我查下订单AB123456", false}, {"另外我想改地址", true}}},
		{"我想查订单顺便问下营业时间", []piece{{"我想查订单", false}, {"顺便问下营业时间", true}}},
		{"订单到哪了？能退款吗？", []piece{{"订单到哪了？", false}, {"能退款吗？", false}}},
		{"I want a refund for AB123456. Also can you cancel order CD654321?", []piece{{"I want a refund for AB123456.", false}, {"Also can you cancel order CD654321?", true}}},
		{"I need it. where is it", []piece{{"I need it.", false}, {"where is it", false}}},
		// One piece: no cut.
		{"Dr. Smith, i.e. the dentist, e.g. tomorrow at 3 p.m. ok", nil},
		{"where is my order?", nil},
		{"Hi Mr. Li, it costs 3.5 dollars", nil},
		{"I also want a refund", nil},
		{"plusieurs", nil},
		// A piece with no word joins the one before.
		{"my order? AB123456!", nil},
		{"refund please!!! also where is it??", []piece{{"refund please!!!", false}, {"also where is it??", true}}},
	}
	for _, tc := range tests {
		var got []piece
		for _, s := range requestParts(tc.text) {
			got = append(got, piece{tc.text[s.start:s.end], s.also})
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("requestParts(%q) (-want +got):\n%s", tc.text, diff)
		}
	}
}
