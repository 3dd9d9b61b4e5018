package policies

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcled"
	"golang.org/x/text/width"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiBlue   = "\x1b[1;34m"
)

// tabWidth is how many columns a tab in a source line takes in snippets.
const tabWidth = 4

// WriteDiagnostics writes diagnostics the way compilers do:
//
//	dialogs.hcl:9:15: error: Unknown entity type
//	  There is no entity "order_idd". Did you mean "order_id"?
//
//	    9 |     type    = order_idd
//	      |               ^~~~~~~~~
//
// The snippet comes from files (filename -> parsed file, as in Bot.Files) and is
// left out when the file is not there. Carets line up under CJK text, which takes
// two columns per character. Diagnostics are written in the order given; see
// SortDiagnostics. color adds ANSI colors for terminals.
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool) error {
	var buf bytes.Buffer
	for i, d := range diags {
		if d == nil {
			continue
		}
		if i > 0 {
			buf.WriteByte('\n')
		}
		writeDiagnostic(&buf, files, d, color)
	}
	_, err := w.Write(buf.Bytes())
	if err != nil {
		return fmt.Errorf("write diagnostics: %w", err)
	}
	return nil
}

func writeDiagnostic(buf *bytes.Buffer, files map[string]*hcl.File, d *hcl.Diagnostic, color bool) {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	severity, sevColor := severityName(d.Severity), ansiRed
	if d.Severity == hcl.DiagWarning {
		sevColor = ansiYellow
	}
	rng := subjectOf(d)
	if rng != nil && rng.Filename != "" {
		buf.WriteString(paint(ansiBold, fmt.Sprintf("%s:%d:%d:", rng.Filename, rng.Start.Line, rng.Start.Column)))
		buf.WriteByte(' ')
	}
	buf.WriteString(paint(sevColor, severity+":"))
	buf.WriteByte(' ')
	buf.WriteString(paint(ansiBold, printable(d.Summary)))
	buf.WriteByte('\n')
	if detail := strings.TrimRight(printable(normalizeNewlines(d.Detail)), "\n"); detail != "" {
		for _, line := range strings.Split(detail, "\n") {
			if strings.TrimSpace(line) == "" {
				buf.WriteByte('\n')
				continue
			}
			buf.WriteString("  ")
			buf.WriteString(line)
			buf.WriteByte('\n')
		}
	}
	if rng == nil {
		return
	}
	src := sourceOf(files, rng.Filename)
	line, lineStart, ok := sourceLine(src, rng.Start.Line)
	if !ok {
		return
	}
	// Underline from the subject's start to its end, or to the end of the line
	// when the subject spans several lines.
	startCol := byteInLine(line, lineStart, rng.Start)
	endCol := len(line)
	if rng.End.Line == rng.Start.Line {
		endCol = byteInLine(line, lineStart, rng.End)
	}
	if endCol < startCol {
		endCol = startCol
	}
	line, startCol, endCol = clipLine(line, startCol, endCol)
	lead := displayWidth(line[:startCol])
	span := displayWidth(line[startCol:endCol])
	marker := "^"
	if span > 1 {
		marker += strings.Repeat("~", span-1)
	}
	num := fmt.Sprintf("%d", rng.Start.Line)
	gutter := strings.Repeat(" ", len(num))
	buf.WriteByte('\n')
	fmt.Fprintf(buf, "  %s %s %s\n", paint(ansiBlue, num), paint(ansiBlue, "|"), printable(expandTabs(line)))
	fmt.Fprintf(buf, "  %s %s %s%s\n", gutter, paint(ansiBlue, "|"), strings.Repeat(" ", lead), paint(sevColor, marker))
}

// maxSnippetBytes bounds a snippet line: a minified or generated line can be
// megabytes long, and only the part around the caret helps.
const maxSnippetBytes = 240

// clipLine cuts a long line to a window around [start, end), marking the cuts
// with an ellipsis, and returns the offsets within the window.
func clipLine(line string, start, end int) (string, int, int) {
	if len(line) <= maxSnippetBytes {
		return line, start, end
	}
	from := max(0, start-maxSnippetBytes/4)
	for from > 0 && !utf8.RuneStart(line[from]) {
		from--
	}
	to := min(len(line), from+maxSnippetBytes)
	for to < len(line) && !utf8.RuneStart(line[to]) {
		to--
	}
	prefix, suffix := "", ""
	if from > 0 {
		prefix = "…"
	}
	if to < len(line) {
		suffix = "…"
	}
	shift := len(prefix) - from
	return prefix + line[from:to] + suffix, start + shift, min(end, to) + shift
}

func severityName(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagWarning {
		return "warning"
	}
	return "error"
}

// subjectOf is the range a diagnostic is about, falling back to its context.
func subjectOf(d *hcl.Diagnostic) *hcl.Range {
	if d.Subject != nil {
		return d.Subject
	}
	return d.Context
}

func sourceOf(files map[string]*hcl.File, name string) []byte {
	if f := files[name]; f != nil {
		return f.Bytes
	}
	return nil
}

// sourceLine returns line n (1-based) without its line ending, and the byte
// offset where it starts.
func sourceLine(src []byte, n int) (string, int, bool) {
	if src == nil || n < 1 {
		return "", 0, false
	}
	start := 0
	for i := 1; i < n; i++ {
		nl := bytes.IndexByte(src[start:], '\n')
		if nl < 0 {
			return "", 0, false
		}
		start += nl + 1
	}
	end := len(src)
	if nl := bytes.IndexByte(src[start:], '\n'); nl >= 0 {
		end = start + nl
	}
	line := strings.TrimSuffix(string(src[start:end]), "\r")
	return line, start, true
}

// byteInLine converts a position to a byte offset within its line. HCL positions
// carry a byte offset into the file; the column (in characters) is the fallback
// for positions from elsewhere.
func byteInLine(line string, lineStart int, pos hcl.Pos) int {
	if off := pos.Byte - lineStart; pos.Byte > 0 && off >= 0 && off <= len(line) && utf8.ValidString(line[:off]) {
		return off
	}
	off := 0
	for col := 1; col < pos.Column && off < len(line); col++ {
		_, size := utf8.DecodeRuneInString(line[off:])
		off += size
	}
	return off
}

// displayWidth is how many terminal columns s takes: East Asian wide characters
// take two, combining marks none, tabs tabWidth.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == '\t':
		return tabWidth
	case r == 0x200D || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r) || (r >= 0xFE00 && r <= 0xFE0F):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	if r >= 0x1F300 && r <= 0x1FAFF { // emoji are shown double width by most terminals
		return 2
	}
	return 1
}

func expandTabs(s string) string {
	return strings.ReplaceAll(s, "\t", strings.Repeat(" ", tabWidth))
}

// printable replaces what a terminal would act on rather than show (control
// characters, escape sequences, invalid UTF-8) with U+FFFD, one per character or
// byte, so a snippet of a binary file can't garble the terminal and carets stay
// aligned. Newlines and tabs stay.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) && r != '\n' && r != '\t' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) && r != '\n' && r != '\t' {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// Summary counts diagnostics for a closing line: "2 errors, 1 warning",
// "1 warning", or "no errors".
func Summary(diags hcl.Diagnostics) string {
	errs, warns := countDiagnostics(diags)
	var parts []string
	if errs > 0 {
		parts = append(parts, plural(errs, "error"))
	}
	if warns > 0 {
		parts = append(parts, plural(warns, "warning"))
	}
	if len(parts) == 0 {
		return "no errors"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func countDiagnostics(diags hcl.Diagnostics) (errs, warns int) {
	for _, d := range diags {
		switch {
		case d == nil:
		case d.Severity == hcl.DiagWarning:
			warns++
		default:
			errs++
		}
	}
	return errs, warns
}

// SortDiagnostics orders diagnostics by file, line and column, keeping the
// given order for equal positions. Diagnostics without a range come first,
// since they are usually about the whole bot.
func SortDiagnostics(diags hcl.Diagnostics) {
	slices.SortStableFunc(diags, func(a, b *hcl.Diagnostic) int {
		ra, rb := rangeKey(a), rangeKey(b)
		if ra == nil || rb == nil {
			switch {
			case ra == nil && rb == nil:
				return 0
			case ra == nil:
				return -1
			}
			return 1
		}
		return cmp.Or(
			cmp.Compare(ra.Filename, rb.Filename),
			cmp.Compare(ra.Start.Line, rb.Start.Line),
			cmp.Compare(ra.Start.Column, rb.Start.Column),
		)
	})
}

func rangeKey(d *hcl.Diagnostic) *hcl.Range {
	if d == nil {
		return nil
	}
	return subjectOf(d)
}

// The JSON shape is that of `terraform validate -json`, so editor plugins and CI
// annotators written for it can read ours.
type jsonReport struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []jsonDiagnostic `json:"diagnostics"`
}

type jsonDiagnostic struct {
	Severity string       `json:"severity"`
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail,omitempty"`
	Range    *jsonRange   `json:"range,omitempty"`
	Snippet  *jsonSnippet `json:"snippet,omitempty"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

type jsonSnippet struct {
	Context              *string `json:"context"`
	Code                 string  `json:"code"`
	StartLine            int     `json:"start_line"`
	HighlightStartOffset int     `json:"highlight_start_offset"`
	HighlightEndOffset   int     `json:"highlight_end_offset"`
	Values               []any   `json:"values"`
}

// WriteDiagnosticsJSON writes diagnostics as one JSON object in the shape of
// `terraform validate -json`: valid, error_count, warning_count and diagnostics,
// each with severity, summary, detail, range and a source snippet.
func WriteDiagnosticsJSON(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	errs, warns := countDiagnostics(diags)
	report := jsonReport{
		FormatVersion: "1.0",
		Valid:         errs == 0,
		ErrorCount:    errs,
		WarningCount:  warns,
		Diagnostics:   []jsonDiagnostic{},
	}
	for _, d := range diags {
		if d == nil {
			continue
		}
		jd := jsonDiagnostic{Severity: severityName(d.Severity), Summary: d.Summary, Detail: d.Detail}
		if rng := subjectOf(d); rng != nil {
			jd.Range = &jsonRange{
				Filename: rng.Filename,
				Start:    jsonPos{Line: rng.Start.Line, Column: rng.Start.Column, Byte: rng.Start.Byte},
				End:      jsonPos{Line: rng.End.Line, Column: rng.End.Column, Byte: rng.End.Byte},
			}
			jd.Snippet = snippetOf(files[rng.Filename], *rng)
		}
		report.Diagnostics = append(report.Diagnostics, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(report); err != nil {
		return fmt.Errorf("write diagnostics: %w", err)
	}
	return nil
}

// snippetOf returns the whole lines the range covers, with the highlight as byte
// offsets into them, or nil when the source is not available.
func snippetOf(file *hcl.File, rng hcl.Range) *jsonSnippet {
	if file == nil || file.Bytes == nil {
		return nil
	}
	src := file.Bytes
	_, start, ok := sourceLine(src, rng.Start.Line)
	if !ok {
		return nil
	}
	endLine, endStart, ok := sourceLine(src, max(rng.End.Line, rng.Start.Line))
	if !ok {
		return nil
	}
	end := endStart + len(endLine)
	code := strings.ReplaceAll(string(src[start:end]), "\r\n", "\n")
	hlStart := clampInt(rng.Start.Byte-start, 0, end-start)
	hlEnd := clampInt(rng.End.Byte-start, hlStart, end-start)
	// Offsets count bytes of the code as shown, so discount removed CRs.
	hlStart -= strings.Count(string(src[start:start+hlStart]), "\r\n")
	hlEnd -= strings.Count(string(src[start:start+hlEnd]), "\r\n")
	s := &jsonSnippet{
		Code:                 code,
		StartLine:            rng.Start.Line,
		HighlightStartOffset: hlStart,
		HighlightEndOffset:   hlEnd,
		Values:               []any{},
	}
	if file.Nav != nil && rng.Start.Byte >= 0 && rng.Start.Byte <= len(src) {
		if ctx := hcled.ContextString(file, rng.Start.Byte); ctx != "" {
			s.Context = &ctx
		}
	}
	return s
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(v, hi))
}
