package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/engine/testmock"
	"github.com/parleyhq/parley/policies"
)

// TestOptions configure RunTests.
type TestOptions struct {
	Connectors *connectors.Registry
	Filter     *regexp.Regexp // run only tests whose name matches; nil: all
	Verbose    bool           // print every turn, not only failures
	// Live calls the real connectors and ignores every mock; tests marked
	// live = false are skipped.
	Live bool
}

// TestSummary counts the outcome of a test run.
type TestSummary struct {
	Passed   int           `json:"passed"`
	Failed   int           `json:"failed"`
	Skipped  int           `json:"skipped"`
	Failures []TestFailure `json:"failures"`
	// Coverage is what the tests that ran reached of the bot.
	Coverage *Coverage `json:"coverage"`
}

// PassRate is the share of the tests run that passed, in percent.
func (s TestSummary) PassRate() float64 {
	if s.Passed+s.Failed == 0 {
		return 0
	}
	return 100 * float64(s.Passed) / float64(s.Passed+s.Failed)
}

// TestFailure is one failed expectation, placed at its turn in the source.
type TestFailure struct {
	Test string `json:"test"`
	Turn int    `json:"turn"`
	// Ticket is the number of the ticket, in a test of tickets (Turn is 0).
	Ticket  int    `json:"ticket,omitempty"`
	Where   string `json:"where"` // file:line:col of the turn or ticket
	Message string `json:"message"`
}

// step names the turn or ticket a failure is about.
func (f TestFailure) step() string {
	if f.Ticket > 0 {
		return fmt.Sprintf("ticket %d", f.Ticket)
	}
	return fmt.Sprintf("turn %d", f.Turn)
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
// store with its own connectors, clock and customer, and writes a report
// ending in "N passed, N failed" and the pass rate.
func RunTests(ctx context.Context, bot *policies.Bot, opts TestOptions, w io.Writer) (TestSummary, error) {
	sum := TestSummary{Failures: []TestFailure{}}
	cov := newCoverage(bot)
	// Conversation ids are new on every run, so a system that keeps state
	// (idempotency keys, sessions) never mistakes this run for an earlier one.
	run := runID()
	triage := &ticketTriage{bot: bot}
	for i, tc := range bot.Tests {
		if opts.Filter != nil && !opts.Filter.MatchString(tc.Name) {
			continue
		}
		if opts.Live && tc.SkipLive {
			sum.Skipped++
			fmt.Fprintf(w, "SKIP  %s (live = false)\n", tc.Name)
			continue
		}
		var failures []TestFailure
		var err error
		if len(tc.Tickets) > 0 {
			failures, err = runTicketTest(ctx, triage, tc, cov, opts.Verbose, w)
		} else {
			convID := fmt.Sprintf("test-%s-%d-%s", run, i+1, slug(tc.Name))
			failures, err = runTest(ctx, bot, tc, convID, opts, cov, w)
		}
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
			fmt.Fprintf(w, "      %s: %s: %s\n", f.Where, f.step(), indent(f.Message, "        "))
		}
	}
	sum.Coverage = cov.report()
	skipped := ""
	if sum.Skipped > 0 {
		skipped = fmt.Sprintf(", %d skipped", sum.Skipped)
	}
	fmt.Fprintf(w, "\n%d passed, %d failed%s; pass rate %.1f%%\n", sum.Passed, sum.Failed, skipped, sum.PassRate())
	return sum, nil
}

func runID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func runTest(ctx context.Context, bot *policies.Bot, tc *policies.Test, convID string, opts TestOptions, cov *coverage, w io.Writer) ([]TestFailure, error) {
	now := tc.Now
	if now.IsZero() {
		now = defaultTestClock(bot)
	}
	reg := opts.Connectors
	if reg == nil {
		reg = connectors.Default
	}
	mocks := testmock.NewSession(bot, tc, opts.Live)
	st := memstore.New()
	defer st.Close()
	if err := putAgentsOnline(ctx, st, bot, tc.AgentsOnline); err != nil {
		return nil, err
	}
	eng, err := New(ctx, bot, Options{
		Store:             st,
		Connectors:        mocks.Registry(reg),
		ConnectorSettings: tc.Connectors,
		// Each turn happens a few seconds after the last, as in a real chat.
		Clock: stepClock(now, 5*time.Second),
		// Retries go out at once: a test checks what the bot does, not how long it waits.
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		NewID: SequentialIDs(),
		// Whether the bot asks its after_bot survey must not change from one
		// run to the next, as the conversation id does; survey = true | false
		// in the test forces it.
		SurveySample: func(_ string, seq int64, rate float64) bool {
			if tc.Survey != nil {
				return *tc.Survey
			}
			return outcome.Sampled("test "+tc.Name, seq, rate)
		},
	})
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	customer, err := customerMap(tc.Customer)
	if err != nil {
		return nil, fmt.Errorf("customer: %w", err)
	}
	if tc.Language != "" && customer["language"] == nil {
		// The language a web chat was opened in: customer.language.
		if customer == nil {
			customer = map[string]any{}
		}
		customer["language"] = tc.Language
	}
	channel := tc.Channel
	if channel == "" {
		channel = "test"
	}
	var failures []TestFailure
	var seq int64
	history := newSlotHistory()
	for i, turn := range tc.Turns {
		fail := func(msg string) {
			failures = append(failures, TestFailure{Test: tc.Name, Turn: i + 1, Where: turn.Range.String(), Message: msg})
		}
		var res *TurnResult
		var err error
		if turn.Decision != "" {
			res, err = eng.decideForTest(ctx, convID, turn.Decision)
			if errors.Is(err, errNoPendingApproval) {
				// What follows would only repeat this: stop the test here.
				fail(fmt.Sprintf("decision %q: %v. A decision turn comes after the turn where the bot asks for one (check it there with approval = queue.NAME).", turn.Decision, err))
				break
			}
		} else {
			res, err = eng.Handle(ctx, Message{ConversationID: convID, ClientMessageID: fmt.Sprintf("m%d", i+1), Channel: channel, Customer: customer, Text: turn.User})
		}
		if err != nil {
			return nil, fmt.Errorf("turn %d: %w", i+1, err)
		}
		if opts.Verbose {
			fmt.Fprintf(w, "      > %s\n", firstNonEmpty(turn.User, "("+turn.Decision+")"))
			for _, r := range res.Replies {
				fmt.Fprintf(w, "      < %s\n", r.Text)
			}
		}
		events, state, err := turnLog(ctx, st, convID, seq)
		if err != nil {
			return nil, fmt.Errorf("turn %d: %w", i+1, err)
		}
		seq = res.LastSeq
		cov.observe(tc.Name, res, events)
		// A call the test could not rely on is the root cause of whatever
		// else differs, and of every turn after it: report it alone.
		if problems := mocks.Problems(); len(problems) > 0 {
			for _, p := range problems {
				fail(p.Message())
			}
			break
		}
		dialogs := history.after(events, state)
		if ended := lastEnded(events); len(state.Stack) == 0 && ended != "" {
			// The turn's result holds what the dialog that ended got in this
			// turn; slots = { ... } checks all it had, as for an active one.
			res.Slots = dialogs[ended]
		}
		msgs := append(CheckTurn(turn, res), checkDialogSlots(turn, dialogs)...)
		for _, msg := range msgs {
			fail(msg)
		}
		if len(msgs) > 0 {
			// The error reply alone does not say what broke: the bot's log does.
			if why := turnErrors(events); why != "" {
				fail(why)
			}
		}
	}
	return failures, nil
}

// turnErrors says what failed in a turn (a response that could not be said,
// a condition or an input that failed to evaluate), as the bot's log has it,
// or "" when nothing did.
func turnErrors(events []dialog.Event) string {
	var errs []string
	for _, ev := range events {
		if ev.Type == dialog.EventError && !ev.Abandon {
			errs = append(errs, ev.Error)
		}
	}
	if len(errs) == 0 {
		return ""
	}
	return "the bot met errors in this turn: " + strings.Join(errs, "; ")
}

// turnLog reads what a turn wrote: its events (after seq), and the dialog
// state it left.
func turnLog(ctx context.Context, st store.Store, convID string, seq int64) ([]dialog.Event, dialog.State, error) {
	var state dialog.State
	raw, err := st.Events(ctx, convID, seq, 0)
	if err != nil {
		return nil, state, fmt.Errorf("read the turn's events: %w", err)
	}
	events := make([]dialog.Event, 0, len(raw))
	for _, e := range raw {
		var ev dialog.Event
		if err := json.Unmarshal(e.Data, &ev); err != nil {
			return nil, state, fmt.Errorf("decode %s event: %w", e.Type, err)
		}
		events = append(events, ev)
	}
	conv, err := st.Conversation(ctx, convID)
	if err != nil {
		return nil, state, fmt.Errorf("read the conversation: %w", err)
	}
	if len(conv.Snapshot) > 0 {
		if err := json.Unmarshal(conv.Snapshot, &state); err != nil {
			return nil, state, fmt.Errorf("decode the dialog state: %w", err)
		}
	}
	return events, state, nil
}

// slotHistory follows the slots of every dialog of a conversation through its
// events, so a test can check a side dialog that ended within a turn.
type slotHistory struct {
	slots map[string]map[string]string // dialog -> slot -> value, from its last start
}

func newSlotHistory() *slotHistory { return &slotHistory{slots: map[string]map[string]string{}} }

// after folds a turn's events and returns the slots of each dialog a test may
// check after it: those on the stack (the active one and any it
// interrupted), and those that ended in the turn.
func (h *slotHistory) after(events []dialog.Event, state dialog.State) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, ev := range events {
		switch ev.Type {
		case dialog.EventDialogStarted:
			h.slots[ev.Dialog] = map[string]string{}
		case dialog.EventSlotFilled, dialog.EventSlotCorrected:
			if ev.Value != nil {
				if h.slots[ev.Dialog] == nil {
					h.slots[ev.Dialog] = map[string]string{}
				}
				h.slots[ev.Dialog][ev.Slot] = ev.Value.Value
			}
		case dialog.EventSlotRequested:
			if ev.Clear {
				delete(h.slots[ev.Dialog], ev.Slot)
			}
		case dialog.EventDialogCompleted, dialog.EventDialogCancelled:
			out[ev.Dialog] = copySlots(h.slots[ev.Dialog])
		}
	}
	for _, f := range state.Stack {
		slots := map[string]string{}
		for name, v := range f.Slots {
			slots[name] = v.Value
		}
		out[f.Dialog] = slots
	}
	return out
}

func copySlots(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
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

// slug makes a test name readable in a conversation id: lower-case letters and
// digits, every other run of characters one dash, at most 60 bytes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "-")
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
