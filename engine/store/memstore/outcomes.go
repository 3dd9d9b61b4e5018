package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

type outcomeKey struct {
	conv string
	seq  int64
}

// askKey is a customer and an intent: the outcomes of contacts that asked
// for the same thing, which follow-ups link.
type askKey struct{ customer, intent string }

// writeOutcome upserts o and links follow-ups as the SQL stores do. s.mu is held.
func (s *Store) writeOutcome(o store.Outcome) {
	k := outcomeKey{o.ConversationID, o.ContactSeq}
	old, exists := s.outcomes[k]
	if exists {
		o.FollowUpS = old.FollowUpS
		delete(s.sameAsk[askKey{old.CustomerID, old.Intent}], k)
	}
	s.outcomes[k] = &o
	if s.sameAsk == nil {
		s.sameAsk = map[askKey]map[outcomeKey]bool{}
	}
	ask := askKey{o.CustomerID, o.Intent}
	if s.sameAsk[ask] == nil {
		s.sameAsk[ask] = map[outcomeKey]bool{}
	}
	s.sameAsk[ask][k] = true
	if o.Intent == "" || o.CustomerID == "" || exists && old.Intent == o.Intent {
		return
	}
	var prev, next *store.Outcome
	// The same customer's outcomes for the same intent, rather than all.
	for xk := range s.sameAsk[ask] {
		x := s.outcomes[xk]
		if x.StartedAt.Before(o.StartedAt) && (prev == nil || x.StartedAt.After(prev.StartedAt)) {
			prev = x
		}
		if x.StartedAt.After(o.StartedAt) && (next == nil || x.StartedAt.Before(next.StartedAt)) {
			next = x
		}
	}
	if prev != nil {
		if gap := int64(o.StartedAt.Sub(prev.StartedAt) / time.Second); prev.FollowUpS < 0 || prev.FollowUpS > gap {
			prev.FollowUpS = gap
		}
	}
	if next != nil {
		s.outcomes[k].FollowUpS = int64(next.StartedAt.Sub(o.StartedAt) / time.Second)
	}
}

func (s *Store) DueContacts(ctx context.Context, before time.Time, limit int) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	if limit <= 0 {
		limit = 100
	}
	type due struct {
		id string
		at time.Time
	}
	var ds []due
	for id, c := range s.convs {
		if !c.due.IsZero() && !c.due.After(before) {
			ds = append(ds, due{id, c.due})
		}
	}
	slices.SortFunc(ds, func(a, b due) int { return cmp.Or(a.at.Compare(b.at), strings.Compare(a.id, b.id)) })
	var out []string
	for i := 0; i < len(ds) && i < limit; i++ {
		out = append(out, ds[i].id)
	}
	return out, nil
}

func inRange(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to))
}

func outcomeDim(o *store.Outcome, dim string) string {
	switch dim {
	case "day":
		return o.Day
	case "week":
		return o.Week
	case "hour":
		return strconv.Itoa(o.Hour)
	case "channel":
		return o.Channel
	case "queue":
		return o.Queue
	case "intent":
		return o.Intent
	case "dialog":
		return o.Dialog
	case "language":
		return o.Language
	case "agent":
		return o.Agent
	case "policy_version":
		return o.PolicyVersion
	case "outcome":
		return o.Outcome
	case "reason":
		return o.Reason
	case "ticket_queue":
		return o.TicketQueue
	case "ticket_priority":
		return o.TicketPriority
	}
	return ""
}

func checkDims(dims, allowed []string) error {
	for _, d := range dims {
		if !slices.Contains(allowed, d) {
			return fmt.Errorf("%w: %q is not a dimension; use one of %s", store.ErrInvalid, d, strings.Join(allowed, ", "))
		}
	}
	return nil
}

func (s *Store) OutcomeTotals(ctx context.Context, q store.OutcomeQuery) ([]store.OutcomeTotals, error) {
	if err := checkDims(q.By, store.OutcomeDimensions); err != nil {
		return nil, err
	}
	window, err := store.CheckFollowUpWindow(q.FollowUpWindow)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	from, to := turn.Time(q.From), turn.Time(q.To)
	var parts []store.OutcomeTotals
	for _, o := range s.outcomes {
		if !inRange(o.StartedAt, from, to) {
			continue
		}
		t := store.OutcomeTotals{Contacts: 1, ByOutcome: map[string]int{o.Outcome: 1}, NoFollowUp: map[string]int{},
			QueueWaitUnder: make([]int, len(store.QueueWaitBounds))}
		for _, d := range q.By {
			t.Group = append(t.Group, outcomeDim(o, d))
		}
		if o.FollowUpS < 0 || o.FollowUpS > int64(window/time.Second) {
			t.NoFollowUp[o.Outcome] = 1
		}
		t.HandedOff, t.WithTicket = b2i(o.Handoffs > 0), b2i(o.Tickets > 0)
		t.Messages, t.NotUnderstood, t.KBAnswered, t.Unanswered = o.Messages, o.NotUnderstood, o.KBAnswered, o.Unanswered
		t.BotReplies, t.BotReplyMS, t.ReplyBuckets = o.BotReplies, o.BotReplyMS, o.ReplyBuckets
		if o.QueueWaitMS >= 0 {
			t.QueueWaits, t.QueueWaitMS = 1, o.QueueWaitMS
			for i, b := range store.QueueWaitBounds {
				t.QueueWaitUnder[i] = b2i(o.QueueWaitMS <= b.Milliseconds())
			}
		}
		if o.FirstReplyMS >= 0 {
			t.FirstReplies, t.FirstReplyMS = 1, o.FirstReplyMS
		}
		if o.HandleMS >= 0 {
			t.Handled, t.HandleMS = 1, o.HandleMS
		}
		t.SurveysAsked = b2i(o.SurveyAsked)
		if o.Score > 0 {
			t.Scores, t.ScoreSum = 1, o.Score
			t.ScoreCounts[o.Score-1] = 1
		}
		parts = append(parts, t)
	}
	slices.SortStableFunc(parts, func(a, b store.OutcomeTotals) int { return slices.Compare(a.Group, b.Group) })
	return store.MergeOutcomeTotals(parts, len(q.By) == 0), nil
}

func (s *Store) OutcomeCounts(ctx context.Context, q store.OutcomeQuery) ([]store.OutcomeCount, error) {
	if err := checkDims(q.By, store.OutcomeDimensions); err != nil {
		return nil, err
	}
	if len(q.By) == 0 {
		return nil, fmt.Errorf("%w: counts need a dimension", store.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	from, to := turn.Time(q.From), turn.Time(q.To)
	var parts []store.OutcomeCount
	for _, o := range s.outcomes {
		if !inRange(o.StartedAt, from, to) {
			continue
		}
		c := store.OutcomeCount{Contacts: 1, HandedOff: b2i(o.Handoffs > 0), WithTicket: b2i(o.Tickets > 0)}
		for _, d := range q.By {
			c.Group = append(c.Group, outcomeDim(o, d))
		}
		parts = append(parts, c)
	}
	return store.MergeOutcomeCounts(parts), nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ruleDim(r *store.RuleEvent, dim string) string {
	switch dim {
	case "day":
		return r.Day
	case "week":
		return r.Week
	case "hour":
		return strconv.Itoa(r.Hour)
	case "channel":
		return r.Channel
	case "dialog":
		return r.Dialog
	case "language":
		return r.Language
	case "policy_version":
		return r.PolicyVersion
	}
	return ""
}

func (s *Store) RuleTotals(ctx context.Context, q store.OutcomeQuery) ([]store.RuleTotals, error) {
	if err := checkDims(q.By, store.RuleDimensions); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	from, to := turn.Time(q.From), turn.Time(q.To)
	byKey := map[string]*store.RuleTotals{}
	for _, r := range s.ruleEvents {
		if !inRange(r.At, from, to) {
			continue
		}
		var group []string
		for _, d := range q.By {
			group = append(group, ruleDim(r, d))
		}
		key := strings.Join(append(slices.Clone(group), r.Kind, r.Name, r.Dialog), "\x00")
		t := byKey[key]
		if t == nil {
			t = &store.RuleTotals{Group: group, Kind: r.Kind, Name: r.Name, Dialog: r.Dialog}
			byKey[key] = t
		}
		t.Count++
		if r.Amount != nil {
			t.Amounts++
			t.AmountSum += *r.Amount
		}
	}
	out := make([]store.RuleTotals, 0, len(byKey))
	for _, t := range byKey {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b store.RuleTotals) int {
		return cmp.Or(slices.Compare(a.Group, b.Group), strings.Compare(a.Kind, b.Kind), strings.Compare(a.Name, b.Name), strings.Compare(a.Dialog, b.Dialog))
	})
	return out, nil
}

func (s *Store) Outcomes(ctx context.Context, f store.OutcomeFilter) ([]store.Outcome, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	cmpOutcome := func(a, b *store.Outcome) int {
		return cmp.Or(a.StartedAt.Compare(b.StartedAt), strings.Compare(a.ConversationID, b.ConversationID), cmp.Compare(a.ContactSeq, b.ContactSeq))
	}
	var all []*store.Outcome
	for _, o := range s.outcomes {
		if inRange(o.StartedAt, turn.Time(f.From), turn.Time(f.To)) && (f.After == nil || cmpOutcome(o, f.After) > 0) {
			all = append(all, o)
		}
	}
	slices.SortFunc(all, cmpOutcome)
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	var out []store.Outcome
	for i := 0; i < len(all) && i < limit; i++ {
		out = append(out, *all[i])
	}
	return out, nil
}

func (s *Store) Conversations(ctx context.Context, f store.ConversationFilter) ([]store.Conversation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	cmpConv := func(a, b *store.Conversation) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	}
	var all []*store.Conversation
	for _, c := range s.convs {
		if inRange(c.CreatedAt, turn.Time(f.From), turn.Time(f.To)) && (f.After == nil || cmpConv(&c.Conversation, f.After) > 0) {
			all = append(all, &c.Conversation)
		}
	}
	slices.SortFunc(all, cmpConv)
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	var out []store.Conversation
	for i := 0; i < len(all) && i < limit; i++ {
		c := *all[i]
		c.Snapshot, c.SnapshotSeq, c.Events, c.Contact = nil, 0, nil, nil
		out = append(out, c)
	}
	return out, nil
}

func (s *Store) ClaimReportRun(ctx context.Context, report, slot, owner string, now time.Time, stale time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false, store.ErrClosed
	}
	now = turn.Time(now)
	k := [2]string{report, slot}
	r, ok := s.reportRuns[k]
	switch {
	case !ok:
		s.reportRuns[k] = &store.ReportRun{Report: report, Slot: slot, Owner: owner, Status: "claimed", ClaimedAt: now}
		return true, nil
	case r.Status == "claimed" && r.ClaimedAt.Before(now.Add(-stale)) || r.Status == "failed" && r.FinishedAt.Before(now.Add(-stale)):
		r.Owner, r.ClaimedAt, r.Status, r.FinishedAt, r.Error = owner, now, "claimed", time.Time{}, ""
		return true, nil
	}
	return false, nil
}

func (s *Store) FinishReportRun(ctx context.Context, report, slot, owner, errText string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	r, ok := s.reportRuns[[2]string{report, slot}]
	if !ok || r.Owner != owner {
		return fmt.Errorf("finish report run: run %s/%s is not %s's: %w", report, slot, owner, store.ErrConflict)
	}
	r.Status, r.FinishedAt, r.Error = "sent", turn.Time(at), errText
	if errText != "" {
		r.Status = "failed"
	}
	return nil
}

func (s *Store) ReportRun(ctx context.Context, report, slot string) (store.ReportRun, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ReportRun{}, store.ErrClosed
	}
	r, ok := s.reportRuns[[2]string{report, slot}]
	if !ok {
		return store.ReportRun{Report: report, Slot: slot}, store.ErrNotFound
	}
	return *r, nil
}
