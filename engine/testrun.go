package engine

import (
	"context"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/policies"
)

// TestOptions configure RunTests.
type TestOptions struct {
	Connectors *connectors.Registry
	Filter     *regexp.Regexp // run only tests whose name matches; nil: all
	Verbose    bool           // print every turn, not only failures
}

// TestSummary counts the outcome of a test run.
type TestSummary struct {
	Passed, Failed int
	Failures       []TestFailure
}

// TestFailure is one failed expectation, placed at its turn in the source.
type TestFailure struct {
	Test    string
	Turn    int
	Where   string // file:line:col of the turn
	Message string
}

// defaultTestClock is a Monday, mid-morning, in the bot's time zone: inside any
// sensible business hours, so tests that don't care about the clock still pass.
func defaultTestClock(bot *policies.Bot) time.Time {
	loc := time.UTC
	if bot.BusinessHours != nil && bot.BusinessHours.Location != nil {
		loc = bot.BusinessHours.Location
	}
	return time.Date(2026, time.November, 23, 10, 0, 0, 0, loc)
}

// RunTests plays every conversation test of the bot, each on a fresh in-memory
// store with its own connector data, clock and customer, and writes a report
// ending in "N passed, N failed".
func RunTests(ctx context.Context, bot *policies.Bot, opts TestOptions, w io.Writer) (TestSummary, error) {
	var sum TestSummary
	for _, tc := range bot.Tests {
		if opts.Filter != nil && !opts.Filter.MatchString(tc.Name) {
			continue
		}
		failures, err := runTest(ctx, bot, tc, opts, w)
		if err != nil {
			return sum, fmt.Errorf("test %q: %w", tc.Name, err)
		}
		if len(failures) == 0 {
			sum.Passed++
			fmt.Fprintf(w, "PASS  %s\n", tc.Name)
			continue
		}
		sum.Failed++
		sum.Failures = append(sum.Failures, failures...)
		fmt.Fprintf(w, "FAIL  %s\n", tc.Name)
		for _, f := range failures {
			fmt.Fprintf(w, "      %s: turn %d: %s\n", f.Where, f.Turn, indent(f.Message, "        "))
		}
	}
	fmt.Fprintf(w, "\n%d passed, %d failed\n", sum.Passed, sum.Failed)
	return sum, nil
}

func runTest(ctx context.Context, bot *policies.Bot, tc *policies.Test, opts TestOptions, w io.Writer) ([]TestFailure, error) {
	now := tc.Now
	if now.IsZero() {
		now = defaultTestClock(bot)
	}
	st := memstore.New()
	defer st.Close()
	if err := putAgentsOnline(ctx, st, bot, tc.AgentsOnline); err != nil {
		return nil, err
	}
	eng, err := New(ctx, bot, Options{
		Store:             st,
		Connectors:        opts.Connectors,
		ConnectorSettings: tc.Connectors,
		// Each turn happens a few seconds after the last, as in a real chat.
		Clock: stepClock(now, 5*time.Second),
		NewID: SequentialIDs(),
	})
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	customer, err := customerMap(tc.Customer)
	if err != nil {
		return nil, fmt.Errorf("customer: %w", err)
	}
	convID := "test-" + slug(tc.Name)
	channel := tc.Channel
	if channel == "" {
		channel = "test"
	}
	var failures []TestFailure
	for i, turn := range tc.Turns {
		res, err := eng.Handle(ctx, Message{ConversationID: convID, ClientMessageID: fmt.Sprintf("m%d", i+1), Channel: channel, Customer: customer, Text: turn.User})
		if err != nil {
			return nil, fmt.Errorf("turn %d: %w", i+1, err)
		}
		if opts.Verbose {
			fmt.Fprintf(w, "      > %s\n", turn.User)
			for _, r := range res.Replies {
				fmt.Fprintf(w, "      < %s\n", r.Text)
			}
		}
		for _, msg := range CheckTurn(turn, res) {
			failures = append(failures, TestFailure{Test: tc.Name, Turn: i + 1, Where: turn.Range.String(), Message: msg})
		}
	}
	return failures, nil
}

// CheckTurn compares a turn's result with its expectations and says what differs.
func CheckTurn(want *policies.TestTurn, got *TurnResult) []string {
	var msgs []string
	texts := make([]string, len(got.Replies))
	for i, r := range got.Replies {
		texts[i] = r.Text
	}
	joined := strings.Join(texts, "\n")
	said := fmt.Sprintf("the bot said %q", texts)

	if want.Reply != nil {
		if d := cmp.Diff(want.Reply, texts); d != "" {
			msgs = append(msgs, "replies differ (-want +got):\n"+d)
		}
	}
	if want.ReplyGlob != "" && !globMatchAny(want.ReplyGlob, texts) {
		msgs = append(msgs, fmt.Sprintf("no reply matches the pattern %q; %s", want.ReplyGlob, said))
	}
	if want.ReplyRegex != nil && !want.ReplyRegex.MatchString(joined) {
		msgs = append(msgs, fmt.Sprintf("no reply matches the regex %q; %s", want.ReplyRegex, said))
	}
	if want.Response != "" {
		found := false
		var names []string
		for _, r := range got.Replies {
			names = append(names, orNone(r.Response))
			found = found || r.Response == want.Response
		}
		if !found {
			msgs = append(msgs, fmt.Sprintf("expected a reply from response %q, got responses %v; %s", want.Response, names, said))
		}
	}
	if want.Responses != nil {
		names := []string{}
		for _, r := range got.Replies {
			if r.Response != "" {
				names = append(names, r.Response)
			}
		}
		if d := cmp.Diff(want.Responses, names); d != "" {
			msgs = append(msgs, fmt.Sprintf("responses differ (-want +got):\n%s\n%s", d, said))
		}
	}
	if want.Intent != "" {
		gotIntent := got.Intent
		if gotIntent == "" {
			gotIntent = "none"
		}
		if gotIntent != want.Intent {
			msgs = append(msgs, fmt.Sprintf("intent: want %q, got %q (top confidence %.2f)", want.Intent, gotIntent, got.Confidence))
		}
	}
	for name, v := range want.Slots {
		wantV := ctyString(v)
		gotV, ok := got.Slots[name]
		switch {
		case !ok && wantV != "":
			msgs = append(msgs, fmt.Sprintf("slot %s: want %q, but it is not filled (slots: %v)", name, wantV, got.Slots))
		case ok && gotV != wantV:
			msgs = append(msgs, fmt.Sprintf("slot %s: want %q, got %q", name, wantV, gotV))
		}
	}
	if want.Calls != nil {
		gotCalls := got.Calls
		if gotCalls == nil {
			gotCalls = []string{}
		}
		if d := cmp.Diff(want.Calls, gotCalls); d != "" {
			msgs = append(msgs, "connector calls differ (-want +got):\n"+d)
		}
	}
	if want.Handoff != "" {
		switch {
		case got.Handoff == nil:
			msgs = append(msgs, fmt.Sprintf("expected a handoff to queue %q, but there was none; %s", want.Handoff, said))
		case got.Handoff.Queue != want.Handoff:
			msgs = append(msgs, fmt.Sprintf("handoff: want queue %q, got %q", want.Handoff, got.Handoff.Queue))
		}
	}
	if want.Ticket != "" {
		var queues []string
		for _, tk := range got.Tickets {
			queues = append(queues, tk.Queue)
		}
		if !contains(queues, want.Ticket) {
			msgs = append(msgs, fmt.Sprintf("expected a ticket in queue %q, got tickets in %v", want.Ticket, queues))
		}
	}
	if want.Knowledge != "" {
		gotK := orNone(got.Knowledge)
		if gotK != want.Knowledge {
			msgs = append(msgs, fmt.Sprintf("knowledge: want an answer from chunk %q, got %q; %s", want.Knowledge, gotK, said))
		}
	}
	if want.Unanswered != nil && got.Unanswered != *want.Unanswered {
		msgs = append(msgs, fmt.Sprintf("unanswered: want %v, got %v; %s", *want.Unanswered, got.Unanswered, said))
	}
	if want.Dialog != nil {
		gotDialog := orNone(got.Dialog)
		if gotDialog != *want.Dialog {
			msgs = append(msgs, fmt.Sprintf("active dialog: want %q, got %q", *want.Dialog, gotDialog))
		}
	}
	return msgs
}

// globMatchAny reports whether any reply matches a shell-style pattern, where
// "*" spans anything, newlines included.
func globMatchAny(pattern string, texts []string) bool {
	re := globRegexp(pattern)
	for _, t := range texts {
		if re.MatchString(t) {
			return true
		}
	}
	return false
}

func globRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

func ctyString(v cty.Value) string {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return ""
	}
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		return formatNumber(v)
	case cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(v.GoString())
}

func formatNumber(v cty.Value) string {
	bf := v.AsBigFloat()
	if bf.IsInt() {
		i, _ := bf.Int64()
		return fmt.Sprint(i)
	}
	f, _ := bf.Float64()
	return fmt.Sprint(f)
}

func customerMap(v cty.Value) (map[string]any, error) {
	if v == cty.NilVal || v.IsNull() {
		return nil, nil
	}
	g, err := connectors.FromCty(v)
	if err != nil {
		return nil, err
	}
	m, ok := g.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("must be an object, got %s", v.Type().FriendlyName())
	}
	return m, nil
}

// stepClock is a clock that moves step forward on every read; safe for
// concurrent turns.
func stepClock(start time.Time, step time.Duration) func() time.Time {
	var mu sync.Mutex
	t := start.Add(-step)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(step)
		return t
	}
}

func slug(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return path.Clean(b.String())
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func indent(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// putAgentsOnline puts a test's agents online: n agents per queue, each
// taking the queue's skill.
func putAgentsOnline(ctx context.Context, st store.Store, bot *policies.Bot, online map[string]int) error {
	for _, q := range sortedKeys(online) {
		skill := q
		if queue := bot.Queues[q]; queue != nil && queue.Skill != "" {
			skill = queue.Skill
		}
		for i := 1; i <= online[q]; i++ {
			if _, err := st.PutAgent(ctx, store.Agent{ID: fmt.Sprintf("%s-agent-%d", q, i), Name: fmt.Sprintf("Agent %d", i), Skills: []string{skill}, Status: store.AgentOnline}); err != nil {
				return fmt.Errorf("put agent online: %w", err)
			}
		}
	}
	return nil
}
