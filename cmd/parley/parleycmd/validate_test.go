//go:build unix

package parleycmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/policies"
)

// withTimeout fails the test when f has not returned within d (a FIFO read
// would otherwise hang the test binary until its own timeout).
func withTimeout(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("did not return within %s", d)
	}
}

func TestValidateRefusesSpecialFiles(t *testing.T) {
	tests := []struct {
		name, file, want string
		make             func(t *testing.T, path string)
	}{
		{"FIFO", "x.hcl", "x.hcl is a named pipe (FIFO), not a regular file", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"symlink to /dev/zero", "zero.hcl", "zero.hcl is a device, not a regular file", func(t *testing.T, p string) {
			if err := os.Symlink("/dev/zero", p); err != nil {
				t.Fatal(err)
			}
		}},
		{"sparse 1 GB file", "huge.hcl", "huge.hcl is 1 GiB, over the 8 MiB limit", func(t *testing.T, p string) {
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(p, 1<<30); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeBot(t, map[string]string{"bot.hcl": minimalBot})
			tt.make(t, filepath.Join(dir, tt.file))
			withTimeout(t, 20*time.Second, func() {
				code, _, stderr := runCmd(t, "", "validate", dir)
				if code != 1 || !strings.Contains(stderr, tt.want) {
					t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and %q", code, stderr, tt.want)
				}
			})
		})
	}
}

// TestSourceFilesReadsOnlyBoundedRegularFiles: the printer, given diagnostics
// naming files, never reads what the loader would refuse (the issue saw 12 GB
// of memory for a sparse 1 GB file, and a FIFO hang forever).
func TestSourceFilesReadsOnlyBoundedRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.hcl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.hcl")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.hcl")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 1<<30); err != nil {
		t.Fatal(err)
	}
	binary := filepath.Join(dir, "binary.hcl")
	if err := os.WriteFile(binary, []byte("a = 1\x00\x1b[2J"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.hcl")
	if err := os.WriteFile(good, []byte("a = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var diags hcl.Diagnostics
	for _, name := range []string{fifo, zero, huge, binary, good} {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "x", Subject: &hcl.Range{Filename: name}})
	}
	var files map[string]*hcl.File
	withTimeout(t, 20*time.Second, func() { files = sourceFiles(diags) })
	for _, name := range []string{fifo, zero, huge, binary} {
		if f := files[name]; f != nil {
			t.Errorf("%s: read %d bytes, want none", filepath.Base(name), len(f.Bytes))
		}
	}
	if f := files[good]; f == nil || string(f.Bytes) != "a = 1\n" {
		t.Errorf("good.hcl was not read: %v", f)
	}
}

func TestValidateDeepNesting(t *testing.T) {
	deep := "variable \"x\" {\n  value = " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n}\n"
	dir := writeBot(t, map[string]string{"bot.hcl": minimalBot, "deep.hcl": deep})
	code, _, stderr := runCmd(t, "", "validate", dir)
	if code != 1 || !strings.Contains(stderr, "deep.hcl:2:110: error: Nesting too deep") {
		t.Errorf("exit %d, stderr:\n%.2000s\nwant exit 1 and deep.hcl:2:110: Nesting too deep", code, stderr)
	}
	if len(stderr) > 4000 {
		t.Errorf("stderr is %d bytes: the 200 KB line should be clipped around the caret", len(stderr))
	}
}

// TestValidatePrintsNoControlCharacters: whatever a file holds, validate's
// output has no control characters a terminal would act on.
func TestValidatePrintsNoControlCharacters(t *testing.T) {
	tests := map[string]string{
		"binary":          "\x00\x01\x02\xff\xfe\x1b[2J\x07",
		"escape in text":  "bot \"x\" {\n  a = \x1b[31m\x07\x1b]0;pwned\x07\n}\n",
		"escape in label": "intent \"\\u001b[31m\" {\n  examples = [\"hi\"]\n}\n",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			dir := writeBot(t, map[string]string{"bot.hcl": minimalBot, "junk.hcl": src})
			code, _, stderr := runCmd(t, "", "validate", dir)
			if code != 1 {
				t.Fatalf("exit %d, want 1", code)
			}
			for i, r := range stderr {
				if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
					t.Fatalf("stderr holds control character %U at byte %d:\n%q", r, i, stderr)
				}
			}
		})
	}
}

// TestValidateHonoursInterrupt: Ctrl-C stops validate at once, even while a
// large bot is being checked, with the shell's exit code for an interrupt.
func TestValidateHonoursInterrupt(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	loading := make(chan struct{})
	prev := loadDir
	loadDir = func(dir string) (*policies.Bot, hcl.Diagnostics) {
		close(loading)
		<-release
		return nil, nil
	}
	defer func() { loadDir = prev }()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-loading
		cancel()
	}()
	withTimeout(t, 10*time.Second, func() {
		var out, errOut bytes.Buffer
		err := Run(ctx, []string{"validate", shop}, strings.NewReader(""), &out, &errOut)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 130 {
			t.Errorf("validate after Ctrl-C = %v, want exit code 130", err)
		}
	})
}

// TestValidateNLU: -nlu trains the NLU and warns about an FAQ question an
// intent takes; without it validate stays static.
func TestValidateNLU(t *testing.T) {
	const bot = "../../../engine/testdata/faq_taken"
	for _, tc := range []struct {
		args []string
		warn bool
	}{
		{[]string{"validate", bot}, false},
		{[]string{"validate", "-nlu", bot}, true},
	} {
		code, stdout, stderr := runCmd(t, "", tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", tc.args, code, stdout, stderr)
		}
		if got := strings.Contains(stderr, "FAQ taken by an intent") && strings.Contains(stderr, `faq "pay"`); got != tc.warn {
			t.Errorf("%v: warned %v, want %v\n%s", tc.args, got, tc.warn, stderr)
		}
	}
}
