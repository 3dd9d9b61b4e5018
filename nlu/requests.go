package nlu

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Part is one piece of a message that may ask for more than one thing:
// "Where is my order AB123456? Also, can I change the delivery address?".
// Whether it is a request of its own is the dialog's call (it knows the
// bot's thresholds and what each intent does); the NLU only cuts the message
// where a second request could start and ranks each piece alone.
type Part struct {
	Start, End int // byte offsets into Result.Text
	// Top is the piece's best intent read alone; zero when none.
	Top IntentScore
	// Also: the piece opens with a word that adds a request ("also", "by
	// the way", "另外", "还有", "顺便").
	Also bool
	// Question: the piece is worded as a question (LooksLikeQuestion).
	Question bool
}

// maxParts bounds the pieces a message is ranked in: each costs a parse.
const maxParts = 4

// parts ranks the pieces of a message that requestParts cuts, or is nil
// for a message of one piece, or one where no piece after the first could
// be a request of its own (none opens with "also" or asks a question): "I
// ordered a card but it has not arrived. Help please!" is one request, and
// ranking its pieces would only cost time.
func (m *Model) parts(sc *scratch, text string, now time.Time) []Part {
	sc.pieces = appendRequestParts(sc.pieces[:0], text)
	spans := sc.pieces
	if len(spans) < 2 || len(spans) > maxParts {
		return nil
	}
	out := make([]Part, len(spans))
	another := false
	for i, s := range spans {
		out[i] = Part{Start: s.start, End: s.end, Also: s.also, Question: LooksLikeQuestion(text[s.start:s.end])}
		another = another || i > 0 && (out[i].Also || out[i].Question)
	}
	if !another {
		return nil
	}
	for i, s := range spans {
		// Ranked without the word that adds it: "also" and 另外 are in no
		// intent's examples, and would only lower its confidence.
		if ranked := m.intentsOf(sc, text[s.body:s.end], now); len(ranked) > 0 {
			out[i].Top = ranked[0]
		}
	}
	return out
}

type partSpan struct {
	start, end int
	body       int // where the piece goes on after the word that adds it
	also       bool
}

// appendRequestParts appends to spans (reusing its array) the pieces of
// text where a second request could start: after the end of a sentence (?
// ! 。？！; and line breaks, and a full stop before a space after no
// abbreviation or initial, so "Mr. Li" and "3.5" stay whole) and before a
// word that adds a request at the start of a clause (after a comma, or
// anywhere for "by the way" and "顺便"). Pieces with no letter or Han
// character (a bare order number, "?!") join the piece before them. A text
// of one piece gives one span; an empty one none.
func appendRequestParts(spans []partSpan, text string) []partSpan {
	if len(text) > 1000 {
		return spans
	}
	start, body, also := 0, 0, false
	cut := func(end, next int, nextAlso bool) {
		if s, e := trimPart(text, start, end); e > s {
			if hasWord(text[s:e]) || len(spans) == 0 {
				b, _ := trimPart(text, max(body, s), e)
				spans = append(spans, partSpan{start: s, end: e, body: b, also: also})
			} else {
				spans[len(spans)-1].end = e
			}
		}
		start, body, also = next, next, nextAlso
	}
	clauseStart := true // at the text's start, or after a comma
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if clauseStart || isSpaceBefore(text, i) || isCJK(r) {
			if n, adds := alsoWordAt(text[i:], clauseStart); n > 0 {
				if hasWord(text[start:i]) {
					cut(i, i, adds)
				} else {
					also = also || adds
				}
				i += n
				body = i
				clauseStart = false
				continue
			}
		}
		switch {
		case endsSentence(text, i, r, size):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !strings.ContainsRune("?!.。？！;；\n", r2) {
					break
				}
				j += s2
			}
			cut(j, j, false)
			i = j
			clauseStart = true
			continue
		case r == ',' || r == '，' || r == '、':
			clauseStart = true
		case !unicode.IsSpace(r):
			clauseStart = false
		}
		i += size
	}
	cut(len(text), len(text), false)
	return spans
}

// endsSentence reports whether the rune r at i ends a sentence.
func endsSentence(text string, i int, r rune, size int) bool {
	switch r {
	case '?', '!', '？', '！', '。', ';', '；', '\n':
		return true
	case '.':
		next := firstRune(text[i+size:])
		if next != 0 && !unicode.IsSpace(next) && !isCJK(next) {
			return false // "3.5", "e.g", "parley.io"
		}
		w := lastWord(text[:i])
		return utf8.RuneCountInString(w) != 1 && !abbreviations[strings.ToLower(w)]
	}
	return false
}

// abbreviations end with a full stop that ends no sentence. A single letter
// (an initial, the "g" of "e.g.") ends none either.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true, "no": true, "vs": true,
	"co": true, "ltd": true, "inc": true, "mt": true, "etc": true, "approx": true, "incl": true, "ref": true,
	"apt": true, "ave": true, "dept": true, "tel": true, "fig": true, "am": true, "pm": true,
}

// lastWord is the run of letters and digits at the end of s.
func lastWord(s string) string {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || isCJK(r) {
			break
		}
		i -= size
	}
	return s[i:]
}

// alsoWords open a clause that adds a request. The ones marked anywhere
// need no comma before them.
var alsoWords = []struct {
	text     string
	anywhere bool
}{
	{"and also", true}, {"by the way", true}, {"btw", true}, {"one more thing", true}, {"oh and", false},
	{"also", false}, {"plus", false}, {"additionally", false}, {"and", false},
	{"顺便", true}, {"另外", false}, {"还有", false}, {"此外", false}, {"再就是", false}, {"然后", false},
}

// alsoWordAt reports the length of the word at the start of s that opens
// a clause another request may be in (0: none), and whether it adds a
// request. "And" alone only cuts: "I bought a lamp, and it broke".
func alsoWordAt(s string, clauseStart bool) (n int, adds bool) {
	for _, w := range alsoWords {
		if !clauseStart && !w.anywhere {
			continue
		}
		if len(s) < len(w.text) || !strings.EqualFold(s[:len(w.text)], w.text) {
			continue
		}
		if isCJK(firstRune(w.text)) {
			return len(w.text), true
		}
		next := firstRune(s[len(w.text):])
		if next != 0 && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
			continue // "plusieurs", "andrew"
		}
		return len(w.text), w.text != "and"
	}
	return 0, false
}

// isSpaceBefore reports whether the byte at i follows a space.
func isSpaceBefore(text string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsSpace(r)
}

// trimPart is [start, end) without the spaces and commas at its edges.
func trimPart(text string, start, end int) (int, int) {
	for start < end {
		r, size := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) && r != ',' && r != '，' {
			break
		}
		start += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) && r != ',' && r != '，' {
			break
		}
		end -= size
	}
	return start, end
}

// hasWord reports whether s holds a word: a Han character, or two letters
// or more with no digit among them ("AB123456" is a value, not a word).
func hasWord(s string) bool {
	letters, digits := 0, false
	for _, r := range s + " " {
		switch {
		case isCJK(r):
			return true
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits = true
		default:
			if letters >= 2 && !digits {
				return true
			}
			letters, digits = 0, false
		}
	}
	return false
}
