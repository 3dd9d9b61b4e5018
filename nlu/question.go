package nlu

import (
	"strings"
	"unicode"
)

// LooksLikeQuestion reports whether a message is plainly worded as a question:
// a question mark, an English question word or auxiliary at its start, or a
// Chinese question word or particle.
func LooksLikeQuestion(text string) bool {
	t := strings.TrimSpace(strings.ToLower(text))
	if t == "" {
		return false
	}
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") {
		return true
	}
	for _, w := range []string{"吗", "什么", "怎么", "怎样", "哪", "为什么", "是否", "能不能", "可不可以", "有没有", "多少", "多久", "谁", "几点", "几天"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	if strings.HasSuffix(t, "呢") {
		return true
	}
	words := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	if len(words) == 0 {
		return false
	}
	switch words[0] {
	case "what", "what's", "where", "where's", "when", "when's", "who", "who's", "whom", "whose", "why", "how", "how's", "which":
		return true
	case "is", "are", "do", "does", "did", "can", "could", "will", "would", "should", "may", "have", "has":
		// "do it" is not a question; "do you ship abroad" is.
		if len(words) >= 3 {
			switch words[1] {
			case "you", "i", "we", "it", "they", "he", "she", "my", "your", "this", "that", "there", "the", "a", "an", "someone", "anyone":
				return true
			}
		}
	}
	return false
}
