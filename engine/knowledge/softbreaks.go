package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unwrapSoftBreaks joins the lines of a Markdown paragraph that an editor
// wrapped, as a Markdown renderer would: a chat shows the chunk's text as it
// is, and a sentence broken mid-line reads as two. What Markdown keeps on its
// own line stays there: list items, table rows, quotes, indented code, a
// fenced block, and a hard break (two spaces or a backslash at the end of a
// line). Chinese lines join without a space.
func unwrapSoftBreaks(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	lines := strings.Split(text, "\n")
	var b strings.Builder
	b.Grow(len(text))
	b.WriteString(lines[0])
	// A fence may open after a line of text (CommonMark lets it interrupt a
	// paragraph), and the code inside keeps its lines whatever they hold.
	fence := openFence("", lines[0])
	for i := 1; i < len(lines); i++ {
		prev, next := lines[i-1], lines[i]
		inCode := fence != ""
		fence = openFence(fence, next)
		if inCode || !softBreak(prev, next) {
			b.WriteString("\n")
			b.WriteString(next)
			continue
		}
		next = strings.TrimLeft(next, " \t")
		if joinsWithoutSpace(prev, next) {
			b.WriteString(next)
		} else {
			b.WriteString(" ")
			b.WriteString(next)
		}
	}
	return b.String()
}

// openFence is the fence open after line, given the one open before it.
func openFence(open, line string) string {
	switch f := fenceMarker(line); {
	case f == "":
		return open
	case open == "":
		return f
	case strings.HasPrefix(strings.TrimSpace(line), open):
		return ""
	}
	return open
}

// softBreak says whether the line break between prev and next is only an
// editor's wrap.
func softBreak(prev, next string) bool {
	if strings.HasSuffix(prev, "  ") || strings.HasSuffix(prev, "\\") {
		return false // a hard break
	}
	t := strings.TrimSpace(next)
	if t == "" || isListItem(next) || fenceMarker(next) != "" || fenceMarker(prev) != "" {
		return false
	}
	for _, own := range []string{"|", ">"} {
		if strings.HasPrefix(t, own) || strings.HasPrefix(strings.TrimSpace(prev), own) {
			return false // tables and quotes keep their lines
		}
	}
	// Four spaces start indented code, unless the line goes on a list item.
	if strings.HasPrefix(next, "    ") || strings.HasPrefix(next, "\t") {
		return isListItem(prev) || strings.HasPrefix(prev, " ")
	}
	return true
}

func joinsWithoutSpace(prev, next string) bool {
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(prev, " \t"))
	first, _ := utf8.DecodeRuneInString(next)
	return isWide(last) && isWide(first)
}

// isWide: Chinese and Japanese characters and their punctuation, which are
// written without spaces between them.
func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}
