package engine

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"

	_ "github.com/parleyhq/parley/connectors/sqlconn"
)

// crmDriver is a connector type written in Go, as a company would add one: it
// declares its operations, and records what it is asked.
type crmDriver struct {
	mu    sync.Mutex
	calls []connectors.Request
}

func (d *crmDriver) Spec() connectors.Spec { return connectors.Spec{} }

func (d *crmDriver) Operations(connectors.Config) ([]connectors.Operation, error) {
	return []connectors.Operation{{
		Name:   "tier",
		Inputs: []connectors.Param{{Name: "order_id", Type: cty.String}},
		Output: cty.Object(map[string]cty.Type{"tier": cty.String}),
	}}, nil
}

func (d *crmDriver) Open(connectors.Config) (connectors.Connector, error) { return d, nil }

func (d *crmDriver) Call(_ context.Context, req connectors.Request) (connectors.Response, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, req)
	return connectors.Response{Data: map[string]any{"tier": "gold"}}, nil
}

func (d *crmDriver) keys() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, c := range d.calls {
		out = append(out, c.IdempotencyKey)
	}
	return out
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// testBot is a bot whose dialog calls one operation of each kind of connector:
// http (to a port nothing listens on), sql (with no database configured),
// fixture, and a Go-defined one.
const testBot = `
bot "b" {
  languages = ["en"]
}

intent "check" {
  examples = ["check my order", "look up my order", "check [AB123456](order_id)", "order status", "look up order [CD654321](order_id)"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

connector "web" {
  type     = "http"
  base_url = "http://CLOSED"
  retry {
    attempts = 2
  }

  operation "status" {
    input  = { order_id = string }
    output = { status = string }
    method = "GET"
    path   = "/orders/{order_id}"
    result = { status = "status" }
  }
}

connector "db" {
  type    = "sql"
  dsn_env = "PARLEY_TESTRUN_NO_SUCH_DSN"

  operation "total" {
    input  = { order_id = string }
    output = { total = number }
    query  = "SELECT total FROM orders WHERE id = @order_id"
  }
}

connector "notes" {
  type = "fixture"
  data = { notes = { AB123456 = { note = "fragile" } } }

  operation "note" {
    input  = { order_id = string }
    output = { note = string }
    lookup = "notes"
  }
}

connector "crm" {
  type = "crm"
}

dialog "check" {
  trigger = [intent.check]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }

  call "status" {
    operation = connector.web.status
    input     = { order_id = slot.order_id }
    on_unavailable {
      reply = "The order system is down."
    }
    on_timeout {
      reply = "The order system is slow."
    }
  }

  call "total" {
    operation = connector.db.total
    input     = { order_id = slot.order_id }
  }

  call "note" {
    operation = connector.notes.note
    input     = { order_id = slot.order_id }
  }

  call "tier" {
    operation = connector.crm.tier
    input     = { order_id = slot.order_id }
  }

  outcome "done" {
    reply = "${slot.order_id}: ${call.status.status}, ${call.total.total}, ${call.note.note}, ${call.tier.tier}."
  }
}
`

// runSuite loads the bot with extra test files and runs its tests.
func runSuite(t *testing.T, tests string, opts TestOptions) (TestSummary, string, *crmDriver) {
	t.Helper()
	dir := t.TempDir()
	bot := strings.ReplaceAll(testBot, "CLOSED", closedAddr(t))
	for name, src := range map[string]string{"bot.hcl": bot, "tests.hcl": tests} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	crm := &crmDriver{}
	reg := connectors.Default.Clone()
	reg.Register("crm", crm)
	loaded, diags := Load(dir, reg)
	if diags.HasErrors() {
		t.Fatalf("load: %s", diags.Error())
	}
	opts.Connectors = reg
	var out bytes.Buffer
	sum, err := RunTests(context.Background(), loaded, opts, &out)
	if err != nil {
		t.Fatalf("RunTests: %v\n%s", err, out.String())
	}
	return sum, out.String(), crm
}

// mocksForAll answers every call of the bot, for every connector type.
const mocksForAll = mocksButNotes + `
mock {
  operation = connector.notes.note
  output    = { note = "mocked" }
}
`

// mocksButNotes answers every call but the notes fixture's.
const mocksButNotes = `
mock {
  operation = connector.web.status
  input     = { order_id = "AB123456" }
  output    = { status = "shipped" }
}

mock {
  operation = connector.db.total
  output    = { total = 320 }
}

mock {
  operation = connector.crm.tier
  output    = { tier = "silver" }
}
`

func TestRunTestsMocksEveryConnectorType(t *testing.T) {
	sum, out, crm := runSuite(t, mocksForAll+`
test "every connector answers from its mock" {
  turn {
    user  = "check AB123456"
    calls = [connector.web.status, connector.db.total, connector.notes.note, connector.crm.tier]
    reply = "AB123456: shipped, 320, mocked, silver."
  }
}
`, TestOptions{})
	if sum.Passed != 1 || sum.Failed != 0 {
		t.Errorf("%d passed, %d failed:\n%s", sum.Passed, sum.Failed, out)
	}
	if len(crm.calls) != 0 {
		t.Errorf("the Go connector was called %d times; a mocked connector must not be", len(crm.calls))
	}
}

// A stranger's carrier bot mocked one operation of a fixture to fail, and its
// lookups, which the fixture's data had answered, failed for want of mocks.
func TestRunTestsUnmatchedFixtureCall(t *testing.T) {
	sum, out, _ := runSuite(t, mocksButNotes+`
test "only another note is mocked" {
  mock {
    operation = connector.notes.note
    input     = { order_id = "CD654321" }
    error     = "unavailable"
  }

  turn {
    user = "check AB123456"
  }
}

test "the fixture answers what the mocks don't" {
  connector "notes" {}

  mock {
    operation = connector.notes.note
    input     = { order_id = "CD654321" }
    error     = "unavailable"
  }

  turn {
    user  = "check AB123456"
    reply = "AB123456: shipped, 320, fragile, silver."
  }
}
`, TestOptions{})
	if sum.Passed != 1 || len(sum.Failures) != 1 {
		t.Fatalf("want the fixture test to pass and the other to fail, got %+v:\n%s", sum.Failures, out)
	}
	want := `connector.notes.note was called with { order_id = "AB123456" }, and no mock matches it: a connector the test mocks answers only from mocks. Mock it in the test (or at the top level, for every test), or give the test connector "notes" {} to let the fixture's data answer what the mocks don't:`
	if got, _, _ := strings.Cut(sum.Failures[0].Message, "\n"); got != want {
		t.Errorf("message:\n got %s\nwant %s", got, want)
	}
}

func TestRunTestsMockOrder(t *testing.T) {
	// Test-level mocks come first, then top-level ones, each in the order written;
	// a mock's input matches calls whose inputs include it, numbers and strings
	// compared as the declared types.
	sum, out, _ := runSuite(t, `
mock {
  operation = connector.web.status
  output    = { status = "from the top level" }
}

mock {
  operation = connector.web.status
  output    = { status = "never: the one above matches first" }
}

mock {
  operation = connector.db.total
  input     = { order_id = "CD654321" }
  output    = { total = "12.5" }
}

mock {
  operation = connector.notes.note
  output    = { note = "n" }
}

mock {
  operation = connector.crm.tier
  output    = { tier = "t" }
}

test "a test's own mocks win" {
  mock {
    operation = connector.web.status
    input     = { order_id = "CD654321" }
    output    = { status = "from the test" }
  }

  turn {
    user  = "check CD654321"
    reply = "CD654321: from the test, 12.5, n, t."
  }
}

test "top-level mocks in order" {
  turn {
    user  = "check CD654321"
    reply = "CD654321: from the top level, 12.5, n, t."
  }
}
`, TestOptions{})
	if sum.Passed != 2 {
		t.Errorf("%d passed, %d failed:\n%s", sum.Passed, sum.Failed, out)
	}
}

func TestRunTestsMockedFailures(t *testing.T) {
	for _, code := range []string{"unavailable", "timeout"} {
		t.Run(code, func(t *testing.T) {
			want := map[string]string{"unavailable": "The order system is down.", "timeout": "The order system is slow."}[code]
			sum, out, _ := runSuite(t, mocksForAll+`
test "the order system fails" {
  mock {
    operation = connector.web.status
    error     = "`+code+`"
  }

  turn {
    user  = "check AB123456"
    reply = "`+want+`"
  }
}
`, TestOptions{})
			if sum.Passed != 1 {
				t.Errorf("%d passed, %d failed:\n%s", sum.Passed, sum.Failed, out)
			}
		})
	}
}

func TestRunTestsUnmatchedCall(t *testing.T) {
	sum, out, _ := runSuite(t, mocksForAll+`
test "an order nobody mocked" {
  turn {
    user = "check CD654321"
    reply = "never checked"
  }

  turn {
    user = "never played"
  }
}
`, TestOptions{})
	if sum.Failed != 1 || len(sum.Failures) != 1 {
		t.Fatalf("want the one failure of the unmatched call, got %+v:\n%s", sum.Failures, out)
	}
	f := sum.Failures[0]
	want := `connector.web.status was called with { order_id = "CD654321" }, and no mock matches it. Mock it in the test (or at the top level, for every test):
  mock {
    operation = connector.web.status
    input     = { order_id = "CD654321" }
    output    = { status = "" } # or: error = "not_found" (or rejected, unavailable, timeout)
  }`
	if diff := cmp.Diff(want, f.Message); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	if f.Turn != 1 {
		t.Errorf("failure at turn %d, want 1", f.Turn)
	}
	// The suggested block is valid HCL that validate accepts as it is.
	block := strings.Join(strings.Split(strings.SplitN(f.Message, "\n", 2)[1], "\n  "), "\n")
	sum, out, _ = runSuite(t, mocksForAll+block+`
test "now mocked" {
  turn {
    user  = "check CD654321"
    reply = "CD654321: , 320, mocked, silver."
  }
}
`, TestOptions{})
	if sum.Passed != 1 {
		t.Errorf("with the suggested mock: %d passed, %d failed:\n%s", sum.Passed, sum.Failed, out)
	}
}

func TestRunTestsUnreachableAndUnopened(t *testing.T) {
	tests := []struct {
		name  string
		tests string
		live  bool
		want  []string
	}{
		{
			name: "an http connector without mocks names its URL and the fix",
			tests: `
test "t" {
  turn {
    user = "check AB123456"
  }
}
`,
			want: []string{`connector "web" (http) cannot reach http://127.0.0.1:`, "connection refused", "make run", "or mock the call:", "operation = connector.web.status"},
		},
		{
			name:  "under -live the mocks are ignored, and the fix says so",
			tests: mocksForAll + "\ntest \"t\" {\n  turn {\n    user = \"check AB123456\"\n  }\n}\n",
			live:  true,
			want:  []string{`connector "web" (http) cannot reach http://127.0.0.1:`, "run the tests without -live"},
		},
		{
			name: "a connector that can't be opened names what it lacks",
			tests: `
mock {
  operation = connector.web.status
  output    = { status = "ok" }
}

test "t" {
  turn {
    user = "check AB123456"
  }
}
`,
			want: []string{`connector "db" (sql) could not be opened for connector.db.total`, "PARLEY_TESTRUN_NO_SUCH_DSN", "mock the call:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, out, _ := runSuite(t, tt.tests, TestOptions{Live: tt.live})
			if sum.Failed != 1 || len(sum.Failures) != 1 {
				t.Fatalf("want one failure, got %+v:\n%s", sum.Failures, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(sum.Failures[0].Message, w) {
					t.Errorf("message lacks %q:\n%s", w, sum.Failures[0].Message)
				}
			}
		})
	}
}

func TestRunTestsConnectorOverrideAndLive(t *testing.T) {
	// A test that gives a mocked connector settings of its own calls it for
	// whatever its mocks don't answer; -live skips tests marked live = false
	// and calls the real connectors for the others.
	suite := `
mock {
  operation = connector.web.status
  output    = { status = "s" }
}

mock {
  operation = connector.db.total
  output    = { total = 1 }
}

mock {
  operation = connector.notes.note
  input     = { order_id = "CD654321" }
  output    = { note = "mocked" }
}

test "the fixture's own data" {
  live = false

  connector "notes" {
    data = { notes = { AB123456 = { note = "from the test's data" } } }
  }

  turn {
    user  = "check AB123456"
    reply = "AB123456: s, 1, from the test's data, gold."
  }
}
`
	sum, out, crm := runSuite(t, suite, TestOptions{})
	if sum.Passed != 1 {
		t.Errorf("%d passed, %d failed:\n%s", sum.Passed, sum.Failed, out)
	}
	if len(crm.calls) != 1 {
		t.Errorf("the unmocked Go connector was called %d times, want 1", len(crm.calls))
	}
	sum, out, _ = runSuite(t, suite, TestOptions{Live: true})
	if sum.Skipped != 1 || sum.Passed+sum.Failed != 0 || !strings.Contains(out, "SKIP  the fixture's own data (live = false)") {
		t.Errorf("-live: %+v\n%s", sum, out)
	}
}

func TestRunTestsFreshConversationIDs(t *testing.T) {
	// The idempotency key of a call holds the conversation id: two runs of the
	// same suite must not look like retries of each other to a system that
	// keeps keys.
	suite := `
mock {
  operation = connector.web.status
  output    = { status = "s" }
}

mock {
  operation = connector.db.total
  output    = { total = 1 }
}

test "t" {
  turn {
    user = "check AB123456"
  }
}
`
	var keys []string
	for range 2 {
		_, _, crm := runSuite(t, suite, TestOptions{})
		keys = append(keys, crm.keys()...)
	}
	if len(keys) != 2 || keys[0] == "" || keys[0] == keys[1] {
		t.Errorf("idempotency keys of two runs = %q, want two different ones", keys)
	}
}

func TestRunTestsEntitiesAndDialogSlots(t *testing.T) {
	sum, out, _ := runSuite(t, mocksForAll+`
test "checks that hold" {
  turn {
    user         = "look up my order"
    entities     = {}
    dialog_slots = { check = { order_id = null } }
  }

  turn {
    user         = "AB123456"
    entities     = { order_id = "AB123456", number = null }
    dialog_slots = { check = { order_id = "AB123456" } }
  }
}

test "checks that fail" {
  turn {
    user         = "check AB123456"
    entities     = { order_id = "CD654321" }
    dialog_slots = { check = { order_id = "CD654321" } }
  }

  turn {
    user         = "check AB123456, not CD654321"
    entities     = { order_id = ["CD654321", "AB123456"] }
    dialog_slots = { check = { order_id = null } }
  }

  turn {
    user         = "blorp"
    dialog_slots = { check = {} }
  }
}
`, TestOptions{})
	var got []string
	for _, f := range sum.Failures {
		got = append(got, f.Message)
	}
	want := []string{
		`entities: want order_id "CD654321", got [order_id="AB123456"]`,
		`dialog check: slot order_id: want "CD654321", got "AB123456"`,
		`entities: want order_id = ["CD654321", "AB123456"], got [order_id="AB123456" order_id="CD654321"]`,
		`dialog check: slot order_id: want it empty, got "AB123456"`,
		`dialog_slots: dialog "check" is neither active nor interrupted after this turn, and did not end in it (dialogs: [])`,
	}
	if sum.Passed != 1 {
		t.Errorf("%d passed:\n%s", sum.Passed, out)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}

func TestRunTestsCoverage(t *testing.T) {
	sum, out, _ := runSuite(t, mocksForAll+`
test "t" {
  turn {
    user = "check my order"
  }
}
`, TestOptions{})
	if sum.Passed != 1 {
		t.Fatalf("%d passed:\n%s", sum.Passed, out)
	}
	reached := map[string]bool{}
	for _, it := range sum.Coverage.Items {
		reached[it.Kind+" "+it.Name] = it.Reached()
	}
	want := map[string]bool{
		"intent check": true, "dialog check": true, "slot check.order_id": true,
		"outcome check.done": false, // the order number never came
	}
	if diff := cmp.Diff(want, reached); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}
	if sum.Coverage.Reached != 3 || sum.Coverage.Total != 4 || sum.Coverage.Percent != 75 {
		t.Errorf("coverage = %d of %d (%.1f%%), want 3 of 4 (75%%)", sum.Coverage.Reached, sum.Coverage.Total, sum.Coverage.Percent)
	}
}

func TestRunTestsFilterAndPassRate(t *testing.T) {
	sum, out, _ := runSuite(t, mocksForAll+`
test "table" {
  for_each = { a = "AB123456", b = "CD654321" }

  turn {
    user     = "check ${each.value}"
    entities = { order_id = each.value }
  }
}

test "other" {
  turn {
    user = "check my order"
  }
}
`, TestOptions{Filter: regexp.MustCompile(`^table\[`)})
	if sum.Passed != 1 || sum.Failed != 1 || sum.PassRate() != 50 {
		t.Errorf("%+v", sum)
	}
	if !strings.Contains(out, `PASS  table["a"]`) || !strings.Contains(out, `FAIL  table["b"]`) || !strings.HasSuffix(out, "1 passed, 1 failed; pass rate 50.0%\n") {
		t.Errorf("report:\n%s", out)
	}
}

// TestRunTestsTurnChecks: a decision with no approval to decide fails its
// test at that turn and the run goes on; a number matches a slot's amount
// ("600.00"); the test's language is customer.language.
func TestRunTestsTurnChecks(t *testing.T) {
	sum, out, _ := runSuite(t, mocksForAll+`
intent "hello" {
  examples = ["hello", "hi there", "good morning", "hey"]
}

intent "top_up" {
  examples = ["top up", "top up my phone", "add [£20](money) credit", "top up [£50](money)"]
}

answer "hello" {
  intent = intent.hello
  reply  = "Hello in ${customer.language}."
}

dialog "top_up" {
  trigger = [intent.top_up]

  slot "amount" {
    type   = money
    prompt = "How much?"
  }

  outcome "done" {
    reply = "Topped up."
  }
}

test "decision without an approval" {
  turn {
    user = "hello"
  }

  turn {
    decision = "approved"
  }

  turn {
    user = "hello"
  }
}

test "amounts and language" {
  language = "en"

  turn {
    user  = "hello"
    reply = ["Hello in en."]
  }

  turn {
    user  = "top up £600"
    slots = { amount = 600 }
  }
}

test "a different amount" {
  turn {
    user  = "top up £600"
    slots = { amount = 601 }
  }
}
`, TestOptions{})
	var got []string
	for _, f := range sum.Failures {
		got = append(got, filepath.Base(f.Where)+": turn "+strconv.Itoa(f.Turn)+": "+f.Message)
	}
	want := []string{
		`tests.hcl:54,3-7: turn 2: decision "approved": the bot has asked for no approval that is still undecided. A decision turn comes after the turn where the bot asks for one (check it there with approval = queue.NAME).`,
		`tests.hcl:78,3-7: turn 1: slot amount: want "601", got "600.00"`,
	}
	if sum.Passed != 1 {
		t.Errorf("%d passed:\n%s", sum.Passed, out)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}

// surveyBot answers "when are you open" and asks its after_bot survey of
// half the conversations.
const surveyBot = `
bot "b" {
  languages = ["en"]

  survey {
    after_bot = 0.5
  }
}

intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}

answer "hours" {
  intent = intent.hours
  reply  = "9 to 5."
}
`

// Whether the bot asks its after_bot survey is drawn from the conversation
// id, which is new on every test run; a test must still draw the same every
// time, or a test that checks every reply would pass one run in five.
func TestRunTestsSurveyDrawIsStable(t *testing.T) {
	src := surveyBot
	for i := range 12 {
		src += fmt.Sprintf("\ntest \"case %d\" {\n  turn {\n    user = \"when are you open\"\n  }\n}\n", i)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bot.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bot, diags := Load(dir, nil)
	if diags.HasErrors() {
		t.Fatalf("load: %s", diags.Error())
	}
	var runs []string
	for range 3 {
		var out bytes.Buffer
		if _, err := RunTests(context.Background(), bot, TestOptions{Verbose: true}, &out); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, out.String())
	}
	if !strings.Contains(runs[0], "How did we do?") {
		t.Fatalf("no case drew the survey:\n%s", runs[0])
	}
	for _, r := range runs[1:] {
		if diff := cmp.Diff(runs[0], r); diff != "" {
			t.Errorf("a second run asked the survey in other tests (-first +later):\n%s", diff)
		}
	}
}
