package policies

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format returns src in canonical form: hclwrite's layout (indentation, aligned
// equals signs, spacing), LF line endings, no trailing whitespace, no blank lines
// at the start, at most one blank line in a row, and exactly one final newline.
// Heredoc contents are left exactly as written (apart from line endings), since
// whitespace there is part of the text. Format is idempotent. Use FormatFile for
// files that may contain syntax errors.
func Format(src []byte) []byte {
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	out := spaceDirectives(hclwrite.Format(src))
	protected := heredocLines(out)

	lines := strings.Split(string(out), "\n")
	var b strings.Builder
	b.Grow(len(out))
	blankRun := 0
	wrote := false
	for i, line := range lines {
		if protected[i+1] {
			b.WriteString(line)
			b.WriteByte('\n')
			blankRun, wrote = 0, true
			continue
		}
		line = strings.TrimRight(line, " \t\r\f\v")
		if line == "" {
			blankRun++
			continue
		}
		if wrote && blankRun > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
		b.WriteByte('\n')
		blankRun, wrote = 0, true
	}
	return []byte(b.String())
}

// spaceDirectives writes template directives the way the docs and Terraform's
// own documentation do, with one space inside the markers: "%{ if x }" and
// "%{ endif }". hclwrite squeezes them to "%{if x}", which reads worse and made
// fmt disagree with every example in the docs. Heredocs are left alone: their
// text is kept exactly as written.
func spaceDirectives(src []byte) []byte {
	tokens, diags := hclsyntax.LexConfig(src, "", hcl.InitialPos)
	if diags.HasErrors() {
		return src
	}
	type edit struct {
		from, to int // bytes of src replaced by one space
	}
	var edits []edit
	var stack []hclsyntax.TokenType // open template sequences: interpolations and directives
	heredoc := 0
	for i, tok := range tokens {
		switch tok.Type {
		case hclsyntax.TokenOHeredoc:
			heredoc++
		case hclsyntax.TokenCHeredoc:
			heredoc--
		case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			stack = append(stack, tok.Type)
			if tok.Type == hclsyntax.TokenTemplateControl && heredoc == 0 && i+1 < len(tokens) {
				edits = append(edits, edit{tok.Range.End.Byte, tokens[i+1].Range.Start.Byte})
			}
		case hclsyntax.TokenTemplateSeqEnd:
			if n := len(stack); n > 0 {
				if stack[n-1] == hclsyntax.TokenTemplateControl && heredoc == 0 && i > 0 {
					edits = append(edits, edit{tokens[i-1].Range.End.Byte, tok.Range.Start.Byte})
				}
				stack = stack[:n-1]
			}
		}
	}
	if len(edits) == 0 {
		return src
	}
	var b bytes.Buffer
	b.Grow(len(src) + len(edits))
	last := 0
	for _, e := range edits {
		if e.from < last || e.to < e.from {
			continue
		}
		b.Write(src[last:e.from])
		b.WriteByte(' ')
		last = e.to
	}
	b.Write(src[last:])
	return b.Bytes()
}

// heredocLines returns the 1-based line numbers holding heredoc contents and
// their closing markers.
func heredocLines(src []byte) map[int]bool {
	tokens, _ := hclsyntax.LexConfig(src, "", hcl.InitialPos)
	lines := map[int]bool{}
	open := -1
	for _, tok := range tokens {
		switch tok.Type {
		case hclsyntax.TokenOHeredoc:
			open = tok.Range.End.Line // the opening token ends after its newline
		case hclsyntax.TokenCHeredoc:
			if open > 0 {
				for l := open; l <= tok.Range.Start.Line; l++ {
					lines[l] = true
				}
			}
			open = -1
		}
	}
	return lines
}

// FormatFile formats one file, refusing with diagnostics when it has syntax
// errors: formatting broken source could move code the user is about to fix.
func FormatFile(filename string, src []byte) ([]byte, hcl.Diagnostics) {
	_, diags := ParseHCL(src, filename)
	if diags.HasErrors() {
		return nil, diags
	}
	return Format(src), diags
}

// diffContext is how many unchanged lines surround each change in a hunk.
const diffContext = 3

// maxDiffCells bounds the LCS table; beyond it the differing middle of the two
// files is shown as one replacement, which is still a correct diff.
const maxDiffCells = 16 << 20

type diffOp struct {
	kind byte // ' ', '-' or '+'
	line string
}

// UnifiedDiff returns a unified diff from a to b with three lines of context,
// labelled a/name and b/name, or "" when they are equal.
func UnifiedDiff(name string, a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	aLines, bLines := splitLines(a), splitLines(b)
	ops := diffLines(aLines, bLines)

	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	// Find runs of changes and print each with its context as a hunk.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(0, i-diffContext)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			// Merge the next change into this hunk if the gap is small.
			next := end
			for next < len(ops) && ops[next].kind == ' ' {
				next++
			}
			if next < len(ops) && next-end <= 2*diffContext {
				end = next
				continue
			}
			end = min(len(ops), end+diffContext)
			break
		}
		writeHunk(&out, ops, start, end)
		i = end
	}
	return out.String()
}

func writeHunk(out *strings.Builder, ops []diffOp, start, end int) {
	// Line numbers of the hunk's first line in each file.
	aLine, bLine := 1, 1
	for _, op := range ops[:start] {
		if op.kind != '+' {
			aLine++
		}
		if op.kind != '-' {
			bLine++
		}
	}
	aCount, bCount := 0, 0
	for _, op := range ops[start:end] {
		if op.kind != '+' {
			aCount++
		}
		if op.kind != '-' {
			bCount++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aLine, aCount), hunkRange(bLine, bCount))
	for _, op := range ops[start:end] {
		out.WriteByte(op.kind)
		if line, noEOL := strings.CutSuffix(op.line, "\n"); noEOL {
			out.WriteString(line)
			out.WriteString("\n\\ No newline at end of file\n")
			continue
		}
		out.WriteString(op.line)
		out.WriteByte('\n')
	}
}

func hunkRange(start, count int) string {
	if count == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	if count == 1 {
		return fmt.Sprintf("%d", start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// splitLines splits text into lines. A last line without a newline keeps a
// trailing "\n" as a marker (no real line contains one), so it differs from the
// same text with a newline and is printed with "\ No newline at end of file".
func splitLines(text []byte) []string {
	if len(text) == 0 {
		return nil
	}
	s := string(text)
	noEOL := !strings.HasSuffix(s, "\n")
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if noEOL {
		lines[len(lines)-1] += "\n"
	}
	return lines
}

// diffLines is a longest-common-subsequence line diff, after trimming the common
// prefix and suffix (which is most of the file for formatting changes).
func diffLines(a, b []string) []diffOp {
	prefix := 0
	for prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(a)-prefix && suffix < len(b)-prefix && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	ops := make([]diffOp, 0, len(a)+len(b))
	for _, l := range a[:prefix] {
		ops = append(ops, diffOp{' ', l})
	}
	am, bm := a[prefix:len(a)-suffix], b[prefix:len(b)-suffix]
	if (len(am)+1)*(len(bm)+1) > maxDiffCells {
		for _, l := range am {
			ops = append(ops, diffOp{'-', l})
		}
		for _, l := range bm {
			ops = append(ops, diffOp{'+', l})
		}
	} else {
		ops = append(ops, lcsDiff(am, bm)...)
	}
	for _, l := range a[len(a)-suffix:] {
		ops = append(ops, diffOp{' ', l})
	}
	return ops
}

func lcsDiff(a, b []string) []diffOp {
	n, m := len(a), len(b)
	// lcs[i][j] is the LCS length of a[i:] and b[j:], stored flat.
	w := m + 1
	lcs := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	var ops []diffOp
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			ops = append(ops, diffOp{' ', a[i]})
			i++
			j++
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			ops = append(ops, diffOp{'-', a[i]})
			i++
		default:
			ops = append(ops, diffOp{'+', b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		ops = append(ops, diffOp{'-', a[i]})
	}
	for ; j < m; j++ {
		ops = append(ops, diffOp{'+', b[j]})
	}
	return ops
}
