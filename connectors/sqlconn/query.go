package sqlconn

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// idempotencyKeyParam is the parameter that receives Request.IdempotencyKey.
const idempotencyKeyParam = "idempotency_key"

// queryShape is what scanning a query finds outside string literals, quoted
// identifiers and comments.
type queryShape struct {
	names      []string // @name parameters, in order of first use
	positional bool     // a $1-style parameter
	statements int      // statements separated by top-level semicolons
}

// scanQuery finds a query's @name parameters with the same rules pgx applies when
// it rewrites them to $n: a name starts with a letter or underscore and goes on
// with letters, digits and underscores; nothing inside '...', E'...', "...",
// $tag$...$tag$, -- and /* */ (nested) counts. It also reports $1-style
// parameters and extra statements, which a named query must not have.
func scanQuery(q string) (queryShape, error) {
	var shape queryShape
	seen := map[string]bool{}
	statementOpen := false // a token since the last top-level semicolon
	for i := 0; i < len(q); {
		c := q[i]
		next := byte(0)
		if i+1 < len(q) {
			next = q[i+1]
		}
		if !isSpace(c) && !(c == '-' && next == '-') && !(c == '/' && next == '*') && c != ';' {
			statementOpen = true
		}
		switch {
		case (c == 'e' || c == 'E') && next == '\'':
			end, ok := skipQuoted(q, i+2, '\'', true)
			if !ok {
				return shape, errors.New("a string literal is not closed")
			}
			i = end
		case c == '\'':
			end, ok := skipQuoted(q, i+1, '\'', false)
			if !ok {
				return shape, errors.New("a string literal is not closed")
			}
			i = end
		case c == '"':
			end, ok := skipQuoted(q, i+1, '"', false)
			if !ok {
				return shape, errors.New("a quoted identifier is not closed")
			}
			i = end
		case c == '-' && next == '-':
			end := strings.IndexAny(q[i:], "\r\n")
			if end < 0 {
				end = len(q) - i
			}
			i += end
		case c == '/' && next == '*':
			end, ok := skipBlockComment(q, i+2)
			if !ok {
				return shape, errors.New("a /* comment is not closed")
			}
			i = end
		case c == '$':
			if tagLen, ok := dollarTag(q[i+1:]); ok {
				tag := q[i : i+tagLen+2]
				end := strings.Index(q[i+len(tag):], tag)
				if end < 0 {
					return shape, fmt.Errorf("a %s quoted string is not closed", tag)
				}
				i += len(tag) + end + len(tag)
				continue
			}
			if next >= '0' && next <= '9' {
				shape.positional = true
			}
			i++
		case c == '@' && (isLetter(next) || next == '_'):
			j := i + 1
			for j < len(q) && (isLetter(q[j]) || isDigit(q[j]) || q[j] == '_') {
				j++
			}
			name := q[i+1 : j]
			if !seen[name] {
				seen[name] = true
				shape.names = append(shape.names, name)
			}
			i = j
		case c == ';':
			if statementOpen {
				shape.statements++
			}
			statementOpen = false
			i++
		case isIdentStart(c):
			// An identifier is one token: a $ inside it starts nothing.
			i++
			for i < len(q) && (isIdentStart(q[i]) || isDigit(q[i]) || q[i] == '$') {
				i++
			}
		default:
			i++
		}
	}
	if statementOpen {
		shape.statements++
	}
	return shape, nil
}

// skipQuoted returns the index just past the closing quote of a literal whose body
// starts at i. A doubled quote is an escaped one; backslash escapes only in E'...'.
func skipQuoted(q string, i int, quote byte, backslash bool) (int, bool) {
	for i < len(q) {
		switch q[i] {
		case '\\':
			if backslash {
				i += 2
				continue
			}
		case quote:
			if i+1 < len(q) && q[i+1] == quote {
				i += 2
				continue
			}
			return i + 1, true
		}
		i++
	}
	return len(q), false
}

// skipBlockComment returns the index just past the */ that closes a comment whose
// body starts at i; PostgreSQL's block comments nest.
func skipBlockComment(q string, i int) (int, bool) {
	depth := 0
	for i+1 < len(q) {
		switch {
		case q[i] == '/' && q[i+1] == '*':
			depth++
			i += 2
		case q[i] == '*' && q[i+1] == '/':
			if depth == 0 {
				return i + 2, true
			}
			depth--
			i += 2
		default:
			i++
		}
	}
	return len(q), false
}

// dollarTag reports the length of a dollar-quote tag starting just after a '$'
// (0 for $$), if one is there: identifier characters, no leading digit, then '$'.
func dollarTag(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '$' {
			return i, true
		}
		if !(isIdentStart(c) || i > 0 && isDigit(c)) {
			return 0, false
		}
	}
	return 0, false
}

func isLetter(c byte) bool     { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return isLetter(c) || c == '_' || c >= 0x80 }
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// positionalQuery turns the @names in q into pgx's $1..$n and returns the name
// each position takes. pgx itself does the rewriting, so the SQL sent is exactly
// what pgx.NamedArgs would send; asking it strictly for the names scanQuery found
// also proves the two scanners agree, so no parameter can silently become NULL.
func positionalQuery(q string, names []string) (string, []string, error) {
	probe := make(pgx.StrictNamedArgs, len(names))
	for i, n := range names {
		probe[n] = i
	}
	sql, args, err := probe.RewriteQuery(context.Background(), nil, q, nil)
	if err != nil {
		return "", nil, fmt.Errorf("reading the query's @parameters: %w", err)
	}
	order := make([]string, len(args))
	for pos, a := range args {
		i, ok := a.(int)
		if !ok || i < 0 || i >= len(names) {
			return "", nil, errors.New("reading the query's @parameters: pgx and Parley disagree about them")
		}
		order[pos] = names[i]
	}
	return sql, order, nil
}
