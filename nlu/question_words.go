package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// EchoesQuestion reports whether word, a word of a customer's answer
// (lower-cased), repeats a word of the question the bot asked: "bought" in
// "I bought it on 1 June" to "When did you buy it?", "delivered" to "When
// was it delivered?", 购买 in "6月1日购买的" to "请问是什么时候购买的？". Such a
// word frames the answer rather than asking for something else. Small words
// never count, and a Chinese word counts from two characters.
func EchoesQuestion(question, word string) bool {
	if word == "" || enSmallWords[word] {
		return false
	}
	question = strings.ToLower(question)
	if r, _ := utf8.DecodeRuneInString(word); unicode.Is(unicode.Han, r) {
		return utf8.RuneCountInString(word) >= 2 && strings.Contains(question, word)
	}
	for _, qw := range enWords(question) {
		if enSmallWords[qw] || len(qw) < 3 {
			continue
		}
		if sameStem(word, qw) || pastForms[word] == qw {
			return true
		}
	}
	return false
}

// pastForms maps the past forms of common verbs of customer service that
// sameStem does not see to the verb, as a question asks with it: "When did
// you buy it?" "I bought it".
var pastForms = map[string]string{
	"bought": "buy", "paid": "pay", "sent": "send", "got": "get", "gotten": "get",
	"gave": "give", "given": "give", "took": "take", "taken": "take", "broke": "break",
	"broken": "break", "brought": "bring", "made": "make", "lost": "lose", "found": "find",
	"left": "leave", "told": "tell", "said": "say", "had": "have", "did": "do",
	"came": "come", "went": "go", "gone": "go", "saw": "see", "seen": "see",
	"began": "begin", "begun": "begin", "spent": "spend", "sold": "sell", "fell": "fall",
	"fallen": "fall", "dropped": "drop", "stopped": "stop", "shipped": "ship",
}
