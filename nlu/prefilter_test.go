package nlu

import "testing"

// The cheap checks in front of the cancel and negation regexps must pass
// every text the regexps can match, or a cancel or a "not X" goes unseen.
func TestRegexpPrefilters(t *testing.T) {
	for _, s := range []string{"not", "NOT", "Not on", "why not", "i do nOt", "nothing", "no, not"} {
		if !hasNotASCII(s) {
			t.Errorf("hasNotASCII(%q) = false", s)
		}
		if reNotBeforeEN.MatchString(s) && !hasNotASCII(s) {
			t.Errorf("reNotBeforeEN matches %q but the check skips it", s)
		}
	}
	for _, s := range []string{"", "no", "no t", "n0t", "不是"} {
		if hasNotASCII(s) {
			t.Errorf("hasNotASCII(%q) = true", s)
		}
	}
	for _, seg := range []string{"forget the quote", "ok scrap that booking", "ditch this thing please", "drop the whole thing"} {
		if !reDropTaskEN.MatchString(seg) || !mayDropTask(seg) {
			t.Errorf("%q: regexp %v, check %v", seg, reDropTaskEN.MatchString(seg), mayDropTask(seg))
		}
	}
	for _, s := range []string{"不洗了", "先不寄了", "不需要上门了", "我不用来了吧"} {
		if !reRestatedZh.MatchString(s) || !mayRestateZh(s) {
			t.Errorf("%q: regexp %v, check %v", s, reRestatedZh.MatchString(s), mayRestateZh(s))
		}
	}
	for _, s := range []string{"i don't need", "dont want anymore", "do not need now"} {
		if !reRestatedEN.MatchString(s) || !mayRestateEN(s) {
			t.Errorf("%q: regexp %v, check %v", s, reRestatedEN.MatchString(s), mayRestateEN(s))
		}
	}
}

func TestWithoutFillers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"never mind", "never mind"},
		{"  never   mind ", "never mind"},
		{"never\tmind", "never mind"},
		{"算了", "算了"},
	} {
		if got := withoutFillers(tc.in); got != tc.want {
			t.Errorf("withoutFillers(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for f := range cancelFillers {
		if got := withoutFillers(f + " cancel"); got != "cancel" {
			t.Errorf("withoutFillers(%q) = %q, want %q", f+" cancel", got, "cancel")
		}
	}
}
