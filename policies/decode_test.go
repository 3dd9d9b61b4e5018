package policies

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func TestParseExample(t *testing.T) {
	tests := []struct {
		in      string
		text    string
		anns    []Annotation
		wantErr string
	}{
		{in: "where is my order", text: "where is my order"},
		{in: "where is order [AB123456](order_id)", text: "where is order AB123456",
			anns: []Annotation{{Entity: "order_id", Start: 15, End: 23}}},
		{in: "[a](x) and [b c](y)", text: "a and b c",
			anns: []Annotation{{Entity: "x", Start: 0, End: 1}, {Entity: "y", Start: 6, End: 9}}},
		{in: "东西[坏了](refund_reason)，我要退钱", text: "东西坏了，我要退钱",
			anns: []Annotation{{Entity: "refund_reason", Start: 6, End: 12}}},
		{in: "hours [sic] and [x] (y)", text: "hours [sic] and [x] (y)"},
		{in: "a [b [c](d)", text: "a [b c", anns: []Annotation{{Entity: "d", Start: 5, End: 6}}},
		{in: "[ x ]( e )", text: " x ", anns: []Annotation{{Entity: "e", Start: 0, End: 3}}},
		{in: "[x](", wantErr: "not closed"},
		{in: "[](e)", wantErr: "marks no text"},
		{in: "[x]()", wantErr: "names no entity"},
		{in: "[x](a b)", wantErr: "not a valid entity name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			text, anns, err := parseExample(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.text, text); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.anns, anns); diff != "" {
				t.Errorf("annotations (-want +got):\n%s", diff)
			}
			for _, a := range anns {
				if a.Start < 0 || a.End > len(text) || a.Start >= a.End {
					t.Errorf("annotation %+v out of range of %q", a, text)
				}
			}
		})
	}
}

func TestParseOpeningHours(t *testing.T) {
	tests := []struct {
		in      string
		want    []TimeRange
		wantErr string
	}{
		{in: "closed"},
		{in: "Closed"},
		{in: "09:00-18:00", want: []TimeRange{{540, 1080}}},
		{in: "13:00-18:00, 09:00-12:00", want: []TimeRange{{540, 720}, {780, 1080}}},
		{in: "00:00-24:00", want: []TimeRange{{0, 1440}}},
		{in: "22:00-02:00", want: []TimeRange{{1320, 120}}},
		{in: "", wantErr: "empty"},
		{in: "9-18", wantErr: "not a time"},
		{in: "09:00", wantErr: "not a span"},
		{in: "09:00-09:00", wantErr: "empty"},
		{in: "25:00-26:00", wantErr: "not a time of day"},
		{in: "09:60-10:00", wantErr: "not a time of day"},
		{in: "09:00-12:00, 11:00-13:00", wantErr: "overlap"},
		{in: "22:00-02:00, 01:00-03:00", wantErr: "overlap"},
		{in: "nine to five", wantErr: "not a span"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseOpeningHours(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeMessage(t *testing.T) {
	tests := []struct {
		src     string
		name    string              // placeholder name
		want    map[string][]string // language -> variant source text
		wantErr string
	}{
		{src: `response.greet`, name: "greet"},
		{src: `"Hello ${customer.name}"`, want: map[string][]string{"": {`"Hello ${customer.name}"`}}},
		{src: `["Hi", "Hello"]`, want: map[string][]string{"": {`"Hi"`, `"Hello"`}}},
		{src: `{ en = "Hi", zh = ["你好", "您好"] }`, want: map[string][]string{"en": {`"Hi"`}, "zh": {`"你好"`, `"您好"`}}},
		{src: `{ "en" = "Hi" }`, want: map[string][]string{"en": {`"Hi"`}}},
		{src: `var.x ? "a" : "b"`, want: map[string][]string{"": {`var.x ? "a" : "b"`}}},
		{src: `slot.order_id`, wantErr: "Expected a response reference"},
		{src: `{ english = "Hi" }`, wantErr: "Unknown language"},
		{src: `{ en = "Hi", en = "Yo" }`, wantErr: "Duplicate language"},
		{src: `{}`, wantErr: "Empty message"},
		{src: `[]`, wantErr: "No message variants"},
		{src: `{ en = { a = 1 } }`, wantErr: "Invalid message"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			src := []byte(tt.src)
			expr, diags := hclsyntax.ParseExpression(src, "test.hcl", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			m, diags := decodeMessage(expr)
			if tt.wantErr != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.wantErr) {
					t.Fatalf("diags = %v, want %q", diags, tt.wantErr)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if tt.name != "" {
				if !isPlaceholder(m) || m.Name != tt.name {
					t.Fatalf("got %+v, want a placeholder for %q", m, tt.name)
				}
				return
			}
			got := map[string][]string{}
			for lang, variants := range m.Variants {
				for _, v := range variants {
					got[lang] = append(got[lang], string(v.Range().SliceBytes(src)))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadDirProblems(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bot.hcl")
	if err := os.WriteFile(file, []byte(`bot "b" { languages = ["en"] }`), 0o644); err != nil {
		t.Fatal(err)
	}
	binDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(binDir, "bot.hcl"), []byte("bot \"b\" {\x00}"), 0o644); err != nil {
		t.Fatal(err)
	}
	latin1Dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(latin1Dir, "bot.hcl"), []byte("bot \"caf\xe9\" {}"), 0o644); err != nil {
		t.Fatal(err)
	}
	hugeDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(hugeDir, "big.hcl"), make([]byte, maxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, want string
	}{
		{"missing", filepath.Join(dir, "nope"), "Cannot read bot folder"},
		{"file", file, "Not a folder"},
		{"empty", t.TempDir(), "No policy files"},
		{"binary", binDir, "Not a text file"},
		{"invalid utf-8", latin1Dir, "Not a text file"},
		{"huge", hugeDir, "File too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot, diags := LoadDir(tt.dir, testOptions)
			if bot != nil {
				t.Error("want a nil bot")
			}
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.want) {
				t.Errorf("diags = %v, want %q", diags, tt.want)
			}
		})
	}
}

func TestLoadRichModel(t *testing.T) {
	bot, diags := LoadDir("testdata/valid/rich", testOptions)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if diff := cmp.Diff([]string{"en", "zh", "zh-TW"}, bot.Languages); diff != "" {
		t.Errorf("languages: %s", diff)
	}
	if bot.BusinessHours.Week[5][0] != (TimeRange{540, 960}) || bot.BusinessHours.Week[1][1] != (TimeRange{780, 1080}) || bot.BusinessHours.Week[0] != nil {
		t.Errorf("week = %v", bot.BusinessHours.Week)
	}
	order := bot.Dialogs[0]
	if diff := cmp.Diff([]string{"dish", "count"}, order.Calls[0].Reads); diff != "" {
		t.Errorf("reads: %s", diff)
	}
	if order.Slots[1].Retries != 0 || order.Slots[0].Retries != defaultRetries {
		t.Errorf("retries = %d, %d", order.Slots[1].Retries, order.Slots[0].Retries)
	}
	if order.Confirm.Prompt != bot.Responses["confirm"] {
		t.Error("the confirm prompt is not the confirm response")
	}
	if got := order.Slots[1].OnExhausted.Handoff; got == nil || got.Queue != "general" {
		t.Errorf("on_exhausted handoff = %+v", got)
	}
	if bot.Rules[0].On != (RuleEvent{Kind: "dialog", Dialog: "order", Range: bot.Rules[0].On.Range}) {
		t.Errorf("rule event = %+v", bot.Rules[0].On)
	}
	if diff := cmp.Diff([]string{"transcript"}, bot.Handoffs[0].Share); diff != "" {
		t.Errorf("share: %s", diff)
	}
	if got := bot.Connectors["crm"].Settings.GetAttr("base_url").AsString(); got != "https://crm.example.com" {
		t.Errorf("base_url = %q", got)
	}
	test := bot.Tests[0]
	if !test.Connectors["kitchen"].GetAttr("data").GetAttr("open").RawEquals(cty.False) {
		t.Errorf("test connector override = %#v", test.Connectors["kitchen"])
	}
	turns := test.Turns
	if turns[2].Reply == nil || len(turns[2].Reply) != 0 || turns[3].Calls == nil || len(turns[3].Calls) != 0 {
		t.Error("[] must decode as non-nil empty")
	}
	if turns[0].Dialog == nil || *turns[0].Dialog != "order" || *turns[1].Dialog != "none" || turns[2].Intent != "none" {
		t.Error("dialog / intent expectations")
	}
	if diff := cmp.Diff([]string{"kitchen.place"}, turns[1].Calls); diff != "" {
		t.Errorf("calls: %s", diff)
	}
	ex := bot.Intents[0].Examples[0]
	if ex.Text != "I want 2 pizzas" || len(ex.Annotations) != 2 {
		t.Errorf("example = %+v", ex)
	}
	if !bot.Entities["coupon"].Pattern.MatchString("save10") {
		t.Error("ignore_case pattern must match lower case")
	}
	if bot.Replies.Goodbye == nil || bot.Replies.NotUnderstood.Variants["zh-TW"] == nil {
		t.Error("replies")
	}
}

// TestLoadDeterministic checks the same sources give the same diagnostics in the same order.
func TestLoadDeterministic(t *testing.T) {
	files := map[string][]byte{}
	for _, name := range []string{"main.hcl"} {
		src, err := os.ReadFile(filepath.Join("testdata/invalid/test_references", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = src
	}
	_, first := LoadFiles(files, testOptions)
	for range 5 {
		_, again := LoadFiles(files, testOptions)
		if first.Error() != again.Error() {
			t.Fatalf("diagnostics differ:\n%s\n%s", first.Error(), again.Error())
		}
	}
}

func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"../examples/shop", "testdata/valid/rich"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if src, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
				f.Add(src)
			}
		}
	}
	f.Add([]byte(`bot "b" { languages = ["en"] }`))
	f.Add([]byte("intent \"x\" { examples = [\"[a](\"] }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		bot, diags := LoadFiles(map[string][]byte{"fuzz.hcl": src}, testOptions)
		if diags.HasErrors() != (bot == nil) {
			t.Fatalf("bot = %v with errors %v", bot != nil, diags.HasErrors())
		}
	})
}

func TestLoadKnowledgeModel(t *testing.T) {
	bot, diags := LoadDir("testdata/valid/knowledge", testOptions)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	k := bot.Knowledge
	if k == nil {
		t.Fatal("no knowledge block")
	}
	if k.Reply != bot.Responses["kb_answer"] {
		t.Error("the knowledge reply is not the kb_answer response")
	}
	type summary struct {
		Sources            []string
		Threshold          float64
		TopK               int
		Embedder, Generate string
		FAQs               []string
	}
	got := summary{Sources: k.Sources, Threshold: k.Threshold, TopK: k.TopK, Embedder: k.Embedder.Provider}
	if k.Generate != nil {
		got.Generate = k.Generate.Provider + "/" + k.Generate.Model + "/" + k.Generate.APIKeyEnv
	}
	for _, f := range bot.FAQs {
		got.FAQs = append(got.FAQs, f.Name+": "+f.Question+" "+strings.Join(f.Alternatives, "|")+" -> "+f.Answer)
	}
	want := summary{
		Sources: []string{"docs/**/*.md"}, Threshold: DefaultKnowledgeThreshold, TopK: DefaultKnowledgeTopK,
		Embedder: "builtin", Generate: "openai/gpt-4o-mini/OPENAI_API_KEY",
		FAQs: []string{"hours: When are you open? opening hours -> 9 to 6 on weekdays."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("knowledge (-want +got):\n%s", diff)
	}
	type expect struct {
		Knowledge  string
		Unanswered *bool
	}
	var turns []expect
	for _, turn := range bot.Tests[0].Turns {
		turns = append(turns, expect{turn.Knowledge, turn.Unanswered})
	}
	no, yes := false, true
	if diff := cmp.Diff([]expect{{"main.hcl#hours", &no}, {"none", &yes}}, turns); diff != "" {
		t.Errorf("turn expectations (-want +got):\n%s", diff)
	}
}
