package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/policies"
)

// A bot with survey { after_bot = 1 } asks every customer whose request it
// resolved alone, and the answer lands on that contact's outcome.
func TestSurveyAfterBotResolution(t *testing.T) {
	ctx := context.Background()
	bot := enginetest.LoadShop(t)
	bot.Survey = &policies.Survey{AfterBot: 1}
	st := memstore.New()
	e := enginetest.NewEngine(t, bot, st, enginetest.Monday10)

	res, err := e.Handle(ctx, engine.Message{ConversationID: "c1", Channel: "web", CustomerID: "ann", Text: "where is my order AB123456?"})
	if err != nil {
		t.Fatal(err)
	}
	last := res.Replies[len(res.Replies)-1]
	if len(res.Replies) < 2 || len(last.Buttons) != 5 || !strings.Contains(last.Text, "1") {
		t.Fatalf("replies = %+v; want the order status, then the survey with 5 buttons", res.Replies)
	}
	res, err = e.Handle(ctx, engine.Message{ConversationID: "c1", Channel: "web", CustomerID: "ann", Text: "5 quick and easy"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Satisfaction != 5 {
		t.Fatalf("satisfaction = %d, want 5", res.Satisfaction)
	}
	// No second survey in the same contact.
	res, err = e.Handle(ctx, engine.Message{ConversationID: "c1", Channel: "web", CustomerID: "ann", Text: "where is my order AB123456?"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Replies {
		if len(r.Buttons) == 5 {
			t.Errorf("asked again in the same contact: %+v", res.Replies)
		}
	}
	// The sweeper settles it (the step clock moves 5 s a reading; the engine
	// settles what is due at its own now).
	settleLater(t, e, st)
	rows, err := st.Outcomes(ctx, store.OutcomeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Outcome != "bot_resolved" || rows[0].Score != 5 || !rows[0].SurveyAsked || rows[0].Comment != "quick and easy" {
		t.Fatalf("outcomes = %+v", rows)
	}
}

// With no survey block the bot asks nobody.
func TestNoSurveyByDefault(t *testing.T) {
	bot := enginetest.LoadShop(t)
	e := enginetest.NewEngine(t, bot, memstore.New(), enginetest.Monday10)
	res, err := e.Handle(context.Background(), engine.Message{ConversationID: "c1", Text: "where is my order AB123456?"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Replies {
		if len(r.Buttons) == 5 {
			t.Errorf("a survey without a survey block: %+v", res.Replies)
		}
	}
}

// settleLater runs the sweeper with an engine whose clock is an hour later,
// on the same store and policies.
func settleLater(t *testing.T, e *engine.Engine, st store.Store) {
	t.Helper()
	later, err := engine.New(context.Background(), e.Bot(), engine.Options{Store: st, Clock: func() time.Time { return enginetest.Monday10.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	if _, err := later.SettleDue(context.Background(), 10); err != nil {
		t.Fatal(err)
	}
}

// A contact listed as due that the policies now say is not (a reload made the
// session timeout longer) is not settled, and not listed again before it is.
func TestSweeperRefreshesDueTimes(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	bot := enginetest.LoadShop(t)
	e := enginetest.NewEngine(t, bot, st, enginetest.Monday10)
	if _, err := e.Handle(ctx, engine.Message{ConversationID: "c1", Text: "blorf wibble"}); err != nil {
		t.Fatal(err)
	}
	longer := *bot
	longer.SessionTimeout = 2 * time.Hour
	later, err := engine.New(ctx, &longer, engine.Options{Store: st, Clock: func() time.Time { return enginetest.Monday10.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	if n, err := later.SettleDue(ctx, 10); err != nil || n != 0 {
		t.Fatalf("settled %d, %v; want none under a 2 h timeout", n, err)
	}
	if ids, _ := st.DueContacts(ctx, enginetest.Monday10.Add(time.Hour), 10); len(ids) != 0 {
		t.Errorf("still listed as due: %v", ids)
	}
	if ids, _ := st.DueContacts(ctx, enginetest.Monday10.Add(3*time.Hour), 10); len(ids) != 1 {
		t.Errorf("due under the new timeout: %v, want c1", ids)
	}
}

// A request waiting for a supervisor's approval is not resolved yet: the
// bot does not ask how it went while a person still has to decide.
func TestNoSurveyWhileAnApprovalWaits(t *testing.T) {
	ctx := context.Background()
	bot := enginetest.LoadShop(t)
	bot.Survey = &policies.Survey{AfterBot: 1}
	e := enginetest.NewEngine(t, bot, memstore.New(), enginetest.Monday10)
	var res *engine.TurnResult
	for _, text := range []string{"refund RS005001, it's the wrong item", "yes"} {
		var err error
		res, err = e.Handle(ctx, engine.Message{ConversationID: "c1", Channel: "web", CustomerID: "ann", Text: text})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(res.Replies) == 0 || res.Replies[0].Response != "refund_needs_supervisor" {
		t.Fatalf("replies = %+v; want refund_needs_supervisor", res.Replies)
	}
	for _, r := range res.Replies {
		if len(r.Buttons) == 5 {
			t.Errorf("a survey while the approval waits: %+v", res.Replies)
		}
	}
}
