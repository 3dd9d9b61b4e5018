package nlu

import "testing"

func TestEchoesQuestion(t *testing.T) {
	tests := []struct {
		question, word string
		want           bool
	}{
		{"When did you buy it?", "bought", true},
		{"When did you purchase it?", "purchased", true},
		{"When was it delivered?", "delivered", true},
		{"How much did you pay?", "paid", true},
		{"What's the serial number?", "serial", true},
		{"请问是什么时候购买的？", "购买", true},
		{"When did you buy it?", "it", false},      // a small word is no echo
		{"When did you buy it?", "replace", false}, // a word the question did not use
		{"请问是什么时候购买的？", "购", false},                // one character is too little
		{"请问是什么时候购买的？", "换货", false},
		{"", "bought", false},
	}
	for _, tt := range tests {
		if got := EchoesQuestion(tt.question, tt.word); got != tt.want {
			t.Errorf("EchoesQuestion(%q, %q) = %v, want %v", tt.question, tt.word, got, tt.want)
		}
	}
}
