package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// Rollups rebuilt from the rows equal the ones kept a commit at a time.
func TestRebuildRollups(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for i := range 30 {
		at := base.Add(time.Duration(i) * 23 * time.Minute)
		o := store.Outcome{ConversationID: fmt.Sprintf("c%d", i), ContactSeq: 1, CustomerID: fmt.Sprintf("u%d", i%4), Channel: []string{"web", "sms"}[i%2],
			StartedAt: at, EndedAt: at, SettledAt: at, Day: at.Format("2006-01-02"), Hour: at.Hour(), Outcome: []string{"bot_resolved", "ticket", "agent_resolved"}[i%3],
			Intent: []string{"a", "b"}[i%2], Messages: i, QueueWaitMS: -1, FirstReplyMS: -1, HandleMS: -1}
		if o.Outcome == "agent_resolved" {
			o.Handoffs, o.Queue, o.QueueWaitMS = 1, "general", int64(i)*1000
		}
		if o.Outcome == "ticket" {
			o.Tickets, o.TicketQueue, o.TicketPriority = 1, "q", "high"
		}
		amount := float64(i)
		tx, err := s.Begin(ctx, o.ConversationID)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "m", At: at, Data: []byte(`{}`)}}, Outcomes: []store.Outcome{o},
			RuleEvents: []store.RuleEvent{{Seq: 1, At: at, Kind: "rule", Name: "r", Amount: &amount}}}); err != nil {
			t.Fatal(err)
		}
	}
	read := func() []any {
		totals, err := s.OutcomeTotals(ctx, store.OutcomeQuery{By: []string{"day", "channel"}})
		if err != nil {
			t.Fatal(err)
		}
		counts, err := s.OutcomeCounts(ctx, store.OutcomeQuery{By: []string{"ticket_queue", "ticket_priority"}})
		if err != nil {
			t.Fatal(err)
		}
		rules, err := s.RuleTotals(ctx, store.OutcomeQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return []any{totals, counts, rules}
	}
	before := read()
	if err := s.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, read()); diff != "" {
		t.Errorf("rebuilt rollups differ (-kept +rebuilt):\n%s", diff)
	}
}
