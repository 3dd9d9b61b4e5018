package policies

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// evalFunc evaluates one expression with the function table and no variables,
// returning the value as Go text ("" on error) and the first error summary.
func evalFunc(t *testing.T, src string) (cty.Value, string) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %q: %s", src, diags.Error())
	}
	ctx := &hcl.EvalContext{Functions: Functions()}
	var v cty.Value
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("%s panicked: %v", src, r)
			}
		}()
		v, diags = expr.Value(ctx)
	}()
	if diags.HasErrors() {
		return cty.NilVal, diags[0].Summary + ": " + diags[0].Detail
	}
	return v, ""
}

type funcCase struct {
	expr    string
	want    cty.Value
	wantErr string // a substring of the error; "" for success
}

func runFuncCases(t *testing.T, cases []funcCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			got, err := evalFunc(t, tc.expr)
			if tc.wantErr != "" {
				if !strings.Contains(err, tc.wantErr) {
					t.Fatalf("error = %q, want it to contain %q (value %#v)", err, tc.wantErr, got)
				}
				return
			}
			if err != "" {
				t.Fatalf("unexpected error: %s", err)
			}
			if !got.RawEquals(tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestMoney(t *testing.T) {
	runFuncCases(t, []funcCase{
		{`money(1280, "CNY")`, cty.StringVal("¥1,280.00"), ""},
		{`money(1280, "cny")`, cty.StringVal("¥1,280.00"), ""},
		{`money(1280.5, "USD")`, cty.StringVal("$1,280.50"), ""},
		{`money(0.5, "EUR")`, cty.StringVal("€0.50"), ""},
		{`money(1234567.891, "GBP")`, cty.StringVal("£1,234,567.89"), ""},
		{`money(1280.5, "JPY")`, cty.StringVal("¥1,281"), ""},
		{`money(1280, "CHF")`, cty.StringVal("1,280.00 CHF"), ""},
		{`money(1280, "")`, cty.StringVal("1,280.00"), ""},
		{`money(-5, "CNY")`, cty.StringVal("-¥5.00"), ""},
		{`money(-0.001, "CNY")`, cty.StringVal("¥0.00"), ""},
		{`money(0.125, "USD")`, cty.StringVal("$0.13"), ""},
		{`money(999.999, "USD")`, cty.StringVal("$1,000.00"), ""},
		{`money(0, "USD")`, cty.StringVal("$0.00"), ""},
		{`money("12", "USD")`, cty.StringVal("$12.00"), ""}, // HCL converts numeric strings
		{`money("abc", "USD")`, cty.NilVal, "Invalid function argument"},
		{`money(null, "USD")`, cty.NilVal, "must not be null"},
		{`money(12)`, cty.NilVal, "Not enough function arguments"},
		{`money([1], "USD")`, cty.NilVal, "Invalid function argument"},
	})
}

func TestMaskPII(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"ann@example.com", "a**@example.com"},
		{"a@example.com", "*@example.com"},
		{"张伟@example.cn", "张*@example.cn"},
		{"13812345678", "138****5678"},
		{"138-1234-5678", "138-****-5678"},
		{"+86 138 1234 5678", "+86 1** **** 5678"},
		{"1234567", "1234567"[:3] + "4567"}, // 7 digits: nothing between the kept parts
		{"12345678", "123*5678"},
		{"4111 1111 1111 1111", "**** **** **** 1111"},
		{"4111111111111111", "************1111"},
		{"AB123456", "A******6"},
		{"123456", "1****6"}, // too short to be a phone: masked as an identifier
		{"x", "*"},
		{"ab", "a*"},
		{"王小明", "王*明"},
		{"not an @ email", "n************l"},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, MaskPII(tc.in)); diff != "" {
			t.Errorf("MaskPII(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestMaskText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"no personal data here", "no personal data here"},
		{"mail me at ann@example.com please", "mail me at a**@example.com please"},
		{"call 13812345678.", "call 138****5678."},
		{"我的电话是13812345678，谢谢", "我的电话是138****5678，谢谢"},
		{"card 4111-1111-1111-1111 expires", "card ****-****-****-1111 expires"},
		{"order AB123456 on 2026-11-25", "order AB123456 on 2026-11-25"},
		{"phone +1 (415) 555-0100 or bo@x.io", "phone +1 (41*) ***-0100 or b*@x.io"},
		{"only 42 items, code 123456", "only 42 items, code 123456"},
		// Numbers one space apart read as one run; longer than any phone or card
		// number, it is several, and no part of any may show.
		{"card 4111111111111111 13912345678", "card **************** *******5678"},
		{"4111 1111 1111 1111 13912345678 ok", "**** **** **** **** *******5678 ok"},
		{"13800138000 13912345678 13700137000", "*********** *********** *******7000"},
		// Timestamps (in event data, audit details) are never personal data: the
		// fraction of a second read as a phone number.
		{"at 2026-12-07T03:36:40.786821888Z call 13812345678", "at 2026-12-07T03:36:40.786821888Z call 138****5678"},
		{"2026-12-07T11:36:40.7868+08:00", "2026-12-07T11:36:40.7868+08:00"},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, MaskText(tc.in)); diff != "" {
			t.Errorf("MaskText(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestMaskFunc(t *testing.T) {
	runFuncCases(t, []funcCase{
		{`mask("ann@example.com")`, cty.StringVal("a**@example.com"), ""},
		{`mask("13812345678")`, cty.StringVal("138****5678"), ""},
		{`mask(13812345678)`, cty.StringVal("138****5678"), ""},
		{`mask("")`, cty.StringVal(""), ""},
		{`mask(null)`, cty.NilVal, "must not be null"},
		{`mask(["a"])`, cty.NilVal, "Invalid function argument"},
	})
}

func TestDateFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{`add_days("2026-11-25", 7)`, cty.StringVal("2026-12-02"), ""},
		{`add_days("2026-03-01", -1)`, cty.StringVal("2026-02-28"), ""},
		{`add_days("2026-11-25T10:00:00+08:00", 1)`, cty.StringVal("2026-11-26T10:00:00+08:00"), ""},
		{`add_days(" 2026-11-25 ", 0)`, cty.StringVal("2026-11-25"), ""},
		{`add_days("2026-11-25", 1.5)`, cty.NilVal, "whole number"},
		{`add_days("25/11/2026", 1)`, cty.NilVal, "is not a date"},
		{`add_days("2026-02-30", 1)`, cty.NilVal, "is not a date"},
		{`add_days("2026-11-25", "x")`, cty.NilVal, "Invalid function argument"},
		{`days_between("2026-11-20", "2026-11-25")`, cty.NumberIntVal(5), ""},
		{`days_between("2026-11-25", "2026-11-20")`, cty.NumberIntVal(-5), ""},
		{`days_between("2026-03-28", "2026-04-02")`, cty.NumberIntVal(5), ""},
		{`days_between("2026-11-20T23:59:00+08:00", "2026-11-21T00:01:00+08:00")`, cty.NumberIntVal(1), ""},
		{`days_between("2026-11-20", "soon")`, cty.NilVal, "is not a date"},
		{`hours_between("2026-11-23T10:00:00+08:00", "2026-11-24T10:00:00+08:00")`, cty.NumberIntVal(24), ""},
		{`hours_between("2026-11-23T10:00:00+08:00", "2026-11-24T09:30:00+08:00")`, cty.NumberFloatVal(23.5), ""},
		{`hours_between("2026-11-23T10:00:00+08:00", "2026-11-23T09:00:00+08:00")`, cty.NumberIntVal(-1), ""},
		{`hours_between("2026-11-23T10:00:00+08:00", "2026-11-23T02:00:00Z")`, cty.NumberIntVal(0), ""},
		{`hours_between("2026-11-23T10:00:00+08:00", "2026-11-23T10:00:29+08:00")`, cty.NumberIntVal(0), ""},
		{`hours_between("2026-11-23T10:00:15+08:00", "2026-11-24T10:00:00+08:00")`, cty.NumberIntVal(24), ""},
		{`hours_between("2026-11-23T10:00:31+08:00", "2026-11-24T10:00:00+08:00")`, cty.NumberFloatVal(1439.0 / 60), ""},
		{`hours_between("2026-11-23T10:00:00+08:00", "2026-11-24")`, cty.NilVal, "without a time"},
		{`hours_between("tomorrow", "2026-11-24T10:00:00+08:00")`, cty.NilVal, "is not a date"},
		{`format_date("2026-11-25", "2 Jan 2006")`, cty.StringVal("25 Nov 2026"), ""},
		{`format_date("2026-11-25T09:30:00+08:00", "Mon 15:04")`, cty.StringVal("Wed 09:30"), ""},
		{`format_date("2026-11-25", "2006年1月2日")`, cty.StringVal("2026年11月25日"), ""},
		{`format_date("2026-11-25", "")`, cty.NilVal, "must not be empty"},
		{`format_date("", "2 Jan 2006")`, cty.NilVal, "is not a date"},
		{`weekday("2026-11-25")`, cty.StringVal("Wednesday"), ""},
		{`weekday("2026-11-29T12:00:00Z")`, cty.StringVal("Sunday"), ""},
		{`weekday("tomorrow")`, cty.NilVal, "is not a date"},
		{`weekday(null)`, cty.NilVal, "must not be null"},
	})
}

func TestNumberFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{`format_number(1234567.891, 2)`, cty.StringVal("1,234,567.89"), ""},
		{`format_number(1234.5, 0)`, cty.StringVal("1,235"), ""},
		{`format_number(-1234.5, 1)`, cty.StringVal("-1,234.5"), ""},
		{`format_number(12, 3)`, cty.StringVal("12.000"), ""},
		{`format_number(0.004, 2)`, cty.StringVal("0.00"), ""},
		{`format_number(1, -1)`, cty.NilVal, "from 0 to 20"},
		{`format_number(1, 1.5)`, cty.NilVal, "from 0 to 20"},
		{`format_number("x", 1)`, cty.NilVal, "Invalid function argument"},
		{`percent(0.256)`, cty.StringVal("25.6%"), ""},
		{`percent(0.5)`, cty.StringVal("50%"), ""},
		{`percent(1)`, cty.StringVal("100%"), ""},
		{`percent(-0.05)`, cty.StringVal("-5%"), ""},
		{`percent(0.33333)`, cty.StringVal("33.3%"), ""},
		{`percent(12.5)`, cty.StringVal("1,250%"), ""},
		{`percent("half")`, cty.NilVal, "Invalid function argument"},
	})
}

func TestMatchesAndLength(t *testing.T) {
	runFuncCases(t, []funcCase{
		{`matches("AB123456", "^[A-Z]{2}[0-9]{6}$")`, cty.True, ""},
		{`matches("order AB123456", "[0-9]{6}")`, cty.True, ""},
		{`matches("AB12", "^[A-Z]{2}[0-9]{6}$")`, cty.False, ""},
		{`matches("x", "(")`, cty.NilVal, "invalid pattern"},
		{`matches(null, "x")`, cty.NilVal, "must not be null"},
		{`length("hello")`, cty.NumberIntVal(5), ""},
		{`length("退款申请")`, cty.NumberIntVal(4), ""},
		{`length("")`, cty.NumberIntVal(0), ""},
		{`length(["a", "b"])`, cty.NumberIntVal(2), ""},
		{`length({a = 1, b = 2, c = 3})`, cty.NumberIntVal(3), ""},
		{`length(null)`, cty.NumberIntVal(0), ""},
		{`length(12345)`, cty.NumberIntVal(5), ""},
		{`length(true)`, cty.NumberIntVal(4), ""},
	})
}

func TestStdlibFunctionsPresent(t *testing.T) {
	runFuncCases(t, []funcCase{
		{`upper("abc")`, cty.StringVal("ABC"), ""},
		{`replace("wrong_item", "_", " ")`, cty.StringVal("wrong item"), ""},
		{`regex_replace("a1b22", "[0-9]+", "#")`, cty.StringVal("a#b#"), ""},
		{`trimspace("  x ")`, cty.StringVal("x"), ""},
		{`join(", ", ["a", "b"])`, cty.StringVal("a, b"), ""},
		{`tostring(12)`, cty.StringVal("12"), ""},
		{`tonumber("12")`, cty.NumberIntVal(12), ""},
		{`tobool("true")`, cty.True, ""},
		{`reverse(["a", "b"])`, cty.TupleVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")}), ""},
		{`coalesce("", "x")`, cty.StringVal("x"), ""},
		{`coalesce(null, "", "y")`, cty.StringVal("y"), ""},
		{`coalesce(null, 2)`, cty.NumberIntVal(2), ""},
		{`coalesce("", null)`, cty.StringVal(""), ""},
		{`coalesce(null, "")`, cty.StringVal(""), ""},
		{`coalesce(null, "", null)`, cty.StringVal(""), ""},
		{`coalesce(tostring(null), tostring(null))`, cty.NilVal, "null"},
		{`lookup({a = "1"}, "b", "none")`, cty.StringVal("none"), ""},
		{`lookup({a = 1}, "a", null)`, cty.NumberIntVal(1), ""},
		{`lookup({a = 1}, "b", null) == null`, cty.True, ""},
		{`coalesce(lookup({a = 1}, "b", null), 0)`, cty.NumberIntVal(0), ""},
		{`jsonencode({a = 1})`, cty.StringVal(`{"a":1}`), ""},
		{`max(1, 5, 3)`, cty.NumberIntVal(5), ""},
		{`formatdate("YYYY-MM-DD", "2026-11-25T10:00:00Z")`, cty.StringVal("2026-11-25"), ""},
		{`nosuch(1)`, cty.NilVal, "Call to unknown function"},
	})
	// Every entry must be usable: calling Functions twice must not share the map.
	a, b := Functions(), Functions()
	delete(a, "upper")
	if _, ok := b["upper"]; !ok {
		t.Error("Functions() returned a shared map")
	}
}

func BenchmarkMaskText(b *testing.B) {
	text := "Hi, I'm Ann (ann@example.com), call me on 138-1234-5678 about order AB123456 placed 2026-11-25."
	for b.Loop() {
		MaskText(text)
	}
}

// TestRoundDecimalWhole: whole amounts take a shortcut, which must give what
// the general rounding gives.
func TestRoundDecimalWhole(t *testing.T) {
	for _, n := range []int64{0, 1, -1, 7, 999, 1000, -1000, 1280, 123456789, -987654321012, math.MaxInt64, math.MinInt64 + 1} {
		for _, decimals := range []int{0, 1, 2, 3, 8, 12, 20} {
			x := new(big.Float).SetInt64(n)
			wantNeg, want := roundDecimalBig(x, decimals)
			neg, got := roundDecimal(x, decimals)
			if got != want || neg != wantNeg {
				t.Errorf("roundDecimal(%d, %d) = %v, %q; want %v, %q", n, decimals, neg, got, wantNeg, want)
			}
		}
	}
}
