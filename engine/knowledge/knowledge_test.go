package knowledge

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/nlu/embed"
)

// shopDir is the example shop bot, whose knowledge base the evaluation uses.
func shopDir(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "shop")
}

var shopSources = []Source{{Glob: "knowledge/*.md"}, {Glob: "knowledge/*.csv"}, {Glob: "knowledge/*.hcl"}}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// brief keeps the fields a test states by hand; Hash is checked separately.
type brief struct {
	ID, Title, Text, Answer, Lang string
	Line                          int
}

func briefs(chunks []Chunk) []brief {
	out := make([]brief, len(chunks))
	for i, c := range chunks {
		out[i] = brief{c.ID, c.Title, c.Text, c.Answer, c.Lang, c.Line}
	}
	return out
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		sources []Source
		want    []brief
	}{
		{
			name:    "markdown sections with heading paths",
			files:   map[string]string{"kb/policy.md": "---\ntitle: x\n---\nIntro text.\n\n# Returns\n\n## Window\nThirty days.\n\n```\n# not a heading\n```\n\n### Exceptions\nGift cards.\n\nShipping\n--------\nFree over 99.\n\n## Window\nAgain.\n"},
			sources: []Source{{Glob: "kb/*.md"}},
			want: []brief{
				{"kb/policy.md#top", "policy", "Intro text.", "", "en", 1},
				{"kb/policy.md#returns/window", "Returns > Window", "Thirty days.\n\n```\n# not a heading\n```", "", "en", 8},
				{"kb/policy.md#returns/window/exceptions", "Returns > Window > Exceptions", "Gift cards.", "", "en", 15},
				{"kb/policy.md#returns/shipping", "Returns > Shipping", "Free over 99.", "", "en", 18},
				{"kb/policy.md#returns/window-2", "Returns > Window", "Again.", "", "en", 22},
			},
		},
		{
			name:    "text paragraphs",
			files:   map[string]string{"notes.txt": "First paragraph\nstill first.\n\n\n第二段是中文。\n"},
			sources: []Source{{Glob: "*.txt", Kind: "auto"}},
			want: []brief{
				{"notes.txt#p1", "notes", "First paragraph\nstill first.", "", "en", 1},
				{"notes.txt#p2", "notes", "第二段是中文。", "", "zh", 5},
			},
		},
		{
			name: "csv with BOM, any column order, quoted multi-line fields",
			files: map[string]string{"faq.csv": "\uFEFFAnswer,Notes,QUESTION\r\n" +
				"\"Free over ¥99,\nelse ¥10.\",internal,How much is shipping?\r\n" +
				",,\r\n" +
				"30 days.,,Return window?\r\n"},
			sources: []Source{{Glob: "faq.csv"}},
			want: []brief{
				{"faq.csv#how-much-is-shipping", "How much is shipping?", "How much is shipping?\nFree over ¥99,\nelse ¥10.", "Free over ¥99,\nelse ¥10.", "en", 2},
				{"faq.csv#return-window", "Return window?", "Return window?\n30 days.", "30 days.", "en", 5},
			},
		},
		{
			name:    "csv with id column",
			files:   map[string]string{"faq_zh.csv": "id,question,answer\nship,运费多少？,满99元包邮。\n"},
			sources: []Source{{Glob: "faq_zh.csv"}},
			want:    []brief{{"faq_zh.csv#ship", "运费多少？", "运费多少？\n满99元包邮。", "满99元包邮。", "zh", 2}},
		},
		{
			name: "hcl faq with alternatives",
			files: map[string]string{"faq.hcl": `faq "hours" {
  question     = "When are you open?"
  alternatives = ["Opening hours?", ""]
  answer       = "9 to 6."
}
`},
			sources: []Source{{Glob: "faq.hcl"}},
			want:    []brief{{"faq.hcl#hours", "When are you open?", "When are you open?\nOpening hours?\n9 to 6.", "9 to 6.", "en", 1}},
		},
		{
			name:    "double star and overlapping globs read each file once, in path order",
			files:   map[string]string{"k/a.txt": "A.", "k/x/y/b.txt": "B.", "k/.git/c.txt": "C.", "other/d.txt": "D."},
			sources: []Source{{Glob: "k/**/*.txt"}, {Glob: "k/a.txt"}},
			want: []brief{
				{"k/a.txt#p1", "a", "A.", "", "en", 1},
				{"k/x/y/b.txt#p1", "b", "B.", "", "en", 1},
			},
		},
		{
			name:    "explicit kind overrides the extension",
			files:   map[string]string{"faq.data": "question,answer\nQ?,A.\n"},
			sources: []Source{{Glob: "faq.data", Kind: "csv"}},
			want:    []brief{{"faq.data#q", "Q?", "Q?\nA.", "A.", "en", 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			got, err := Load(dir, tt.sources)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tt.want, briefs(got)); diff != "" {
				t.Errorf("Load (-want +got):\n%s", diff)
			}
			for _, c := range got {
				if len(c.Hash) != 64 || c.Source != strings.SplitN(c.ID, "#", 2)[0] {
					t.Errorf("chunk %q: bad Hash %q or Source %q", c.ID, c.Hash, c.Source)
				}
			}
		})
	}
}

func TestLoadSplitsLongSections(t *testing.T) {
	para := strings.Repeat("This sentence is about return windows. ", 12) // ~470 chars
	dir := writeFiles(t, map[string]string{
		"a.md":  "# Long\n\n" + para + "\n\n" + para + "\n\n" + para + "\n",
		"b.txt": strings.Repeat("没有标点的超长中文段落", 300),
	})
	got, err := Load(dir, []Source{{Glob: "a.md"}, {Glob: "b.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
		if n := len([]rune(c.Text)); n > TargetChunkRunes*3/2 {
			t.Errorf("chunk %s has %d runes, want at most %d", c.ID, n, TargetChunkRunes*3/2)
		}
		if strings.HasPrefix(c.ID, "a.md") && c.Title != "Long" {
			t.Errorf("chunk %s lost its heading: title %q", c.ID, c.Title)
		}
	}
	want := []string{"a.md#long", "a.md#long~2", "a.md#long~3", "b.txt#p1", "b.txt#p1~2", "b.txt#p1~3", "b.txt#p1~4", "b.txt#p1~5"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		sources []Source
		wantErr string
	}{
		{"glob matches nothing", map[string]string{"a.md": "x"}, []Source{{Glob: "kb/**/*.md"}}, `"kb/**/*.md": no file matches`},
		{"glob leaves the bot folder", nil, []Source{{Glob: "../secrets/*.md"}}, "inside the bot folder"},
		{"absolute glob", nil, []Source{{Glob: "/etc/*.md"}}, "inside the bot folder"},
		{"bad pattern", map[string]string{"a.md": "x"}, []Source{{Glob: "[.md"}}, "bad pattern"},
		{"unknown extension", map[string]string{"a.pdf": "x"}, []Source{{Glob: "a.pdf"}}, `a.pdf: cannot tell the kind`},
		{"unknown kind", map[string]string{"a.md": "x"}, []Source{{Glob: "a.md", Kind: "docx"}}, `unknown kind "docx"`},
		{"csv without answer column", map[string]string{"f.csv": "question,reply\nq,a\n"}, []Source{{Glob: "f.csv"}}, "f.csv:1: the header row needs question and answer"},
		{"csv row without answer", map[string]string{"f.csv": "question,answer\nq,a\n\"multi\nline\",\n"}, []Source{{Glob: "f.csv"}}, "f.csv:3: a FAQ row needs both"},
		{"csv bad quoting", map[string]string{"f.csv": "question,answer\nq,a\nq2,\"broken\n"}, []Source{{Glob: "f.csv"}}, "f.csv:3"},
		{"csv empty", map[string]string{"f.csv": ""}, []Source{{Glob: "f.csv"}}, "f.csv:1: empty CSV"},
		{"csv empty id", map[string]string{"f.csv": "id,question,answer\n,q,a\n"}, []Source{{Glob: "f.csv"}}, "f.csv:2: empty id"},
		{"duplicate id", map[string]string{"f.csv": "id,question,answer\nx,q,a\nx,q2,a2\n"}, []Source{{Glob: "f.csv"}}, `f.csv:3: duplicate knowledge id "f.csv#x" (first at line 2)`},
		{"hcl syntax", map[string]string{"f.hcl": "faq \"a\" {\n  question = \n}\n"}, []Source{{Glob: "f.hcl"}}, "f.hcl:2"},
		{"hcl missing answer", map[string]string{"f.hcl": "faq \"a\" {\n  question = \"q\"\n}\n"}, []Source{{Glob: "f.hcl"}}, `f.hcl:1: Missing required argument`},
		{"hcl unknown attribute", map[string]string{"f.hcl": "faq \"a\" {\n  question = \"q\"\n  answer = \"a\"\n  anwser = \"b\"\n}\n"}, []Source{{Glob: "f.hcl"}}, "f.hcl:4: Unsupported argument"},
		{"hcl wrong type", map[string]string{"f.hcl": "faq \"a\" {\n  question = [\"q\"]\n  answer = \"a\"\n}\n"}, []Source{{Glob: "f.hcl"}}, "f.hcl:2: question must be a string"},
		{"hcl empty answer", map[string]string{"f.hcl": "faq \"a\" {\n  question = \"q\"\n  answer = \" \"\n}\n"}, []Source{{Glob: "f.hcl"}}, "f.hcl:3: answer must not be empty"},
		{"hcl variables are not allowed", map[string]string{"f.hcl": "faq \"a\" {\n  question = var.q\n  answer = \"a\"\n}\n"}, []Source{{Glob: "f.hcl"}}, "f.hcl:2: Variables not allowed"},
		{"hcl bad id", map[string]string{"f.hcl": "faq \"a b\" {\n  question = \"q\"\n  answer = \"a\"\n}\n"}, []Source{{Glob: "f.hcl"}}, `f.hcl:1: faq id "a b"`},
		{"not utf-8", map[string]string{"a.txt": "\xff\xfe\x00"}, []Source{{Glob: "a.txt"}}, "a.txt: file is not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			_, err := Load(dir, tt.sources)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Load error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	a := newChunk("f.md", "a", "A", "text a", "", 1)
	b := newChunk("f.md", "b", "B", "text b", "", 2)
	bEdited := newChunk("f.md", "b", "B", "text b, edited", "", 2)
	c := newChunk("f.md", "c", "C", "text c", "", 3)
	old := map[string]string{a.ID: a.Hash, b.ID: b.Hash, "f.md#gone": "x", "e.md#gone": "y"}
	changed, removed := Diff(old, []Chunk{a, bEdited, c})
	if diff := cmp.Diff([]Chunk{bEdited, c}, changed); diff != "" {
		t.Errorf("changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"e.md#gone", "f.md#gone"}, removed); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
	changed, removed = Diff(nil, nil)
	if len(changed) != 0 || len(removed) != 0 {
		t.Errorf("Diff(nil, nil) = %v, %v; want nothing", changed, removed)
	}
}

func TestGroup(t *testing.T) {
	questions := []string{
		"do you sell refrigerators",        // 0
		"can I buy a fridge from you",      // 1
		"do you have a student discount",   // 2
		"do you sell refrigerators and tv", // 3
		"student discount available?",      // 4
		"do you sell refrigerators?",       // 5
		"你们卖冰箱吗",                           // 6
	}
	emb := embed.NewBuiltin(embed.BuiltinOptions{})
	emb.Fit(questions)
	got, err := Group(context.Background(), questions, emb, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{0, 3, 5}, {2, 4}, {1}, {6}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Group (-want +got):\n%s", diff)
	}
	again, _ := Group(context.Background(), questions, emb, 0.5)
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("Group is not deterministic:\n%s", diff)
	}
	if got, err := Group(context.Background(), nil, emb, 0.5); err != nil || got != nil {
		t.Errorf("Group(nil) = %v, %v", got, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Group(ctx, questions, emb, 0.5); err == nil {
		t.Error("Group with a canceled context: no error")
	}
}

func TestSummarize(t *testing.T) {
	results := []CaseResult{
		{Case: EvalCase{ExpectedID: "a"}, Rank: 1, TopID: "a", TopScore: 0.9},
		{Case: EvalCase{ExpectedID: "b"}, Rank: 2, TopID: "a", TopScore: 0.5},
		{Case: EvalCase{ExpectedID: "c"}, Rank: 0, TopID: "a", TopScore: 0.1},
		{Case: EvalCase{ExpectedID: ""}, TopID: "a", TopScore: 0.2},
		{Case: EvalCase{ExpectedID: ""}, TopID: "a", TopScore: 0.6},
	}
	got := Summarize(results, 0.3)
	want := EvalReport{
		RecallAt1: 1.0 / 3, RecallAt5: 2.0 / 3, MRR: 0.5, AnswerAccuracy: 1.0 / 3,
		NoAnswerPrecision: 0.5, NoAnswerRecall: 0.5, Accuracy: 2.0 / 5,
		N: 5, Answerable: 3, OutOfScope: 2, Threshold: 0.3,
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Summarize (-want +got):\n%s", diff)
	}
	// Midway between the out-of-scope 0.6 and the right answer's 0.9.
	if got := BestThreshold(results); got != 0.75 {
		t.Errorf("BestThreshold = %v, want 0.75", got)
	}
}

func TestDetectLangAndSlug(t *testing.T) {
	for in, want := range map[string]string{"Hello": "en", "你好": "zh", "SF快递几天到": "zh", "": "en", "Ship with 顺丰 please, thanks a lot": "en"} {
		if got := DetectLang(in); got != want {
			t.Errorf("DetectLang(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"30-day Returns!": "30-day-returns", "退货 与 退款": "退货-与-退款", "  ": "", "What's up?": "what-s-up"} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkLoadShopKB(b *testing.B) {
	dir := shopDir(b)
	for i := 0; i < b.N; i++ {
		chunks, err := Load(dir, shopSources)
		if err != nil || len(chunks) == 0 {
			b.Fatalf("Load: %d chunks, %v", len(chunks), err)
		}
	}
}
