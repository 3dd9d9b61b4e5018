// Package knowledge reads a bot's knowledge sources (Markdown and text
// documents, CSV and HCL FAQs) into chunks that can be embedded and searched,
// and tells which chunks changed since the last ingest.
package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/srcfile"
	"github.com/parleyhq/parley/policies"
)

// Chunk is one searchable piece of knowledge.
type Chunk struct {
	// ID is stable across edits elsewhere in the source: the source path and
	// an anchor ("knowledge/faq_en.csv#shipping-cost", "knowledge/returns.md#returns/refunds").
	ID string
	// Source is the file path relative to the bot folder, with forward slashes.
	Source string
	// Title is the heading path ("Returns > Refunds") or the FAQ question.
	Title string
	// Text is what gets embedded together with Title (see EmbedText).
	Text string
	// Answer is the reply for FAQ chunks; empty for document chunks, whose
	// reply is Text.
	Answer string
	// Lang is "zh" when the chunk is mostly Chinese, else "en".
	Lang string
	// Hash is the hex sha256 of Title and Text: a changed hash means re-embed.
	Hash string
	// Line is where the chunk starts in Source, 1-based.
	Line int
}

// EmbedText is the text to embed for the chunk: the title adds the topic
// words a section body often leaves out. A FAQ's question thus counts twice,
// which suits customers, who word things like the question more than like
// the answer.
func (c Chunk) EmbedText() string {
	if c.Title == "" {
		return c.Text
	}
	return c.Title + "\n" + c.Text
}

// Reply is what to tell a customer the chunk answers: the FAQ answer, or the
// document section.
func (c Chunk) Reply() string {
	if c.Answer != "" {
		return c.Answer
	}
	return c.Text
}

// Source says which files to read and how.
type Source struct {
	// Glob is relative to the bot folder; "*" matches within a path segment
	// and a "**" segment matches any number of folders.
	Glob string
	// Kind is "auto" (or empty: by extension), "markdown", "text", "csv" or "hcl".
	Kind string
}

// Kinds of source.
const (
	KindAuto     = "auto"
	KindMarkdown = "markdown"
	KindText     = "text"
	KindCSV      = "csv"
	KindHCL      = "hcl"
)

// maxSourceBytes keeps a stray binary or dump from eating the process.
const maxSourceBytes = policies.MaxKnowledgeSourceSize

// Load reads every file the sources match, in path order, and returns their
// chunks. A glob that matches nothing, an unknown kind, a malformed file or two
// chunks with the same ID is an error naming the file and line.
func Load(botDir string, sources []Source) ([]Chunk, error) {
	var chunks []Chunk
	seenFile := map[string]bool{}
	seenID := map[string]Chunk{}
	for _, src := range sources {
		files, err := policies.SourceFiles(botDir, src.Glob)
		if err != nil {
			return nil, err
		}
		for _, rel := range files {
			if seenFile[rel] {
				continue // two globs naming one file read it once
			}
			seenFile[rel] = true
			kind, err := kindOf(rel, src.Kind)
			if err != nil {
				return nil, err
			}
			data, err := readSource(filepath.Join(botDir, filepath.FromSlash(rel)))
			if err != nil {
				return nil, fmt.Errorf("knowledge %s: %w", rel, err)
			}
			var got []Chunk
			switch kind {
			case KindMarkdown:
				got = parseMarkdown(rel, data)
			case KindText:
				got = parseText(rel, data)
			case KindCSV:
				got, err = parseCSV(rel, data)
			case KindHCL:
				got, err = parseHCL(rel, []byte(data))
			}
			if err != nil {
				return nil, err
			}
			for _, c := range got {
				if prev, dup := seenID[c.ID]; dup {
					return nil, fmt.Errorf("%s:%d: duplicate knowledge id %q (first at line %d)", c.Source, c.Line, c.ID, prev.Line)
				}
				seenID[c.ID] = c
				chunks = append(chunks, c)
			}
		}
	}
	return chunks, nil
}

func readSource(p string) (string, error) {
	b, err := srcfile.Read(p, maxSourceBytes)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", errors.New("file is not UTF-8 text")
	}
	s := strings.TrimPrefix(string(b), "\uFEFF") // editors on Windows add a BOM
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return s, nil
}

func kindOf(rel, kind string) (string, error) {
	switch strings.ToLower(kind) {
	case "", KindAuto:
	case KindMarkdown, "md":
		return KindMarkdown, nil
	case KindText, "txt":
		return KindText, nil
	case KindCSV:
		return KindCSV, nil
	case KindHCL:
		return KindHCL, nil
	default:
		return "", fmt.Errorf("knowledge %s: unknown kind %q (want auto, markdown, text, csv or hcl)", rel, kind)
	}
	switch strings.ToLower(path.Ext(rel)) {
	case ".md", ".markdown":
		return KindMarkdown, nil
	case ".txt", ".text":
		return KindText, nil
	case ".csv":
		return KindCSV, nil
	case ".hcl":
		return KindHCL, nil
	}
	return "", fmt.Errorf("knowledge %s: cannot tell the kind from the extension %q (want .md, .markdown, .txt, .csv or .hcl, or set the kind)", rel, path.Ext(rel))
}

// newChunk fills in the derived fields.
func newChunk(source, anchor, title, text, answer string, line int) Chunk {
	c := Chunk{
		ID:     source + "#" + anchor,
		Source: source,
		Title:  title,
		Text:   text,
		Answer: answer,
		Line:   line,
	}
	c.Lang = DetectLang(title + "\n" + text)
	sum := sha256.Sum256([]byte(title + "\x00" + text + "\x00" + answer))
	c.Hash = hex.EncodeToString(sum[:])
	return c
}

// DetectLang returns "zh" when Chinese characters make up at least a fifth of
// the letters of text, else "en". Chinese packs a word into one or two
// characters, so a fifth is already a Chinese sentence with English names in it.
func DetectLang(text string) string {
	var han, letters int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			letters++
		case unicode.IsLetter(r):
			letters++
		}
	}
	if letters > 0 && han*5 >= letters {
		return "zh"
	}
	return "en"
}

// Slug turns a heading or question into an anchor: lowercase letters, digits
// and Chinese characters joined by single dashes.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if utf8.RuneCountInString(b.String()) >= 80 {
				break
			}
			continue
		}
		dash = true
	}
	return b.String()
}

// Diff compares the id->hash map of the chunks already indexed with the
// chunks just loaded: changed are new or edited chunks to (re-)embed, removed
// are the sorted IDs to delete.
func Diff(old map[string]string, chunks []Chunk) (changed []Chunk, removed []string) {
	current := make(map[string]bool, len(chunks))
	for _, c := range chunks {
		current[c.ID] = true
		if h, ok := old[c.ID]; !ok || h != c.Hash {
			changed = append(changed, c)
		}
	}
	for id := range old {
		if !current[id] {
			removed = append(removed, id)
		}
	}
	slices.Sort(removed)
	return changed, removed
}
