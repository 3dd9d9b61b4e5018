package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

const outcomeCols = `conversation_id, contact_seq, last_seq, customer_id, channel, language, policy_version, policy_label,
	started_at, hour_utc, ended_at, settled_at, day, week, hour, outcome, intent, dialog, queue, reason, agent,
	messages, not_understood, kb_answered, unanswered, handoffs, tickets, ticket_queue, ticket_priority,
	bot_replies, bot_reply_ms, rt0, rt1, rt2, rt3, rt4, rt5, rt6, rt7, queue_wait_ms, first_reply_ms, handle_ms,
	survey_asked, score, comment, followup_s`

func nullMS(ms int64) any {
	if ms < 0 {
		return nil
	}
	return ms
}

func (s *Store) outcomeArgs(o store.Outcome) []any {
	score := any(nil)
	if o.Score > 0 {
		score = o.Score
	}
	asked := 0
	if o.SurveyAsked {
		asked = 1
	}
	args := []any{o.ConversationID, o.ContactSeq, o.LastSeq, o.CustomerID, o.Channel, o.Language, o.PolicyVersion, o.PolicyLabel,
		s.t(o.StartedAt), s.t(hourUTC(o.StartedAt)), s.t(o.EndedAt), s.t(o.SettledAt), o.Day, o.Week, o.Hour, o.Outcome, o.Intent, o.Dialog, o.Queue, o.Reason, o.Agent,
		o.Messages, o.NotUnderstood, o.KBAnswered, o.Unanswered, o.Handoffs, o.Tickets, o.TicketQueue, o.TicketPriority,
		o.BotReplies, o.BotReplyMS}
	for _, n := range o.ReplyBuckets {
		args = append(args, n)
	}
	return append(args, nullMS(o.QueueWaitMS), nullMS(o.FirstReplyMS), nullMS(o.HandleMS), asked, score, o.Comment)
}

// writeOutcome upserts an outcome row, keeps the rollups equal to the rows
// (minus the row it replaces, plus the new one), and links it with the
// customer's contacts about the same intent, before and after it (FollowUpS).
func (s *Store) writeOutcome(ctx context.Context, q querier, o store.Outcome, d *rollupDeltas) error {
	old, exists, err := s.readOutcome(ctx, q, o.ConversationID, o.ContactSeq)
	if err != nil {
		return err
	}
	linkPrev := o.Intent != "" && o.CustomerID != "" && (!exists || old.Intent != o.Intent)
	switch {
	case exists && old.Intent == o.Intent && old.CustomerID == o.CustomerID && old.StartedAt.Equal(o.StartedAt):
		o.FollowUpS = old.FollowUpS
	case linkPrev:
		// The next contact about the same intent, if it was written first.
		var next time.Time
		err := q.QueryRowContext(ctx, s.q(`SELECT started_at FROM outcomes WHERE customer_id = ? AND intent = ? AND started_at > ?
			ORDER BY started_at LIMIT 1`), o.CustomerID, o.Intent, s.t(o.StartedAt)).Scan(Times{&next})
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("follow-up: %w", err)
		default:
			o.FollowUpS = int64(next.Sub(o.StartedAt) / time.Second)
		}
	}
	args := append(s.outcomeArgs(o), nullMS(o.FollowUpS))
	if exists {
		_, err = q.ExecContext(ctx, s.q(updateOutcomeSQL), append(args[2:], o.ConversationID, o.ContactSeq)...)
	} else {
		_, err = q.ExecContext(ctx, s.q(insertOutcomeSQL), args...)
	}
	if err != nil {
		return fmt.Errorf("outcome %s/%d: %w", o.ConversationID, o.ContactSeq, err)
	}
	if exists {
		d.addOutcome(old, -1)
	}
	d.addOutcome(o, 1)
	if !linkPrev {
		return nil
	}
	// The customer's latest earlier contact about the same intent now has a
	// follow-up (sooner than any it had).
	var conv string
	var seq int64
	err = q.QueryRowContext(ctx, s.q(`SELECT conversation_id, contact_seq FROM outcomes
		WHERE customer_id = ? AND intent = ? AND started_at < ? ORDER BY started_at DESC LIMIT 1`),
		o.CustomerID, o.Intent, s.t(o.StartedAt)).Scan(&conv, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("follow-up: %w", err)
	}
	prev, _, err := s.readOutcome(ctx, q, conv, seq)
	if err != nil {
		return err
	}
	gap := int64(o.StartedAt.Sub(prev.StartedAt) / time.Second)
	if prev.FollowUpS >= 0 && prev.FollowUpS <= gap {
		return nil
	}
	if _, err := q.ExecContext(ctx, s.q(`UPDATE outcomes SET followup_s = ? WHERE conversation_id = ? AND contact_seq = ?`), gap, conv, seq); err != nil {
		return fmt.Errorf("follow-up: %w", err)
	}
	d.addOutcome(prev, -1)
	prev.FollowUpS = gap
	d.addOutcome(prev, 1)
	return nil
}

// outcomeColumns lists outcomeCols.
func outcomeColumns() []string {
	return strings.Split(strings.Join(strings.Fields(outcomeCols), ""), ",")
}

// insertOutcomeSQL and updateOutcomeSQL write an outcome row, built once: a
// turn that settles a contact writes one.
var insertOutcomeSQL, updateOutcomeSQL = func() (string, string) {
	cols := outcomeColumns()
	set := make([]string, 0, len(cols)-2)
	for _, c := range cols[2:] {
		set = append(set, c+" = ?")
	}
	return `INSERT INTO outcomes (` + strings.Join(cols, ", ") + `) VALUES (` + placeholders(len(cols)) + `)`,
		`UPDATE outcomes SET ` + strings.Join(set, ", ") + ` WHERE conversation_id = ? AND contact_seq = ?`
}()

// readOutcome reads one outcome row, locked for the rest of the transaction
// where the database locks rows (a follow-up may update another
// conversation's row).
func (s *Store) readOutcome(ctx context.Context, q querier, conv string, seq int64) (store.Outcome, bool, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT `+outcomeCols+` FROM outcomes WHERE conversation_id = ? AND contact_seq = ?`+s.forUpdate()), conv, seq)
	if err != nil {
		return store.Outcome{}, false, fmt.Errorf("outcome %s/%d: %w", conv, seq, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return store.Outcome{}, false, rows.Err()
	}
	o, err := scanOutcome(rows)
	if err != nil {
		return o, false, fmt.Errorf("outcome %s/%d: %w", conv, seq, err)
	}
	return o, true, rows.Close()
}

// ruleEventStatement writes a rule event and counts it in the rollups
// unless it was written before (and counted then).
func (s *Store) ruleEventStatement(r store.RuleEvent) Stmt {
	var amount any
	if r.Amount != nil {
		amount = *r.Amount
	}
	st := s.stmt(-1, nil, `INSERT INTO rule_events (conversation_id, seq, at, hour_utc, kind, name, dialog, amount, channel, language, policy_version, day, week, hour)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, seq) DO NOTHING`,
		r.ConversationID, r.Seq, s.t(r.At), s.t(hourUTC(r.At)), r.Kind, r.Name, r.Dialog, amount, r.Channel, r.Language, r.PolicyVersion, r.Day, r.Week, r.Hour)
	st.Counted = func(g *Group, affected int64) {
		if affected == 1 {
			g.deltas.addRuleEvent(r)
		}
	}
	return st
}

func (s *Store) DueContacts(ctx context.Context, before time.Time, limit int) ([]string, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.DB.QueryContext(ctx, s.q(`SELECT id FROM conversations WHERE contact_due IS NOT NULL AND contact_due <= ? ORDER BY contact_due LIMIT ?`),
		s.t(turn.Time(before)), limit)
	if err != nil {
		return nil, fmt.Errorf("due contacts: %w", s.wrapErr(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("due contacts: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// dimensionColumns checks dims against allowed and returns them as text columns.
func dimensionColumns(dims, allowed []string) ([]string, error) {
	out := make([]string, len(dims))
	for i, d := range dims {
		if !slices.Contains(allowed, d) {
			return nil, fmt.Errorf("%w: %q is not a dimension; use one of %s", store.ErrInvalid, d, strings.Join(allowed, ", "))
		}
		out[i] = "CAST(" + d + " AS TEXT)"
	}
	return out, nil
}

func sum(expr string) string { return "CAST(COALESCE(SUM(" + expr + "), 0) AS BIGINT)" }

// outcomeAggregates are the figures OutcomeTotals reads per outcome kind, in
// scan order. The store knows no kinds: it groups by the outcome column too.
func outcomeAggregates() []string {
	aggs := []string{"COUNT(*)",
		sum("CASE WHEN handoffs > 0 THEN 1 ELSE 0 END"),
		sum("CASE WHEN tickets > 0 THEN 1 ELSE 0 END"),
		sum("CASE WHEN followup_s IS NULL OR followup_s > ? THEN 1 ELSE 0 END"),
		sum("messages"), sum("not_understood"), sum("kb_answered"), sum("unanswered"),
		sum("bot_replies"), sum("bot_reply_ms")}
	for i := range store.ReplyBucketCount {
		aggs = append(aggs, sum("rt"+strconv.Itoa(i)))
	}
	aggs = append(aggs, "COUNT(queue_wait_ms)", sum("queue_wait_ms"))
	for _, b := range store.QueueWaitBounds {
		aggs = append(aggs, sum("CASE WHEN queue_wait_ms <= "+strconv.FormatInt(b.Milliseconds(), 10)+" THEN 1 ELSE 0 END"))
	}
	aggs = append(aggs, "COUNT(first_reply_ms)", sum("first_reply_ms"), "COUNT(handle_ms)", sum("handle_ms"),
		sum("survey_asked"), "COUNT(score)", sum("score"))
	for k := 1; k <= 5; k++ {
		aggs = append(aggs, sum("CASE WHEN score = "+strconv.Itoa(k)+" THEN 1 ELSE 0 END"))
	}
	return aggs
}

// timeRange is the WHERE clause of a report's period on column.
func (s *Store) timeRange(column string, from, to time.Time) (string, []any) {
	var parts []string
	var args []any
	if !from.IsZero() {
		parts, args = append(parts, column+" >= ?"), append(args, s.t(turn.Time(from)))
	}
	if !to.IsZero() {
		parts, args = append(parts, column+" < ?"), append(args, s.t(turn.Time(to)))
	}
	if len(parts) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(parts, " AND "), args
}

func (s *Store) OutcomeTotals(ctx context.Context, q store.OutcomeQuery) ([]store.OutcomeTotals, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	dims, err := dimensionColumns(q.By, store.OutcomeDimensions)
	if err != nil {
		return nil, err
	}
	window, err := store.CheckFollowUpWindow(q.FollowUpWindow)
	if err != nil {
		return nil, err
	}
	var parts []store.OutcomeTotals
	add := func(more []store.OutcomeTotals, err error) error {
		parts = append(parts, more...)
		return err
	}
	if subset(q.By, rollupDimensions) {
		sp := splitSpan(q.From, q.To)
		if sp.ok {
			if err := add(s.rollupTotals(ctx, dims, sp.a, sp.b, window)); err != nil {
				return nil, fmt.Errorf("outcome totals: %w", s.wrapErr(err))
			}
		}
		for _, e := range sp.edges() {
			if err := add(s.rowTotals(ctx, dims, e[0], e[1], window)); err != nil {
				return nil, fmt.Errorf("outcome totals: %w", s.wrapErr(err))
			}
		}
	} else if err := add(s.rowTotals(ctx, dims, q.From, q.To, window)); err != nil {
		return nil, fmt.Errorf("outcome totals: %w", s.wrapErr(err))
	}
	parts = slices.DeleteFunc(parts, func(t store.OutcomeTotals) bool { return t.Contacts == 0 })
	slices.SortStableFunc(parts, func(a, b store.OutcomeTotals) int { return slices.Compare(a.Group, b.Group) })
	return store.MergeOutcomeTotals(parts, len(dims) == 0), nil
}

func subset(dims, of []string) bool {
	for _, d := range dims {
		if !slices.Contains(of, d) {
			return false
		}
	}
	return true
}

// rowTotals aggregates outcome rows started in [from, to), per group and outcome kind.
func (s *Store) rowTotals(ctx context.Context, dims []string, from, to time.Time, window time.Duration) ([]store.OutcomeTotals, error) {
	w, args := s.timeRange("started_at", from, to)
	keys := append(slices.Clone(dims), "outcome")
	query := `SELECT ` + strings.Join(append(slices.Clone(keys), outcomeAggregates()...), ", ") + ` FROM outcomes` + w +
		` GROUP BY ` + strings.Join(keys, ", ")
	return s.scanTotals(ctx, query, append([]any{int64(window / time.Second)}, args...), len(dims))
}

// rollupTotals aggregates outcome_rollup over the whole hours [a, b) (zero: open).
func (s *Store) rollupTotals(ctx context.Context, dims []string, a, b time.Time, window time.Duration) ([]store.OutcomeTotals, error) {
	w, args := s.timeRange("hour_utc", a, b)
	keys := append(slices.Clone(dims), "outcome")
	aggs := []string{sum("contacts"), sum("handed_off"), sum("with_ticket"), sum("contacts - " + fuColumn(window))}
	for _, m := range rollupMeasures[3:] {
		if strings.HasPrefix(m, "fu") {
			continue
		}
		aggs = append(aggs, sum(m))
	}
	query := `SELECT ` + strings.Join(append(slices.Clone(keys), aggs...), ", ") + ` FROM outcome_rollup` + w +
		` GROUP BY ` + strings.Join(keys, ", ")
	return s.scanTotals(ctx, query, args, len(dims))
}

// scanTotals reads rows of ndims group values, the outcome kind, then the
// figures in outcomeAggregates' order.
func (s *Store) scanTotals(ctx context.Context, query string, args []any, ndims int) ([]store.OutcomeTotals, error) {
	rows, err := s.DB.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var parts []store.OutcomeTotals
	for rows.Next() {
		t := store.OutcomeTotals{Group: make([]string, ndims), QueueWaitUnder: make([]int, len(store.QueueWaitBounds))}
		var dest []any
		for i := range ndims {
			dest = append(dest, &t.Group[i])
		}
		var kind string
		var noFollowUp int
		dest = append(dest, &kind, &t.Contacts, &t.HandedOff, &t.WithTicket, &noFollowUp, &t.Messages, &t.NotUnderstood, &t.KBAnswered, &t.Unanswered,
			&t.BotReplies, &t.BotReplyMS)
		for i := range t.ReplyBuckets {
			dest = append(dest, &t.ReplyBuckets[i])
		}
		dest = append(dest, &t.QueueWaits, &t.QueueWaitMS)
		for i := range t.QueueWaitUnder {
			dest = append(dest, &t.QueueWaitUnder[i])
		}
		dest = append(dest, &t.FirstReplies, &t.FirstReplyMS, &t.Handled, &t.HandleMS, &t.SurveysAsked, &t.Scores, &t.ScoreSum)
		for i := range t.ScoreCounts {
			dest = append(dest, &t.ScoreCounts[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		t.ByOutcome = map[string]int{kind: t.Contacts}
		t.NoFollowUp = map[string]int{kind: noFollowUp}
		parts = append(parts, t)
	}
	return parts, rows.Err()
}

func (s *Store) OutcomeCounts(ctx context.Context, q store.OutcomeQuery) ([]store.OutcomeCount, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	dims, err := dimensionColumns(q.By, store.OutcomeDimensions)
	if err != nil {
		return nil, err
	}
	var parts []store.OutcomeCount
	rowCounts := func(from, to time.Time) error {
		w, args := s.timeRange("started_at", from, to)
		query := `SELECT ` + strings.Join(dims, ", ") + `, COUNT(*), ` + sum("CASE WHEN handoffs > 0 THEN 1 ELSE 0 END") + `, ` +
			sum("CASE WHEN tickets > 0 THEN 1 ELSE 0 END") + ` FROM outcomes` + w + ` GROUP BY ` + strings.Join(dims, ", ")
		more, err := s.scanCounts(ctx, query, args, len(dims))
		parts = append(parts, more...)
		return err
	}
	dim, fast := countDims[firstOr(q.By, "")]
	fast = fast && (len(q.By) == 1 && dim != "ticket" || len(q.By) == 2 && dim == "ticket" && q.By[1] == "ticket_priority")
	if len(dims) == 0 {
		return nil, fmt.Errorf("%w: counts need a dimension", store.ErrInvalid)
	}
	if fast {
		sp := splitSpan(q.From, q.To)
		if sp.ok {
			w, args := s.timeRange("hour_utc", sp.a, sp.b)
			if w == "" {
				w = " WHERE dim = ?"
			} else {
				w += " AND dim = ?"
			}
			vals := "v1"
			if len(q.By) == 2 {
				vals = "v1, v2"
			}
			query := `SELECT ` + vals + `, ` + sum("contacts") + `, ` + sum("handed_off") + `, ` + sum("with_ticket") + ` FROM outcome_counts` + w + ` GROUP BY ` + vals
			more, err := s.scanCounts(ctx, query, append(args, dim), len(q.By))
			if err != nil {
				return nil, fmt.Errorf("outcome counts: %w", s.wrapErr(err))
			}
			parts = append(parts, more...)
		}
		for _, e := range sp.edges() {
			if err := rowCounts(e[0], e[1]); err != nil {
				return nil, fmt.Errorf("outcome counts: %w", s.wrapErr(err))
			}
		}
	} else if err := rowCounts(q.From, q.To); err != nil {
		return nil, fmt.Errorf("outcome counts: %w", s.wrapErr(err))
	}
	return store.MergeOutcomeCounts(parts), nil
}

func firstOr(xs []string, def string) string {
	if len(xs) == 0 {
		return def
	}
	return xs[0]
}

func (s *Store) scanCounts(ctx context.Context, query string, args []any, ndims int) ([]store.OutcomeCount, error) {
	rows, err := s.DB.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.OutcomeCount
	for rows.Next() {
		c := store.OutcomeCount{Group: make([]string, ndims)}
		var dest []any
		for i := range ndims {
			dest = append(dest, &c.Group[i])
		}
		dest = append(dest, &c.Contacts, &c.HandedOff, &c.WithTicket)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) RuleTotals(ctx context.Context, q store.OutcomeQuery) ([]store.RuleTotals, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	dims, err := dimensionColumns(q.By, store.RuleDimensions)
	if err != nil {
		return nil, err
	}
	keys := strings.Join(append(slices.Clone(dims), "kind", "name", "dialog"), ", ")
	var parts []store.RuleTotals
	read := func(query string, args []any) error {
		rows, err := s.DB.QueryContext(ctx, s.q(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := store.RuleTotals{Group: make([]string, len(dims))}
			var dest []any
			for i := range dims {
				dest = append(dest, &r.Group[i])
			}
			dest = append(dest, &r.Kind, &r.Name, &r.Dialog, &r.Count, &r.Amounts, &r.AmountSum)
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			parts = append(parts, r)
		}
		return rows.Err()
	}
	sp := splitSpan(q.From, q.To)
	if sp.ok {
		w, args := s.timeRange("hour_utc", sp.a, sp.b)
		if err := read(`SELECT `+keys+`, `+sum("applied")+`, `+sum("amounts")+`, CAST(COALESCE(SUM(amount_sum), 0) AS DOUBLE PRECISION)
			FROM rule_rollup`+w+` GROUP BY `+keys, args); err != nil {
			return nil, fmt.Errorf("rule totals: %w", s.wrapErr(err))
		}
	}
	for _, e := range sp.edges() {
		w, args := s.timeRange("at", e[0], e[1])
		if err := read(`SELECT `+keys+`, COUNT(*), COUNT(amount), CAST(COALESCE(SUM(amount), 0) AS DOUBLE PRECISION) FROM rule_events`+w+
			` GROUP BY `+keys, args); err != nil {
			return nil, fmt.Errorf("rule totals: %w", s.wrapErr(err))
		}
	}
	return store.MergeRuleTotals(parts), nil
}

func (s *Store) Outcomes(ctx context.Context, f store.OutcomeFilter) ([]store.Outcome, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	w, args := s.timeRange("started_at", f.From, f.To)
	if a := f.After; a != nil {
		cond := `(started_at > ? OR started_at = ? AND (conversation_id > ? OR conversation_id = ? AND contact_seq > ?))`
		if w == "" {
			w = " WHERE " + cond
		} else {
			w += " AND " + cond
		}
		at := s.t(turn.Time(a.StartedAt))
		args = append(args, at, at, a.ConversationID, a.ConversationID, a.ContactSeq)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.DB.QueryContext(ctx, s.q(`SELECT `+outcomeCols+` FROM outcomes`+w+` ORDER BY started_at, conversation_id, contact_seq LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("outcomes: %w", s.wrapErr(err))
	}
	defer rows.Close()
	var out []store.Outcome
	for rows.Next() {
		o, err := scanOutcome(rows)
		if err != nil {
			return nil, fmt.Errorf("outcomes: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// scanOutcome reads a row of outcomeCols.
func scanOutcome(rows *sql.Rows) (store.Outcome, error) {
	var o store.Outcome
	var qw, fr, hm, score, follow sql.NullInt64
	var asked int
	var hour time.Time
	dest := []any{&o.ConversationID, &o.ContactSeq, &o.LastSeq, &o.CustomerID, &o.Channel, &o.Language, &o.PolicyVersion, &o.PolicyLabel,
		Times{&o.StartedAt}, Times{&hour}, Times{&o.EndedAt}, Times{&o.SettledAt}, &o.Day, &o.Week, &o.Hour, &o.Outcome, &o.Intent, &o.Dialog, &o.Queue, &o.Reason, &o.Agent,
		&o.Messages, &o.NotUnderstood, &o.KBAnswered, &o.Unanswered, &o.Handoffs, &o.Tickets, &o.TicketQueue, &o.TicketPriority,
		&o.BotReplies, &o.BotReplyMS}
	for i := range o.ReplyBuckets {
		dest = append(dest, &o.ReplyBuckets[i])
	}
	dest = append(dest, &qw, &fr, &hm, &asked, &score, &o.Comment, &follow)
	if err := rows.Scan(dest...); err != nil {
		return o, err
	}
	o.QueueWaitMS, o.FirstReplyMS, o.HandleMS, o.FollowUpS = orNeg(qw), orNeg(fr), orNeg(hm), orNeg(follow)
	o.Score, o.SurveyAsked = int(score.Int64), asked != 0
	return o, nil
}

func orNeg(n sql.NullInt64) int64 {
	if !n.Valid {
		return -1
	}
	return n.Int64
}

func (s *Store) Conversations(ctx context.Context, f store.ConversationFilter) ([]store.Conversation, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	w, args := s.timeRange("created_at", f.From, f.To)
	if a := f.After; a != nil {
		cond := `(created_at > ? OR created_at = ? AND id > ?)`
		if w == "" {
			w = " WHERE " + cond
		} else {
			w += " AND " + cond
		}
		at := s.t(turn.Time(a.CreatedAt))
		args = append(args, at, at, a.ID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.DB.QueryContext(ctx, s.q(`SELECT id, customer_id, channel, status, last_seq, created_at, updated_at, policy_version, policy_label
		FROM conversations`+w+` ORDER BY created_at, id LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("conversations: %w", s.wrapErr(err))
	}
	defer rows.Close()
	var out []store.Conversation
	for rows.Next() {
		var c store.Conversation
		if err := rows.Scan(&c.ID, &c.CustomerID, &c.Channel, &c.Status, &c.LastSeq, Times{&c.CreatedAt}, Times{&c.UpdatedAt}, &c.PolicyVersion, &c.PolicyLabel); err != nil {
			return nil, fmt.Errorf("conversations: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) ClaimReportRun(ctx context.Context, report, slot, owner string, now time.Time, stale time.Duration) (bool, error) {
	claimed := false
	now = turn.Time(now)
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO report_runs (report, slot, owner, status, claimed_at) VALUES (?, ?, ?, 'claimed', ?)
			ON CONFLICT (report, slot) DO NOTHING`), report, slot, owner, s.t(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = true
			return nil
		}
		before := s.t(now.Add(-stale))
		res, err = tx.ExecContext(ctx, s.q(`UPDATE report_runs SET owner = ?, claimed_at = ?, status = 'claimed', finished_at = NULL, error = ''
			WHERE report = ? AND slot = ? AND (status = 'claimed' AND claimed_at < ? OR status = 'failed' AND finished_at < ?)`),
			owner, s.t(now), report, slot, before, before)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		claimed = n == 1
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("claim report run: %w", err)
	}
	return claimed, nil
}

func (s *Store) FinishReportRun(ctx context.Context, report, slot, owner, errText string, at time.Time) error {
	status := "sent"
	if errText != "" {
		status = "failed"
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE report_runs SET status = ?, finished_at = ?, error = ? WHERE report = ? AND slot = ? AND owner = ?`),
			status, s.t(turn.Time(at)), errText, report, slot, owner)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("run %s/%s is not %s's: %w", report, slot, owner, store.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish report run: %w", err)
	}
	return nil
}

func (s *Store) ReportRun(ctx context.Context, report, slot string) (store.ReportRun, error) {
	r := store.ReportRun{Report: report, Slot: slot}
	if err := s.check(); err != nil {
		return r, err
	}
	err := s.DB.QueryRowContext(ctx, s.q(`SELECT owner, status, claimed_at, finished_at, error FROM report_runs WHERE report = ? AND slot = ?`), report, slot).
		Scan(&r.Owner, &r.Status, Times{&r.ClaimedAt}, Times{&r.FinishedAt}, &r.Error)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("report run: %w", s.wrapErr(err))
	}
	return r, nil
}
