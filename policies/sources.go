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
