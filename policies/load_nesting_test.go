package policies

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestCheckNesting(t *testing.T) {
	deep := func(n int, open, close string) string { return strings.Repeat(open, n) + strings.Repeat(close, n) }
	list := make([]string, 100_000)
	for i := range list {
		list[i] = fmt.Sprint(-i)
	}
	tests := []struct {
		name string
		src  string
		want string // "file:line:col: summary", or "" for no error
	}{
		{"100,000 nested brackets", "x = " + deep(100_000, "[", "]") + "\n", "x.hcl:1:105: Nesting too deep"},
		{"at the limit", "x = " + deep(MaxNesting, "[", "]") + "\n", ""},
		{"one past the limit", "x = " + deep(MaxNesting+1, "(", ")") + "\n", "x.hcl:1:105: Nesting too deep"},
		{"on a later line", "a = 1\n\nb = {\n  c = " + deep(200, "{x = ", "}") + "\n}\n", "x.hcl:4:"},
		{"nested interpolations", "x = " + deep(80, `"${`, `}"`) + "\n", "x.hcl:1:"},
		{"brackets in a string", `x = "` + strings.Repeat("((([[[{{{", 10_000) + `"` + "\n", ""},
		{"escaped quote and interpolation", `x = "\"${"` + strings.Repeat("(", 1000) + `"}$${` + "\"\n", ""},
		{"brackets in comments", "# " + strings.Repeat("(", 5000) + "\n// " + strings.Repeat("[", 5000) + "\n/* " + strings.Repeat("{", 5000) + " */\nx = 1\n", ""},
		{"brackets in a heredoc", "x = <<-EOT\n  " + strings.Repeat("(", 5000) + "\n  EOT\ny = 2\n", ""},
		{"interpolations in a heredoc", "x = <<EOT\n" + deep(200, "${[", "]}") + "\nEOT\n", "x.hcl:2:"},
		{"a million ! operators", "x = " + strings.Repeat("!", 1_000_000) + "true\n", "x.hcl:1:1004: Expression too long"},
		{"a chain of conditionals", "x = " + strings.Repeat("true ? 1 : ", 100_000) + "1\n", "x.hcl:1:"},
		{"a chain of sums", "x = " + strings.Repeat("1 + ", 100_000) + "1\n", "x.hcl:1:"},
		{"operators across nesting", "x = " + strings.Repeat("!(", 90) + strings.Repeat("!", 950) + "true" + strings.Repeat(")", 90) + "\n", "x.hcl:1:"},
		{"a long list", "x = [" + strings.Join(list, ", ") + "]\n", ""},
		{"many attributes", strings.Repeat("x = a-b-c && !d || e > -1\n", 10_000), ""},
		{"dashes in names", "x = var." + strings.Repeat("a-", 5000) + "b\n", ""},
		{"the shop's own style", "dialog \"d\" {\n  slot \"s\" {\n    on_exhausted {\n      handoff = queue.general\n    }\n  }\n  when = (slot.a > 5 && !slot.b) || customer.vip\n}\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := CheckNesting([]byte(tt.src), "x.hcl")
			got := ""
			if len(diags) > 0 {
				d := diags[0]
				got = fmt.Sprintf("%s:%d:%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, d.Summary)
			}
			if tt.want == "" || strings.HasSuffix(tt.want, ":") {
				if tt.want == "" && got != "" || tt.want != "" && !strings.HasPrefix(got, tt.want) {
					t.Errorf("CheckNesting = %q, want %q", got, tt.want)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadRefusesDeepNesting: the loader refuses a file nested 100,000 deep
// with a diagnostic instead of overflowing the stack, and loads the other files.
func TestLoadRefusesDeepNesting(t *testing.T) {
	files := map[string][]byte{
		"bot.hcl":  []byte(`bot "b" { languages = ["en"] }` + "\n"),
		"deep.hcl": []byte("variable \"x\" {\n  value = " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n}\n"),
	}
	bot, diags := LoadFiles(files, testOptions)
	if bot != nil || len(diags) != 1 {
		t.Fatalf("LoadFiles = %v, %v; want no bot and one diagnostic", bot, diags)
	}
	if d := diags[0]; d.Summary != "Nesting too deep" || d.Subject.Filename != "deep.hcl" || d.Subject.Start.Line != 2 {
		t.Errorf("diagnostic = %s", d)
	}
}

// depthWalker measures how deep a syntax tree goes.
type depthWalker struct{ depth, max int }

func (w *depthWalker) Enter(hclsyntax.Node) hcl.Diagnostics {
	w.depth++
	w.max = max(w.max, w.depth)
	return nil
}

func (w *depthWalker) Exit(hclsyntax.Node) hcl.Diagnostics {
	w.depth--
	return nil
}

// FuzzCheckNesting: whatever CheckNesting lets through parses into a tree no
// deeper than its bounds allow, so neither the parser nor anything walking the
// tree can exhaust the stack.
func FuzzCheckNesting(f *testing.F) {
	for _, seed := range []string{
		"x = [[[1]]]\n", "x = !!!!true\n", "x = a ? b : c ? d : e\n", "x = \"${\"${a}\"}\"\n",
		"x = <<EOT\n${[(1)]}\nEOT\n", "x = f(g(h(1)))[0][1].a\n", "x = {a = {b = [1, -2]}}\n",
		"b {\n  c {\n    x = 1 + 2 * 3\n  }\n}\n", "x = <<-E\n  ${x}\n  E\ny = !z\n", "# ((((\nx = 1\n",
		"x = [for v in y : v if !v]\n", "x = {for k, v in y : k => -v...}\n", "x = \"\\\"${1}\\\"\"\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if CheckNesting([]byte(src), "x.hcl").HasErrors() {
			return
		}
		file, _ := hclsyntax.ParseConfig([]byte(src), "x.hcl", hcl.InitialPos)
		if file == nil {
			return
		}
		w := &depthWalker{}
		hclsyntax.Walk(file.Body.(*hclsyntax.Body), w)
		if limit := 4 * (MaxNesting + MaxOperators); w.max > limit {
			t.Fatalf("CheckNesting let through a tree %d deep (limit %d)", w.max, limit)
		}
	})
}

// BenchmarkCheckNesting compares the scan with the parse it guards, on the
// shop's policy files.
func BenchmarkCheckNesting(b *testing.B) {
	var src []byte
	paths, _ := filepath.Glob("../examples/shop/*.hcl")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		src = append(append(src, data...), '\n')
	}
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			CheckNesting(src, "shop.hcl")
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			hclsyntax.ParseConfig(src, "shop.hcl", hcl.InitialPos)
		}
	})
}
