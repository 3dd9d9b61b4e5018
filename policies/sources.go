package policies

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// SourceFiles returns the files under botDir matching a knowledge source glob,
// as sorted slash-separated relative paths; no match is an error. The knowledge
// loader reads these files, and validate reports a glob that matches none.
func SourceFiles(botDir, glob string) ([]string, error) {
	g := path.Clean(filepath.ToSlash(strings.TrimSpace(glob)))
	if glob == "" || g == "." {
		return nil, errors.New("knowledge source: empty glob")
	}
	if path.IsAbs(g) || filepath.IsAbs(glob) || g == ".." || strings.HasPrefix(g, "../") {
		return nil, fmt.Errorf("knowledge source %q: the glob must stay inside the bot folder", glob)
	}
	pattern := strings.Split(g, "/")
	for _, seg := range pattern {
		if _, err := path.Match(seg, ""); err != nil {
			return nil, fmt.Errorf("knowledge source %q: bad pattern: %w", glob, err)
		}
	}
	var files []string
	root := filepath.Clean(botDir)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir // .git and friends are never knowledge
			}
			if !prefixCanMatch(pattern, strings.Split(rel, "/")) {
				return filepath.SkipDir
			}
			return nil
		}
		// Not only regular files: a FIFO or a symlink to a device that matches is
		// refused by name when read, rather than silently left out.
		if matchSegments(pattern, strings.Split(rel, "/")) {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("knowledge source %q: %w", glob, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("knowledge source %q: no file matches", glob)
	}
	sort.Strings(files)
	return files, nil
}

// matchSegments matches a path against a pattern segment by segment; a "**"
// segment matches zero or more path segments.
func matchSegments(pattern, segs []string) bool {
	if len(pattern) == 0 {
		return len(segs) == 0
	}
	if pattern[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if matchSegments(pattern[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	ok, _ := path.Match(pattern[0], segs[0])
	return ok && matchSegments(pattern[1:], segs[1:])
}

// prefixCanMatch reports whether some path below dir could match pattern, so
// the walk skips folders that cannot hold a match.
func prefixCanMatch(pattern, dir []string) bool {
	if len(dir) == 0 {
		return true
	}
	if len(pattern) == 0 {
		return false
	}
	if pattern[0] == "**" {
		return true
	}
	ok, _ := path.Match(pattern[0], dir[0])
	return ok && prefixCanMatch(pattern[1:], dir[1:])
}

// noSourceFileDetail says why a knowledge source glob matches no file. A
// folder is what people write first ("knowledge/"), so it gets the pattern
// that lists its files.
func noSourceFileDetail(botDir, glob string) string {
	folder := strings.TrimSuffix(filepath.ToSlash(strings.TrimSpace(glob)), "/")
	if info, err := os.Stat(filepath.Join(botDir, filepath.FromSlash(folder))); err == nil && info.IsDir() && !strings.ContainsAny(folder, "*?[") {
		return fmt.Sprintf("%q is a folder, and sources name files: list its files with a pattern, like %q, or %q to take its subfolders too.", glob, folder+"/*.md", folder+"/**/*.md")
	}
	return fmt.Sprintf("No file in the bot folder (%s) matches %q, so the bot could not start or ingest its knowledge. Check the folder and the extension, or remove the pattern.", botDir, glob)
}

// checkSourceKinds reports the files a knowledge source matches that the
// knowledge base can't read, which would stop the bot from loading its
// knowledge: a kind it does not know (a Word file, an image), or a file of
// the bot itself, which is read as faq blocks only. A .hcl file holding only
// faq blocks loads, but its questions are in the knowledge base twice. One
// diagnostic per glob and problem, naming the files.
func (c *checker) checkSourceKinds(rng hcl.Range, glob string, files []string) {
	var botFiles, faqFiles, unknown []string
	for _, rel := range files {
		switch strings.ToLower(path.Ext(rel)) {
		case ".md", ".markdown", ".txt", ".text", ".csv":
		case ".hcl":
			if nonFAQBlock(filepath.Join(c.bot.Dir, filepath.FromSlash(rel))) {
				botFiles = append(botFiles, rel)
			} else {
				faqFiles = append(faqFiles, rel)
			}
		default:
			unknown = append(unknown, rel)
		}
	}
	if len(unknown) > 0 {
		c.errorf(rng, "Knowledge source of an unknown kind", "%q matches %s, which the knowledge base can't read: it reads .md, .markdown, .txt, .text and .csv files. The bot could not load its knowledge. Save such documents as Markdown or text, or narrow the pattern, as in \"knowledge/*.md\".", glob, someFiles(unknown))
	}
	if len(botFiles) > 0 {
		c.errorf(rng, "Knowledge source is a bot file", "%q matches %s, which the bot is written in: a knowledge source is read as faq blocks only, so the bot could not load its knowledge. faq blocks are in the knowledge base wherever they are written: don't list .hcl files in sources.", glob, someFiles(botFiles))
	}
	if len(faqFiles) > 0 {
		c.warnf(rng, "Knowledge source is a bot file", "%q matches %s, whose faq blocks are in the knowledge base already, so each is there twice. Don't list .hcl files in sources.", glob, someFiles(faqFiles))
	}
}

// someFiles names the first three files, and how many more there are.
func someFiles(files []string) string {
	const shown = 3
	if len(files) <= shown {
		return joinAnd(files)
	}
	return fmt.Sprintf("%s and %d more", strings.Join(files[:shown], ", "), len(files)-shown)
}

// nonFAQBlock reports whether an HCL file holds a block that is no faq
// block (a file that does not parse is reported by the loader).
func nonFAQBlock(file string) bool {
	src, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	f, diags := ParseHCL(src, file)
	if diags.HasErrors() {
		return false
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return false
	}
	for _, b := range body.Blocks {
		if b.Type != "faq" {
			return true
		}
	}
	return false
}
