package nlu

import "strings"

// negatesScope reports whether an English word negates the words after it
// ("not", "never", "didn't", "cant"): see featureSet.negation.
func negatesScope(w string) bool {
	switch w {
	case "not", "no", "never", "without", "cannot", "nor", "cant", "dont", "didnt", "doesnt", "isnt", "wasnt",
		"arent", "werent", "havent", "hasnt", "hadnt", "wont", "wouldnt", "couldnt", "shouldnt":
		return true
	}
	return strings.HasSuffix(w, "n't")
}

// lightStem strips English inflections and a few derivational endings, so
// "charged", "charges", "charging" and "charge" share one form ("charg"), as
// Porter's step 1 and a final-e rule do. Words of other scripts, with digits,
// or shorter than four letters are returned as they are.
func lightStem(w string) string {
	if len(w) < 4 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return w
		}
	}
	switch {
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ies"):
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "s"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "eed"):
		if measure(w[:len(w)-3]) > 0 {
			w = w[:len(w)-1]
		}
	case strings.HasSuffix(w, "ed") && hasVowel(w[:len(w)-2]) && len(w) > 4:
		w = undouble(w[:len(w)-2])
	case strings.HasSuffix(w, "ing") && hasVowel(w[:len(w)-3]) && len(w) > 5:
		w = undouble(w[:len(w)-3])
	}
	switch {
	case strings.HasSuffix(w, "ation") && len(w) > 7:
		w = w[:len(w)-3]
	case strings.HasSuffix(w, "al") && len(w) > 6 && !keepsAl[w]:
		w = w[:len(w)-2]
	}
	switch {
	case strings.HasSuffix(w, "e") && len(w) > 4:
		w = w[:len(w)-1]
	case strings.HasSuffix(w, "y") && len(w) > 3 && hasVowel(w[:len(w)-1]):
		w = w[:len(w)-1] + "i"
	case strings.HasSuffix(w, "ll") && measure(w[:len(w)-1]) > 1:
		w = w[:len(w)-1] // "cancelled" as "canceled", but "called" stays "call"
	}
	return w
}

// keepsAl lists the -al words that, stripped, would read as another word
// with another meaning: "personal" is no "person", "partial" no "party",
// "several" no "severe". Checked in the vocabularies of Banking77, CLINC150
// and the example bots; "arrival" and "arrive", "refusal" and "refuse" still
// share a form.
var keepsAl = map[string]bool{
	"personal": true, "original": true, "partial": true, "several": true, "special": true,
	"memorial": true, "factorial": true, "universal": true, "digital": true, "critical": true,
	"internal": true, "informal": true, "virtual": true, "literal": true, "mineral": true, "rational": true,
}

func hasVowel(s string) bool { return strings.ContainsAny(s, "aeiouy") }

// measure is Porter's m of s, the number of vowel-consonant sequences in it:
// 0 for "n" (of "need") and "tr", 1 for "agr" and "call", 2 for "cancel".
func measure(s string) int {
	m, prevVowel := 0, false
	for i := 0; i < len(s); i++ {
		vowel := strings.IndexByte("aeiou", s[i]) >= 0 || s[i] == 'y' && i > 0 && !prevVowel
		if prevVowel && !vowel {
			m++
		}
		prevVowel = vowel
	}
	return m
}

// undouble drops one of two equal final consonants ("stopp" from "stopped"),
// but not of l, s or z ("fill", "pass", "buzz").
func undouble(s string) string {
	n := len(s)
	if n >= 2 && s[n-1] == s[n-2] && !strings.ContainsRune("aeioulsz", rune(s[n-1])) {
		return s[:n-1]
	}
	return s
}
