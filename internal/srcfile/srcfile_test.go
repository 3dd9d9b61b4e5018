//go:build unix

package srcfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("small.hcl", "bot \"b\" {}\n")
	exact := write("exact.hcl", strings.Repeat("x", 64))
	link := filepath.Join(dir, "link.hcl")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	// A sparse 1 GB file costs no disk, but reading it whole would cost 1 GB.
	huge := filepath.Join(dir, "huge.hcl")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	fifo := filepath.Join(dir, "x.hcl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.hcl")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		want    string
		wantErr error
		msg     string
	}{
		{"regular file", small, "bot \"b\" {}\n", nil, ""},
		{"exactly at the limit", exact, strings.Repeat("x", 64), nil, ""},
		{"symlink to a regular file", link, "bot \"b\" {}\n", nil, ""},
		{"sparse 1 GB file", huge, "", ErrTooLarge, "huge.hcl is 1 GiB, over the 64 bytes limit"},
		{"FIFO", fifo, "", ErrNotRegular, "x.hcl is a named pipe (FIFO), not a regular file"},
		{"symlink to /dev/zero", zero, "", ErrNotRegular, "zero.hcl is a device, not a regular file"},
		{"folder", dir, "", ErrNotRegular, "is a folder, not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			var got []byte
			var err error
			go func() {
				defer close(done)
				got, err = Read(tt.path, 64)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Read did not return within 10s")
			}
			if tt.wantErr == nil {
				if err != nil || string(got) != tt.want {
					t.Fatalf("Read = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Read error = %v; want %v saying %q", err, tt.wantErr, tt.msg)
			}
		})
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 8 << 20: "8 MiB", 1536: "1.5 KiB", 1 << 30: "1 GiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
