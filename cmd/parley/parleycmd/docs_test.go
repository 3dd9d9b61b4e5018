package parleycmd

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/policies"
)

const languageDoc = "../../../docs/language.md"

// docExample is one ```hcl block of a document, without the indentation of
// its fence (blocks inside list items are indented).
type docExample struct {
	line    int // of the opening fence
	section string
	src     string
}

var (
	fenceRE   = regexp.MustCompile("(?ms)^([ \t]*)```hcl\n(.*?)^[ \t]*```")
	sectionRE = regexp.MustCompile(`(?m)^#{2,3} (.+)$`)
)

func docExamples(t *testing.T, path string) []docExample {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	var out []docExample
	for _, m := range fenceRE.FindAllStringSubmatchIndex(doc, -1) {
		indent := doc[m[2]:m[3]]
		var lines []string
		for _, l := range strings.SplitAfter(doc[m[4]:m[5]], "\n") {
			lines = append(lines, strings.TrimPrefix(l, indent))
		}
		section := ""
		for _, s := range sectionRE.FindAllStringSubmatchIndex(doc[:m[0]], -1) {
			section = doc[s[2]:s[3]]
		}
		out = append(out, docExample{line: strings.Count(doc[:m[0]], "\n") + 1, section: section, src: strings.Join(lines, "")})
	}
	return out
}

// TestLanguageDocExamplesFormatted: every HCL example of docs/language.md is
// what `parley fmt` would write, so a reader who copies one passes
// `parley fmt -check`.
func TestLanguageDocExamplesFormatted(t *testing.T) {
	examples := docExamples(t, languageDoc)
	if len(examples) < 20 {
		t.Fatalf("found %d HCL examples in %s; the fence pattern is broken", len(examples), languageDoc)
	}
	for _, ex := range examples {
		out, diags := policies.FormatFile("example.hcl", []byte(ex.src))
		if diags.HasErrors() {
			t.Errorf("%s:%d: the example does not parse: %s", languageDoc, ex.line, diags.Error())
			continue
		}
		if !bytes.Equal(out, []byte(ex.src)) {
			t.Errorf("%s:%d: the example is not formatted:\n%s", languageDoc, ex.line, policies.UnifiedDiff("example.hcl", []byte(ex.src), out))
		}
	}
}

// TestLanguageDocTestExamplesPass: the examples of the test section are valid
// in the shop bot, and their tests pass on the shop's mocks.
func TestLanguageDocTestExamplesPass(t *testing.T) {
	t.Setenv("SHOP_API_URL", "http://127.0.0.1:1") // no order system: the mocks answer
	n := 0
	for _, ex := range docExamples(t, languageDoc) {
		if ex.section != "test" {
			continue
		}
		n++
		dir := copyShop(t)
		if err := os.WriteFile(filepath.Join(dir, "tests", "doc_example.hcl"), []byte(ex.src), 0o644); err != nil {
			t.Fatal(err)
		}
		bot, diags := engine.Load(dir, nil)
		if diags.HasErrors() {
			t.Errorf("%s:%d: the example is not valid in the shop bot: %s", languageDoc, ex.line, diags.Error())
			continue
		}
		// Only the example's tests: the shop has tests of the same names.
		only := *bot
		only.Tests = nil
		for _, tc := range bot.Tests {
			if strings.HasSuffix(tc.Range.Filename, "doc_example.hcl") {
				only.Tests = append(only.Tests, tc)
			}
		}
		if len(only.Tests) == 0 {
			continue // mocks only
		}
		var out bytes.Buffer
		sum, err := engine.RunTests(context.Background(), &only, engine.TestOptions{}, &out)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Failed > 0 || sum.Passed != len(only.Tests) {
			t.Errorf("%s:%d: the example's tests do not pass in the shop bot:\n%s", languageDoc, ex.line, out.String())
		}
	}
	if n < 5 {
		t.Errorf("found %d examples in the test section, want 5 or more", n)
	}
}

// copyShop copies the shop bot's policies, tests and knowledge into a new
// folder: not its backend's code, nor a database a run left (.parley).
func copyShop(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(shop, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(shop, path)
		if d.IsDir() {
			if rel == "backend" || path != shop && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), src, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
