package connectors_test

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// updateDocs rewrites the guide's example blocks from example_test.go:
//
//	go test ./connectors -run TestDocsExampleInSync -update-docs
var updateDocs = flag.Bool("update-docs", false, "copy the example regions of example_test.go into docs/connectors.md")

const (
	guidePath   = "../docs/connectors.md"
	examplePath = "example_test.go"
)

var (
	// goRegion is the code between "// example:begin" and "// example:end" lines.
	goRegion = regexp.MustCompile(`(?ms)^// example:begin\n(.*?)^// example:end$`)
	// docRegion is a fenced Go block between the guide's HTML comment markers.
	docRegion = regexp.MustCompile("(?ms)^<!-- example:begin -->\n```go\n(.*?)```\n<!-- example:end -->$")
)

// TestDocsExampleInSync keeps the connector in docs/connectors.md identical to
// the one in example_test.go, which compiles, runs as an Example and passes the
// conformance suite in CI: the guide can never show code that does not work.
func TestDocsExampleInSync(t *testing.T) {
	src, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatalf("read example: %v", err)
	}
	guide, err := os.ReadFile(guidePath)
	if err != nil {
		t.Fatalf("read guide: %v", err)
	}
	var want []string
	for _, m := range goRegion.FindAllStringSubmatch(string(src), -1) {
		want = append(want, strings.Trim(m[1], "\n")+"\n")
	}
	if len(want) == 0 {
		t.Fatalf("%s has no region between // example:begin and // example:end lines", examplePath)
	}

	if *updateDocs {
		i := 0
		updated := docRegion.ReplaceAllStringFunc(string(guide), func(block string) string {
			defer func() { i++ }()
			if i >= len(want) {
				return block
			}
			return "<!-- example:begin -->\n```go\n" + want[i] + "```\n<!-- example:end -->"
		})
		if i != len(want) {
			t.Fatalf("%s has %d example blocks but %s has %d regions; add or remove <!-- example:begin --> blocks by hand", guidePath, i, examplePath, len(want))
		}
		if err := os.WriteFile(guidePath, []byte(updated), 0o644); err != nil {
			t.Fatalf("write guide: %v", err)
		}
		guide = []byte(updated)
	}

	var got []string
	for _, m := range docRegion.FindAllStringSubmatch(string(guide), -1) {
		got = append(got, m[1])
	}
	const fix = "docs/connectors.md must show the code of connectors/example_test.go verbatim.\n" +
		"Edit the code in example_test.go (it is what CI compiles and runs), then copy each region\n" +
		"between `// example:begin` and `// example:end` into the matching\n" +
		"<!-- example:begin --> ```go ... ``` <!-- example:end --> block of the guide, or run:\n" +
		"\tgo test ./connectors -run TestDocsExampleInSync -update-docs"
	if len(got) != len(want) {
		t.Fatalf("%s has %d example blocks, %s has %d regions.\n%s", guidePath, len(got), examplePath, len(want), fix)
	}
	for i := range want {
		if diff := cmp.Diff(strings.Split(want[i], "\n"), strings.Split(got[i], "\n")); diff != "" {
			t.Errorf("example block %d of %s differs from %s (-code +doc):\n%s\n%s", i+1, guidePath, examplePath, diff, fix)
		}
	}
}

// TestDocsRegionsFound guards the regexps themselves: a marker typo would
// otherwise make the sync check vacuous.
func TestDocsRegionsFound(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		re         *regexp.Regexp
		want       int
	}{
		{"go", "x\n// example:begin\nfunc A() {}\n// example:end\n// example:begin\nfunc B() {}\n// example:end\n", goRegion, 2},
		{"doc", "<!-- example:begin -->\n```go\nfunc A() {}\n```\n<!-- example:end -->\n", docRegion, 1},
		{"doc without fence", "<!-- example:begin -->\nfunc A() {}\n<!-- example:end -->\n", docRegion, 0},
	} {
		if got := len(tc.re.FindAllString(tc.text, -1)); got != tc.want {
			t.Errorf("%s: %d regions, want %d", tc.name, got, tc.want)
		}
	}
}
