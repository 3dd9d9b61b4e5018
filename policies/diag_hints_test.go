package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCountryCodeForLanguage: "cn" for Chinese is a country code, and the
// nearest language code by spelling ("an", Aragonese) misleads.
func TestCountryCodeForLanguage(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/language_country_code", testOptions)
	var got []string
	for _, d := range diags {
		got = append(got, d.Detail)
	}
	const use = ` is not a language code; use a two-letter ISO 639-1 code like "en" or "zh", optionally with a region ("zh-TW").`
	want := []string{
		`"cn"` + use + ` "cn" is a country code; the language is "zh".`,
		`"jp"` + use + ` "jp" is a country code; the language is "ja".`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}

// TestKnowledgeSourceKinds: the files a source matches that the knowledge
// base can't read are named, one diagnostic per glob and problem.
func TestKnowledgeSourceKinds(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/knowledge_source_kind", testOptions)
	var got []string
	for _, d := range diags {
		got = append(got, d.Detail)
	}
	want := []string{
		`"docs/*" matches docs/scan.pdf, which the knowledge base can't read: it reads .md, .markdown, .txt, .text and .csv files. The bot could not load its knowledge. Save such documents as Markdown or text, or narrow the pattern, as in "knowledge/*.md".`,
		`"*.hcl" matches main.hcl, which the bot is written in: a knowledge source is read as faq blocks only, so the bot could not load its knowledge. faq blocks are in the knowledge base wherever they are written: don't list .hcl files in sources.`,
		`"*.hcl" matches faq.hcl, whose faq blocks are in the knowledge base already, so each is there twice. Don't list .hcl files in sources.`,
		`"faq.hcl" matches faq.hcl, whose faq blocks are in the knowledge base already, so each is there twice. Don't list .hcl files in sources.`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}

// TestFAQPerLanguageNames: an FAQ written with a text per language is told
// the names of the blocks to write, in its own languages, without doubling
// a language the name already ends in ("hours_zh_en").
func TestFAQPerLanguageNames(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/faq_fields", testOptions)
	got := detailsOf(diags, "One language per FAQ")
	want := []string{
		`An FAQ's question is one text, in one language: write one faq block per language, such as "hours_zh" and "hours_en".`,
		`An FAQ's answer is one text, in one language: write one faq block per language, such as "hours_zh" and "hours_en".`,
		`An FAQ's answer is one text, in one language: write one faq block per language, such as "hours_zh" and "hours_en".`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}

// TestMissingDefaultTranslation: a response or case without the default
// language's text names the language customers get instead, not the one
// missing ("has no "zh" text; customers speaking it get the "zh" text").
func TestMissingDefaultTranslation(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/default_language_translation", testOptions)
	var got []string
	for _, d := range diags {
		got = append(got, d.Detail)
	}
	want := []string{
		`Response "hello" has no "zh" text, the bot's default language; customers speaking it, or a language the bot does not speak, get the "en" text.`,
		`This case of response "bye" has no "zh" text, the bot's default language; customers speaking it, or a language the bot does not speak, get the case's "en" text when it holds, not the response's own text.`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}

// TestValueButtonsOfAnObject: a call's whole result given to value_buttons
// is told which of its fields is the list.
func TestValueButtonsOfAnObject(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/value_buttons_list", testOptions)
	got := detailsOf(diags, "Incorrect value type")
	want := []string{
		`value_buttons offers one button per value of a list; this is a number. Give it a list, such as call.order.items, or the name of a list entity.`,
		`value_buttons offers one button per value of a list; this is an object. Pick its list out: call.order.items.`,
		`value_buttons makes a button of each value, so the values must be texts or numbers; each of these is an object. Pick one field of each, as in [for i in call.order.items : i.sku].`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}
