package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxParseRunes bounds the work done on one message: classification, entity
// extraction and sentiment look only at the first MaxParseRunes runes, so a
// pasted 10 MB log costs the same as a long paragraph. Result.Text keeps the
// whole message.
const MaxParseRunes = 2000

// normText is a message prepared for matching. norm is NFKC (full-width forms
// folded, "’" read as "'"), lower is norm lowercased with the same byte layout,
// and offs maps every byte of norm back to a byte offset of the original text,
// so entities can report positions in the text the customer wrote.
type normText struct {
	orig  string
	norm  string
	lower string
	offs  []int // len(norm)+1 entries
}

// origSpan converts a [start, end) span of norm into the original text.
func (t *normText) origSpan(start, end int) (int, int) {
	return t.offs[start], t.offs[end]
}

// truncateRunes returns the prefix of s holding at most n runes.
func truncateRunes(s string, n int) string {
	if len(s) <= n { // fewer bytes than n means fewer runes than n
		return s
	}
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}

func newNormText(orig string) *normText {
	t := &normText{orig: orig}
	var nb, lb strings.Builder
	nb.Grow(len(orig))
	lb.Grow(len(orig))
	offs := make([]int, 0, len(orig)+1)
	var seg [32]byte
	for i := 0; i < len(orig); {
		r, size := utf8.DecodeRuneInString(orig[i:])
		switch {
		case r < utf8.RuneSelf:
			nb.WriteByte(byte(r))
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			lb.WriteByte(byte(r))
			offs = append(offs, i)
		case r == utf8.RuneError && size == 1:
			// Invalid UTF-8 reads as a space: it separates words and matches nothing.
			nb.WriteByte(' ')
			lb.WriteByte(' ')
			offs = append(offs, i)
		default:
			out := foldRune(seg[:0], r, orig[i:i+size])
			for j := 0; j < len(out); {
				nr, ns := utf8.DecodeRune(out[j:])
				nb.Write(out[j : j+ns])
				lr := unicode.ToLower(nr)
				if utf8.RuneLen(lr) == ns {
					lb.WriteRune(lr)
				} else {
					lb.Write(out[j : j+ns])
				}
				for k := 0; k < ns; k++ {
					offs = append(offs, i)
				}
				j += ns
			}
		}
		i += size
	}
	offs = append(offs, len(orig))
	t.norm, t.lower, t.offs = nb.String(), lb.String(), offs
	return t
}

// foldRune normalizes one non-ASCII rune. Normalizing rune by rune (rather than
// the whole string) keeps the offset map simple; it only misses recomposing
// separate combining marks, which customer messages rarely contain.
func foldRune(dst []byte, r rune, raw string) []byte {
	switch {
	case r == '\u2018' || r == '\u2019' || r == '\u02bc':
		return append(dst, '\'')
	case r == '\u201c' || r == '\u201d':
		return append(dst, '"')
	case r == '\u3000':
		return append(dst, ' ')
	case r == '\uFFE5':
		return append(dst, "¥"...)
	}
	out := norm.NFKC.AppendString(dst, raw)
	if len(out) == 0 {
		return append(dst, raw...)
	}
	return out
}

// isCJK reports whether r belongs to a script written without spaces.
func isCJK(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// isWordRune reports whether r belongs in a Latin-style word token.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) && !isCJK(r)
}

func isAlnumByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

// tokenKind tells the feature extractor how to expand a token.
type tokenKind uint8

const (
	tokWord        tokenKind = iota // a Latin-script word
	tokCJK                          // a run of CJK characters
	tokPlaceholder                  // an entity span, replaced by its type
)

type token struct {
	kind       tokenKind
	text       string // lower-case word, CJK run, or entity type
	start, end int    // byte span in normText.lower
	// clause: punctuation that ends a clause (clauseBreaks) stands between
	// this token and the one before, where a negation's scope ends.
	clause bool
}

// clauseBreaks end a clause: punctuation, and the line breaks and dashes
// chat messages end sentences with ("it hasn't arrived\ncan I get a refund").
const clauseBreaks = ".,;:!?\n—–"

// scanTokens splits lower into words and CJK runs, skipping the spans in skip
// (sorted, non-overlapping) and emitting a placeholder for each instead.
func scanTokens(dst []token, lower string, skip []span) []token {
	si := 0
	first := len(dst)
	for i := 0; i < len(lower); {
		if si < len(skip) && i >= skip[si].start {
			dst = append(dst, token{kind: tokPlaceholder, text: skip[si].typ, start: skip[si].start, end: skip[si].end})
			if skip[si].end > i {
				i = skip[si].end
			}
			si++
			continue
		}
		limit := len(lower)
		if si < len(skip) {
			limit = skip[si].start
		}
		r, size := utf8.DecodeRuneInString(lower[i:])
		switch {
		case isCJK(r):
			j := i + size
			for j < limit {
				r2, s2 := utf8.DecodeRuneInString(lower[j:])
				if !isCJK(r2) {
					break
				}
				j += s2
			}
			dst = append(dst, token{kind: tokCJK, text: lower[i:j], start: i, end: j})
			i = j
		case isWordRune(r):
			j := i + size
			for j < limit {
				r2, s2 := utf8.DecodeRuneInString(lower[j:])
				if isWordRune(r2) {
					j += s2
					continue
				}
				// Keep apostrophes inside words: "what's", "don't".
				if r2 == '\'' && j+1 < limit {
					r3, _ := utf8.DecodeRuneInString(lower[j+1:])
					if isWordRune(r3) {
						j += s2
						continue
					}
				}
				break
			}
			dst = append(dst, token{kind: tokWord, text: lower[i:j], start: i, end: j})
			i = j
		default:
			i += size
		}
	}
	for ; si < len(skip); si++ {
		dst = append(dst, token{kind: tokPlaceholder, text: skip[si].typ, start: skip[si].start, end: skip[si].end})
	}
	for k := first + 1; k < len(dst); k++ {
		if a, b := dst[k-1].end, dst[k].start; a < b && strings.ContainsAny(lower[a:b], clauseBreaks) {
			dst[k].clause = true
		}
	}
	return dst
}

// span is an entity's place in normText coordinates.
type span struct {
	start, end int
	typ        string
}

// Tokenize splits text into lower-case, NFKC-normalized tokens: words for
// Latin scripts (digits kept, inner apostrophes kept: "what's") and, for CJK
// runs, each character followed by the bigram it starts ("退款" gives "退",
// "退款", "款").
func Tokenize(text string) []string {
	t := newNormText(truncateRunes(text, MaxParseRunes))
	toks := scanTokens(nil, t.lower, nil)
	var out []string
	for _, tk := range toks {
		if tk.kind != tokCJK {
			out = append(out, tk.text)
			continue
		}
		s := tk.text
		for i := 0; i < len(s); {
			_, n1 := utf8.DecodeRuneInString(s[i:])
			out = append(out, s[i:i+n1])
			if i+n1 < len(s) {
				_, n2 := utf8.DecodeRuneInString(s[i+n1:])
				out = append(out, s[i:i+n1+n2])
			}
			i += n1
		}
	}
	return out
}

// languageOutside detects the language from the text around ID-like entities
// (order numbers, phones, emails, amounts, dates) and one-word Latin values of
// list entities (isList), so "AB123456", "13812345678", "from Dec 14 to Dec
// 16" or "iPhone" alone says nothing ("") and a conversation keeps the
// language it had: a Chinese customer writes product names, "SUV" and "VIP"
// in Latin letters too ("我要买iPhone"). Other entities that are words ("算了",
// "arrived broken") still count.
func languageOutside(text string, ents []Entity, isList func(entity string) bool) string {
	var b strings.Builder
	last := 0
	for _, e := range ents {
		if e.Start < last || e.End > len(text) || !strings.ContainsAny(e.Text, "0123456789@") && !(isList(e.Type) && latinName(e.Text)) {
			continue
		}
		b.WriteString(text[last:e.Start])
		b.WriteByte(' ')
		last = e.End
	}
	b.WriteString(text[min(last, len(text)):])
	rest := truncateRunes(withoutCodes(b.String()), MaxParseRunes)
	if onlyOK(rest) {
		return ""
	}
	for _, r := range rest {
		if isCJK(r) || unicode.IsLetter(r) {
			return DetectLanguage(rest)
		}
	}
	return ""
}

// onlyOK reports whether text says nothing but "ok" (or "okay"), which
// Chinese customers type as often as English ones: "OK" to "是否提交预约？"
// keeps the conversation in Chinese, as a button press does.
func onlyOK(text string) bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		if w != "ok" && w != "okay" && w != "okk" {
			return false
		}
	}
	return len(words) > 0
}

// latinName reports whether text is one word in Latin letters: "iPhone",
// "SUV", a name that Chinese writes as it is.
func latinName(text string) bool {
	return text != "" && strings.IndexFunc(text, func(r rune) bool { return isCJK(r) || unicode.IsSpace(r) }) < 0
}

// withoutCodes drops the words of text that mix Latin letters with digits,
// codes no entity took ("AP123", a mistyped number): they are in no
// language, so a Chinese customer's "AP123" is not English.
func withoutCodes(text string) string {
	words := strings.Fields(text)
	kept := words[:0]
	for _, w := range words {
		code := strings.ContainsAny(w, "0123456789") && strings.IndexFunc(w, isCJK) < 0
		if !code {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// DetectLanguage returns "zh" when the text is mostly CJK, else "en". A CJK
// character carries about as much as a short word, so each counts three
// Latin letters.
func DetectLanguage(text string) string {
	text = truncateRunes(text, MaxParseRunes)
	cjk, latin := 0, 0
	for _, r := range text {
		switch {
		case isCJK(r):
			cjk++
		case unicode.IsLetter(r):
			latin++
		}
	}
	if cjk > 0 && cjk*3 >= latin {
		return "zh"
	}
	return "en"
}
