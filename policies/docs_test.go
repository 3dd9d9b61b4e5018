package policies

import (
	"os"
	"regexp"
	"strings"
	"testing"
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
