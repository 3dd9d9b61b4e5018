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
