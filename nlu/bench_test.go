package nlu

import (
	"context"
	"testing"
	"time"
)

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
