package parleycmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const shop = "../../../examples/shop"

// runCmd runs the command in process and returns its exit code and output.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	code = 0
	if err != nil {
		code = 1
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
			if ee.msg != "" {
				errOut.WriteString(ee.msg + "\n")
			}
		} else {
			errOut.WriteString(err.Error() + "\n")
		}
	}
	return code, out.String(), errOut.String()
}

// writeBot writes files into a fresh folder and returns it.
func writeBot(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const minimalBot = `bot "mini" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "good morning", "hi there"]
}

response "hello" {
  en = "Hello!"
}

answer "greet" {
  intent = intent.greet
  reply  = response.hello
}
`

func TestValidate(t *testing.T) {
	typo := strings.Replace(minimalBot, "intent = intent.greet", "intent = intent.gret", 1)
	tests := []struct {
		name       string
		args       func(t *testing.T) []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{
			name:       "shop is valid",
			args:       func(t *testing.T) []string { return []string{"validate", shop} },
			wantCode:   0,
			wantStdout: []string{"valid bot \"shop\""},
		},
		{
			name: "typo gets file, line, caret and a hint",
			args: func(t *testing.T) []string {
				return []string{"validate", writeBot(t, map[string]string{"bot.hcl": typo})}
			},
			wantCode:   1,
			wantStderr: []string{"bot.hcl:14:12", "error:", "^", `"greet"`},
		},
		{
			name:       "missing folder",
			args:       func(t *testing.T) []string { return []string{"validate", filepath.Join(t.TempDir(), "nope")} },
			wantCode:   1,
			wantStderr: []string{"nope"},
		},
		{
			name: "binary file",
			args: func(t *testing.T) []string {
				return []string{"validate", writeBot(t, map[string]string{"bot.hcl": minimalBot, "junk.hcl": "\x00\x01\x02\xff\xfe"})}
			},
			wantCode:   1,
			wantStderr: []string{"junk.hcl"},
		},
		{
			name:     "unknown flag is a usage error",
			args:     func(t *testing.T) []string { return []string{"validate", "-nope", shop} },
			wantCode: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "", tt.args(t)...)
			if code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			for _, w := range tt.wantStdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	dir := writeBot(t, map[string]string{"bot.hcl": strings.Replace(minimalBot, "reply  = response.hello", "reply  = response.helo", 1)})
	code, stdout, _ := runCmd(t, "", "validate", "-json", dir)
	if code != 1 {
		t.Fatalf("exit code = %d, want 1", code)
	}
	var got struct {
		Valid       bool `json:"valid"`
		ErrorCount  int  `json:"error_count"`
		Diagnostics []struct {
			Severity string `json:"severity"`
			Summary  string `json:"summary"`
			Range    struct {
				Filename string             `json:"filename"`
				Start    struct{ Line int } `json:"start"`
			} `json:"range"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if got.Valid || got.ErrorCount == 0 || len(got.Diagnostics) == 0 {
		t.Fatalf("want an invalid result with diagnostics, got %+v", got)
	}
	d := got.Diagnostics[0]
	if d.Severity != "error" || !strings.HasSuffix(d.Range.Filename, "bot.hcl") || d.Range.Start.Line != 15 {
		t.Errorf("diagnostic = %+v, want an error at bot.hcl:15", d)
	}
}

func TestFmt(t *testing.T) {
	messy := "bot \"mini\" {\nlanguages=[\"en\"]\n}\n\n\n\nintent \"greet\" {\n  examples = [\"hi\", \"hello\", \"hey\", \"yo\", \"hiya\"]\n}\n"
	dir := writeBot(t, map[string]string{"bot.hcl": messy})

	code, stdout, _ := runCmd(t, "", "fmt", "-check", "-diff", dir)
	if code != 1 {
		t.Fatalf("fmt -check on a messy file: exit %d, want 1", code)
	}
	if !strings.Contains(stdout, "+  languages = [\"en\"]") {
		t.Errorf("diff lacks the fix:\n%s", stdout)
	}
	if src, _ := os.ReadFile(filepath.Join(dir, "bot.hcl")); string(src) != messy {
		t.Error("fmt -check changed the file")
	}

	if code, _, stderr := runCmd(t, "", "fmt", dir); code != 0 {
		t.Fatalf("fmt: exit %d: %s", code, stderr)
	}
	if code, stdout, _ := runCmd(t, "", "fmt", "-check", dir); code != 0 {
		t.Fatalf("fmt -check after fmt: exit %d:\n%s", code, stdout)
	}
	if code, _, _ := runCmd(t, "", "fmt", "-check", shop); code != 0 {
		t.Errorf("examples/shop is not formatted: run parley fmt %s", shop)
	}
}

func TestTestCommand(t *testing.T) {
	// The shop's tests pass with no order system running: on their mocks.
	t.Setenv("SHOP_API_URL", "http://127.0.0.1:1")
	code, stdout, stderr := runCmd(t, "", "test", shop)
	if code != 0 {
		t.Fatalf("parley test %s: exit %d\n%s\n%s", shop, code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(last, " passed, 0 failed; pass rate 100.0%") {
		t.Errorf("last line = %q, want \"N passed, 0 failed; pass rate 100.0%%\"", last)
	}

	failing := minimalBot + `
test "wrong reply" {
  turn {
    user  = "hello"
    reply = "Goodbye!"
  }
}
`
	code, stdout, _ = runCmd(t, "", "test", writeBot(t, map[string]string{"bot.hcl": failing}))
	if code != 1 {
		t.Fatalf("failing test: exit %d, want 1\n%s", code, stdout)
	}
	if !strings.Contains(stdout, "0 passed, 1 failed; pass rate 0.0%") || !strings.Contains(stdout, "bot.hcl:") {
		t.Errorf("output lacks the summary or the failing turn's place:\n%s", stdout)
	}
}

func TestTestLive(t *testing.T) {
	// -live without the order system names the connector, where it calls and
	// what to do.
	t.Setenv("SHOP_API_URL", "http://127.0.0.1:1")
	code, stdout, _ := runCmd(t, "", "test", "-live", "-run", `^track an order in English$`, shop)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, stdout)
	}
	for _, want := range []string{`connector "orders" (http) cannot reach http://127.0.0.1:1`, "make run", "without -live"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	startShopBackend(t)
	code, stdout, stderr := runCmd(t, "", "test", "-live", shop)
	if code != 0 {
		t.Fatalf("parley test -live: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "SKIP  ") || !strings.Contains(stdout, " skipped; pass rate 100.0%") {
		t.Errorf("-live should skip the tests with live = false and pass the rest:\n%s", stdout)
	}
}

func TestTestCoverage(t *testing.T) {
	bot := minimalBot + `
intent "bye" {
  examples = ["bye", "goodbye", "see you", "bye bye", "see you later"]
}

response "unused" {
  en = "Never said."
}

test "hello" {
  turn {
    user     = "hello"
    response = response.hello
  }
}
`
	dir := writeBot(t, map[string]string{"bot.hcl": bot})
	code, stdout, _ := runCmd(t, "", "test", "-coverage", dir)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	for _, want := range []string{"coverage: 50.0% (2 of 4 reached)", "  intent       1/2     50.0%", "  reached  greet", "  MISSED   bye     " + dir, "  MISSED   unused  " + dir} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	code, _, stderr := runCmd(t, "", "test", "-min-coverage", "80", dir)
	if code != 1 || !strings.Contains(stderr, "coverage 50.0% is below -min-coverage 80") {
		t.Errorf("-min-coverage 80: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCmd(t, "", "test", "-min-coverage", "50", dir); code != 0 {
		t.Errorf("-min-coverage 50: exit %d, want 0", code)
	}
	if code, _, _ := runCmd(t, "", "test", "-min-coverage", "120", dir); code != 2 {
		t.Errorf("-min-coverage 120: exit %d, want 2", code)
	}

	code, stdout, _ = runCmd(t, "", "test", "-coverage", "-json", dir)
	if code != 0 {
		t.Fatalf("-json: exit %d:\n%s", code, stdout)
	}
	var doc struct {
		Passed   int     `json:"passed"`
		PassRate float64 `json:"pass_rate"`
		Coverage struct {
			Percent float64 `json:"percent"`
			Items   []struct {
				Kind, Name string
				Tests      int
			} `json:"items"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if doc.Passed != 1 || doc.PassRate != 100 || doc.Coverage.Percent != 50 || len(doc.Coverage.Items) != 4 {
		t.Errorf("JSON = %+v", doc)
	}
}

func TestChatPiped(t *testing.T) {
	startShopBackend(t)
	in := "hello\n\n   \nwhere is my order AB123456\n"
	code, stdout, stderr := runCmd(t, in, "chat", "-debug", "-database", "memory", shop)
	if code != 0 {
		t.Fatalf("chat: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"you> hello", "bot> ", "· intents:", "· dialog:", "SF Express"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("chat output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestChatInterrupted: Ctrl-C while the chat waits for the customer's next
// line ends it, although the read from the terminal is still blocked.
func TestChatInterrupted(t *testing.T) {
	stdin, typing := io.Pipe()
	t.Cleanup(func() { typing.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"chat", "-database", "memory", shop}, stdin, io.Discard, io.Discard)
	}()
	if _, err := io.WriteString(typing, "hello\n"); err != nil { // taken: the chat is reading
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("chat after Ctrl-C = %v, want it to end quietly", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("chat still waits for a line 30s after Ctrl-C")
	}
}

func TestChatBadInput(t *testing.T) {
	huge := strings.Repeat("a", 10<<20) + "\n"
	code, stdout, stderr := runCmd(t, huge+"hello\n", "chat", "-database", "memory", shop)
	if code != 0 {
		t.Fatalf("chat: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "too large") {
		t.Errorf("a 10 MB message should get a clear error:\n%.500s", stdout)
	}
	if !strings.Contains(stdout, "bot> ") {
		t.Errorf("the chat should go on after a bad message:\n%.500s", stdout)
	}
}

func TestChatContinuesAfterRestart(t *testing.T) {
	startShopBackend(t)
	db := filepath.Join(t.TempDir(), "chat.db")
	if code, _, stderr := runCmd(t, "I want a refund\n", "chat", "-database", db, shop); code != 0 {
		t.Fatalf("first chat: %s", stderr)
	}
	code, stdout, stderr := runCmd(t, "AB123456\n", "chat", "-debug", "-database", db, shop)
	if code != 0 {
		t.Fatalf("second chat: %s", stderr)
	}
	if !strings.Contains(stdout, "dialog: refund") || !strings.Contains(stdout, "order_id=AB123456") {
		t.Errorf("the refund dialog should continue after a restart:\n%s", stdout)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, stderr := runCmd(t, "", "valdate")
	if code != 2 || !strings.Contains(stderr, `did you mean "validate"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
