package parleycmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parleyhq/parley/internal/srcfile"
	"github.com/parleyhq/parley/policies"
)

func cmdFmt(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := newFlagSet("fmt", "fmt [-check] [-diff] [PATH...]", stderr)
	check := flags.Bool("check", false, "write nothing; exit 1 if any file is not formatted")
	diff := flags.Bool("diff", false, "print the changes as a unified diff")
	paths, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	files, err := hclFiles(paths)
	if err != nil {
		return err
	}
	unformatted, broken := 0, 0
	for _, name := range files {
		src, err := srcfile.Read(name, policies.MaxFileSize)
		if err != nil {
			return fmt.Errorf("fmt: %w", err)
		}
		out, diags := policies.FormatFile(name, src)
		if diags.HasErrors() {
			broken++
			if err := policies.WriteDiagnostics(stderr, sourceFiles(diags), diags, useColor(stderr, false)); err != nil {
				return err
			}
			continue
		}
		if bytes.Equal(src, out) {
			continue
		}
		unformatted++
		fmt.Fprintln(stdout, name)
		if *diff {
			fmt.Fprint(stdout, policies.UnifiedDiff(name, src, out))
		}
		if !*check {
			if err := writeFileAtomic(name, out); err != nil {
				return err
			}
		}
	}
	switch {
	case broken > 0:
		return &exitError{code: 1, msg: fmt.Sprintf("%d file(s) have syntax errors and were not formatted", broken)}
	case *check && unformatted > 0:
		return &exitError{code: 1, msg: fmt.Sprintf("%d file(s) are not formatted; run \"parley fmt %s\"", unformatted, strings.Join(paths, " "))}
	}
	return nil
}

// hclFiles expands folders into the .hcl files below them, sorted.
func hclFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("fmt: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".hcl") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("fmt: %w", err)
		}
	}
	sort.Strings(files)
	return files, nil
}

// writeFileAtomic replaces a file through a rename, so an interrupted fmt never
// leaves a half-written policy file.
func writeFileAtomic(name string, data []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".parley-fmt-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), info.Mode().Perm()); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return os.Rename(tmp.Name(), name)
}
