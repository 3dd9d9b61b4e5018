package policies

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Policies in subfolders are named by their paths, the order they are read
// in: b/a.hcl comes after a/z.hcl, which a.hcl alone would not say.
func TestShadowedHandoffNamesFilePaths(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"bot.hcl": `
bot "b" {
  languages = ["en"]
}

intent "human" {
  examples = ["talk to a human", "agent please", "real person", "speak to someone", "human"]
}

queue "general" {}

queue "vip" {}
`,
		"a/z.hcl": `
handoff "asked" {
  when  = intent.name == "human"
  queue = queue.general
}
`,
		"b/a.hcl": `
handoff "vip" {
  when  = customer.vip && intent.name == "human"
  queue = queue.vip
}
`,
	}
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, diags := LoadDir(dir, testOptions)
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+": "+d.Detail)
	}
	want := []string{`Never applies: Handoff policy "vip" never applies: handoff policy "asked" in a/z.hcl, which is read before b/a.hcl (files are read in the order of their paths), holds whenever it does, and the first policy that matches hands off. Put the more specific policy first, in the same file.`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
