package nlu

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// aNotAModel asks with 吗 ("矫正贵吗", "能退款吗") and once A-not-A ("要不要预约").
func aNotAModel(t *testing.T) *Model {
	t.Helper()
	td := TrainingData{Intents: []IntentData{
		{Name: "price", Examples: []ExampleData{{Text: "矫正贵吗"}, {Text: "洗牙多少钱"}, {Text: "美白贵吗"}, {Text: "价格表有吗"}}},
		{Name: "refund", Examples: []ExampleData{{Text: "能退款吗"}, {Text: "我要退款"}, {Text: "可以退钱吗"}, {Text: "退款多久到账"}}},
		{Name: "book", Examples: []ExampleData{{Text: "我想预约"}, {Text: "要不要预约"}, {Text: "明天有号吗"}, {Text: "帮我约个时间"}}},
	}}
	m, err := Train(context.Background(), td, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReadANotA(t *testing.T) {
	m := aNotAModel(t)
	tests := []struct{ in, want string }{
		{"矫正贵不贵", "矫正贵吗"},
		{"矫正贵不贵啊", "矫正贵吗"},
		{"能不能退款", "能退款吗"},
		{"可不可以退钱", "可以退钱吗"},
		{"有没有优惠，谢谢", "有优惠吗 谢谢"},
		{"退款到没到账", "退款到账吗"},
		// the 吗 form, and an A-not-A the examples ask, stay as written
		{"矫正贵吗", "矫正贵吗"},
		{"要不要预约", "要不要预约"},
		// look-alikes that ask nothing
		{"动不动就牙疼", "动不动就牙疼"},
		{"不得不去", "不得不去"},
	}
	for _, tc := range tests {
		toks := m.readANotA(scanTokens(nil, newNormText(tc.in).lower, nil))
		var words []string
		for _, tk := range toks {
			words = append(words, tk.text)
		}
		if d := cmp.Diff(tc.want, strings.Join(words, " ")); d != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, d)
		}
	}
}

// TestANotAScoresAsMa: asked A-not-A, a question scores as its 吗 form does
// (an exact example's own text scores a little higher).
func TestANotAScoresAsMa(t *testing.T) {
	m := aNotAModel(t)
	for _, pair := range [][2]string{{"矫正贵不贵", "矫正贵吗"}, {"能不能退款", "能退款吗"}} {
		got, want := m.Parse(pair[0], ParseOptions{}).Top(), m.Parse(pair[1], ParseOptions{}).Top()
		if got.Name != want.Name || math.Abs(got.Confidence-want.Confidence) > 0.02 {
			t.Errorf("%q: %v, want %v as %q", pair[0], got, want, pair[1])
		}
	}
}

// A model whose examples never ask with 吗 reads no A-not-A.
func TestReadANotAWithoutMa(t *testing.T) {
	m, err := Train(context.Background(), TrainingData{Intents: []IntentData{
		{Name: "price", Examples: []ExampleData{{Text: "矫正多少钱"}}},
		{Name: "book", Examples: []ExampleData{{Text: "我想预约"}}},
	}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	toks := m.readANotA(scanTokens(nil, newNormText("矫正贵不贵").lower, nil))
	if toks[0].text != "矫正贵不贵" {
		t.Errorf("got %q, want it as written", toks[0].text)
	}
}
