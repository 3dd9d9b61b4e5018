package policies

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// HCL's parser and evaluator recurse once per level of nesting and once per
// operator in a chain (!!!x, a ? b : c ? d : ..., 1 + 1 + ...). A file nested
// 100,000 levels deep, 200 KB of brackets, overflows the goroutine stack: a
// fatal error that no recover catches, so a hot reload of such an edit would
// take `parley serve` down. The loader therefore bounds both before it parses,
// with a byte scan that costs a fraction of the parse.
const (
	// MaxNesting bounds how deeply brackets, braces, parentheses, strings and
	// template interpolations nest. Real policies nest a handful of levels.
	MaxNesting = 100
	// MaxOperators bounds the operators in one expression, counted along its
	// nesting (the operators of the expressions around it count too). Real
	// conditions have a few dozen.
	MaxOperators = 1000
)

// ParseHCL parses one file of HCL native syntax, after CheckNesting. Everything
// that parses policy files (the loader, fmt, the diagnostics printer, knowledge
// FAQ files) goes through it.
func ParseHCL(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	if diags := CheckNesting(src, filename); diags.HasErrors() {
		return nil, diags
	}
	return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
}

// nestFrame is one open bracket, string, heredoc or interpolation.
type nestFrame struct {
	kind   byte   // '(', '[', '{', '"' (string), '<' (heredoc), '$' (interpolation)
	marker []byte // a heredoc's closing marker
	ops    int    // operators in the frame's current expression
	start  int    // byte offset of the opening
}

// CheckNesting reports a file that nests deeper than MaxNesting or has an
// expression with more than MaxOperators operators, pointing at where the limit
// is passed. It understands just enough of the syntax (strings, heredocs,
// comments, interpolations) to count correctly; anything else it leaves for the
// parser to report.
func CheckNesting(src []byte, filename string) hcl.Diagnostics {
	stack := []nestFrame{{kind: '{'}} // the file's body
	ops := 0                          // operators along the stack
	push := func(kind byte, start int) {
		stack = append(stack, nestFrame{kind: kind, start: start})
	}
	pop := func() {
		ops -= stack[len(stack)-1].ops
		stack = stack[:len(stack)-1]
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		top := &stack[len(stack)-1]
		switch top.kind {
		case '<': // heredoc
			switch {
			case (i == 0 || src[i-1] == '\n') && heredocEnds(src[i:], top.marker):
				pop()
				i = skipLine(src, i)
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == c:
				i++ // $${ and %%{ are literal
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				push('$', i)
				i++
			}
		case '"':
			switch {
			case c == '\\':
				i++ // an escape: the next byte is not special
			case c == '"', c == '\n':
				pop() // a newline ends an unterminated string; the parser reports it
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == c:
				i++
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				push('$', i)
				i++
			}
		default: // code: the body, brackets, interpolations
			switch {
			case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
				// An identifier; its dashes are not minus signs.
				for i+1 < len(src) && isIdentByte(src[i+1]) {
					i++
				}
			case c == '#', c == '/' && i+1 < len(src) && src[i+1] == '/':
				i = skipLine(src, i)
			case c == '/' && i+1 < len(src) && src[i+1] == '*':
				end := bytes.Index(src[i+2:], []byte("*/"))
				if end < 0 {
					return nil // unterminated: the rest is a comment, and the parser says so
				}
				i += 2 + end + 1
			case c == '"':
				push('"', i)
			case c == '<' && bytes.HasPrefix(src[i:], []byte("<<")):
				if marker, n := heredocStart(src[i:]); n > 0 {
					push('<', i)
					stack[len(stack)-1].marker = marker
					i += n - 1
				} else {
					top.ops++
					ops++
				}
			case c == '(' || c == '[' || c == '{':
				// A call, an index or a constructor is a level of the expression.
				top.ops++
				ops++
				push(c, i)
			case c == ')' && top.kind == '(', c == ']' && top.kind == '[', c == '}' && (top.kind == '{' || top.kind == '$'):
				if len(stack) > 1 {
					pop()
				}
			case c == ',', c == '\n' && top.kind == '{':
				// The next item of a list, call, object or body is a new expression.
				ops -= top.ops
				top.ops = 0
			case bytes.IndexByte([]byte("!-+*/%<>=&|?"), c) >= 0:
				top.ops++
				ops++
			}
		}
		if len(stack)-1 > MaxNesting {
			return nestingDiagnostic(src, filename, stack[len(stack)-1].start, "Nesting too deep",
				fmt.Sprintf("Brackets, braces, strings and ${...} nest more than %d levels deep here. Parley refuses such a file before parsing it: no policy needs that many levels, and parsing it could exhaust the stack.", MaxNesting))
		}
		if ops > MaxOperators {
			return nestingDiagnostic(src, filename, i, "Expression too long",
				fmt.Sprintf("This expression has more than %d operators, calls and brackets. Parley refuses such a file before parsing it: split the expression (into a variable, or one rule per case).", MaxOperators))
		}
	}
	return nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// skipLine returns the offset just before the newline ending the line at i, so
// the loop sees the newline next, or the last byte.
func skipLine(src []byte, i int) int {
	nl := bytes.IndexByte(src[i:], '\n')
	if nl < 0 {
		return len(src) - 1
	}
	return i + nl - 1
}

// heredocStart recognises <<MARKER or <<-MARKER followed by a newline, and
// returns the marker and the length through the newline.
func heredocStart(b []byte) ([]byte, int) {
	if len(b) < 3 || b[0] != '<' || b[1] != '<' {
		return nil, 0
	}
	i := 2
	if b[i] == '-' {
		i++
	}
	start := i
	for i < len(b) && (b[i] == '_' || b[i] == '-' || b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z' || i > start && b[i] >= '0' && b[i] <= '9') {
		i++
	}
	if i == start {
		return nil, 0
	}
	marker := b[start:i]
	if i < len(b) && b[i] == '\r' {
		i++
	}
	if i >= len(b) || b[i] != '\n' {
		return nil, 0
	}
	return marker, i + 1
}

// heredocEnds reports whether the line at the start of b is the marker alone
// (indentation allowed, as for <<-).
func heredocEnds(b, marker []byte) bool {
	line := b
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		line = b[:nl]
	}
	return bytes.Equal(bytes.TrimSpace(line), marker)
}

func nestingDiagnostic(src []byte, filename string, off int, summary, detail string) hcl.Diagnostics {
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	pos := hcl.Pos{Line: line, Column: 1 + utf8.RuneCount(src[lineStart:off]), Byte: off}
	end := pos
	end.Column++
	end.Byte++
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   detail,
		Subject:  &hcl.Range{Filename: filename, Start: pos, End: end},
	}}
}
