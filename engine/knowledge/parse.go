package knowledge

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/parleyhq/parley/policies"
)

// TargetChunkRunes is the size long sections are split at: long enough to
// hold a whole answer, short enough that one topic dominates its vector.
const TargetChunkRunes = 800

// line is one source line with its 1-based number.
type line struct {
	text string
	no   int
}

// paragraph is a run of non-blank lines; a fenced code block is one paragraph
// even when it holds blank lines.
type paragraph struct {
	text string
	line int
}

func splitParagraphs(lines []line) []paragraph {
	var out []paragraph
	var cur []string
	start := 0
	fence := ""
	flush := func() {
		if len(cur) > 0 {
			out = append(out, paragraph{strings.TrimRight(strings.Join(cur, "\n"), " \t"), start})
			cur = cur[:0]
		}
	}
	for _, l := range lines {
		trimmed := strings.TrimSpace(l.text)
		if fence == "" && trimmed == "" {
			flush()
			continue
		}
		if len(cur) == 0 {
			start = l.no
		}
		cur = append(cur, l.text)
		if f := fenceMarker(l.text); f != "" {
			switch {
			case fence == "":
				fence = f
			case strings.HasPrefix(trimmed, fence):
				fence = ""
			}
		}
	}
	flush()
	return out
}

// part is a piece of a chunk body with the line it starts on.
type part struct {
	text string
	line int
}

// packParagraphs joins consecutive paragraphs into parts of about limit
// runes; a paragraph longer than that is cut at sentence ends.
func packParagraphs(paras []paragraph, limit int) []part {
	var out []part
	var cur strings.Builder
	curLine, curRunes := 0, 0
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, part{cur.String(), curLine})
			cur.Reset()
			curRunes = 0
		}
	}
	for _, p := range paras {
		pieces := []string{p.text}
		if utf8.RuneCountInString(p.text) > limit*3/2 {
			pieces = splitSentences(p.text, limit)
		}
		for _, piece := range pieces {
			n := utf8.RuneCountInString(piece)
			if curRunes > 0 && curRunes+n > limit {
				flush()
			}
			if cur.Len() == 0 {
				curLine = p.line
			} else {
				cur.WriteString("\n\n")
			}
			cur.WriteString(piece)
			curRunes += n
		}
	}
	flush()
	return out
}

var sentenceEnd = regexp.MustCompile(`[.!?。！？；;](\s+|$)|[。！？；]`)

// splitSentences cuts text into pieces of at most about limit runes at
// sentence ends, or anywhere when a sentence alone is too long.
func splitSentences(text string, limit int) []string {
	var sentences []string
	last := 0
	for _, m := range sentenceEnd.FindAllStringIndex(text, -1) {
		sentences = append(sentences, text[last:m[1]])
		last = m[1]
	}
	if last < len(text) {
		sentences = append(sentences, text[last:])
	}
	var out []string
	var cur strings.Builder
	for _, s := range sentences {
		for utf8.RuneCountInString(s) > limit {
			// No sentence end in sight: cut at a rune boundary.
			cut := 0
			for i := range limit {
				_, size := utf8.DecodeRuneInString(s[cut:])
				cut += size
				_ = i
			}
			if cur.Len() > 0 {
				out = append(out, strings.TrimSpace(cur.String()))
				cur.Reset()
			}
			out = append(out, strings.TrimSpace(s[:cut]))
			s = s[cut:]
		}
		if cur.Len() > 0 && utf8.RuneCountInString(cur.String())+utf8.RuneCountInString(s) > limit {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
		cur.WriteString(s)
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, strings.TrimSpace(cur.String()))
	}
	return out
}

func fenceMarker(s string) string {
	t := strings.TrimLeft(s, " ")
	if len(s)-len(t) > 3 {
		return ""
	}
	for _, f := range []string{"```", "~~~"} {
		if strings.HasPrefix(t, f) {
			return f
		}
	}
	return ""
}

var atxHeading = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
var setextUnderline = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)

type section struct {
	path []string
	line int
	body []line
}

// parseMarkdown makes a chunk of each heading section; the title is the path
// of headings above it, so "Refunds" under "Returns" reads "Returns > Refunds".
func parseMarkdown(source, data string) []Chunk {
	raw := strings.Split(data, "\n")
	startAt := 0
	// YAML front matter is metadata, not knowledge.
	if len(raw) > 0 && strings.TrimSpace(raw[0]) == "---" {
		for i := 1; i < len(raw); i++ {
			if t := strings.TrimSpace(raw[i]); t == "---" || t == "..." {
				startAt = i + 1
				break
			}
		}
	}
	var sections []section
	cur := section{line: 1}
	var stack []string // headings by level, 1-based: stack[level-1]
	fence := ""
	startSection := func(level int, title string, no int) {
		sections = append(sections, cur)
		if level > len(stack)+1 {
			// A skipped level ("#" then "###") still nests under the last heading.
			level = len(stack) + 1
		}
		stack = append(stack[:level-1], title)
		cur = section{path: append([]string(nil), stack...), line: no}
	}
	for i := startAt; i < len(raw); i++ {
		text, no := raw[i], i+1
		if f := fenceMarker(text); f != "" {
			switch {
			case fence == "":
				fence = f
			case strings.HasPrefix(strings.TrimSpace(text), fence):
				fence = ""
			}
			cur.body = append(cur.body, line{text, no})
			continue
		}
		if fence == "" {
			if m := atxHeading.FindStringSubmatch(text); m != nil {
				startSection(len(m[1]), strings.TrimSpace(m[2]), no)
				continue
			}
			if m := setextUnderline.FindStringSubmatch(text); m != nil && len(cur.body) > 0 {
				prev := cur.body[len(cur.body)-1]
				startOfParagraph := len(cur.body) == 1 || strings.TrimSpace(cur.body[len(cur.body)-2].text) == ""
				if strings.TrimSpace(prev.text) != "" && startOfParagraph && !isListItem(prev.text) {
					cur.body = cur.body[:len(cur.body)-1]
					level := 1
					if m[1][0] == '-' {
						level = 2
					}
					startSection(level, strings.TrimSpace(prev.text), prev.no)
					continue
				}
			}
		}
		cur.body = append(cur.body, line{text, no})
	}
	sections = append(sections, cur)

	docTitle := strings.TrimSuffix(path.Base(source), path.Ext(source))
	var chunks []Chunk
	anchors := map[string]int{}
	for _, s := range sections {
		paras := splitParagraphs(s.body)
		if len(paras) == 0 {
			continue
		}
		for i := range paras {
			paras[i].text = unwrapSoftBreaks(paras[i].text)
		}
		title, anchor := docTitle, "top"
		if len(s.path) > 0 {
			title = strings.Join(s.path, " > ")
			slugs := make([]string, len(s.path))
			for i, h := range s.path {
				slugs[i] = cmpOr(Slug(h), "section")
			}
			anchor = strings.Join(slugs, "/")
		}
		anchor = uniqueAnchor(anchors, anchor)
		for i, p := range packParagraphs(paras, TargetChunkRunes) {
			a := anchor
			if i > 0 {
				a += "~" + strconv.Itoa(i+1)
			}
			line := p.line
			if i == 0 {
				line = s.line
			}
			chunks = append(chunks, newChunk(source, a, title, p.text, "", line))
		}
	}
	return chunks
}

var listItem = regexp.MustCompile(`^\s*([-*+]|\d+[.)])\s`)

func isListItem(s string) bool { return listItem.MatchString(s) }

func uniqueAnchor(seen map[string]int, anchor string) string {
	seen[anchor]++
	if n := seen[anchor]; n > 1 {
		return anchor + "-" + strconv.Itoa(n)
	}
	return anchor
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// parseText makes a chunk of each paragraph of a plain text file.
func parseText(source, data string) []Chunk {
	raw := strings.Split(data, "\n")
	lines := make([]line, len(raw))
	for i, t := range raw {
		lines[i] = line{t, i + 1}
	}
	title := strings.TrimSuffix(path.Base(source), path.Ext(source))
	var chunks []Chunk
	for i, p := range splitParagraphs(lines) {
		for j, pt := range packParagraphs([]paragraph{p}, TargetChunkRunes) {
			anchor := "p" + strconv.Itoa(i+1)
			if j > 0 {
				anchor += "~" + strconv.Itoa(j+1)
			}
			chunks = append(chunks, newChunk(source, anchor, title, pt.text, "", pt.line))
		}
	}
	return chunks
}

// parseCSV reads a FAQ table: a header row naming question and answer columns
// (any case, any order), an optional id column, other columns ignored.
func parseCSV(source, data string) ([]Chunk, error) {
	r := csv.NewReader(strings.NewReader(data))
	r.FieldsPerRecord = -1 // a short row is reported by column below, with its line
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s:1: empty CSV: want a header row with question and answer columns", source)
	}
	if err != nil {
		return nil, csvError(source, err)
	}
	qCol, aCol, idCol := -1, -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "question":
			qCol = i
		case "answer":
			aCol = i
		case "id":
			idCol = i
		}
	}
	if qCol < 0 || aCol < 0 {
		return nil, fmt.Errorf("%s:1: the header row needs question and answer columns, it has %q", source, header)
	}
	cell := func(rec []string, i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var chunks []Chunk
	anchors := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(source, err)
		}
		lineNo, _ := r.FieldPos(0)
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		q, a := cell(rec, qCol), cell(rec, aCol)
		if q == "" || a == "" {
			return nil, fmt.Errorf("%s:%d: a FAQ row needs both a question and an answer", source, lineNo)
		}
		anchor := cell(rec, idCol)
		if idCol >= 0 && anchor == "" {
			return nil, fmt.Errorf("%s:%d: empty id", source, lineNo)
		}
		if anchor == "" {
			anchor = cmpOr(Slug(q), "row")
			anchor = uniqueAnchor(anchors, anchor)
		} else if strings.ContainsAny(anchor, "# \t\n") {
			return nil, fmt.Errorf("%s:%d: id %q must not contain spaces or #", source, lineNo, anchor)
		}
		chunks = append(chunks, newChunk(source, anchor, q, q+"\n"+a, a, lineNo))
	}
	return chunks, nil
}

func csvError(source string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", source, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", source, err)
}

var faqFileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "faq", LabelNames: []string{"id"}}},
}

var faqSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "question", Required: true},
		{Name: "answer", Required: true},
		{Name: "alternatives"},
	},
}

// parseHCL reads faq "id" { question, answer, alternatives } blocks. The
// alternatives are other wordings of the question: they are embedded with it
// so customers who phrase it differently still find the answer.
func parseHCL(source string, data []byte) ([]Chunk, error) {
	file, diags := policies.ParseHCL(data, source)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	content, diags := file.Body.Content(faqFileSchema)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	var chunks []Chunk
	for _, block := range content.Blocks {
		id := strings.TrimSpace(block.Labels[0])
		line := block.DefRange.Start.Line
		if id == "" || strings.ContainsAny(id, "# \t\n") {
			return nil, fmt.Errorf("%s:%d: faq id %q must be non-empty, without spaces or #", source, line, block.Labels[0])
		}
		body, diags := block.Body.Content(faqSchema)
		if diags.HasErrors() {
			return nil, diagError(diags)
		}
		q, err := stringAttr(body.Attributes["question"])
		if err != nil {
			return nil, err
		}
		a, err := stringAttr(body.Attributes["answer"])
		if err != nil {
			return nil, err
		}
		var alts []string
		if attr, ok := body.Attributes["alternatives"]; ok {
			if alts, err = stringListAttr(attr); err != nil {
				return nil, err
			}
		}
		chunks = append(chunks, FAQChunk(source, id, q, alts, a, line))
	}
	return chunks, nil
}

// FAQChunk makes the chunk for one question and answer. The alternatives are
// other wordings of the question, embedded with it.
func FAQChunk(source, id, question string, alternatives []string, answer string, line int) Chunk {
	text := strings.Join(append(append([]string{question}, alternatives...), answer), "\n")
	return newChunk(source, id, question, text, answer, line)
}

func stringAttr(attr *hcl.Attribute) (string, error) {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return "", diagError(diags)
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || s.IsNull() || !s.IsKnown() {
		return "", fmt.Errorf("%s:%d: %s must be a string", attr.Range.Filename, attr.Range.Start.Line, attr.Name)
	}
	out := strings.TrimSpace(s.AsString())
	if out == "" {
		return "", fmt.Errorf("%s:%d: %s must not be empty", attr.Range.Filename, attr.Range.Start.Line, attr.Name)
	}
	return out, nil
}

func stringListAttr(attr *hcl.Attribute) ([]string, error) {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	l, err := convert.Convert(v, cty.List(cty.String))
	if err != nil || l.IsNull() || !l.IsWhollyKnown() {
		return nil, fmt.Errorf("%s:%d: %s must be a list of strings", attr.Range.Filename, attr.Range.Start.Line, attr.Name)
	}
	var out []string
	for _, e := range l.AsValueSlice() {
		if e.IsNull() {
			return nil, fmt.Errorf("%s:%d: %s must not hold null", attr.Range.Filename, attr.Range.Start.Line, attr.Name)
		}
		if s := strings.TrimSpace(e.AsString()); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// diagError turns HCL diagnostics into one error whose lines each start with
// file:line.
func diagError(diags hcl.Diagnostics) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Subject != nil {
			msg = fmt.Sprintf("%s:%d: %s", d.Subject.Filename, d.Subject.Start.Line, msg)
		}
		msgs = append(msgs, msg)
	}
	return errors.New(strings.Join(msgs, "\n"))
}
