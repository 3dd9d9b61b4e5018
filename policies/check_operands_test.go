package policies

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// countingScope is a scope with one function, probe(), that counts its calls:
// how often the checker evaluates the leaf of an expression.
func countingScope(calls *int) *typeScope {
	probe := function.New(&function.Spec{
		Type: function.StaticReturnType(cty.Bool),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			*calls++
			return cty.UnknownVal(cty.Bool), nil
		},
	})
	return &typeScope{ctx: &hcl.EvalContext{
		Functions: map[string]function.Function{"probe": probe},
		Variables: map[string]cty.Value{"n": cty.UnknownVal(cty.Number), "s": cty.UnknownVal(cty.String)},
	}}
}

// TestCheckOperandsIsLinear: checking a chain of n operators evaluates its leaf
// a constant number of times. It was once per operator, so 8,000 '!' took 13 s
// and 200,000 over 14 minutes.
func TestCheckOperandsIsLinear(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("!", 500) + "probe()",
		strings.Repeat("probe() && ", 500) + "probe()",
		strings.Repeat("!(", 50) + "probe()" + strings.Repeat(")", 50),
		strings.Repeat("probe() ? true : ", 300) + "probe()",
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "x.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		leaves := strings.Count(src, "probe()")
		calls := 0
		c := &checker{bot: &Bot{}}
		if !c.checkOperands(expr, countingScope(&calls)) || len(c.diags) > 0 {
			t.Fatalf("%.40s...: %v", src, c.diags)
		}
		if calls > 2*leaves {
			t.Errorf("%.40s...: probe() evaluated %d times for %d leaves; want at most %d", src, calls, leaves, 2*leaves)
		}
	}
}

// TestCheckOperandsReportsRootCauseOnly: a bad operand is reported once, not
// again by every operator above it.
func TestCheckOperandsReportsRootCauseOnly(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{`!!!!s`, []string{"x.hcl:1,5-6: Invalid operand; The operand of ! must be true or false, but this is string."}},
		{`-(n + s) > 3`, []string{"x.hcl:1,7-8: Invalid operand; The operand of + must be a number, but this is string."}},
		{`s && s`, []string{
			"x.hcl:1,1-2: Invalid operand; The operand of && must be true or false, but this is string.",
			"x.hcl:1,6-7: Invalid operand; The operand of && must be true or false, but this is string.",
		}},
		{`(probe() ? n : n) > 1 && !(n < 2)`, nil},
		{`(probe() ? s : s) > 1`, []string{"x.hcl:1,1-18: Invalid operand; The operand of > must be a number, but this is string."}},
		{`n > "3000"`, []string{`x.hcl:1,5-11: Invalid operand; The operand of > must be a number, but this is string. Write it without quotes: 3000.`}},
		{`!"true"`, []string{`x.hcl:1,2-8: Invalid operand; The operand of ! must be true or false, but this is string. Write it without quotes: true.`}},
		{`n > "many"`, []string{`x.hcl:1,5-11: Invalid operand; The operand of > must be a number, but this is string.`}},
	}
	for _, tt := range tests {
		expr, diags := hclsyntax.ParseExpression([]byte(tt.src), "x.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		calls := 0
		c := &checker{bot: &Bot{}}
		c.checkOperands(expr, countingScope(&calls))
		var got []string
		for _, d := range c.diags {
			got = append(got, d.Error())
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.src, diff)
		}
	}
}

func BenchmarkCheckOperandsChain(b *testing.B) {
	for _, n := range []int{250, 1000} {
		src := strings.Repeat("!", n) + "probe()"
		expr, _ := hclsyntax.ParseExpression([]byte(src), "x.hcl", hcl.InitialPos)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			calls := 0
			sc := countingScope(&calls)
			for b.Loop() {
				c := &checker{bot: &Bot{}}
				c.checkOperands(expr, sc)
			}
		})
	}
}

// TestDateComparisonHint: a stranger validated a visit date against the past
// with slot.visit_date > now; the fix names days_between with their operands.
func TestDateComparisonHint(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/date_compared", Options{})
	var got []string
	for _, d := range diags {
		got = append(got, d.Detail)
	}
	want := []string{
		"> compares numbers, but dates are text. Count the days between them instead: days_between(now, slot.visit_date) > 0.",
		">= compares numbers, but dates are text. Count the days between them instead: days_between(now, slot.away.start) >= 1.",
		"< compares numbers, but dates are text. Count the days between them instead, as in days_between(now, slot.visit_date) > 0 (the visit is after today).",
		"<= compares numbers, but dates are text. Count the days between them instead: days_between(now, slot.callback) <= var.window.",
		">= compares numbers, but dates are text. Count the days between them instead: days_between(now, slot.pickup) <= 21.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}
