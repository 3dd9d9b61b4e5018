package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// Stmt is one statement of a turn's commit. A turn's writes are a list of
// statements that read nothing back (checks are row counts), so that group
// commit can run many turns' lists in one transaction: statement by statement
// on SQLite, pipelined in one round trip on PostgreSQL. What a TurnRecord
// holds is written by adding statements in TurnStatements; the commit paths
// need no change.
//
// Writes that must read what they change (a ticket's owner and history, an
// approval to merge, a handoff change under a row lock, an outcome and the
// rollups kept equal to the rows) are a Do step instead: it runs in the same
// transaction, after the turn's statements, on the committer's connection.
type Stmt struct {
	Query string // placeholders already in the dialect's form
	Args  []any
	// Want is the number of rows the statement must affect, or -1 for any.
	// Fewer or more fail the turn with Fail, which should wrap store.ErrConflict.
	Want int64
	Fail error
	// Do, when set, replaces Query: it runs on q inside the group's
	// transaction, and its error fails the turn. What the turns of a group
	// share (the rollups' changes) goes in g, which the committer flushes
	// after the last turn.
	Do func(ctx context.Context, q Querier, g *Group) error
	// Counted, when set, is called with the rows the statement affected
	// (after Check passed), to add what they count to g.
	Counted func(g *Group, affected int64)
}

// Group is what the turns of one group commit write together: the changes to
// the rollups, summed over the turns and written once, each table's rows in
// key order, after the last turn. Two groups committing at once (PostgreSQL
// has two committers, and other instances theirs) then take the rollup rows'
// locks in the same order, as single turns do, and cannot deadlock on them.
type Group struct {
	deltas *rollupDeltas
}

// NewGroup starts the shared writes of one attempt at a group commit.
func NewGroup() *Group { return &Group{deltas: newRollupDeltas()} }

// Flush writes the group's shared changes on q, inside its transaction.
func (g *Group) Flush(ctx context.Context, s *Store, q Querier) error {
	return g.deltas.flush(ctx, s, q)
}

// Statements are what Flush runs, for a store that pipelines them.
func (g *Group) Statements(s *Store) []Stmt { return g.deltas.statements(s) }

// Check returns st.Fail when affected breaks st.Want.
func (st Stmt) Check(affected int64) error {
	if st.Want < 0 || affected == st.Want {
		return nil
	}
	if st.Fail != nil {
		return st.Fail
	}
	return fmt.Errorf("%d rows affected, want %d: %w", affected, st.Want, store.ErrConflict)
}

// stmt makes a statement from a query with ? placeholders.
func (s *Store) stmt(want int64, fail error, query string, args ...any) Stmt {
	return Stmt{Query: s.q(query), Args: args, Want: want, Fail: fail}
}

// TurnStatements is what committing rec (prepared by turn.Prepare) writes, for
// conversation conv as loaded by Begin (exists: it was in the database).
func (s *Store) TurnStatements(conv *store.Conversation, exists bool, rec store.TurnRecord, now time.Time) ([]Stmt, error) {
	last := conv.LastSeq
	if n := len(rec.Events); n > 0 {
		last = rec.Events[n-1].Seq
	}
	moved := fmt.Errorf("log of %s moved under the turn: %w", conv.ID, store.ErrConflict)
	out := make([]Stmt, 0, 8)
	// The contact state, when the turn changed it, is written by the same statement.
	var contact, due any
	if c := rec.Contact; c != nil {
		contact = nullBytes(c.State)
		if !c.Due.IsZero() {
			due = s.t(c.Due)
		}
	}
	if !exists {
		out = append(out, s.stmt(1, moved, `INSERT INTO conversations (id, customer_id, channel, status, snapshot, snapshot_seq, last_seq, created_at, updated_at,
			policy_version, policy_label, contact, contact_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			conv.ID, rec.CustomerID, rec.Channel, rec.Status, nullBytes(rec.Snapshot), rec.SnapshotSeq, last, s.t(now), s.t(now),
			rec.PolicyVersion, rec.PolicyLabel, contact, due))
	} else {
		// The WHERE on last_seq makes a log that moved under the turn (a purge, or a
		// bug) a conflict rather than a gap. The SET list has a few shapes, each
		// one prepared statement. customer_id and channel are set only when they
		// change: SQLite rewrites an index entry for every column a SET names,
		// changed or not, and conversations_customer was one page of the
		// ~18 each commit wrote to the log.
		set := `status = ?, last_seq = ?, updated_at = ?`
		args := []any{rec.Status, last, s.t(now)}
		if rec.CustomerID != conv.CustomerID {
			set += `, customer_id = ?`
			args = append(args, rec.CustomerID)
		}
		if rec.Channel != conv.Channel {
			set += `, channel = ?`
			args = append(args, rec.Channel)
		}
		if rec.Snapshot != nil {
			set += `, snapshot = ?, snapshot_seq = ?`
			args = append(args, []byte(rec.Snapshot), rec.SnapshotSeq)
		}
		if rec.Contact != nil {
			set += `, contact = ?, contact_due = ?`
			args = append(args, contact, due)
		}
		out = append(out, s.stmt(1, moved, `UPDATE conversations SET `+set+` WHERE id = ? AND last_seq = ?`, append(args, conv.ID, conv.LastSeq)...))
	}
	if rec.ClientMessageID != "" {
		out = append(out, s.stmt(1, fmt.Errorf("client message %q already processed: %w", rec.ClientMessageID, store.ErrConflict),
			`INSERT INTO processed_messages (conversation_id, client_message_id, result) VALUES (?, ?, ?)
			ON CONFLICT (conversation_id, client_message_id) DO NOTHING`, conv.ID, rec.ClientMessageID, nullBytes(rec.Result)))
	}
	if len(rec.Events) > 0 {
		args := make([]any, 0, 5*len(rec.Events))
		for _, e := range rec.Events {
			args = append(args, conv.ID, e.Seq, e.Type, s.t(e.At), nullBytes(e.Data))
		}
		out = append(out, s.stmt(-1, nil, s.rows(`INSERT INTO events (conversation_id, seq, type, at, data) VALUES `, 5, len(rec.Events)), args...))
	}
	for _, h := range rec.Handoffs {
		slots, transcript, unverified, err := encodeHandoff(h)
		if err != nil {
			return nil, err
		}
		// An upsert that updates only a handoff of this conversation: 0 rows
		// means the id belongs to another one. An empty Agent keeps the
		// assigned one: a turn does not unassign.
		out = append(out, s.stmt(1, fmt.Errorf("handoff %q belongs to another conversation: %w", h.ID, store.ErrConflict),
			`INSERT INTO handoffs (id, conversation_id, customer_id, queue, skill, priority, reason, summary, slots, transcript, unverified, status, agent, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, queue = excluded.queue, skill = excluded.skill,
			priority = excluded.priority, reason = excluded.reason, summary = excluded.summary, slots = excluded.slots,
			transcript = excluded.transcript, unverified = excluded.unverified, status = excluded.status,
			agent = CASE WHEN excluded.agent = '' THEN handoffs.agent ELSE excluded.agent END, updated_at = excluded.updated_at
			WHERE handoffs.conversation_id = excluded.conversation_id`,
			h.ID, h.ConversationID, h.CustomerID, h.Queue, h.Skill, h.Priority, h.Reason, h.Summary, slots, transcript, unverified, h.Status, h.Agent,
			s.t(h.CreatedAt), s.t(h.UpdatedAt)))
		out = append(out, s.historyStatements("handoff_history", "handoff_id", h.ID, h.History)...)
	}
	for _, ch := range rec.SummaryChanges {
		// Any number of rows: the WHERE is store.SummaryChange's rule
		// (turn.SummaryApplies), checked against the row as the commit finds
		// it, after any claim that holds its lock.
		out = append(out, s.stmt(-1, nil, `UPDATE handoffs SET summary = ?, updated_at = ?
			WHERE id = ? AND conversation_id = ? AND status = 'waiting' AND agent = '' AND summary <> '' AND summary <> ?`,
			ch.Summary, s.t(now), ch.HandoffID, conv.ID, ch.Summary))
	}
	if len(rec.Audit) > 0 {
		args := make([]any, 0, 5*len(rec.Audit))
		for _, a := range rec.Audit {
			args = append(args, s.t(a.At), a.Actor, a.Action, a.ConversationID, nullBytes(a.Detail))
		}
		out = append(out, s.stmt(int64(len(rec.Audit)), nil, s.rows(`INSERT INTO audit (at, actor, action, conversation_id, detail) VALUES `, 5, len(rec.Audit)), args...))
	}
	for _, u := range rec.Unanswered {
		out = append(out, s.stmt(1, nil, `INSERT INTO unanswered (question, conversation_id, at) VALUES (?, ?, ?)`, u.Question, u.ConversationID, s.t(u.At)))
	}
	for _, r := range rec.Satisfaction {
		out = append(out, s.stmt(1, nil, `INSERT INTO satisfaction (conversation_id, score, comment, at) VALUES (?, ?, ?, ?)`,
			r.ConversationID, r.Score, r.Comment, s.t(r.At)))
	}
	for _, tk := range rec.Tickets {
		st, err := s.ticketStatements(tk, now)
		if err != nil {
			return nil, err
		}
		out = append(out, st...)
	}
	for _, r := range rec.RuleEvents {
		out = append(out, s.ruleEventStatement(r))
	}
	if len(rec.Approvals) > 0 || len(rec.HandoffChanges) > 0 || len(rec.Outcomes) > 0 {
		out = append(out, Stmt{Do: func(ctx context.Context, q Querier, g *Group) error { return s.writeRead(ctx, q, g, rec, now) }})
	}
	return out, nil
}

// ticketStatements write a ticket of a turn, new or a known one the turn
// changes, without reading first, so that a group commit sends them with
// the rest of the turn: an upsert that updates only a ticket of the turn's
// conversation (0 rows: the id belongs to another one), then its history,
// numbered after the rows stored.
func (s *Store) ticketStatements(tk store.Ticket, now time.Time) ([]Stmt, error) {
	unverified, err := unverifiedJSON(tk.Unverified)
	if err != nil {
		return nil, fmt.Errorf("ticket %s: %w", tk.ID, err)
	}
	email, phone := contactCols(tk.Unverified)
	out := make([]Stmt, 0, 1+len(tk.History))
	out = append(out, s.stmt(1, fmt.Errorf("ticket %q belongs to another conversation: %w", tk.ID, store.ErrConflict),
		`INSERT INTO tickets (`+ticketInsertCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, queue = excluded.queue, subject = excluded.subject,
		priority = excluded.priority, status = excluded.status, updated_at = ?
		WHERE tickets.conversation_id = excluded.conversation_id`,
		tk.ID, tk.ConversationID, tk.CustomerID, tk.Channel, tk.Queue, tk.Subject, tk.Description, tk.Priority, tk.Status, tk.Assignee, tk.Language,
		s.nt(tk.DueAt), s.nt(tk.BreachedAt), tk.SourceKey, s.t(tk.CreatedAt), s.t(tk.UpdatedAt), unverified, email, phone, s.t(now)))
	for _, c := range tk.History {
		out = append(out, s.stmt(1, nil, `INSERT INTO ticket_history (ticket_id, n, status, actor, at, note, field, from_value, to_value)
			SELECT ?, COALESCE(MAX(n), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM ticket_history WHERE ticket_id = ?`,
			tk.ID, c.Status, c.Actor, s.t(c.At), c.Note, c.Field, c.From, c.To, tk.ID))
	}
	return out, nil
}

// writeRead writes what a turn must read to write: approvals, handoff
// changes and outcomes, whose rollups go in g.
func (s *Store) writeRead(ctx context.Context, q Querier, g *Group, rec store.TurnRecord, now time.Time) error {
	for _, a := range rec.Approvals {
		if err := s.upsertApproval(ctx, q, a, now); err != nil {
			return err
		}
	}
	for _, ch := range rec.HandoffChanges {
		if err := s.changeHandoff(ctx, q, ch, now); err != nil {
			return err
		}
	}
	for _, o := range rec.Outcomes {
		if err := s.writeOutcome(ctx, q, o, g.deltas); err != nil {
			return err
		}
	}
	return nil
}

// historyStatements append status changes, numbering them after the ones
// stored (each statement sees the one before it in the transaction).
func (s *Store) historyStatements(table, key, id string, changes []store.StatusChange) []Stmt {
	out := make([]Stmt, 0, len(changes))
	for _, c := range changes {
		out = append(out, s.stmt(1, nil, `INSERT INTO `+table+` (`+key+`, n, status, actor, at, note)
			SELECT ?, COALESCE(MAX(n), 0) + 1, ?, ?, ?, ? FROM `+table+` WHERE `+key+` = ?`,
			id, c.Status, c.Actor, s.t(c.At), c.Note, id))
	}
	return out
}

// rows returns head followed by n tuples of width placeholders, with ?
// placeholders (stmt converts them); made once per (head, n).
func (s *Store) rows(head string, width, n int) string {
	key := head + strconv.Itoa(n)
	if q, ok := rowsCache.Load(key); ok {
		return q.(string)
	}
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	q := head + strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
	rowsCache.Store(key, q)
	return q
}

var rowsCache sync.Map // string -> string
