package nlu

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestParseLanguageIgnoresEntities(t *testing.T) {
	m, err := Train(context.Background(), TrainingData{
		Intents: []IntentData{
			{Name: "track", Examples: []ExampleData{{Text: "where is my order"}, {Text: "我的订单到哪了"}}},
			{Name: "greet", Examples: []ExampleData{{Text: "hello"}, {Text: "你好"}}},
		},
		Entities: []EntityData{{Name: "order_id", Pattern: "[A-Z]{2}[0-9]{6}"}},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"AB123456", ""},
		{"13812345678", ""},
		{"AP123", ""},           // a code no entity takes is in no language
		{"AB12345", ""},         // nor is a mistyped order number
		{"order AB12345", "en"}, // the words around it are
		{"订单AB12345", "zh"},
		{"  ", ""},
		{"/greet", ""},
		{"order AB123456", "en"},
		{"订单 AB123456", "zh"},
		{"我的订单到哪了", "zh"},
		{"where is my order", "en"},
		{"算了", "zh"},
		{"yes", "en"},
		{"ok", ""}, // typed by Chinese and English customers alike
		{"OK!", ""},
		{"okay okay", ""},
		{"ok thanks", "en"},
		{"ok好的", "zh"},
	}
	for _, tt := range tests {
		if got := m.Parse(tt.text, ParseOptions{}).Language; got != tt.want {
			t.Errorf("Parse(%q).Language = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// Customer text must never produce a value the event log (JSON) cannot hold.
func TestParseHugeNumbersStayFinite(t *testing.T) {
	m, err := Train(context.Background(), TrainingData{Intents: []IntentData{
		{Name: "a", Examples: []ExampleData{{Text: "yes please"}}},
		{Name: "b", Examples: []ExampleData{{Text: "no thanks"}}},
	}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		"yes 九" + strings.Repeat("亿", 45),
		"1" + strings.Repeat("0", 301) + "亿",
		"¥1" + strings.Repeat("0", 400),
		strings.Repeat("9", 400) + " dollars",
	} {
		res := m.Parse(text, ParseOptions{})
		if _, err := json.Marshal(res); err != nil {
			t.Errorf("Parse(%.20q...): result does not encode as JSON: %v", text, err)
		}
	}
}

// A Chinese customer writes names in Latin letters: a list entity's Latin
// synonym says nothing of the language, in a Chinese message or alone.
func TestParseLanguageLatinNames(t *testing.T) {
	m, err := Train(context.Background(), TrainingData{
		Intents: []IntentData{
			{Name: "buy", Examples: []ExampleData{{Text: "I want to buy a phone"}, {Text: "我想买手机"}}},
			{Name: "greet", Examples: []ExampleData{{Text: "hello"}, {Text: "你好"}}},
		},
		Entities: []EntityData{
			{Name: "product", Values: []EntityValueData{
				{Canonical: "iphone", Synonyms: []string{"iPhone", "苹果手机"}},
				{Canonical: "suv", Synonyms: []string{"SUV", "越野车"}},
			}},
			{Name: "tier", Values: []EntityValueData{{Canonical: "vip", Synonyms: []string{"VIP", "会员"}}}},
			{Name: "reason", Values: []EntityValueData{{Canonical: "changed_mind", Synonyms: []string{"changed my mind", "不想要了"}}}},
		},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"iPhone", ""},
		{"SUV", ""},
		{"VIP", ""},
		{"iPhone SUV", ""},
		{"有 iPhone Pro Max 吗", "zh"},
		{"iPhone Pro Max有货吗", "zh"},
		{"我是VIP", "zh"},
		{"my iPhone is broken", "en"},
		{"iPhone please", "en"},
		{"changed my mind", "en"}, // words, not a name
		{"苹果手机", "zh"},
		{"hello", "en"},
	}
	for _, tt := range tests {
		if got := m.Parse(tt.text, ParseOptions{}).Language; got != tt.want {
			t.Errorf("Parse(%q).Language = %q, want %q", tt.text, got, tt.want)
		}
	}
}
