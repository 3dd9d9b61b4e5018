package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

func testAuditPaging(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := turn.Now().Add(-time.Hour)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		for i := range 5 {
			actor := "bot"
			if i%2 == 1 {
				actor = "agent:ann"
			}
			rec.Audit = append(rec.Audit, store.AuditEntry{At: at.Add(time.Duration(i) * time.Minute), Actor: actor, Action: fmt.Sprintf("a%d", i)})
		}
	})
	var got []string
	var after int64
	for {
		page, err := s.Audit(ctx, store.AuditFilter{Forward: true, AfterID: after, Limit: 2, Until: at.Add(4 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, a := range page {
			got = append(got, a.Action)
		}
		after = page[len(page)-1].ID
	}
	if diff := cmp.Diff([]string{"a0", "a1", "a2", "a3"}, got); diff != "" {
		t.Errorf("audit pages (-want +got):\n%s", diff)
	}
	agents, err := s.Audit(ctx, store.AuditFilter{Actor: "agent:ann"})
	if err != nil {
		t.Fatal(err)
	}
	if len(agents) != 2 || agents[0].Action != "a1" || agents[1].Action != "a3" {
		t.Errorf("Audit(actor) = %+v, want a1, a3", agents)
	}
}

func testPolicyVersionAndContact(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	due := turn.Now().Add(30 * time.Minute)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(0, 1, "message")
		rec.PolicyVersion, rec.PolicyLabel = "v1hash", "v1.2"
		rec.Contact = &store.ContactState{State: raw(`{"seq":1}`), Due: due}
	})
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		if string(c.Contact) != `{"seq":1}` {
			t.Errorf("Begin: contact = %s, want the committed one", c.Contact)
		}
		rec.Events = events(c.LastSeq, 1, "message")
		rec.PolicyVersion = "v2hash" // a later turn does not change it
	})
	c, err := s.Conversation(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if c.PolicyVersion != "v1hash" || c.PolicyLabel != "v1.2" || string(c.Contact) != `{"seq":1}` {
		t.Errorf("conversation = %q %q %s, want the first turn's policy version and the contact", c.PolicyVersion, c.PolicyLabel, c.Contact)
	}
	ids, err := s.DueContacts(ctx, due.Add(-time.Second), 10)
	if err != nil || len(ids) != 0 {
		t.Errorf("DueContacts before due = %v, %v; want none", ids, err)
	}
	ids, err = s.DueContacts(ctx, due, 10)
	if err != nil || len(ids) != 1 || ids[0] != "c1" {
		t.Errorf("DueContacts at due = %v, %v; want c1", ids, err)
	}
	// A sweep commits no events: it settles the contact and clears its due time.
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Contact = &store.ContactState{State: raw(`{"seq":1,"settled":true}`)}
	})
	ids, err = s.DueContacts(ctx, due.Add(time.Hour), 10)
	if err != nil || len(ids) != 0 {
		t.Errorf("DueContacts after the sweep = %v, %v; want none", ids, err)
	}
	if c, _ := s.Conversation(ctx, "c1"); c.LastSeq != 2 {
		t.Errorf("after a sweep last seq = %d, want 2", c.LastSeq)
	}
}

// outcomeRow is an outcome row with the fields the tests vary.
func outcomeRow(conv string, seq int64, started time.Time, kind string) store.Outcome {
	return store.Outcome{
		ConversationID: conv, ContactSeq: seq, LastSeq: seq + 3, CustomerID: "cus_" + conv, Channel: "web", Language: "en",
		PolicyVersion: "abc", StartedAt: started, EndedAt: started.Add(time.Minute), SettledAt: started.Add(31 * time.Minute),
		Day: started.Format("2006-01-02"), Week: "2026-11-23", Hour: started.Hour(), Outcome: kind, Intent: "track_order",
		Messages: 2, BotReplies: 2, BotReplyMS: 700, ReplyBuckets: [store.ReplyBucketCount]int{1, 1},
		QueueWaitMS: -1, FirstReplyMS: -1, HandleMS: -1, FollowUpS: -1,
	}
}

func testOutcomes(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	a := outcomeRow("c1", 1, day.Add(9*time.Hour), "bot_resolved")
	b := outcomeRow("c2", 1, day.Add(10*time.Hour), "agent_resolved")
	b.Channel, b.Queue, b.Handoffs, b.Agent = "sms", "general", 1, "ann"
	b.QueueWaitMS, b.FirstReplyMS, b.HandleMS = 45_000, 60_000, 300_000
	b.SurveyAsked, b.Score, b.Comment = true, 2, "slow"
	c := outcomeRow("c3", 1, day.Add(26*time.Hour), "ticket") // the next day
	c.Tickets, c.TicketQueue, c.TicketPriority = 1, "refund_review", "high"
	for _, o := range []store.Outcome{a, b, c} {
		mustCommit(t, s, o.ConversationID, func(cv *store.Conversation, rec *store.TurnRecord) {
			rec.Events = events(0, 4, "message")
			rec.Outcomes = []store.Outcome{o}
		})
	}
	// A revision (the survey answer after the contact settled) replaces the row.
	b.Score, b.Comment = 4, "fine in the end"
	mustCommit(t, s, "c2", func(cv *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(cv.LastSeq, 1, "message")
		rec.Outcomes = []store.Outcome{b}
	})

	got, err := s.Outcomes(ctx, store.OutcomeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	a.FollowUpS, b.FollowUpS, c.FollowUpS = -1, -1, -1
	if diff := cmp.Diff([]store.Outcome{a, b, c}, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Outcomes (-want +got):\n%s", diff)
	}
	page, err := s.Outcomes(ctx, store.OutcomeFilter{After: &got[0], Limit: 1})
	if err != nil || len(page) != 1 || page[0].ConversationID != "c2" {
		t.Errorf("Outcomes(after c1, 1) = %v, %v; want c2", page, err)
	}

	totals, err := s.OutcomeTotals(ctx, store.OutcomeQuery{From: day, To: day.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	want := store.OutcomeTotals{
		Contacts: 2, ByOutcome: map[string]int{"bot_resolved": 1, "agent_resolved": 1}, NoFollowUp: map[string]int{"bot_resolved": 1, "agent_resolved": 1},
		HandedOff: 1, Messages: 4, BotReplies: 4, BotReplyMS: 1400, ReplyBuckets: [store.ReplyBucketCount]int{2, 2},
		QueueWaits: 1, QueueWaitMS: 45_000, QueueWaitUnder: []int{0, 0, 1, 1, 1, 1, 1, 1},
		FirstReplies: 1, FirstReplyMS: 60_000, Handled: 1, HandleMS: 300_000, SurveysAsked: 1, Scores: 1, ScoreSum: 4, ScoreCounts: [5]int{0, 0, 0, 1, 0},
	}
	if diff := cmp.Diff([]store.OutcomeTotals{want}, totals, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("OutcomeTotals(day) (-want +got):\n%s", diff)
	}
	byDay, err := s.OutcomeTotals(ctx, store.OutcomeQuery{By: []string{"day", "channel"}})
	if err != nil {
		t.Fatal(err)
	}
	var groups [][]string
	for _, g := range byDay {
		groups = append(groups, g.Group)
	}
	if diff := cmp.Diff([][]string{{"2026-11-23", "sms"}, {"2026-11-23", "web"}, {"2026-11-24", "web"}}, groups); diff != "" {
		t.Errorf("OutcomeTotals(by day, channel) groups (-want +got):\n%s", diff)
	}
	byHour, err := s.OutcomeTotals(ctx, store.OutcomeQuery{By: []string{"hour"}, From: day, To: day.Add(24 * time.Hour)})
	if err != nil || len(byHour) != 2 || byHour[0].Group[0] != "10" && byHour[0].Group[0] != "9" {
		t.Errorf("OutcomeTotals(by hour) = %+v, %v", byHour, err)
	}
	empty, err := s.OutcomeTotals(ctx, store.OutcomeQuery{From: day.Add(-48 * time.Hour), To: day.Add(-24 * time.Hour)})
	if err != nil || len(empty) != 1 || empty[0].Contacts != 0 {
		t.Errorf("OutcomeTotals(no contacts) = %+v, %v; want one zero row", empty, err)
	}
	if _, err := s.OutcomeTotals(ctx, store.OutcomeQuery{By: []string{"color"}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("OutcomeTotals(unknown dimension) error = %v, want ErrInvalid", err)
	}
}

func testOutcomeFollowUps(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	day := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	first := outcomeRow("c1", 1, day, "bot_resolved")
	again := outcomeRow("c1", 5, day.Add(48*time.Hour), "agent_resolved") // the same customer and intent, 2 days later
	other := outcomeRow("c2", 1, day.Add(time.Hour), "bot_resolved")      // another customer
	late := outcomeRow("c1", 9, day.Add(20*24*time.Hour), "bot_resolved") // 18 days after again
	// Written out of order: the later contact first.
	for _, o := range []store.Outcome{again, other, first, late} {
		mustCommit(t, s, o.ConversationID, func(cv *store.Conversation, rec *store.TurnRecord) {
			rec.Events = events(cv.LastSeq, 1, "message")
			rec.Outcomes = []store.Outcome{o}
		})
	}
	got, err := s.Outcomes(ctx, store.OutcomeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	follow := map[string]int64{}
	for _, o := range got {
		follow[fmt.Sprintf("%s/%d", o.ConversationID, o.ContactSeq)] = o.FollowUpS
	}
	want := map[string]int64{"c1/1": 48 * 3600, "c2/1": -1, "c1/5": 18 * 24 * 3600, "c1/9": -1}
	if diff := cmp.Diff(want, follow); diff != "" {
		t.Errorf("follow-ups (-want +got):\n%s", diff)
	}
	totals, err := s.OutcomeTotals(ctx, store.OutcomeQuery{FollowUpWindow: 7 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"bot_resolved": 2, "agent_resolved": 1}, totals[0].NoFollowUp); diff != "" {
		t.Errorf("no follow-up within 7 days (-want +got):\n%s", diff)
	}
}

func testRuleTotals(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	amount := func(f float64) *float64 { return &f }
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(0, 3, "message")
		rec.RuleEvents = []store.RuleEvent{
			{Seq: 1, At: at, Kind: "rule", Name: "refund_auto_approve", Dialog: "refund", Amount: amount(120.5), Channel: "web", Day: "2026-11-23"},
			{Seq: 2, At: at, Kind: "rule", Name: "refund_auto_approve", Dialog: "refund", Amount: amount(79.5), Channel: "sms", Day: "2026-11-23"},
			{Seq: 3, At: at, Kind: "outcome", Name: "shipped", Dialog: "track_order", Channel: "web", Day: "2026-11-23"},
		}
	})
	// The same rule event twice (a retried commit) counts once.
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "message")
		rec.RuleEvents = []store.RuleEvent{{Seq: 1, At: at, Kind: "rule", Name: "refund_auto_approve", Dialog: "refund", Amount: amount(120.5)}}
	})
	got, err := s.RuleTotals(ctx, store.OutcomeQuery{From: at, To: at.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.RuleTotals{
		{Group: []string{}, Kind: "outcome", Name: "shipped", Dialog: "track_order", Count: 1},
		{Group: []string{}, Kind: "rule", Name: "refund_auto_approve", Dialog: "refund", Count: 2, Amounts: 2, AmountSum: 200},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("RuleTotals (-want +got):\n%s", diff)
	}
	byChannel, err := s.RuleTotals(ctx, store.OutcomeQuery{By: []string{"channel"}})
	if err != nil || len(byChannel) != 3 {
		t.Errorf("RuleTotals(by channel) = %+v, %v; want 3 groups", byChannel, err)
	}
	if _, err := s.RuleTotals(ctx, store.OutcomeQuery{By: []string{"queue"}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("RuleTotals(by queue) error = %v, want ErrInvalid", err)
	}
}

func testReportRuns(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	now := turn.Now()
	ok, err := s.ClaimReportRun(ctx, "daily", "2026-11-23", "a", now, time.Hour)
	if err != nil || !ok {
		t.Fatalf("first claim = %v, %v; want true", ok, err)
	}
	if ok, err := s.ClaimReportRun(ctx, "daily", "2026-11-23", "b", now.Add(time.Minute), time.Hour); err != nil || ok {
		t.Fatalf("second claim by another instance = %v, %v; want false", ok, err)
	}
	// A claim older than stale (its owner died mid-send) is taken over.
	if ok, err := s.ClaimReportRun(ctx, "daily", "2026-11-23", "b", now.Add(2*time.Hour), time.Hour); err != nil || !ok {
		t.Fatalf("claim of a stale run = %v, %v; want true", ok, err)
	}
	if err := s.FinishReportRun(ctx, "daily", "2026-11-23", "a", "", now); !errors.Is(err, store.ErrConflict) {
		t.Errorf("finish by the old owner error = %v, want ErrConflict", err)
	}
	if err := s.FinishReportRun(ctx, "daily", "2026-11-23", "b", "", now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.ClaimReportRun(ctx, "daily", "2026-11-23", "c", now.Add(10*time.Hour), time.Hour); err != nil || ok {
		t.Errorf("claim of a sent run = %v, %v; want false", ok, err)
	}
	run, err := s.ReportRun(ctx, "daily", "2026-11-23")
	if err != nil || run.Status != "sent" || run.Owner != "b" {
		t.Errorf("ReportRun = %+v, %v; want sent by b", run, err)
	}
	// A failed run is retried once stale has passed since it failed.
	if ok, _ := s.ClaimReportRun(ctx, "daily", "2026-11-24", "a", now, time.Hour); !ok {
		t.Fatal("claim of a new slot failed")
	}
	if err := s.FinishReportRun(ctx, "daily", "2026-11-24", "a", "smtp: connection refused", now); err != nil {
		t.Fatal(err)
	}
	if run, _ := s.ReportRun(ctx, "daily", "2026-11-24"); run.Status != "failed" || run.Error != "smtp: connection refused" {
		t.Errorf("failed run = %+v", run)
	}
	if ok, _ := s.ClaimReportRun(ctx, "daily", "2026-11-24", "b", now.Add(time.Minute), time.Hour); ok {
		t.Error("a run that just failed was claimed again at once")
	}
	if ok, _ := s.ClaimReportRun(ctx, "daily", "2026-11-24", "b", now.Add(2*time.Hour), time.Hour); !ok {
		t.Error("a run that failed long ago was not claimed for a retry")
	}
	if _, err := s.ReportRun(ctx, "daily", "2026-11-25"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ReportRun(unknown) error = %v, want ErrNotFound", err)
	}
}

func testConversationPaging(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	for _, id := range []string{"c1", "c2", "c3"} {
		mustCommit(t, s, id, appendEvents(1))
	}
	var got []string
	var after *store.Conversation
	for {
		page, err := s.Conversations(ctx, store.ConversationFilter{After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, c := range page {
			got = append(got, c.ID)
			if c.LastSeq != 1 || c.Events != nil {
				t.Errorf("Conversations: %s has last seq %d and %d events, want 1 and none loaded", c.ID, c.LastSeq, len(c.Events))
			}
		}
		after = &page[len(page)-1]
	}
	if diff := cmp.Diff([]string{"c1", "c2", "c3"}, got); diff != "" {
		t.Errorf("conversation pages (-want +got):\n%s", diff)
	}
}

// testRollupsAgree: figures the store reads from its rollups (whole hours,
// the partial hours at the ends read from rows) equal those it reads from the
// rows alone, after revisions, follow-ups written out of order, and for
// periods that do and do not start on the hour.
func testRollupsAgree(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	base := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	kinds := []string{"bot_resolved", "agent_resolved", "ticket", "approval", "abandoned", "bot_resolved"}
	channels := []string{"web", "sms"}
	intents := []string{"track_order", "refund", "track_order"}
	var rows []store.Outcome
	for i := range 40 {
		o := outcomeRow(fmt.Sprintf("r%02d", i), 1, base.Add(time.Duration(i)*17*time.Minute), kinds[i%len(kinds)])
		o.Channel, o.Intent, o.CustomerID = channels[i%2], intents[i%3], fmt.Sprintf("cus%d", i%7)
		if o.Outcome == "agent_resolved" {
			o.Handoffs, o.Queue, o.QueueWaitMS, o.HandleMS = 1, "general", int64(i)*10_000, 60_000
		}
		if o.Outcome == "ticket" {
			o.Tickets, o.TicketQueue, o.TicketPriority = 1, "refund_review", "high"
		}
		if i%4 == 0 {
			o.SurveyAsked, o.Score = true, 1+i%5
		}
		rows = append(rows, o)
	}
	// Written newest first, so follow-ups link both ways.
	for i := len(rows) - 1; i >= 0; i-- {
		o := rows[i]
		amount := float64(i)
		mustCommit(t, s, o.ConversationID, func(cv *store.Conversation, rec *store.TurnRecord) {
			rec.Events = events(cv.LastSeq, 1, "message")
			rec.Outcomes = []store.Outcome{o}
			rec.RuleEvents = []store.RuleEvent{{Seq: cv.LastSeq + 1, At: o.StartedAt.Add(time.Minute), Kind: "rule", Name: "r" + o.Channel, Channel: o.Channel, Amount: &amount}}
		})
	}
	// Revisions: an outcome changes kind (3: an approval whose on_expire
	// handed the conversation to a person), a score arrives.
	for _, i := range []int{3, 8} {
		o := rows[i]
		o.Outcome, o.Handoffs, o.Queue, o.QueueWaitMS = "agent_resolved", 1, "priority", 30_000
		o.SurveyAsked, o.Score = true, 5
		mustCommit(t, s, o.ConversationID, func(cv *store.Conversation, rec *store.TurnRecord) {
			rec.Events = events(cv.LastSeq, 1, "message")
			rec.Outcomes = []store.Outcome{o}
		})
	}
	merge := func(ts []store.OutcomeTotals) store.OutcomeTotals {
		var parts []store.OutcomeTotals
		for _, x := range ts {
			x.Group = nil
			parts = append(parts, x)
		}
		return store.MergeOutcomeTotals(parts, true)[0]
	}
	for _, p := range []struct{ from, to time.Time }{
		{},
		{base, base.Add(6 * time.Hour)},
		{base.Add(25 * time.Minute), base.Add(5*time.Hour + 10*time.Minute)},
		{base.Add(70 * time.Minute), base.Add(100 * time.Minute)}, // inside one hour
		{base.Add(3 * time.Hour), time.Time{}},
	} {
		for _, window := range []time.Duration{24 * time.Hour, 0} {
			q := store.OutcomeQuery{From: p.from, To: p.to, FollowUpWindow: window}
			q.By = []string{"channel"}
			fast, err := s.OutcomeTotals(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			q.By = []string{"channel", "intent"}
			slow, err := s.OutcomeTotals(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(merge(slow), merge(fast), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%v to %v, window %v: rollup totals differ from row totals (-rows +rollup):\n%s", p.from, p.to, window, diff)
			}
		}
		q := store.OutcomeQuery{From: p.from, To: p.to, By: []string{"queue"}}
		fast, err := s.OutcomeCounts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		q.By = []string{"queue", "channel"}
		slow, err := s.OutcomeCounts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var merged []store.OutcomeCount
		for _, c := range slow {
			c.Group = c.Group[:1]
			merged = append(merged, c)
		}
		if diff := cmp.Diff(store.MergeOutcomeCounts(merged), fast, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%v to %v: rollup counts differ from row counts (-rows +rollup):\n%s", p.from, p.to, diff)
		}
		rules, err := s.RuleTotals(ctx, store.OutcomeQuery{From: p.from, To: p.to})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]float64{}
		for i, o := range rows {
			at := o.StartedAt.Add(time.Minute)
			if (p.from.IsZero() || !at.Before(p.from)) && (p.to.IsZero() || at.Before(p.to)) {
				w := want["r"+o.Channel]
				want["r"+o.Channel] = [2]float64{w[0] + 1, w[1] + float64(i)}
			}
		}
		got := map[string][2]float64{}
		for _, r := range rules {
			got[r.Name] = [2]float64{float64(r.Count), r.AmountSum}
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%v to %v: rule totals (-rows +got):\n%s", p.from, p.to, diff)
		}
	}
	if _, err := s.OutcomeTotals(ctx, store.OutcomeQuery{FollowUpWindow: 5 * 24 * time.Hour}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a 5-day window: error %v, want ErrInvalid", err)
	}
}

func testSatisfactionFilters(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := turn.Now().Add(-time.Hour)
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Satisfaction = []store.Satisfaction{
			{Score: 1, Comment: "slow", At: at}, {Score: 2, At: at.Add(time.Minute)}, {Score: 5, Comment: "great", At: at.Add(2 * time.Minute)},
			{Score: 2, Comment: "rude", At: at.Add(3 * time.Minute)},
		}
	})
	got, err := s.Satisfaction(ctx, store.SatisfactionFilter{MaxScore: 2, WithComment: true, Until: at.Add(3 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Comment != "slow" {
		t.Errorf("dissatisfied with a comment before the last = %+v, want only slow", got)
	}
}

// testRollupsConcurrent: commits that settle and revise contacts of the same
// hour at once (some moving a contact from one outcome to another, others the
// other way) neither fail nor lose a count.
func testRollupsConcurrent(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	kinds := []string{"bot_resolved", "abandoned"}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 6 {
				id := fmt.Sprintf("g%d-%d", g, i)
				o := outcomeRow(id, 1, at.Add(time.Duration(g*6+i)*time.Second), kinds[g%2])
				for _, kind := range []string{kinds[g%2], kinds[(g+1)%2]} { // settle, then revise to the other kind
					o.Outcome = kind
					if err := commit(t, s, id, func(cv *store.Conversation, rec *store.TurnRecord) {
						rec.Events = events(cv.LastSeq, 1, "message")
						rec.Outcomes = []store.Outcome{o}
					}); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	totals, err := s.OutcomeTotals(ctx, store.OutcomeQuery{From: at.Add(-time.Hour), To: at.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"bot_resolved": 24, "abandoned": 24}, totals[0].ByOutcome); diff != "" || totals[0].Contacts != 48 {
		t.Errorf("after concurrent revisions: %d contacts (-want +got):\n%s", totals[0].Contacts, diff)
	}
}
