package policies

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNoSourceFileDetail(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "knowledge"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		glob, want string
	}{
		{"knowledge/", `"knowledge/" is a folder, and sources name files: list its files with a pattern, like "knowledge/*.md", or "knowledge/**/*.md"`},
		{"knowledge", `"knowledge" is a folder, and sources name files: list its files with a pattern, like "knowledge/*.md"`},
		{"knowledge/*.csv", `No file in the bot folder`},
		{"docs/", `No file in the bot folder`},
	}
	for _, tt := range tests {
		if got := noSourceFileDetail(dir, tt.glob); !strings.Contains(got, tt.want) {
			t.Errorf("noSourceFileDetail(%q) = %q, want it to contain %q", tt.glob, got, tt.want)
		}
	}
}
