package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// The rollups (migration 0004) sum outcome rows and rule events per UTC hour,
// so that a report reads a few thousand rollup rows instead of millions of
// outcome rows. Every write of an outcome row applies its contribution: +1
// times the new row, -1 times the row it replaces; so the rollups always equal
// the sum of the rows, which the conformance suite checks.

// rollupKeys are outcome_rollup's key columns, after hour_utc.
var rollupKeys = []string{"day", "week", "hour", "channel", "language", "policy_version", "outcome"}

// rollupMeasures are outcome_rollup's summed columns, in contribution order.
var rollupMeasures = func() []string {
	m := []string{"contacts", "handed_off", "with_ticket", "messages", "not_understood", "kb_answered", "unanswered", "bot_replies", "bot_reply_ms"}
	for i := range store.ReplyBucketCount {
		m = append(m, "rt"+strconv.Itoa(i))
	}
	m = append(m, "queue_waits", "queue_wait_ms")
	for i := range store.QueueWaitBounds {
		m = append(m, "qw"+strconv.Itoa(i))
	}
	m = append(m, "first_replies", "first_reply_ms", "handled", "handle_ms", "surveys_asked", "scores", "score_sum")
	for i := 1; i <= 5; i++ {
		m = append(m, "s"+strconv.Itoa(i))
	}
	for _, w := range store.FollowUpWindows {
		m = append(m, fuColumn(w))
	}
	return m
}()

// fuColumn is the rollup column counting follow-ups within w ("fu7d").
func fuColumn(w time.Duration) string { return "fu" + strconv.Itoa(int(w/(24*time.Hour))) + "d" }

// rollupDimensions are the dimensions outcome_rollup can group by.
var rollupDimensions = rollupKeys

// countDims maps a dimension of outcome_counts to how it is stored.
var countDims = map[string]string{"queue": "queue", "reason": "reason", "intent": "intent", "dialog": "dialog", "agent": "agent", "ticket_queue": "ticket"}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// hourUTC is the rollup bucket of t.
func hourUTC(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }

// contribution is what one outcome row adds to outcome_rollup.
func contribution(o store.Outcome) []int64 {
	m := []int64{1, b2i(o.Handoffs > 0), b2i(o.Tickets > 0), int64(o.Messages), int64(o.NotUnderstood), int64(o.KBAnswered), int64(o.Unanswered),
		int64(o.BotReplies), o.BotReplyMS}
	for _, n := range o.ReplyBuckets {
		m = append(m, int64(n))
	}
	m = append(m, b2i(o.QueueWaitMS >= 0), max(o.QueueWaitMS, 0))
	for _, b := range store.QueueWaitBounds {
		m = append(m, b2i(o.QueueWaitMS >= 0 && o.QueueWaitMS <= b.Milliseconds()))
	}
	m = append(m, b2i(o.FirstReplyMS >= 0), max(o.FirstReplyMS, 0), b2i(o.HandleMS >= 0), max(o.HandleMS, 0),
		b2i(o.SurveyAsked), b2i(o.Score > 0), int64(o.Score))
	for k := 1; k <= 5; k++ {
		m = append(m, b2i(o.Score == k))
	}
	for _, w := range store.FollowUpWindows {
		m = append(m, b2i(o.FollowUpS >= 0 && o.FollowUpS <= int64(w/time.Second)))
	}
	return m
}

// rollupDeltas collects what one commit adds to the rollups, summed per row,
// and writes it in key order: two commits touching the same rollup rows then
// lock them in the same order, so they wait for each other instead of
// deadlocking (a revision subtracts from one row and adds to another).
type rollupDeltas struct {
	outcomes map[string]*rollupDelta
	counts   map[string]*rollupDelta
	rules    map[string]*ruleDelta
}

type rollupDelta struct {
	keys     []any
	measures []int64
}

type ruleDelta struct {
	keys    []any
	applied int64
	amounts int64
	sum     float64
}

func newRollupDeltas() *rollupDeltas {
	return &rollupDeltas{outcomes: map[string]*rollupDelta{}, counts: map[string]*rollupDelta{}, rules: map[string]*ruleDelta{}}
}

// keyOf is a map key for a rollup row (the hour as an instant, then the rest).
func keyOf(hour time.Time, rest ...any) string {
	var b strings.Builder
	b.WriteString(hour.UTC().Format(time.RFC3339))
	for _, v := range rest {
		fmt.Fprintf(&b, "\x00%v", v)
	}
	return b.String()
}

// addOutcome adds sign times o's contribution.
func (d *rollupDeltas) addOutcome(o store.Outcome, sign int64) {
	hour := hourUTC(o.StartedAt)
	keys := []any{hour, o.Day, o.Week, o.Hour, o.Channel, o.Language, o.PolicyVersion, o.Outcome}
	k := keyOf(hour, keys[1:]...)
	r := d.outcomes[k]
	if r == nil {
		r = &rollupDelta{keys: keys, measures: make([]int64, len(rollupMeasures))}
		d.outcomes[k] = r
	}
	for i, v := range contribution(o) {
		r.measures[i] += sign * v
	}
	for _, c := range [][3]string{{"queue", o.Queue, ""}, {"reason", o.Reason, ""}, {"intent", o.Intent, ""}, {"dialog", o.Dialog, ""},
		{"agent", o.Agent, ""}, {"ticket", o.TicketQueue, o.TicketPriority}} {
		k := c[0] + "\x00" + keyOf(hour, c[1], c[2])
		r := d.counts[k]
		if r == nil {
			r = &rollupDelta{keys: []any{hour, c[0], c[1], c[2]}, measures: make([]int64, 3)}
			d.counts[k] = r
		}
		r.measures[0] += sign
		r.measures[1] += sign * b2i(o.Handoffs > 0)
		r.measures[2] += sign * b2i(o.Tickets > 0)
	}
}

// addRuleEvent counts a rule event.
func (d *rollupDeltas) addRuleEvent(r store.RuleEvent) {
	hour := hourUTC(r.At)
	keys := []any{hour, r.Day, r.Week, r.Hour, r.Channel, r.Language, r.PolicyVersion, r.Kind, r.Name, r.Dialog}
	k := keyOf(hour, keys[1:]...)
	x := d.rules[k]
	if x == nil {
		x = &ruleDelta{keys: keys}
		d.rules[k] = x
	}
	x.applied++
	if r.Amount != nil {
		x.amounts++
		x.sum += *r.Amount
	}
}

// flush writes the deltas, each table's rows in key order.
func (d *rollupDeltas) flush(ctx context.Context, s *Store, q querier) error {
	for _, st := range d.statements(s) {
		if _, err := q.ExecContext(ctx, st.Query, st.Args...); err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
	}
	return nil
}

// The rollup upserts, built once: every group commit runs them.
var (
	upsertOutcomeRollup = func() string {
		set := make([]string, len(rollupMeasures))
		for i, c := range rollupMeasures {
			set[i] = c + " = outcome_rollup." + c + " + excluded." + c
		}
		cols := append(append([]string{"hour_utc"}, rollupKeys...), rollupMeasures...)
		return `INSERT INTO outcome_rollup (` + strings.Join(cols, ", ") + `) VALUES (` + placeholders(len(cols)) + `)
		ON CONFLICT (hour_utc, ` + strings.Join(rollupKeys, ", ") + `) DO UPDATE SET ` + strings.Join(set, ", ")
	}()
	upsertOutcomeCount = `INSERT INTO outcome_counts (hour_utc, dim, v1, v2, contacts, handed_off, with_ticket) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (dim, hour_utc, v1, v2) DO UPDATE SET contacts = outcome_counts.contacts + excluded.contacts,
		handed_off = outcome_counts.handed_off + excluded.handed_off, with_ticket = outcome_counts.with_ticket + excluded.with_ticket`
	upsertRuleRollup = `INSERT INTO rule_rollup (hour_utc, day, week, hour, channel, language, policy_version, kind, name, dialog, applied, amounts, amount_sum)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (hour_utc, day, week, hour, channel, language, policy_version, kind, name, dialog) DO UPDATE SET applied = rule_rollup.applied + excluded.applied,
		amounts = rule_rollup.amounts + excluded.amounts, amount_sum = rule_rollup.amount_sum + excluded.amount_sum`
)

// statements are the upserts that add the deltas to the rollups, each
// table's rows in key order (so that concurrent groups lock them in the
// same order).
func (d *rollupDeltas) statements(s *Store) []Stmt {
	out := make([]Stmt, 0, len(d.outcomes)+len(d.counts)+len(d.rules))
	upsertOutcome := s.q(upsertOutcomeRollup)
	for _, k := range sortedKeys(d.outcomes) {
		r := d.outcomes[k]
		if r.zero() {
			continue
		}
		args := append([]any{s.t(r.keys[0].(time.Time))}, r.keys[1:]...)
		for _, v := range r.measures {
			args = append(args, v)
		}
		out = append(out, Stmt{Query: upsertOutcome, Args: args, Want: -1})
	}
	upsertCount := s.q(upsertOutcomeCount)
	for _, k := range sortedKeys(d.counts) {
		r := d.counts[k]
		if r.zero() {
			continue
		}
		out = append(out, Stmt{Query: upsertCount, Args: []any{s.t(r.keys[0].(time.Time)), r.keys[1], r.keys[2], r.keys[3], r.measures[0], r.measures[1], r.measures[2]}, Want: -1})
	}
	upsertRule := s.q(upsertRuleRollup)
	for _, k := range sortedKeys(d.rules) {
		r := d.rules[k]
		args := append([]any{s.t(r.keys[0].(time.Time))}, r.keys[1:]...)
		out = append(out, Stmt{Query: upsertRule, Args: append(args, r.applied, r.amounts, r.sum), Want: -1})
	}
	return out
}

// zero says the delta changes nothing: a turn that rewrites its contact's
// outcome without moving it to another row (most turns) subtracts what it
// adds to the counts, and the upsert would rewrite the row for nothing.
func (r *rollupDelta) zero() bool {
	return !slices.ContainsFunc(r.measures, func(v int64) bool { return v != 0 })
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// span splits [from, to) into the whole UTC hours [a, b) the rollups answer
// and the partial hours at its ends, read from the rows: [from, a) and [b, to).
// A zero bound is open. ok is false when no whole hour fits.
type span struct {
	from, to, a, b time.Time
	ok             bool
}

func splitSpan(from, to time.Time) span {
	sp := span{from: from, to: to}
	if !from.IsZero() {
		sp.a = hourUTC(from)
		if sp.a.Before(from) {
			sp.a = sp.a.Add(time.Hour)
		}
	}
	if !to.IsZero() {
		sp.b = hourUTC(to)
	}
	sp.ok = sp.a.IsZero() || sp.b.IsZero() || sp.a.Before(sp.b)
	return sp
}

// edges are the row ranges a span leaves to the rows.
func (sp span) edges() [][2]time.Time {
	if !sp.ok {
		return [][2]time.Time{{sp.from, sp.to}}
	}
	var out [][2]time.Time
	if !sp.from.IsZero() && sp.from.Before(sp.a) {
		out = append(out, [2]time.Time{sp.from, sp.a})
	}
	if !sp.to.IsZero() && sp.b.Before(sp.to) {
		out = append(out, [2]time.Time{sp.b, sp.to})
	}
	return out
}

// rollupExprs are the SQL expressions over outcome rows that give each of
// rollupMeasures: the same sums contribution adds one row at a time.
func rollupExprs() []string {
	e := []string{"COUNT(*)", sum("CASE WHEN handoffs > 0 THEN 1 ELSE 0 END"), sum("CASE WHEN tickets > 0 THEN 1 ELSE 0 END"),
		sum("messages"), sum("not_understood"), sum("kb_answered"), sum("unanswered"), sum("bot_replies"), sum("bot_reply_ms")}
	for i := range store.ReplyBucketCount {
		e = append(e, sum("rt"+strconv.Itoa(i)))
	}
	e = append(e, "COUNT(queue_wait_ms)", sum("queue_wait_ms"))
	for _, b := range store.QueueWaitBounds {
		e = append(e, sum("CASE WHEN queue_wait_ms <= "+strconv.FormatInt(b.Milliseconds(), 10)+" THEN 1 ELSE 0 END"))
	}
	e = append(e, "COUNT(first_reply_ms)", sum("first_reply_ms"), "COUNT(handle_ms)", sum("handle_ms"), sum("survey_asked"), "COUNT(score)", sum("score"))
	for k := 1; k <= 5; k++ {
		e = append(e, sum("CASE WHEN score = "+strconv.Itoa(k)+" THEN 1 ELSE 0 END"))
	}
	for _, w := range store.FollowUpWindows {
		e = append(e, sum("CASE WHEN followup_s <= "+strconv.FormatInt(int64(w/time.Second), 10)+" THEN 1 ELSE 0 END"))
	}
	return e
}

// RebuildRollups recomputes every rollup from the outcome rows and rule
// events, in one transaction: for rows loaded in bulk (benchmarks, imports),
// and a repair should the rollups ever disagree with the rows.
func (s *Store) RebuildRollups(ctx context.Context) error {
	keys := strings.Join(append([]string{"hour_utc"}, rollupKeys...), ", ")
	stmts := []string{
		`DELETE FROM outcome_rollup`,
		`DELETE FROM outcome_counts`,
		`DELETE FROM rule_rollup`,
		`INSERT INTO outcome_rollup (` + keys + `, ` + strings.Join(rollupMeasures, ", ") + `) SELECT ` + keys + `, ` +
			strings.Join(rollupExprs(), ", ") + ` FROM outcomes GROUP BY ` + keys,
		`INSERT INTO rule_rollup (hour_utc, day, week, hour, channel, language, policy_version, kind, name, dialog, applied, amounts, amount_sum)
			SELECT hour_utc, day, week, hour, channel, language, policy_version, kind, name, dialog, COUNT(*), COUNT(amount), COALESCE(SUM(amount), 0)
			FROM rule_events GROUP BY hour_utc, day, week, hour, channel, language, policy_version, kind, name, dialog`,
	}
	for dim, col := range map[string]string{"queue": "queue", "reason": "reason", "intent": "intent", "dialog": "dialog", "agent": "agent"} {
		stmts = append(stmts, `INSERT INTO outcome_counts (hour_utc, dim, v1, v2, contacts, handed_off, with_ticket) SELECT hour_utc, '`+dim+`', `+col+`, '', COUNT(*), `+
			sum("CASE WHEN handoffs > 0 THEN 1 ELSE 0 END")+`, `+sum("CASE WHEN tickets > 0 THEN 1 ELSE 0 END")+` FROM outcomes GROUP BY hour_utc, `+col)
	}
	stmts = append(stmts, `INSERT INTO outcome_counts (hour_utc, dim, v1, v2, contacts, handed_off, with_ticket) SELECT hour_utc, 'ticket', ticket_queue, ticket_priority, COUNT(*), `+
		sum("CASE WHEN handoffs > 0 THEN 1 ELSE 0 END")+`, `+sum("CASE WHEN tickets > 0 THEN 1 ELSE 0 END")+` FROM outcomes GROUP BY hour_utc, ticket_queue, ticket_priority`)
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, st := range stmts {
			if _, err := tx.ExecContext(ctx, st); err != nil {
				return fmt.Errorf("rebuild rollups: %w", err)
			}
		}
		return nil
	})
}
