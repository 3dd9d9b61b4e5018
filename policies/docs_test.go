package policies

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

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

// TestLanguageDocExamplesUseTheSchema loads each example of the sections on
// blocks on its own, in a bot that declares nothing else: references to what
// the rest of a bot would declare are unknown there, but every block type,
// argument and value shape must be one the language takes.
func TestLanguageDocExamplesUseTheSchema(t *testing.T) {
	src, err := os.ReadFile("../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	fence := regexp.MustCompile("(?ms)^```hcl\n(.*?)^```$")
	heading := regexp.MustCompile(`(?m)^#{2,4} (.+)$`)
	schema := regexp.MustCompile(`^(Unsupported|Missing|Invalid|Incorrect|Mixed|Conflicting|Duplicate|Case|Nothing|No |Expected|offer_continue|Button)`)
	checked := 0
	for _, m := range fence.FindAllStringSubmatchIndex(doc, -1) {
		section := ""
		for _, h := range heading.FindAllStringSubmatch(doc[:m[0]], -1) {
			section = h[1]
		}
		if section == "test" || section == "Mocks" || strings.HasPrefix(section, "Table tests") || section == "A complete small bot" {
			continue // the tests' own docs test and TestLanguageDocCompleteBot check these
		}
		if section == "Files and syntax" {
			continue // illustrates the syntax, with made-up blocks
		}
		ex := doc[m[2]:m[3]]
		if strings.HasPrefix(ex, "confirm {") || strings.HasPrefix(ex, "outcome \"") {
			ex = "dialog \"docs\" {\n" + ex + "}\n" // a dialog's blocks
		}
		if !strings.Contains(ex, "bot \"") {
			ex += "\nbot \"docs\" {\n  languages = [\"en\", \"zh\"]\n}\n"
		}
		_, diags := LoadFiles(map[string][]byte{"example.hcl": []byte(ex)}, testOptions)
		line := strings.Count(doc[:m[0]], "\n") + 1
		for _, d := range diags {
			if d.Severity == hcl.DiagError && schema.MatchString(d.Summary) {
				t.Errorf("docs/language.md:%d (%s): %s", line, section, d)
			}
		}
		checked++
	}
	if checked < 25 {
		t.Errorf("checked only %d examples", checked)
	}
}
