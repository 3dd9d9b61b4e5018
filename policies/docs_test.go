package policies

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// docExamples returns the HCL examples of a Markdown file: each ```hcl fence,
// with the line it starts on.
func docExamples(t *testing.T, path string) (examples []string, lines []int) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fence := regexp.MustCompile("(?ms)^```hcl\n(.*?)^```$")
	for _, m := range fence.FindAllSubmatchIndex(src, -1) {
		examples = append(examples, string(src[m[2]:m[3]]))
		lines = append(lines, strings.Count(string(src[:m[0]]), "\n")+1)
	}
	return examples, lines
}

// TestLanguageDocExamplesFormatted keeps every example in docs/language.md as
// `parley fmt` writes it: a reader who copies one gets a file fmt -check passes.
func TestLanguageDocExamplesFormatted(t *testing.T) {
	examples, lines := docExamples(t, "../docs/language.md")
	if len(examples) < 20 {
		t.Fatalf("found only %d hcl examples in docs/language.md", len(examples))
	}
	for i, ex := range examples {
		got, diags := FormatFile("example.hcl", []byte(ex))
		if diags.HasErrors() {
			t.Errorf("docs/language.md:%d: the example does not parse: %s", lines[i], diags.Error())
			continue
		}
		if string(got) != ex {
			t.Errorf("docs/language.md:%d: the example is not formatted as parley fmt writes it:\n%s", lines[i], UnifiedDiff("example.hcl", []byte(ex), got))
		}
	}
}

// TestLanguageDocCompleteBot loads the complete bot at the end of
// docs/language.md: it must validate as it is written.
func TestLanguageDocCompleteBot(t *testing.T) {
	src, err := os.ReadFile("../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(src), "## A complete small bot")
	if !ok {
		t.Fatal("docs/language.md has no complete small bot")
	}
	examples := regexp.MustCompile("(?ms)^```hcl\n(.*?)^```$").FindStringSubmatch(section)
	if examples == nil {
		t.Fatal("the complete small bot has no hcl example")
	}
	bot, diags := LoadFiles(map[string][]byte{"bot.hcl": []byte(examples[1])}, testOptions)
	for _, d := range diags {
		t.Errorf("%s", d)
	}
	if bot == nil {
		t.Fatal("the complete small bot does not load")
	}
}
