package policies

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestFormatGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "fmt", "*.in.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no golden inputs in testdata/fmt")
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".in.hcl")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, diags := FormatFile(in, src)
			if diags.HasErrors() {
				t.Fatalf("FormatFile: %s", diags.Error())
			}
			goldenPath := filepath.Join("testdata", "fmt", name+".golden.hcl")
			if *update {
				if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			golden, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(golden), string(got)); diff != "" {
				t.Errorf("Format(%s) (-golden +got):\n%s", in, diff)
			}
			if again := Format(golden); !bytes.Equal(again, golden) {
				t.Errorf("Format is not idempotent on %s:\n%s", goldenPath, UnifiedDiff(goldenPath, golden, again))
			}
		})
	}
}

func TestFormatRules(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only blank lines", "\n\n\n", ""},
		{"adds final newline", `a = 1`, "a = 1\n"},
		{"one final newline", "a = 1\n\n\n", "a = 1\n"},
		{"crlf", "a = 1\r\nb = 2\r\n", "a = 1\nb = 2\n"},
		{"trailing spaces", "a = 1   \n", "a = 1\n"},
		{"blank runs", "a = 1\n\n\n\nb = 2\n", "a = 1\n\nb = 2\n"},
		{"aligns", "a = 1\nlonger = 2\n", "a      = 1\nlonger = 2\n"},
		{"heredoc kept", "a = <<EOT\n  x  \n\n\nEOT\n", "a = <<EOT\n  x  \n\n\nEOT\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(Format([]byte(tc.in)))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Format (-want +got):\n%s", diff)
			}
			if again := string(Format([]byte(got))); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestFormatFileRefusesSyntaxErrors(t *testing.T) {
	src := []byte("bot \"shop\" {\n  languages = [\"en\"\n}\n")
	got, diags := FormatFile("bot.hcl", src)
	if !diags.HasErrors() {
		t.Fatal("expected syntax errors")
	}
	if got != nil {
		t.Errorf("FormatFile returned output for a broken file: %q", got)
	}
	if diags[0].Subject == nil || diags[0].Subject.Filename != "bot.hcl" {
		t.Errorf("diagnostic has no subject in bot.hcl: %+v", diags[0])
	}
}

// The example bot is the language's showcase, so it must be formatted.
func TestExamplesAreFormatted(t *testing.T) {
	root := filepath.Join("..", "examples")
	if _, err := os.Stat(root); err != nil {
		t.Skip("no examples folder")
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".hcl" {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		got, diags := FormatFile(path, src)
		if diags.HasErrors() {
			t.Errorf("%s: %s", path, diags.Error())
			return nil
		}
		if !bytes.Equal(got, src) {
			t.Errorf("%s is not formatted:\n%s", path, UnifiedDiff(path, src, got))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"change", "a\nb\nc\n", "a\nB\nc\n", "--- a/f.hcl\n+++ b/f.hcl\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"append", "a\n", "a\nb\n", "--- a/f.hcl\n+++ b/f.hcl\n@@ -1 +1,2 @@\n a\n+b\n"},
		{"from empty", "", "a\n", "--- a/f.hcl\n+++ b/f.hcl\n@@ -0,0 +1 @@\n+a\n"},
		{"to empty", "a\n", "", "--- a/f.hcl\n+++ b/f.hcl\n@@ -1 +0,0 @@\n-a\n"},
		{"no newline at end", "a\nb", "a\nb\n", "--- a/f.hcl\n+++ b/f.hcl\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{
			"two hunks",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			"1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\nELEVEN\n12\n",
			"--- a/f.hcl\n+++ b/f.hcl\n@@ -1,5 +1,5 @@\n 1\n-2\n+TWO\n 3\n 4\n 5\n@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+ELEVEN\n 12\n",
		},
		{
			"close changes merge",
			"1\n2\n3\n4\n5\n6\n7\n",
			"1\nX\n3\n4\n5\nY\n7\n",
			"--- a/f.hcl\n+++ b/f.hcl\n@@ -1,7 +1,7 @@\n 1\n-2\n+X\n 3\n 4\n 5\n-6\n+Y\n 7\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := UnifiedDiff("f.hcl", []byte(tc.a), []byte(tc.b))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("UnifiedDiff (-want +got):\n%s", diff)
			}
		})
	}
}

// Our diff must apply with patch(1), the strictest reader of unified diffs around.
func TestUnifiedDiffAppliesWithPatch(t *testing.T) {
	patchBin, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("patch(1) not installed")
	}
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("testdata", "fmt", "nested.in.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	want := Format(src)
	path := filepath.Join(dir, "f.hcl")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(patchBin, "-s", "-p1", "-d", dir)
	cmd.Stdin = strings.NewReader(UnifiedDiff("f.hcl", src, want))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v\n%s", err, out)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("patched file (-want +got):\n%s", diff)
	}
}

func BenchmarkUnifiedDiff(b *testing.B) {
	var a, c strings.Builder
	for i := range 2000 {
		line := strings.Repeat("x", i%40) + "\n"
		a.WriteString(line)
		if i%50 == 0 {
			c.WriteString("changed\n")
		} else {
			c.WriteString(line)
		}
	}
	x, y := []byte(a.String()), []byte(c.String())
	for b.Loop() {
		UnifiedDiff("f.hcl", x, y)
	}
}
