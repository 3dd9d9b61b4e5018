package engine

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// ticketTriage classifies the tickets of a test run. The NLU is trained once,
// when the first test of tickets runs: triage reads nothing a test changes.
type ticketTriage struct {
	bot   *policies.Bot
	model *nlu.Model
}

func (tt *ticketTriage) nlu(ctx context.Context) (*nlu.Model, error) {
	if tt.model == nil {
		model, err := nlu.Train(ctx, TrainingData(tt.bot), nlu.Options{})
		if err != nil {
			return nil, fmt.Errorf("train nlu: %w", err)
		}
		tt.model = model
	}
	return tt.model, nil
}

// filedTicket is what triage and the desk make of a test's ticket.
type filedTicket struct {
	TicketClassification
	NLU nlu.Result
	At  time.Time // when it was filed
	// Notice is what the customer is told the ticket was received with; nil
	// when the bot tells them nothing.
	Notice *dialog.Reply
}

// runTicketTest files each ticket of a test as the desk does, without a
// store: triage on the bot's NLU at the test's clock (each ticket 5 seconds
// after the last), and the created notice in the ticket's language.
func runTicketTest(ctx context.Context, tt *ticketTriage, tc *policies.Test, cov *coverage, verbose bool, w io.Writer) ([]TestFailure, error) {
	model, err := tt.nlu(ctx)
	if err != nil {
		return nil, err
	}
	now := tc.Now
	if now.IsZero() {
		now = defaultTestClock(tt.bot)
	}
	clock := stepClock(now, 5*time.Second)
	newID := SequentialIDs()
	var failures []TestFailure
	for i, want := range tc.Tickets {
		at := clock()
		in := IncomingTicket{Subject: want.Subject, Text: want.Text, Channel: cmp.Or(want.Channel, "api")}
		got := filedTicket{At: at}
		got.TicketClassification, got.NLU = triageTicket(tt.bot, model, in, at)
		subject := cmp.Or(strings.TrimSpace(in.Subject), TicketSubject(in.Text))
		// A new ticket is open: the desk's TicketOpen, which this package
		// can't name.
		u := dialog.TicketUpdate{Event: "created", ID: newID("ticket"), Subject: subject, Status: "open", Queue: got.Queue, Priority: got.Priority}
		if r, ok := dialog.TicketNotice(tt.bot, got.Language, u, at); ok {
			got.Notice = &r
		}
		cov.observeTicket(tc.Name, got.TicketClassification)
		if verbose {
			fmt.Fprintf(w, "      > [%s] %s\n", in.Channel, strings.ReplaceAll(strings.TrimSpace(in.Subject+"\n"+in.Text), "\n", " / "))
			fmt.Fprintf(w, "      < %s\n", describeTriage(got.TicketClassification))
			if got.Notice != nil {
				fmt.Fprintf(w, "      < %s\n", got.Notice.Text)
			}
		}
		for _, msg := range checkTicket(tt.bot, want, in, got) {
			failures = append(failures, TestFailure{Test: tc.Name, Ticket: i + 1, Where: want.Range.String(), Message: msg})
		}
	}
	return failures, nil
}

// describeTriage says where a ticket went and why, for -v and failures.
func describeTriage(c TicketClassification) string {
	why := "triage." + c.Rule
	if c.Rule == "" {
		why = "no triage block matched"
	}
	return fmt.Sprintf("queue %q, priority %q (%s)", c.Queue, c.Priority, why)
}

// checkTicket compares what triage made of a ticket with a test's
// expectations and says what differs.
func checkTicket(bot *policies.Bot, want *policies.TestTicket, in IncomingTicket, got filedTicket) []string {
	var msgs []string
	went := "the ticket went to " + describeTriage(got.TicketClassification)
	switch {
	case want.Triage == "":
	case want.Triage == "none" && got.Rule != "":
		msgs = append(msgs, fmt.Sprintf("triage: want no triage block to match, got %q; %s", got.Rule, went))
	case want.Triage != "none" && want.Triage != got.Rule:
		msgs = append(msgs, fmt.Sprintf("triage: want %q, got %q: %s; %s", want.Triage, orNone(got.Rule), whyNotTriage(bot, want.Triage, in, got), went))
	}
	if want.Queue != "" && want.Queue != got.Queue {
		msgs = append(msgs, fmt.Sprintf("queue: want %q, got %q; %s", want.Queue, got.Queue, went))
	}
	if want.Priority != "" && want.Priority != got.Priority {
		msgs = append(msgs, fmt.Sprintf("priority: want %q, got %q; %s", want.Priority, got.Priority, went))
	}
	if want.Intent != "" {
		if msg := checkIntent(want.Intent, got.Intent, got.Confidence, got.NLU.Intents, false, ""); msg != "" {
			msgs = append(msgs, msg)
		}
	}
	if want.Entities != nil {
		msgs = append(msgs, checkEntities(want.Entities, got.NLU.Entities)...)
	}
	switch {
	case want.Notice == "":
	case want.Notice == "none" && got.Notice != nil:
		msgs = append(msgs, fmt.Sprintf("expected no notice, got %q from response %q", got.Notice.Text, orNone(got.Notice.Response)))
	case want.Notice == "none":
	case got.Notice == nil:
		msgs = append(msgs, fmt.Sprintf("expected the notice from response %q, but the customer is told nothing: the tickets block's notify has no created message, or it rendered empty", want.Notice))
	case got.Notice.Response != want.Notice:
		msgs = append(msgs, fmt.Sprintf("notice: want response %q, got %q: %q", want.Notice, orNone(got.Notice.Response), got.Notice.Text))
	}
	return msgs
}

// whyNotTriage says why the triage block named want did not take a ticket:
// a condition of its own does not hold, or a block before it matched first.
func whyNotTriage(bot *policies.Bot, want string, in IncomingTicket, got filedTicket) string {
	for _, tr := range bot.Triage {
		if tr == nil || tr.Name != want {
			continue
		}
		if miss := triageMiss(bot, tr, TicketText(in.Subject, in.Text), got.TicketClassification, got.NLU, in.Channel, got.At); miss != "" {
			return fmt.Sprintf("triage %q does not match: %s", want, miss)
		}
		return fmt.Sprintf("triage %q, written before it, matched first", got.Rule)
	}
	return fmt.Sprintf("the bot has no triage block %q", want)
}
