package nlu

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"
)

// BenchmarkTrainCLINC150 trains on CLINC150's 15,000 in-scope training
// examples and its 100 out-of-scope ones. Run it with GOMAXPROCS=1: the
// figure is meant for one core, and with more the two ensemble members train
// concurrently.
func BenchmarkTrainCLINC150(b *testing.B) {
	c := readCLINC150(b)
	td := trainingDataFrom(append(slices.Clone(c["train"]), c["oos_train"]...))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(context.Background(), td, benchOptions(b)); err != nil {
			b.Fatal(err)
		}
	}
}

// benchOptions are the defaults, or with NLU_BENCHCASE the tuning case of
// that name (tuneCases), to measure a variant's cost.
func benchOptions(b *testing.B) Options {
	name := os.Getenv("NLU_BENCHCASE")
	if name == "" {
		return Options{}
	}
	for _, tc := range tuneCases() {
		if tc.name == name {
			hp := tc.hyperparams(botSized + 1)
			return Options{tune: &hp}
		}
	}
	b.Fatalf("NLU_BENCHCASE=%s: no such case", name)
	return Options{}
}

// BenchmarkParseLatencyCLINC150 and BenchmarkParseLatencyBanking77 parse
// each test message in turn and report the median and 99th percentile time
// of one message, the figures a customer waits for.
func BenchmarkParseLatencyCLINC150(b *testing.B) {
	c := readCLINC150(b)
	m, err := Train(context.Background(), trainingDataFrom(append(slices.Clone(c["train"]), c["oos_train"]...)), benchOptions(b))
	if err != nil {
		b.Fatal(err)
	}
	benchParseLatency(b, m, append(slices.Clone(c["test"]), c["oos_test"]...))
}

func BenchmarkParseLatencyBanking77(b *testing.B) {
	m, err := Train(context.Background(), trainingDataFrom(readBanking77(b, "train.csv")), benchOptions(b))
	if err != nil {
		b.Fatal(err)
	}
	benchParseLatency(b, m, readBanking77(b, "test.csv"))
}

func benchParseLatency(b *testing.B, m *Model, messages []LabeledText) {
	opts := ParseOptions{Now: trainingNow}
	var took []time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		start := time.Now()
		m.Parse(messages[i%len(messages)].Text, opts)
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(percentile(took, 0.50))/1e3, "p50-µs")
	b.ReportMetric(float64(percentile(took, 0.99))/1e3, "p99-µs")
}

func BenchmarkTrainBanking77(b *testing.B) {
	td := trainingDataFrom(readBanking77(b, "train.csv"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(context.Background(), td, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	m, err := Train(context.Background(), shopData(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	opts := ParseOptions{Now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	for b.Loop() {
		m.Parse("Hi, I want a refund for order AB123456, my headphones arrived broken", opts)
	}
}

func BenchmarkParseChinese(b *testing.B) {
	m, err := Train(context.Background(), shopData(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	opts := ParseOptions{Now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	for b.Loop() {
		m.Parse("你好，订单AB123456的耳机坏了，我要退款", opts)
	}
}

func BenchmarkTrainShop(b *testing.B) {
	td := shopData()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(context.Background(), td, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainZhDomains and BenchmarkParseLatencyZhDomains train the
// large-data model on the Chinese multi-domain set's training and
// validation parts (992 messages) and parse its validation part: the cost of
// the Chinese features (NLU_BENCHCASE=nocjkwords for the model without
// character words).
func BenchmarkTrainZhDomains(b *testing.B) {
	td := trainingDataFrom(append(readZhDomains(b, "train"), readZhDomains(b, "val")...))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(context.Background(), td, benchOptions(b)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseLatencyZhDomains(b *testing.B) {
	m, err := Train(context.Background(), trainingDataFrom(append(readZhDomains(b, "train"), readZhDomains(b, "val")...)), benchOptions(b))
	if err != nil {
		b.Fatal(err)
	}
	benchParseLatency(b, m, readZhDomains(b, "val"))
}
