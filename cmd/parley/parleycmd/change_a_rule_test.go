package parleycmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/examples/shop/backend"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the outputs in docs/change-a-rule.md from this run")

const changeARuleDoc = "../../../docs/change-a-rule.md"

// docToken is the admin key of the page's server.
const docToken = "doc-admin-key-0123456789abcdef0123456789"

// consoleBlock is a ```console block of a document: a command, then what it prints.
type consoleBlock struct {
	start, end int // the block's output, as byte offsets in the document
	command    string
	output     string
}

var consoleRE = regexp.MustCompile("(?ms)^```console\n\\$ ([^\n]*)\n(.*?)^```")

func consoleBlocks(t *testing.T, doc string) []consoleBlock {
	t.Helper()
	var out []consoleBlock
	for _, m := range consoleRE.FindAllStringSubmatchIndex(doc, -1) {
		out = append(out, consoleBlock{start: m[4], end: m[5], command: doc[m[2]:m[3]], output: doc[m[4]:m[5]]})
	}
	return out
}

// splitCommand splits a command line into arguments, with double quotes.
func splitCommand(line string) []string {
	var args []string
	var cur strings.Builder
	quoted, any := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, any = !quoted, true
		case r == ' ' && !quoted:
			if any {
				args = append(args, cur.String())
			}
			cur.Reset()
			any = false
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if any {
		args = append(args, cur.String())
	}
	return args
}

// volatile is what differs from run to run: times, content hashes, keys,
// ticket numbers, response times.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?`), "DATE TIME"},
	{regexp.MustCompile(`\b[0-9a-f]{16}\b`), "HASH"},
	{regexp.MustCompile(`pk_[A-Za-z0-9_-]+`), "KEY"},
	{regexp.MustCompile(`\bT-[0-9A-F]{16}\b`), "TICKET"},
	{regexp.MustCompile(`\d+\.\d+ (s|min)\b`), "N s"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`/tmp/[^ \n)]*`), "DIR"},
	{regexp.MustCompile(`postgres://[^ \n)]*`), "postgres://DATABASE"},
	{regexp.MustCompile(` +\n`), "\n"},
}

// docFriendly shows the page's reader the address and database they would
// see, not the test's.
func docFriendly(s string) string {
	s = regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(s, "127.0.0.1:8080")
	return regexp.MustCompile(`postgres://[^ \n)]*`).ReplaceAllString(s, "postgres://parley:xxxxx@db.internal:5432/shop")
}

func normalize(s string) string {
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	// Columns move with the width of what was normalized.
	return regexp.MustCompile(` {2,}`).ReplaceAllString(s, "  ")
}

// TestChangeARuleDoc runs docs/change-a-rule.md: a week of conversations
// on the shop, then each command of the page in order, with the edits its
// text describes, and checks each prints what the page shows. Run with
// -update-docs to rewrite the page's outputs after a change.
func TestChangeARuleDoc(t *testing.T) {
	if testing.Short() {
		t.Skip("plays several hundred conversations")
	}
	raw, err := os.ReadFile(changeARuleDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	blocks := consoleBlocks(t, doc)
	if len(blocks) < 8 {
		t.Fatalf("%d console blocks in %s", len(blocks), changeARuleDoc)
	}
	docPath, _ := filepath.Abs(changeARuleDoc)
	repo, _ := filepath.Abs("../../..")
	work := t.TempDir()
	copyDir(t, filepath.Join(repo, "examples", "shop"), filepath.Join(work, "examples", "shop"))
	shop := httptest.NewServer(backend.New(backend.Options{}))
	defer shop.Close()
	t.Setenv("SHOP_API_URL", shop.URL)
	// The shop's database, in a schema of its own.
	url := pgtest.URL(t)
	schema := pgtest.Schema(t, url)
	createSchema(t, url, schema)
	t.Setenv("PARLEY_DATABASE_URL", url+"&search_path="+schema+"%2Cpublic")
	// The admin key the server requires and parley rollout sends.
	t.Setenv("PARLEY_API_TOKEN", docToken)
	for _, name := range []string{"PARLEY_API_KEY", "PARLEY_SECRET", "PARLEY_POLICY_LABEL", "PARLEY_CANDIDATE_LABEL"} {
		t.Setenv(name, "")
	}
	t.Chdir(work)

	// A week of the shop: the current policies alone.
	ctx := context.Background()
	week := serveInProcess(t, ctx, "-label", "v1", "examples/shop")
	traffic(t, week.addr, "week", 160)
	week.stop(t)

	var serving *inProcessServe
	defer func() {
		if serving != nil {
			serving.stop(t)
		}
	}()
	tests := 0
	var got []string
	for _, b := range blocks {
		args := splitCommand(b.command)
		if len(args) < 2 || args[0] != "parley" {
			t.Fatalf("block %q: a console block starts with a parley command", b.command)
		}
		args = args[1:]
		var out string
		switch args[0] {
		case "validate":
			// Step 1: the copy, and the new threshold.
			copyDir(t, filepath.Join(work, "examples", "shop"), filepath.Join(work, "shop-v2"))
			edit(t, "shop-v2/bot.hcl", "without review\"\n  value       = 500", "without review\"\n  value       = 800")
		case "test":
			if tests++; tests == 2 {
				// Step 2: the tests and the mock, as the page shows them.
				edit(t, "shop-v2/tests/refunds.hcl", `test "refund of 500 goes to review" {`, `test "refund of 500 is approved automatically" {`)
				edit(t, "shop-v2/tests/refunds.hcl", "    user     = \"yes please\"\n    calls    = []\n    ticket   = queue.refund_review\n    response = response.refund_under_review",
					"    user     = \"yes please\"\n    calls    = [connector.orders.refund]\n    response = response.refund_approved")
				edit(t, "shop-v2/tests/outages.hcl", `"500"     = { total = 500, response = response.refund_under_review }`,
					`"500"     = { total = 500, response = response.refund_approved }`+"\n    \"800\"     = { total = 800, response = response.refund_under_review }")
				edit(t, "shop-v2/tests/mocks.hcl", "# Only orders still being processed", "mock {\n  operation = connector.orders.refund\n  input     = { order_id = \"GH500000\", amount = 500 }\n  output    = { refund_id = \"RF-3\", status = \"approved\", amount = 500 }\n}\n\n# Only orders still being processed")
			}
		case "serve":
			// Step 4: the release, then a few days of customers.
			serving = serveInProcess(t, ctx, args[1:]...)
			out = serving.banner
			traffic(t, serving.addr, "release", 300)
		}
		if args[0] != "serve" {
			if args[0] == "rollout" && serving != nil {
				args = append([]string{"rollout", "-server", "http://" + serving.addr}, args[1:]...)
			}
			var stdout, stderr bytes.Buffer
			err := Run(ctx, args, strings.NewReader(""), &stdout, &stderr)
			var exit *exitError
			if err != nil && !(errors.As(err, &exit) && exit.code == 1 && args[0] == "test") {
				t.Fatalf("%s: %v\n%s", b.command, err, stderr.String())
			}
			out = stdout.String()
		}
		got = append(got, out)
		if !*updateDocs && normalize(out) != normalize(b.output) {
			t.Errorf("%s printed:\n%s\nthe page shows:\n%s", b.command, out, b.output)
		}
	}
	if *updateDocs {
		var w strings.Builder
		last := 0
		for i, b := range blocks {
			w.WriteString(doc[last:b.start])
			w.WriteString(docFriendly(got[i]))
			last = b.end
		}
		w.WriteString(doc[last:])
		if err := os.WriteFile(docPath, []byte(w.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// inProcessServe is `parley serve` running in the test's process.
type inProcessServe struct {
	addr   string
	banner string // the lines it printed before serving
	cancel context.CancelFunc
	done   chan error
}

func (s *inProcessServe) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	if err := <-s.done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// serveInProcess runs serve with args (and a free address), and waits until it
// answers; the banner is its output up to the agent console's line.
func serveInProcess(t *testing.T, ctx context.Context, args ...string) *inProcessServe {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(ctx)
	out, logs := &lockedBuffer{}, &lockedBuffer{}
	s := &inProcessServe{addr: addr, cancel: cancel, done: make(chan error, 1)}
	go func() {
		s.done <- Run(ctx, append([]string{"serve", "-addr", addr, "-sweep-every", "1s", "-rate-limit", "-1"}, args...), strings.NewReader(""), out, logs)
	}()
	deadline := time.After(2 * time.Minute)
	for !strings.Contains(out.String(), "agent console") {
		select {
		case err := <-s.done:
			cancel()
			t.Fatalf("serve %v: %v\n%s\n%s", args, err, out.String(), logs.String())
		case <-deadline:
			cancel()
			t.Fatalf("serve %v did not start: %s\n%s", args, out.String(), logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	s.banner = out.String()
	return s
}

// traffic plays n conversations through the API: orders tracked, refunds
// of GH500000 (500) and of PQ000499 (499), and messages the bot can't
// place; each ends with a goodbye, which settles its outcome.
func traffic(t *testing.T, addr, prefix string, n int) {
	t.Helper()
	flows := [][]string{
		{"where is my order AB123456?", "thanks, bye"},
		{"refund GH500000, it's the wrong item", "yes please", "thanks, bye"},
		{"where is my order CD654321?", "thanks, bye"},
		{"I want a refund for order PQ000499", "I changed my mind", "yes", "thanks, bye"},
		{"refund GH500000, it's the wrong item", "yes please", "thanks, bye"},
		{"blorp zzyzx", "thanks, bye"},
		{"where is my order EF111111?", "thanks, bye"},
		{"refund GH500000, it's the wrong item", "yes please", "thanks, bye"},
		{"how long do I have to return something?", "thanks, bye"},
		{"where is my order AB123456?", "thanks, bye"},
	}
	client := &http.Client{Timeout: time.Minute}
	for i := range n {
		id := fmt.Sprintf("%s-%04d", prefix, i)
		for j, text := range flows[i%len(flows)] {
			body, _ := json.Marshal(map[string]string{"text": text, "client_message_id": fmt.Sprint(j)})
			req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/conversations/"+id+"/messages", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+docToken)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s %q: %s", id, text, resp.Status)
			}
		}
	}
}

func createSchema(t *testing.T, url, schema string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(to, ".parley")); err != nil {
		t.Fatal(err)
	}
}

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), old) != 1 {
		t.Fatalf("%s: %q is there %d times; the page's edit no longer applies", path, old, strings.Count(string(b), old))
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}
