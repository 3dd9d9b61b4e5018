package embed

import (
	"strings"
	"unicode/utf8"
)

// englishStopwords are words that carry no topic in a customer question.
// Question words (how, when, where, why) stay: "how long" and "how much" ask
// different things, and IDF already discounts them.
var englishStopwords = setOf(
	"a", "an", "the", "and", "or", "but", "if", "so", "than", "then",
	"i", "im", "ive", "id", "me", "my", "mine", "myself", "we", "us", "our", "ours",
	"you", "your", "yours", "youre", "he", "him", "his", "she", "her", "it", "its", "they", "them", "their",
	"this", "that", "these", "those", "there", "here",
	"is", "am", "are", "was", "were", "be", "been", "being",
	"do", "does", "did", "doing", "have", "has", "had", "having",
	"can", "could", "would", "should", "will", "shall", "may", "might", "must",
	"to", "of", "in", "on", "at", "by", "for", "from", "with", "about", "into", "as",
	"please", "pls", "plz", "hi", "hello", "hey", "thanks", "thank", "thx",
	"just", "also", "very", "really", "some", "any", "get", "got",
	"what", "whats", "which", "who", "whom",
)

// chineseStopwords are function words and politeness that carry no topic.
// Longer entries come first in the matcher, so "可以" is removed whole.
var chineseStopwords = []string{
	"请问", "你好", "您好", "可以", "能否", "一下", "我们", "你们", "您们", "他们", "这个", "那个", "什么", "怎么", "怎样", "如何", "是否", "是不是", "有没有", "吗", "呢", "吧", "啊", "呀", "哦", "嘛",
	"的", "了", "着", "过", "地", "得", "我", "你", "您", "他", "她", "它", "是", "在", "和", "与", "或", "也", "都", "就", "还", "想", "会", "把", "被", "给", "让", "这", "那", "个", "请",
}

var chineseStopwordSet = setOf(chineseStopwords...)

// maxChineseStopwordRunes bounds the lookahead of chineseStopwordAt.
const maxChineseStopwordRunes = 3

// chineseStopwordAt returns the byte length of the longest Chinese stopword
// at the start of s, or 0.
func chineseStopwordAt(s string) int {
	end := 0
	ends := [maxChineseStopwordRunes]int{}
	for k := 0; k < maxChineseStopwordRunes && end < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		ends[k] = end
	}
	for k := maxChineseStopwordRunes - 1; k >= 0; k-- {
		if ends[k] > 0 && chineseStopwordSet[s[:ends[k]]] {
			return ends[k]
		}
	}
	return 0
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// stemEnglish strips common inflections (plurals, -ing, -ed, -ly) so that
// "returns", "returned" and "returning" meet "return". It is deliberately
// light: over-stemming merges words a FAQ needs apart, and the character
// n-grams already cover what it misses.
func stemEnglish(w string) string {
	if len(w) <= 3 || !isASCIIWord(w) {
		return w
	}
	if exc, ok := stemExceptions[w]; ok {
		return exc
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ing") && len(w) > 5:
		return undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ed") && len(w) > 4:
		return undouble(w[:len(w)-2])
	case strings.HasSuffix(w, "ly") && len(w) > 5:
		return w[:len(w)-2]
	case strings.HasSuffix(w, "es") && len(w) > 4 && hasSibilantBefore(w[:len(w)-2]):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// stemExceptions are frequent shop words the suffix rules get wrong.
var stemExceptions = map[string]string{
	"shipping": "ship", "shipped": "ship", "ships": "ship",
	"delivery": "deliver", "deliveries": "deliver", "delivered": "deliver", "delivering": "deliver", "delivers": "deliver",
	"goods": "good", "news": "news", "status": "status", "address": "address", "addresses": "address",
	"express": "express", "business": "business", "process": "process", "invoices": "invoice",
	"charged": "charge", "charges": "charge", "charging": "charge",
	"refunded": "refund", "returned": "return", "received": "receive", "receiving": "receive",
	"used": "use", "using": "use", "taking": "take", "makes": "make", "making": "make",
	"changed": "change", "changing": "change", "damaged": "damage", "cancelled": "cancel", "canceled": "cancel",
}

func undouble(w string) string {
	n := len(w)
	if n >= 3 && w[n-1] == w[n-2] && !strings.ContainsRune("lsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

func hasSibilantBefore(w string) bool {
	return strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x") || strings.HasSuffix(w, "z") ||
		strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh")
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
