//go:build unix

package knowledge

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadRefusesSpecialFiles: a knowledge source that is not a regular file of
// reasonable size is refused by name, never read (a FIFO would block forever,
// /dev/zero never ends, a sparse 1 GB file would be read whole).
func TestLoadRefusesSpecialFiles(t *testing.T) {
	tests := []struct {
		name    string
		make    func(t *testing.T, path string)
		wantErr string
	}{
		{"FIFO", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "faq.md is a named pipe (FIFO), not a regular file"},
		{"symlink to /dev/zero", func(t *testing.T, p string) {
			if err := os.Symlink("/dev/zero", p); err != nil {
				t.Fatal(err)
			}
		}, "faq.md is a device, not a regular file"},
		{"sparse 1 GB file", func(t *testing.T, p string) {
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(1 << 30); err != nil {
				t.Fatal(err)
			}
		}, "faq.md is 1 GiB, over the 16 MiB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.make(t, filepath.Join(dir, "faq.md"))
			done := make(chan error, 1)
			go func() {
				_, err := Load(dir, []Source{{Glob: "*.md"}})
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "knowledge faq.md: ") {
					t.Errorf("Load error = %v, want one naming faq.md and saying %q", err, tt.wantErr)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Load did not return within 10s")
			}
		})
	}
}

func TestLoadFollowsSymlinksToFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{"real/faq.md": "# Shipping\n\nThree days.\n"})
	if err := os.Symlink(filepath.Join(dir, "real", "faq.md"), filepath.Join(dir, "faq.md")); err != nil {
		t.Fatal(err)
	}
	chunks, err := Load(dir, []Source{{Glob: "faq.md"}})
	if err != nil || len(chunks) != 1 {
		t.Fatalf("Load = %d chunks, %v; want the linked file's one chunk", len(chunks), err)
	}
}
