package policies

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

const versionBot = `bot "v" {
  languages = ["en"]
}

response "kb_answer" {
  en = "${knowledge.answer}"
}

knowledge {
  sources = ["docs/**/*.md"]
  reply   = response.kb_answer
}
`

func writeVersionBot(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["main.hcl"] = versionBot
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The version covers every file a knowledge source matches, with the same
// matching the knowledge loader uses: "**" spans zero or more folders.
func TestVersionCoversEveryKnowledgeSource(t *testing.T) {
	for _, name := range []string{"docs/top.md", "docs/a/one.md", "docs/a/b/deep.md"} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"docs/top.md": "# Top\n", "docs/a/one.md": "# One\n", "docs/a/b/deep.md": "# Deep\n"}
			before, diags := LoadDir(writeVersionBot(t, files), testOptions)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			files = map[string]string{"docs/top.md": "# Top\n", "docs/a/one.md": "# One\n", "docs/a/b/deep.md": "# Deep\n"}
			files[name] += "changed\n"
			after, diags := LoadDir(writeVersionBot(t, files), testOptions)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if before.Version == after.Version {
				t.Errorf("changing %s left the policy version at %s", name, before.Version)
			}
		})
	}
}

// A FIFO matched by a knowledge source must not hang loading the bot (the
// version hashes knowledge files): the knowledge loader refuses it by name.
func TestVersionSkipsSpecialFiles(t *testing.T) {
	dir := writeVersionBot(t, map[string]string{"docs/start.md": "# Start\n", "docs/a/one.md": "# One\n"})
	if err := syscall.Mkfifo(filepath.Join(dir, "docs", "a", "pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		LoadDir(dir, testOptions)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("LoadDir blocked on a FIFO matched by a knowledge source")
	}
}
