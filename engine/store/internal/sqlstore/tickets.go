package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

const ticketCols = `id, conversation_id, customer_id, channel, queue, subject, description, priority, status, assignee, language,
	due_at, breached_at, source_key, created_at, updated_at, unverified`

// ticketInsertCols are ticketCols and the contact columns derived from
// unverified (contactCols): written for the search, never read back.
const ticketInsertCols = ticketCols + `, contact_email, contact_phone`

// nt encodes a time that may be zero: zero is NULL.
func (s *Store) nt(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return s.t(t)
}

func scanTicket(row interface{ Scan(...any) error }, extra ...any) (store.Ticket, error) {
	var t store.Ticket
	var unverified []byte
	dest := append([]any{&t.ID, &t.ConversationID, &t.CustomerID, &t.Channel, &t.Queue, &t.Subject, &t.Description, &t.Priority, &t.Status,
		&t.Assignee, &t.Language, Times{&t.DueAt}, Times{&t.BreachedAt}, &t.SourceKey, Times{&t.CreatedAt}, Times{&t.UpdatedAt}, &unverified}, extra...)
	if err := row.Scan(dest...); err != nil {
		return t, err
	}
	if unverified != nil {
		if err := json.Unmarshal(unverified, &t.Unverified); err != nil {
			return t, fmt.Errorf("ticket %s unverified: %w", t.ID, err)
		}
	}
	return t, nil
}

// unverifiedJSON encodes a ticket's or handoff's unverified claims; nil when
// there are none.
func unverifiedJSON(m map[string]string) ([]byte, error) {
	if len(m) == 0 {
		return nil, nil
	}
	return json.Marshal(m)
}

// contactCols are a ticket's contact_email and contact_phone: its unverified
// email and phone as the search compares them (turn.ContactKey), NULL when it
// has none, so that the search finds them by an index.
func contactCols(m map[string]string) (email, phone any) {
	if k := turn.ContactKey("email", m["email"]); k != "" {
		email = k
	}
	if k := turn.ContactKey("phone", m["phone"]); k != "" {
		phone = k
	}
	return email, phone
}

// insertTicket writes a prepared ticket and its history.
func (s *Store) insertTicket(ctx context.Context, q querier, t store.Ticket) error {
	unverified, err := unverifiedJSON(t.Unverified)
	if err != nil {
		return fmt.Errorf("ticket %s: %w", t.ID, err)
	}
	email, phone := contactCols(t.Unverified)
	_, err = q.ExecContext(ctx, s.q(`INSERT INTO tickets (`+ticketInsertCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		t.ID, t.ConversationID, t.CustomerID, t.Channel, t.Queue, t.Subject, t.Description, t.Priority, t.Status, t.Assignee, t.Language,
		s.nt(t.DueAt), s.nt(t.BreachedAt), t.SourceKey, s.t(t.CreatedAt), s.t(t.UpdatedAt), unverified, email, phone)
	if err != nil {
		return fmt.Errorf("ticket %s: %w", t.ID, err)
	}
	return s.appendTicketHistory(ctx, q, t.ID, t.History)
}

func (s *Store) appendTicketHistory(ctx context.Context, q querier, id string, changes []store.StatusChange) error {
	if len(changes) == 0 {
		return nil
	}
	var n int64
	if err := q.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM ticket_history WHERE ticket_id = ?`), id).Scan(&n); err != nil {
		return fmt.Errorf("ticket_history %s: %w", id, err)
	}
	for i, c := range changes {
		if _, err := q.ExecContext(ctx, s.q(`INSERT INTO ticket_history (ticket_id, n, status, actor, at, note, field, from_value, to_value, idempotency_key, request_digest)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), id, n+int64(i)+1, c.Status, c.Actor, s.t(c.At), c.Note, c.Field, c.From, c.To, c.Key, c.Digest); err != nil {
			if c.Key != "" && s.d.IsDuplicate != nil && s.d.IsDuplicate(err) {
				return fmt.Errorf("ticket %s: idempotency key %q is already used: %w", id, c.Key, store.ErrConflict)
			}
			return fmt.Errorf("ticket_history %s: %w", id, err)
		}
	}
	return nil
}

// ticketHistories loads the history of each ticket in ids, in batches.
func (s *Store) ticketHistories(ctx context.Context, q querier, ids []string) (map[string][]store.StatusChange, error) {
	out := map[string][]store.StatusChange{}
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		w, args := where("ticket_id IN (?)", part)
		rows, err := q.QueryContext(ctx, s.q(`SELECT ticket_id, status, actor, at, note, field, from_value, to_value, idempotency_key, request_digest FROM ticket_history`+w+` ORDER BY ticket_id, n`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var c store.StatusChange
			if err := rows.Scan(&id, &c.Status, &c.Actor, Times{&c.At}, &c.Note, &c.Field, &c.From, &c.To, &c.Key, &c.Digest); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ticketWhere is the WHERE clause of a ticket filter; customers are those
// known by one of f.Contacts (contactCustomers).
func (s *Store) ticketWhere(f store.TicketFilter, customers []string) (string, []any) {
	var dueBefore any
	if !f.DueBefore.IsZero() {
		dueBefore = s.t(turn.Time(f.DueBefore))
	}
	// A status, or nobody having it, fits most tickets: where the text index
	// narrows the search, "+" keeps SQLite's planner (it has no statistics)
	// from reading all of them through their index instead.
	status, unassigned := "status", "assignee = ''"
	if textNarrows(f.Text, s.d.TicketText) {
		status, unassigned = "+status", "+assignee = ''"
	}
	w, args := where("conversation_id = ?", f.ConversationID, "customer_id = ?", f.CustomerID, "queue = ?", f.Queue,
		status+" = ?", f.Status, status+" IN (?)", f.Statuses, "priority = ?", f.Priority, "assignee = ?", f.Assignee, "due_at < ?", dueBefore)
	var extra []string
	if f.Unassigned {
		extra = append(extra, unassigned)
	}
	if f.Breached {
		extra = append(extra, "breached_at IS NOT NULL")
	}
	if search, more := s.ticketSearch(f, customers); search != "" {
		extra = append(extra, search)
		args = append(args, more...)
	}
	if len(extra) > 0 {
		if w == "" {
			w = " WHERE "
		} else {
			w += " AND "
		}
		w += strings.Join(extra, " AND ")
	}
	return w, args
}

// ticketSearch is the condition of the filter's search (Text or Contacts,
// either will do), "" when it has none. Each term is one an index serves, so
// that the databases find the tickets through their indexes (SQLite's
// multi-index OR, PostgreSQL's BitmapOr) instead of scanning: a contact is an
// equality on an indexed column; the text is a LIKE that PostgreSQL's
// trigram indexes serve as it is, and that SQLite's text index narrows first
// (ticketText).
func (s *Store) ticketSearch(f store.TicketFilter, customers []string) (string, []any) {
	var or []string
	var args []any
	if f.Text != "" {
		cond, more := s.ticketText(f.Text)
		or = append(or, cond)
		args = append(args, more...)
	}
	if len(f.Contacts) > 0 {
		if c, more := where("customer_id IN (?)", customers); c != "" {
			or = append(or, strings.TrimPrefix(c, " WHERE "))
			args = append(args, more...)
		}
		// A form's unverified contact, by the indexed columns; a phone with
		// and without its "+" is one key, compared once. ContactKey is ""
		// for any channel but email and phone, so the column is one of ours.
		seen := map[store.Identity]bool{}
		for _, c := range f.Contacts {
			key := store.Identity{Channel: c.Channel, ExternalID: turn.ContactKey(c.Channel, c.ExternalID)}
			if key.ExternalID == "" || seen[key] {
				continue
			}
			seen[key] = true
			or = append(or, "contact_"+key.Channel+" = ?")
			args = append(args, key.ExternalID)
		}
	}
	if len(or) == 0 && len(f.Contacts) > 0 {
		return "1 = 0", nil // contacts nobody is known by
	}
	if len(or) == 0 {
		return "", nil
	}
	return "(" + strings.Join(or, " OR ") + ")", args
}

// contactCustomers are the customers known by one of contacts, read first:
// a subquery in the search's OR would make PostgreSQL check it on every
// ticket instead of using tickets_customer.
func (s *Store) contactCustomers(ctx context.Context, contacts []store.Identity) ([]string, error) {
	if len(contacts) == 0 {
		return nil, nil
	}
	var ids []string
	var args []any
	for _, c := range contacts {
		ids = append(ids, "(channel = ? AND external_id = ?)")
		args = append(args, c.Channel, c.ExternalID)
	}
	rows, err := s.DB.QueryContext(ctx, s.q(`SELECT DISTINCT customer_id FROM customer_identities WHERE `+strings.Join(ids, " OR ")), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ticketText is the condition that a ticket's subject or description
// contains text, ignoring case. The LIKE alone decides what matches, as it
// always did; an FTS5 trigram index (Dialect.TicketText) first narrows the
// tickets it reads to those holding text's trigrams. It folds case beyond
// ASCII, where LIKE does not, so it keeps every ticket LIKE would match.
// Text under 3 characters has no trigram: the LIKE then reads every ticket
// the rest of the filter leaves (a status, a queue), which a word of 1 or 2
// Chinese characters (退款) needs to be found at all.
func (s *Store) ticketText(text string) (string, []any) {
	text = strings.ToLower(text)
	like := "%" + likeEscaper.Replace(text) + "%"
	subject, description := "LOWER(subject)", "LOWER(description)"
	if s.d.LikeFoldsASCII {
		subject, description = "subject", "description"
	}
	cond := `(` + subject + ` LIKE ? ESCAPE '\' OR ` + description + ` LIKE ? ESCAPE '\')`
	if !textNarrows(text, s.d.TicketText) {
		return cond, []any{like, like}
	}
	// A phrase: the trigrams of text, one after another.
	phrase := `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
	index := s.d.TicketText
	return `(rowid IN (SELECT rowid FROM ` + index + ` WHERE ` + index + ` MATCH ?) AND ` + cond + `)`, []any{phrase, like, like}
}

// textNarrows says whether textIndex narrows a search for text: there is
// one, and text has a trigram.
func textNarrows(text, textIndex string) bool {
	return textIndex != "" && utf8.RuneCountInString(strings.ToLower(text)) >= 3
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (s *Store) Tickets(ctx context.Context, f store.TicketFilter) ([]store.Ticket, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	customers, err := s.contactCustomers(ctx, f.Contacts)
	if err != nil {
		return nil, fmt.Errorf("tickets: %w", s.wrapErr(err))
	}
	w, args := s.ticketWhere(f, customers)
	query, more := newestLast(`SELECT `+ticketCols+`, `+s.d.OrderCol+` AS ord FROM tickets`+w, "created_at, ord", f.Limit)
	rows, err := s.DB.QueryContext(ctx, s.q(query), append(args, more...)...)
	if err != nil {
		return nil, fmt.Errorf("tickets: %w", s.wrapErr(err))
	}
	var out []store.Ticket
	var ids []string
	for rows.Next() {
		var ord int64
		t, err := scanTicket(rows, &ord)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("tickets: %w", err)
		}
		out = append(out, t)
		ids = append(ids, t.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tickets: %w", err)
	}
	hist, err := s.ticketHistories(ctx, s.DB, ids)
	if err != nil {
		return nil, fmt.Errorf("tickets: %w", s.wrapErr(err))
	}
	for i := range out {
		out[i].History = hist[out[i].ID]
	}
	return out, nil
}

// ticket reads one ticket, FOR UPDATE when lock is set and the database locks rows.
func (s *Store) ticket(ctx context.Context, q querier, id string, lock bool) (store.Ticket, error) {
	query := `SELECT ` + ticketCols + ` FROM tickets WHERE id = ?`
	if lock {
		query += s.forUpdate()
	}
	t, err := scanTicket(q.QueryRowContext(ctx, s.q(query), id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("ticket %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return t, err
	}
	hist, err := s.ticketHistories(ctx, q, []string{id})
	t.History = hist[id]
	return t, err
}

func (s *Store) Ticket(ctx context.Context, id string) (store.Ticket, error) {
	if err := s.check(); err != nil {
		return store.Ticket{}, err
	}
	t, err := s.ticket(ctx, s.DB, id, false)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		err = fmt.Errorf("ticket %s: %w", id, s.wrapErr(err))
	}
	return t, err
}

func (s *Store) CreateTicket(ctx context.Context, t store.Ticket, audit store.AuditEntry) (store.Ticket, bool, error) {
	t, entry, err := turn.PrepareNewTicket(t, audit, turn.Now())
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("create ticket: %w", err)
	}
	var out store.Ticket
	created := false
	err = s.write(ctx, func(tx *sql.Tx) error {
		if t.SourceKey != "" {
			var id string
			err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM tickets WHERE source_key = ?`), t.SourceKey).Scan(&id)
			if err == nil {
				out, err = s.ticket(ctx, tx, id, false)
				return err
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if _, taken, err := s.owner(ctx, tx, "tickets", t.ID); err != nil {
			return err
		} else if taken {
			return fmt.Errorf("id %q is taken: %w", t.ID, store.ErrConflict)
		}
		if err := s.insertTicket(ctx, tx, t); err != nil {
			return err
		}
		if entry != nil {
			if err := s.insertAudit(ctx, tx, *entry); err != nil {
				return err
			}
		}
		out, created = t, true
		return nil
	})
	if err != nil && s.d.IsDuplicate != nil && s.d.IsDuplicate(err) && t.SourceKey != "" {
		// Another process created it with the same source key meanwhile.
		return s.CreateTicket(ctx, t, audit)
	}
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("create ticket: %w", s.wrapErr(err))
	}
	return out, created, nil
}

// UpdateTicket reads the ticket FOR UPDATE (PostgreSQL) or under the single
// writer lock (SQLite), so a concurrent update waits and then sees this one.
func (s *Store) UpdateTicket(ctx context.Context, id string, fn func(t *store.Ticket) (store.AuditEntry, error)) (store.Ticket, error) {
	return updateLocked(ctx, s, "ticket", id,
		func(tx *sql.Tx) (store.Ticket, error) { return s.ticket(ctx, tx, id, true) },
		func(t store.Ticket) (store.Ticket, []store.StatusChange, *store.AuditEntry, error) {
			return turn.UpdateTicket(t, fn, turn.Now())
		},
		func(tx *sql.Tx, t store.Ticket, added []store.StatusChange) error {
			if err := s.saveTicket(ctx, tx, t); err != nil {
				return err
			}
			return s.appendTicketHistory(ctx, tx, id, added)
		})
}

// saveTicket writes what an update may change, the unverified contact and
// its search columns too, as the memory store keeps the whole ticket.
func (s *Store) saveTicket(ctx context.Context, q querier, t store.Ticket) error {
	unverified, err := unverifiedJSON(t.Unverified)
	if err != nil {
		return fmt.Errorf("ticket %s: %w", t.ID, err)
	}
	email, phone := contactCols(t.Unverified)
	_, err = q.ExecContext(ctx, s.q(`UPDATE tickets SET customer_id = ?, channel = ?, queue = ?, subject = ?, description = ?, priority = ?, status = ?,
		assignee = ?, language = ?, due_at = ?, breached_at = ?, updated_at = ?, unverified = ?, contact_email = ?, contact_phone = ? WHERE id = ?`),
		t.CustomerID, t.Channel, t.Queue, t.Subject, t.Description, t.Priority, t.Status, t.Assignee, t.Language,
		s.nt(t.DueAt), s.nt(t.BreachedAt), s.t(t.UpdatedAt), unverified, email, phone, t.ID)
	return err
}

func (s *Store) SetTicketStatus(ctx context.Context, id string, change store.StatusChange) (store.Ticket, error) {
	change, err := turn.PrepareChange(change, turn.Now())
	if err != nil {
		return store.Ticket{}, fmt.Errorf("set ticket status: %w", err)
	}
	var out store.Ticket
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?`), change.Status, s.t(turn.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		if err := s.appendTicketHistory(ctx, tx, id, []store.StatusChange{change}); err != nil {
			return err
		}
		if out, err = s.ticket(ctx, tx, id, false); err != nil {
			return err
		}
		return s.insertAudit(ctx, tx, turn.StatusAudit("ticket", id, out.ConversationID, change))
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrClosed) {
		err = fmt.Errorf("set ticket status: %w", err)
	}
	return out, err
}

// purgeLoneTickets anonymizes tickets without a conversation last changed
// before before.
func (s *Store) purgeLoneTickets(ctx context.Context, tx *sql.Tx, before time.Time) error {
	cutoff := s.t(turn.Time(before))
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE ticket_history SET note = CASE WHEN note = '' THEN '' ELSE '`+store.Purged+`' END, request_digest = '' WHERE (note <> '' OR request_digest <> '') AND ticket_id IN
		(SELECT id FROM tickets WHERE conversation_id = '' AND updated_at < ? AND subject <> '`+store.Purged+`')`), cutoff); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, s.q(`UPDATE tickets SET subject = '`+store.Purged+`', description = CASE WHEN description = '' THEN '' ELSE '`+store.Purged+`' END,
		unverified = NULL, contact_email = NULL, contact_phone = NULL WHERE conversation_id = '' AND updated_at < ?`), cutoff)
	return err
}
