package nlu

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// zhFillerModel's examples never use 哎呀 or 现在, and use 嗯 once.
func zhFillerModel(t *testing.T) *Model {
	t.Helper()
	td := TrainingData{Intents: []IntentData{
		{Name: "emergency", Examples: []ExampleData{{Text: "牙疼死了"}, {Text: "牙痛得受不了"}, {Text: "脸肿了"}, {Text: "我牙疼得不行"}}},
		{Name: "book", Examples: []ExampleData{{Text: "我想预约"}, {Text: "嗯，帮我约个时间"}, {Text: "明天有号吗"}, {Text: "约个洗牙"}}},
		{Name: "cancel", Examples: []ExampleData{{Text: "取消预约"}, {Text: "我不去了"}, {Text: "预约不要了"}}},
	}}
	m, err := Train(context.Background(), td, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWithoutZhFillers(t *testing.T) {
	m := zhFillerModel(t)
	tests := []struct{ in, want string }{
		{"哎呀我现在牙疼得不行", "我牙疼得不行"},
		{"唉，牙疼死了", "牙疼死了"},
		{"其实我想取消预约", "我想取消预约"},
		// a filler the examples use is read as written
		{"嗯我想预约", "嗯我想预约"},
		// a filler alone, and words that only start like one
		{"哎呀", "哎呀"},
		{"现在", "现在"},
		{"啊", "啊"},
		{"额度多少", "额度多少"},
	}
	for _, tc := range tests {
		toks := m.withoutZhFillers(scanTokens(nil, newNormText(tc.in).lower, nil))
		var words []string
		for _, tk := range toks {
			words = append(words, tk.text)
		}
		if d := cmp.Diff(tc.want, strings.Join(words, " ")); d != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, d)
		}
	}
}

// TestZhFillersScoreAsWithout: "哎呀我现在牙疼得不行" scores as "我牙疼得不行".
func TestZhFillersScoreAsWithout(t *testing.T) {
	m := zhFillerModel(t)
	got, want := m.Parse("哎呀我现在牙疼得不行", ParseOptions{}).Top(), m.Parse("我牙疼得不行啦", ParseOptions{}).Top()
	if got.Name != "emergency" || math.Abs(got.Confidence-want.Confidence) > 0.05 {
		t.Errorf("got %v, want about %v", got, want)
	}
}

func TestReadZhChangeTo(t *testing.T) {
	td := TrainingData{Intents: []IntentData{
		{Name: "reschedule", Examples: []ExampleData{{Text: "帮我把预约改到后天"}, {Text: "改个时间"}, {Text: "推迟到下周行不行"}}},
		{Name: "book", Examples: []ExampleData{{Text: "我想预约"}, {Text: "明天有号吗"}}},
	}}
	m, err := Train(context.Background(), td, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"挪到周五", "改到周五"},
		{"能帮我调到下午吗", "能帮我改到下午吗"},
		// the forms the examples use are read as written
		{"改到周五", "改到周五"},
		{"推迟到周五", "推迟到周五"},
		// no "to": nothing to read
		{"往后挪一天", "往后挪一天"},
	}
	for _, tc := range tests {
		toks := m.readZhChangeTo(scanTokens(nil, newNormText(tc.in).lower, nil))
		var words []string
		for _, tk := range toks {
			words = append(words, tk.text)
		}
		if d := cmp.Diff(tc.want, strings.Join(words, " ")); d != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, d)
		}
	}
}
