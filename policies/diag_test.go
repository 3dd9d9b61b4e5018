package policies

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

const diagDialogs = `dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type    = order_idd
    prompt  = response.ask_order_id
  }
}
`

// Chinese text before the subject: the caret must move two columns per character.
const diagResponses = "response \"greet\" {\n  zh = \"您好，${customer.nmae}！\"\n}\n"

// A file saved on Windows, indented with tabs.
const diagRules = "rule \"after_hours\" {\r\n\ton   = handoff\r\n\twhen = !business_hours.opne\r\n}\r\n"

// rangeOf is the range of the nth (0-based) occurrence of needle in src, with
// columns counted in characters as HCL does.
func rangeOf(t *testing.T, filename, src, needle string, nth int) hcl.Range {
	t.Helper()
	off := -1
	for i := 0; i <= nth; i++ {
		next := strings.Index(src[off+1:], needle)
		if next < 0 {
			t.Fatalf("%q not found %d times in %s", needle, nth+1, filename)
		}
		off += 1 + next
	}
	pos := func(b int) hcl.Pos {
		line := strings.Count(src[:b], "\n") + 1
		lineStart := strings.LastIndex(src[:b], "\n") + 1
		return hcl.Pos{Line: line, Column: utf8.RuneCountInString(src[lineStart:b]) + 1, Byte: b}
	}
	return hcl.Range{Filename: filename, Start: pos(off), End: pos(off + len(needle))}
}

func diagFixtures(t *testing.T) (map[string]*hcl.File, hcl.Diagnostics) {
	t.Helper()
	p := hclparse.NewParser()
	files := map[string]*hcl.File{}
	for name, src := range map[string]string{
		"shop/dialogs.hcl":   diagDialogs,
		"shop/responses.hcl": diagResponses,
		"shop/rules.hcl":     diagRules,
	} {
		f, diags := p.ParseHCL([]byte(src), name)
		if diags.HasErrors() {
			t.Fatalf("parse %s: %s", name, diags.Error())
		}
		files[name] = f
	}
	r := func(file, src, needle string, nth int) *hcl.Range {
		rng := rangeOf(t, file, src, needle, nth)
		return &rng
	}
	multi := rangeOf(t, "shop/dialogs.hcl", diagDialogs, `slot "order_id" {`, 0)
	multi.End = rangeOf(t, "shop/dialogs.hcl", diagDialogs, "}", 0).End
	diags := hcl.Diagnostics{
		{
			Severity: hcl.DiagError,
			Summary:  "Unknown entity type",
			Detail:   "There is no entity or built-in type \"order_idd\". Did you mean \"order_id\"?",
			Subject:  r("shop/dialogs.hcl", diagDialogs, "order_idd", 0),
		},
		{
			Severity: hcl.DiagError,
			Summary:  "Unsupported attribute",
			Detail:   "customer has no attribute \"nmae\".\nDid you mean \"name\"?",
			Subject:  r("shop/responses.hcl", diagResponses, "customer.nmae", 0),
		},
		{
			Severity: hcl.DiagError,
			Summary:  "Unsupported attribute",
			Detail:   "business_hours has no attribute \"opne\". Did you mean \"open\"?",
			Subject:  r("shop/rules.hcl", diagRules, "business_hours.opne", 0),
		},
		{
			Severity: hcl.DiagWarning,
			Summary:  "Slot is never asked",
			Detail:   "The slot has a prompt but no dialog reaches it.",
			Subject:  &multi,
		},
		{
			Severity: hcl.DiagError,
			Summary:  "No bot block",
			Detail:   "A bot folder needs exactly one bot block.",
		},
		{
			Severity: hcl.DiagError,
			Summary:  "Source not loaded",
			Subject:  &hcl.Range{Filename: "shop/missing.hcl", Start: hcl.Pos{Line: 3, Column: 5, Byte: 20}, End: hcl.Pos{Line: 3, Column: 9, Byte: 24}},
		},
		{
			Severity: hcl.DiagError,
			Summary:  "Empty subject",
			Subject:  r("shop/dialogs.hcl", diagDialogs, "trigger", 0),
		},
	}
	// An empty range still gets a single caret.
	diags[len(diags)-1].Subject.End = diags[len(diags)-1].Subject.Start
	return files, diags
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "diag", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func TestWriteDiagnosticsGolden(t *testing.T) {
	files, diags := diagFixtures(t)
	for _, tc := range []struct {
		golden string
		color  bool
	}{{"text.golden", false}, {"color.golden", true}} {
		t.Run(tc.golden, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteDiagnostics(&buf, files, diags, tc.color); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.golden, buf.Bytes())
		})
	}
}

func TestWriteDiagnosticsJSONGolden(t *testing.T) {
	files, diags := diagFixtures(t)
	var buf bytes.Buffer
	if err := WriteDiagnosticsJSON(&buf, files, diags); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "json.golden", buf.Bytes())

	// The highlight offsets must select the subject's text within code.
	var report struct {
		Valid       bool `json:"valid"`
		ErrorCount  int  `json:"error_count"`
		Diagnostics []struct {
			Range *struct {
				Start, End struct{ Byte int }
			} `json:"range"`
			Snippet *struct {
				Code  string `json:"code"`
				Start int    `json:"highlight_start_offset"`
				End   int    `json:"highlight_end_offset"`
			} `json:"snippet"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(buf.Bytes(), &report); err != nil {
		t.Fatal(err)
	}
	if report.Valid || report.ErrorCount != 6 {
		t.Errorf("valid = %v, error_count = %d; want false, 6", report.Valid, report.ErrorCount)
	}
	wantHighlights := []string{"order_idd", "customer.nmae", "business_hours.opne"}
	for i, want := range wantHighlights {
		s := report.Diagnostics[i].Snippet
		if s == nil {
			t.Fatalf("diagnostic %d has no snippet", i)
		}
		if got := s.Code[s.Start:s.End]; got != want {
			t.Errorf("diagnostic %d highlights %q, want %q", i, got, want)
		}
	}
}

func TestWriteDiagnosticsJSONValid(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDiagnosticsJSON(&buf, nil, nil); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"format_version\": \"1.0\",\n  \"valid\": true,\n  \"error_count\": 0,\n  \"warning_count\": 0,\n  \"diagnostics\": []\n}\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestWriteDiagnosticsFromEvaluation(t *testing.T) {
	src := "response \"x\" {\n  en = \"订单 ${call.order.nope} 已发货\"\n}\n"
	f, diags := hclparse.NewParser().ParseHCL([]byte(src), "responses.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	content, _, _ := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "response", LabelNames: []string{"name"}}}})
	inner, _ := content.Blocks[0].Body.JustAttributes()
	bot := testBot(t)
	_, evalDiags := bot.Render(inner["en"].Expr, orderScope())
	if !evalDiags.HasErrors() {
		t.Fatal("expected an evaluation error")
	}
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, map[string]*hcl.File{"responses.hcl": f}, evalDiags[:1], false); err != nil {
		t.Fatal(err)
	}
	// HCL's subject is ".nope"; 订单 take two columns each.
	want := "responses.hcl:2:24: error: Unsupported attribute\n" +
		"  This object does not have an attribute named \"nope\".\n\n" +
		"  2 |   en = \"订单 ${call.order.nope} 已发货\"\n" +
		"    | " + strings.Repeat(" ", 25) + "^~~~~\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSummary(t *testing.T) {
	e := &hcl.Diagnostic{Severity: hcl.DiagError}
	w := &hcl.Diagnostic{Severity: hcl.DiagWarning}
	tests := []struct {
		diags hcl.Diagnostics
		want  string
	}{
		{nil, "no errors"},
		{hcl.Diagnostics{e}, "1 error"},
		{hcl.Diagnostics{e, e, w}, "2 errors, 1 warning"},
		{hcl.Diagnostics{w, w}, "2 warnings"},
		{hcl.Diagnostics{e, nil}, "1 error"},
	}
	for _, tc := range tests {
		if got := Summary(tc.diags); got != tc.want {
			t.Errorf("Summary = %q, want %q", got, tc.want)
		}
	}
}

func TestSortDiagnostics(t *testing.T) {
	at := func(file string, line, col int) *hcl.Diagnostic {
		pos := hcl.Pos{Line: line, Column: col}
		return &hcl.Diagnostic{Summary: file, Subject: &hcl.Range{Filename: file, Start: pos, End: pos}}
	}
	diags := hcl.Diagnostics{at("b.hcl", 1, 1), at("a.hcl", 9, 1), {Summary: "global"}, at("a.hcl", 2, 5), at("a.hcl", 2, 1)}
	SortDiagnostics(diags)
	var got []string
	for _, d := range diags {
		if d.Subject == nil {
			got = append(got, d.Summary)
			continue
		}
		got = append(got, d.Subject.String())
	}
	want := []string{"global", "a.hcl:2,1-1", "a.hcl:2,5-5", "a.hcl:9,1-1", "b.hcl:1,1-1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"abc", 3},
		{"您好", 4},
		{"ｆｕｌｌ", 8},
		{"e\u0301", 1}, // e + combining acute
		{"\t", tabWidth},
		{"😀", 2},
		{"", 0},
	}
	for _, tc := range tests {
		if got := displayWidth(tc.s); got != tc.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}
