package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFAQsTakenByIntents(t *testing.T) {
	bot, diags := Load(filepath.Join("testdata", "faq_taken"), nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	got, err := FAQsTakenByIntents(context.Background(), bot)
	if err != nil {
		t.Fatal(err)
	}
	type warning struct{ Summary, FAQ, Intent string }
	var warnings []warning
	for _, d := range got {
		w := warning{Summary: d.Summary}
		for _, name := range []string{"pay", "hours"} {
			if strings.Contains(d.Detail, `faq "`+name+`"`) {
				w.FAQ = name
			}
		}
		if strings.Contains(d.Detail, "is intent payment_plan") {
			w.Intent = "payment_plan"
		}
		warnings = append(warnings, w)
	}
	want := []warning{{Summary: "FAQ taken by an intent", FAQ: "pay", Intent: "payment_plan"}}
	if d := cmp.Diff(want, warnings); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
}
