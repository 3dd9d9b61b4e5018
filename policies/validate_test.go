package policies

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// summaries lists "severity: summary" of each diagnostic, in order.
// errorDetails loads src as a bot's only file and returns the details of
// its errors.
func errorDetails(t *testing.T, src string) []string {
	t.Helper()
	_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(src)}, testOptions)
	var errs []string
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs = append(errs, d.Detail)
		}
	}
	return errs
}

func summaries(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		out = append(out, sev+": "+d.Summary)
	}
	return out
}

const twoLanguageBot = `
bot "b" {
  languages = ["en", "zh"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

answer "greet" {
  intent = intent.greet
  reply  = response.greeting
}

answer "again" {
  intent = intent.greet
  reply  = response.other
}
`

// A file that does not parse must not cause errors elsewhere (every reference
// to a response it declares), nor warnings about what it would hold: the
// syntax error is the root cause and comes alone.
func TestSyntaxErrorIsTheRootCause(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "unterminated string in responses",
			files: map[string]string{
				"bot.hcl": twoLanguageBot,
				"responses.hcl": `response "greeting" {
  en = "Hello
  zh = "你好"
}

response "other" {
  en = "x"
  zh = "y"
}
`,
			},
			want: []string{"error: Unterminated template string", "error: Invalid multi-line string"},
		},
		{
			name: "double brace after a rule",
			files: map[string]string{
				"bot.hcl": twoLanguageBot + `
response "greeting" {
  en = "Hello"
}
`,
				"rules.hcl": `rule "x" {{
  on = message
}
`,
			},
			want: []string{"error: Argument or block definition required"},
		},
		{
			name: "errors in well-formed files are still reported, after the syntax error",
			files: map[string]string{
				"a.hcl": "bot \"b\" {\n  languages = [\"en\"]\n  colour = 1\n}\n",
				"b.hcl": "response \"x\" {\n  en = \"unclosed\n}\n",
			},
			want: []string{"error: Unterminated template string", "error: Invalid multi-line string", "error: Unsupported argument"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range tt.files {
				files[k] = []byte(v)
			}
			bot, diags := LoadFiles(files, testOptions)
			if bot != nil {
				t.Fatal("a bot with syntax errors loaded")
			}
			if diff := cmp.Diff(tt.want, summaries(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diags.Error())
			}
			if !strings.Contains(diags[0].Detail, "once every file parses") {
				t.Errorf("the first syntax error does not say the other checks wait for it: %q", diags[0].Detail)
			}
		})
	}
}

// detailsOf is the details of the diagnostics with this summary, in order.
func detailsOf(diags hcl.Diagnostics, summary string) []string {
	var out []string
	for _, d := range diags {
		if d.Summary == summary {
			out = append(out, d.Detail)
		}
	}
	return out
}

func TestDiagnosticsListWhatExists(t *testing.T) {
	src := `
bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "I want a refund", "money back", "refund please", "give me my money back"]
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = text
    prompt = "Order?"
  }

  slot "reason" {
    type   = text
    prompt = "Why?"
  }

  outcome "done" {
    reply = "Refunding ${slot.adress}."
    reask = slot.address
  }
}
`
	_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(src)}, testOptions)
	details := detailsOf(diags, "Unknown slot")
	want := []string{
		`There is no slot named "adress" in outcome "done" of dialog "refund". The slots here are order_id and reason.`,
		`Dialog "refund" has no slot named "address". The slots here are order_id and reason.`,
	}
	if diff := cmp.Diff(want, details); diff != "" {
		t.Errorf("Unknown slot details (-want +got):\n%s", diff)
	}
}

// A rule on a dialog that reads a slot of another dialog is told which
// dialog it runs on, whose slots are the ones listed.
func TestRuleDiagnosticsNameTheirDialog(t *testing.T) {
	src := `
bot "b" {
  languages = ["en"]
}

intent "dispute" {
  examples = ["wrong charge", "I was overcharged", "dispute a fee", "charged too much", "refund my ride"]
}

intent "broken" {
  examples = ["the scooter is broken", "broken brakes", "report a fault", "it won't start", "flat tyre"]
}

dialog "dispute" {
  trigger = [intent.dispute]

  slot "ride_id" {
    type   = text
    prompt = "Which ride?"
  }

  outcome "done" {
    reply = "Checking."
  }
}

dialog "broken" {
  trigger = [intent.broken]

  slot "scooter_no" {
    type   = text
    prompt = "Which scooter?"
  }

  outcome "done" {
    reply = "Reported."
  }
}

rule "refund" {
  on    = dialog.dispute
  when  = slot.scooter_no != null
  reply = "Ride ${slot.ride}."
}
`
	_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(src)}, testOptions)
	details := detailsOf(diags, "Unknown slot")
	want := []string{
		`There is no slot named "scooter_no" in the when and amount of rule "refund" on dialog "dispute" (decided before its calls run). The slots here are ride_id.`,
		`There is no slot named "ride" in rule "refund" on dialog "dispute". The slots here are ride_id.`,
	}
	if diff := cmp.Diff(want, details); diff != "" {
		t.Errorf("Unknown slot details (-want +got):\n%s", diff)
	}
}

// A mistake inside a shared definition is reported on the definition's line,
// and says which use it comes from; one that holds for every use is reported once.
func TestSharedDefinitionDiagnosticsNameTheUse(t *testing.T) {
	_, diags := LoadDir("testdata/invalid/shared", testOptions)
	var found bool
	for _, d := range diags {
		if d.Summary != "Unknown slot" || d.Subject.Start.Line != 19 {
			continue
		}
		found = true
		for _, want := range []string{`shared call "order" (testdata/invalid/shared/main.hcl:17,1-13)`, `used in dialog "track" at testdata/invalid/shared/main.hcl:51`} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("detail %q does not contain %q", d.Detail, want)
			}
		}
	}
	if !found {
		t.Fatalf("no Unknown slot on the shared call's input:\n%s", diags.Error())
	}
	count := map[string]int{}
	for _, d := range diags {
		count[d.Summary+"@"+d.Subject.String()]++
	}
	for k, n := range count {
		if n > 1 {
			t.Errorf("%s reported %d times", k, n)
		}
	}
}

func TestSharedDefinitionsMerge(t *testing.T) {
	bot, diags := LoadDir("testdata/valid/shared", testOptions)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	find := func(name string) *Dialog {
		for _, dl := range bot.Dialogs {
			if dl.Name == name {
				return dl
			}
		}
		t.Fatalf("no dialog %q", name)
		return nil
	}
	track, refund := find("track"), find("refund")
	for _, dl := range []*Dialog{track, refund} {
		s := dl.Slots[0]
		if s.Type != "order_id" || s.Retries != 2 || s.OnExhausted == nil || s.OnExhausted.Handoff == nil || s.Shared == nil {
			t.Errorf("dialog %s: slot %+v did not take the shared settings", dl.Name, s)
		}
		c := dl.Calls[0]
		if c.Operation != "get_order" || c.Reads[0] != "order_id" || c.Handler("not_found") == nil {
			t.Errorf("dialog %s: call %+v did not take the shared settings", dl.Name, c)
		}
		if c.Handler("unavailable") != c.Handler("timeout") || c.Handler("unavailable") == c.Handler("error") {
			t.Errorf("dialog %s: one on_error block should handle unavailable and timeout, another the rest", dl.Name)
		}
		if got := len(c.Handlers()); got != 3 {
			t.Errorf("dialog %s: %d handlers, want 3", dl.Name, got)
		}
	}
	prompt := func(dl *Dialog) string {
		return string(dl.Slots[0].Prompt.Variants[""][0].Range().SliceBytes(bot.Files["testdata/valid/shared/main.hcl"].Bytes))
	}
	if got := prompt(track); got != `"What's your order number?"` {
		t.Errorf("track prompt = %s, want the shared one", got)
	}
	if got := prompt(refund); got != `"Which order should I refund?"` {
		t.Errorf("refund prompt = %s, want its own", got)
	}
}

// TestDiagnosticsSayWhatToWrite: a reference written as a quoted name, one
// intent where a list belongs, and a null in a test table get a message that
// says what to write instead.
func TestDiagnosticsSayWhatToWrite(t *testing.T) {
	const head = `
bot "b" {
  languages = ["en"]
}

intent "top_up" {
  examples = ["top up", "top up my phone", "add credit", "recharge", "buy more credit"]
}

queue "general" {}
`
	tests := []struct {
		name, src, want string
	}{
		{"one intent, no list", `
dialog "d" {
  trigger = intent.top_up
  outcome "o" {
    reply = "x"
  }
}`, "This must be a list of intents, even for one: trigger = [intent.top_up]."},
		{"a quoted intent in a list", `
dialog "d" {
  trigger = ["top_up"]
  outcome "o" {
    reply = "x"
  }
}`, "A reference is written without quotes: intent.top_up."},
		{"a whole reference in quotes", `
dialog "d" {
  trigger = ["intent.top_up"]
  outcome "o" {
    reply = "x"
  }
}`, "A reference is written without quotes: intent.top_up."},
		{"a quoted start, and no cascade to the dialog it meant", `
dialog "d" {
  trigger = [intent.top_up]
  outcome "o" {
    start = "dialog.later"
  }
}

dialog "later" {
  outcome "o" {
    reply = "x"
  }
}`, "A reference is written without quotes: dialog.later."},
		{"a quoted connector operation", `
connector "orders" {
  type = "plain"

  operation "get_order" {
    input = ["order_id"]
  }
}

dialog "d" {
  trigger = [intent.top_up]
  call "order" {
    operation = "connector.orders.get_order"
  }
  outcome "o" {
    reply = "x"
  }
}`, "A reference is written without quotes: connector.orders.get_order."},
		{"a quoted rule event", `
rule "r" {
  on    = "message"
  reply = "x"
}`, "It is written without quotes: on = message."},
		{"a quoted dialog event", `
dialog "d" {
  trigger = [intent.top_up]
  outcome "o" {
    reply = "x"
  }
}

rule "r" {
  on    = "dialog.d"
  reply = "x"
}`, "It is written without quotes: on = dialog.d."},
		{"a quoted test expectation", `
test "t" {
  turn {
    user   = "top up"
    intent = "top_up"
  }
}`, "A reference is written without quotes: intent.top_up."},
		{"a ticket for the queue of the handoff", `
rule "closed" {
  on   = handoff
  when = handoff.agents_online == 0
  ticket {
    queue   = handoff.queue
    subject = "Call back"
  }
  reply = "We'll call you back."
}`, "handoff.queue is a value read as the bot runs, not a queue: name the queue, like queue.general, or choose among queues with a condition"},
		{"a dialog named by its intent", `
dialog "top_up_phone" {
  trigger = [intent.top_up]
  outcome "o" {
    reply = "x"
  }
}

rule "r" {
  on    = dialog.top_up
  reply = "x"
}`, `There is no dialog named "top_up". The dialogs here are top_up_phone.`},
		{"a quoted queue", `
handoff "h" {
  when  = intent.name == "top_up"
  queue = "general"
}`, "A reference is written without quotes: queue.general."},
		{"an intent reference in a condition", `
handoff "h" {
  when  = intent.name == intent.top_up
  queue = queue.general
}`, `In an expression, intent is the intent of the current message: compare its name, intent.name == "top_up".`},
		{"a list entity's value read as an object", `
entity "plan" {
  values = {
    prepaid = ["prepaid", "pay as you go"]
  }
}

rule "r" {
  on    = message
  when  = entity.plan.prepaid != null
  reply = "x"
}`, `entity.plan holds a string, not an object, so it has no attribute "prepaid". Compare it instead: entity.plan == "prepaid".`},
		{"an annotation naming a slot", `
intent "book" {
  examples = ["book a room", "book next week", "I need a room", "a room please", "book for [May 1 to May 5](stay)"]
}

dialog "d" {
  trigger = [intent.book]
  slot "stay" {
    type   = date_range
    prompt = "When?"
  }
  outcome "o" {
    reply = "x"
  }
}`, `"stay" is a slot of dialog "d": name its type instead, date_range.`},
		{"a null in a table", `
test "t" {
  for_each = {
    big   = { queue = queue.general }
    small = { queue = null }
  }

  turn {
    user    = "top up"
    handoff = each.value.queue
  }
}`, `Case "small" of the table gives no value: give every case one, or put the cases that check nothing here in a test of their own.`},
		{"a field one case lacks", `
test "t" {
  for_each = {
    big   = { queue = queue.general, says = "*queue*" }
    small = { queue = queue.general }
  }

  turn {
    user       = "top up"
    handoff    = each.value.queue
    reply_glob = each.value.says
  }
}`, `Case "small" of the table has no field "says"; its fields are queue. Give every case each field the turns read.`},
		{"a misspelt field", `
test "t" {
  for_each = {
    big = { queue = queue.general, says = "*queue*" }
  }

  turn {
    user       = "top up"
    handoff    = each.value.queue
    reply_glob = each.value.say
  }
}`, `Case "big" of the table has no field "say"; its fields are queue and says. Did you mean "says"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := errorDetails(t, head+tt.src)
			if len(errs) != 1 || !strings.Contains(errs[0], tt.want) {
				t.Errorf("want one error saying %q, got %q", tt.want, errs)
			}
		})
	}
}

// A call read where it has no result is one mistake: one diagnostic, on the
// line to fix, and none for every place the same response is said.
func TestCallNotHereIsOneDiagnostic(t *testing.T) {
	const bot = `
bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "I want a refund", "money back", "refund please", "give me my money back"]
}

connector "orders" {
  type = "plain"

  operation "refund" {
    input  = { order_id = string }
    output = { refund_id = string }
  }
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = text
    prompt = %s
  }

  outcome "done" {
    reply = %s
  }
}

rule "auto_refund" {
  on   = dialog.refund
  when = length(slot.order_id) > 3

  call "refund_order" {
    operation = connector.orders.refund
    input     = { order_id = slot.order_id }
  }
  reply = %s
}

response "done" {
  en = "Refunded: ${call.refund_order.refund_id}."
}
`
	tests := []struct {
		name                   string
		prompt, outcome, reply string
		extra                  string
		want                   []string
	}{
		{
			name:   "no mistake",
			prompt: `"Order?"`, outcome: `"Done."`, reply: "response.done",
		},
		{
			name:   "a response with a misspelt call, said in three places",
			prompt: "response.typo", outcome: "response.typo", reply: "response.typo",
			extra: `response "typo" { en = "Refunded: ${call.refund_ordr.refund_id}." }`,
			want:  []string{"error: Unknown call"},
		},
		{
			name:   "a response reading the rule's call, said in the dialog",
			prompt: `"Order?"`, outcome: "response.done", reply: "response.done",
			want: []string{"warning: Response reads a call that is not here"},
		},
		{
			name:   "an outcome reading the rule's call",
			prompt: `"Order?"`, outcome: `"Refunded: ${call.refund_order.refund_id}."`, reply: "response.done",
			want: []string{"warning: Call not available here"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf(bot, tt.prompt, tt.outcome, tt.reply) + tt.extra
			_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(src)}, testOptions)
			if diff := cmp.Diff(tt.want, summaries(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diags)
			}
		})
	}
}

// A misspelt name is one error, not one more at each place that depends on it.
func TestMisspeltNameIsOneDiagnostic(t *testing.T) {
	const head = `
bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "I want a refund", "money back", "refund please", "give me my money back"]
}
`
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "a rule on a misspelt dialog reads its slots",
			src: `
dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = text
    prompt = "Order?"
  }

  outcome "done" {
    reply = "Done."
  }
}

rule "auto" {
  on    = dialog.refnd
  when  = slot.order_id != ""
  reply = "Refunding ${slot.order_id}."
}
`,
			want: []string{"error: Unknown dialog"},
		},
		{
			name: "a slot of a misspelt type is compared with numbers",
			src: `
dialog "refund" {
  trigger = [intent.refund]

  slot "amount" {
    type   = mony
    prompt = "How much?"
  }

  outcome "small" {
    when  = slot.amount < 100
    reply = "Small."
  }

  outcome "other" {
    reply = "Big."
  }
}
`,
			want: []string{"error: Unknown slot type"},
		},
		{
			name: "a misspelt variable in one of the rules that split an amount",
			src: `
variable "limit" {
  value = 500
}

dialog "refund" {
  trigger = [intent.refund]

  slot "amount" {
    type   = money
    prompt = "How much?"
  }
}

rule "small" {
  on    = dialog.refund
  when  = slot.amount < var.limt
  reply = "Small."
}

rule "big" {
  on    = dialog.refund
  when  = slot.amount >= var.limit
  reply = "Big."
}
`,
			want: []string{"error: Unknown variable"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(head + tt.src)}, testOptions)
			if diff := cmp.Diff(tt.want, summaries(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diags)
			}
		})
	}
}

// A regular expression copied from a regex tester into a quoted string
// ("DD\d{11}") is the usual invalid escape: the message says how to write it.
func TestInvalidEscapeExplainsRegexBackslashes(t *testing.T) {
	_, diags := LoadFiles(map[string][]byte{
		"main.hcl": []byte("bot \"b\" {\n  languages = [\"zh\"]\n}\n\nentity \"order_id\" {\n  pattern = \"DD\\d{11}\"\n}\n"),
	}, testOptions)
	if len(diags) != 1 || diags[0].Summary != "Invalid escape sequence" {
		t.Fatalf("diagnostics: %s", diags.Error())
	}
	if want := `written twice: "DD\\d{11}"`; !strings.Contains(diags[0].Detail, want) {
		t.Errorf("detail %q does not say %q", diags[0].Detail, want)
	}
}

// A slot type written as a reference or a string gets the bare name to write.
func TestInvalidSlotTypeShowsTheBareName(t *testing.T) {
	for _, typ := range []string{"entity.dish", `"dish"`} {
		_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(`
bot "b" {
  languages = ["zh"]
}

entity "dish" {
  values = { rice = ["米饭"] }
}

dialog "d" {
  slot "dish" {
    type   = ` + typ + `
    prompt = "哪个菜？"
  }
}
`)}, testOptions)
		var detail string
		for _, d := range diags {
			if d.Summary == "Invalid slot type" {
				detail = d.Detail
			}
		}
		if !strings.Contains(detail, "like type = dish.") {
			t.Errorf("type = %s: detail %q does not show type = dish\n%s", typ, detail, diags.Error())
		}
	}
}

// An answer says whether it resolves the customer's request; without
// resolves it does.
func TestAnswerResolves(t *testing.T) {
	bot, diags := LoadDir("testdata/valid/reporting", testOptions)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, a := range bot.Answers {
		if a.Name == "hello" && (a.Resolves == nil || *a.Resolves) {
			t.Errorf("answer hello: Resolves = %v, want false", a.Resolves)
		}
	}
	bot, _ = LoadDir("testdata/valid/rich", testOptions)
	if len(bot.Answers) == 0 {
		t.Fatal("testdata/valid/rich has no answers")
	}
	for _, a := range bot.Answers {
		if a.Resolves != nil {
			t.Errorf("answer %s: Resolves = %v, want nil (the default)", a.Name, *a.Resolves)
		}
	}
	bot, diags = LoadFiles(map[string][]byte{"main.hcl": []byte(`
bot "b" {
  languages = ["en"]
}

intent "hours" {
  examples = ["hours", "when are you open", "opening hours", "open today", "what time do you open"]
}

answer "hours" {
  intent   = intent.hours
  reply    = "9 to 6"
  resolves = null
}
`)}, testOptions)
	if diags.HasErrors() || len(bot.Answers) != 1 {
		t.Fatalf("resolves = null: %s", diags.Error())
	}
	if r := bot.Answers[0].Resolves; r != nil {
		t.Errorf("resolves = null: Resolves = %v, want nil (the default)", *r)
	}
}

// A reply, handoff or start that could not be read is its own mistake: the
// outcome that holds it is not also one that "finishes without a word".
func TestBrokenReplyIsNotAlsoSilent(t *testing.T) {
	const head = `
bot "b" {
  languages = ["en"]
}

intent "top_up" {
  examples = ["top up", "top up my phone", "add credit", "recharge", "buy more credit"]
}

response "greet" {
  en = "Hi!"
}

queue "general" {}
`
	tests := []struct {
		name, actions, want string
	}{
		{"a mixed reply list", `reply = [response.greet, "hi"]`, "error: Mixed reply list"},
		{"a quoted handoff queue", `handoff = "general"`, "error: Expected a reference to a queue"},
		{"a quoted start", `start = "dialog.d"`, "error: Expected a dialog reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + `
dialog "d" {
  trigger = [intent.top_up]
  outcome "o" {
    ` + tt.actions + `
  }
}
`
			_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(src)}, testOptions)
			want := []string{tt.want}
			if diff := cmp.Diff(want, summaries(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// A local is checked against every dialog's slots and calls, and a mistake in
// it names the local, not "a response"; a bare word where text was meant
// (a ticket's priority = high, label(plan, ...)) is told to take quotes; a
// score button is told the survey has its own, and a button per value of a
// list entity is told of value_buttons.
func TestMistakesSayWhereAndWhat(t *testing.T) {
	_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(`
bot "b" {
  languages = ["en"]
}

queue "general" {}

locals {
  age = days_between(call.invoice.date, now)
}

rule "r" {
  on = message
  ticket {
    queue    = queue.general
    subject  = "x"
    priority = high
  }
}

response "score" {
  en = "How did we do?"
  button "5" {
    en = "5"
  }
}

entity "class_type" {
  values = {
    yoga    = ["yoga"]
    pilates = ["pilates"]
  }
}

response "ask_class" {
  en = "Which class?"
  button "yoga" {
    en = "Yoga"
  }
}
`)}, testOptions)
	tests := []struct {
		summary, detail string
	}{
		{"Unknown call", `There is no call named "invoice" in local.age`},
		{"Missing quotes", `This value is text, written in quotes: "high".`},
		{"Unknown button payload", `there is no intent named "5". The survey's scores need no buttons`},
		{"Unknown button payload", `"yoga" is a value of the list entity class_type: value_buttons = class_type offers one button per value.`},
	}
	for _, tt := range tests {
		found := false
		for _, d := range diags {
			if d.Summary == tt.summary && strings.Contains(d.Detail, tt.detail) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %q diagnostic saying %q\n%s", tt.summary, tt.detail, diags.Error())
		}
	}
}

// A mistake in a shared slot that does not depend on the dialog using it is
// reported once, naming every use, not once per dialog.
func TestSharedDefinitionMistakeReportedOnceForAllUses(t *testing.T) {
	_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(`
bot "b" {
  languages = ["en"]
}

intent "book" {
  examples = ["book a room", "I want to book", "reserve a room", "make a booking", "a room please"]
}

intent "change" {
  examples = ["change my booking", "move my stay", "new dates please", "change the dates", "modify my booking"]
}

slot "stay" {
  type     = date_range
  prompt   = "Which dates?"
  validate = slot.stay.end > slot.stay.start
}

dialog "book" {
  trigger = [intent.book]
  slot "stay" {}
  outcome "done" {
    reply = "Booked."
  }
}

dialog "change" {
  trigger = [intent.change]
  slot "stay" {}
  outcome "done" {
    reply = "Changed."
  }
}
`)}, testOptions)
	var got []*hcl.Diagnostic
	for _, d := range diags {
		if d.Summary == "Dates compared as numbers" {
			got = append(got, d)
		}
	}
	if len(got) != 1 {
		t.Fatalf("want one diagnostic, got %d:\n%s", len(got), diags.Error())
	}
	for _, want := range []string{`as used in dialog "book" at main.hcl:22`, `, and in dialog "change" at main.hcl:30`} {
		if !strings.Contains(got[0].Detail, want) {
			t.Errorf("detail %q does not contain %q", got[0].Detail, want)
		}
	}
}
