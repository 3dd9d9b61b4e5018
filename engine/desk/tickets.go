package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
)

// Ticket statuses.
const (
	TicketOpen    = "open"
	TicketPending = "pending" // waiting on the customer
	TicketSolved  = "solved"  // can still be reopened
	TicketClosed  = "closed"  // final
)

// FieldUnchanged marks the history entry that keeps the key of a keyed
// change that changed nothing (the ticket already had that status or
// priority), so that its retry is answered and its key is not reused for
// another change. It records no change: lists of what happened hide it
// (History).
const FieldUnchanged = "unchanged"

// FieldReply is the history entry of an agent's public reply (Note holds
// it): what the customer was sent, beside the internal notes.
const FieldReply = "reply"

// History is what happened to a ticket, without the entries that only
// keep a key.
func History(t store.Ticket) []store.StatusChange {
	out := make([]store.StatusChange, 0, len(t.History))
	for _, h := range t.History {
		if h.Field != FieldUnchanged {
			out = append(out, h)
		}
	}
	return out
}

// TicketStatuses are a ticket's statuses, in workflow order.
var TicketStatuses = []string{TicketOpen, TicketPending, TicketSolved, TicketClosed}

// ticketMoves are the allowed status changes, each with the ticket event it
// is (what the customer is told): a solved ticket reopens; a closed one is
// final, and a new request is a new ticket.
var ticketMoves = map[string]map[string]string{
	TicketOpen:    {TicketPending: "pending", TicketSolved: "solved", TicketClosed: "closed"},
	TicketPending: {TicketOpen: "open", TicketSolved: "solved", TicketClosed: "closed"},
	TicketSolved:  {TicketOpen: "reopened", TicketClosed: "closed"},
	TicketClosed:  {},
}

// NextStatuses are the statuses a ticket in status can move to.
func NextStatuses(status string) []string {
	var out []string
	for _, s := range TicketStatuses {
		if _, ok := ticketMoves[status][s]; ok {
			out = append(out, s)
		}
	}
	return out
}

var ticketPriorities = []string{"low", "normal", "high", "urgent"}

// Limits on what people type into a ticket.
const (
	maxSubjectBytes     = 500
	maxDescriptionBytes = 64 << 10
)

// Ticket loads one ticket.
func (d *Desk) Ticket(ctx context.Context, id string) (store.Ticket, error) {
	return d.e.Store().Ticket(ctx, id)
}

// Tickets lists tickets, newest first (most recently created first).
func (d *Desk) Tickets(ctx context.Context, f store.TicketFilter) ([]store.Ticket, error) {
	ts, err := d.e.Store().Tickets(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("tickets: %w", err)
	}
	slices.Reverse(ts)
	return ts, nil
}

// SearchContacts reads a search of the ticket list as the contacts it may
// name, so that the email or phone a customer gives an agent on the phone
// finds that customer's tickets: an email address (exact, in any case), or a
// phone number with or without the "+" of its country code, spaces, dashes,
// dots and brackets ignored. Nil when q is neither. They are looked up as the
// channels store them (NormalizeEmail, NormalizePhone).
func SearchContacts(q string) []store.Identity {
	q = strings.TrimSpace(q)
	if strings.Contains(q, "@") {
		addr, _, err := channels.NormalizeEmail(q)
		if err != nil {
			return nil
		}
		return []store.Identity{{Channel: "email", ExternalID: addr}}
	}
	p, err := channels.NormalizePhone(q)
	if err != nil {
		return nil
	}
	digits := strings.TrimPrefix(p, "+")
	return []store.Identity{{Channel: "phone", ExternalID: "+" + digits}, {Channel: "phone", ExternalID: digits}}
}

// Overdue reports whether t is past its due time and still to be solved.
func Overdue(t store.Ticket, now time.Time) bool {
	return !t.DueAt.IsZero() && now.After(t.DueAt) && (t.Status == TicketOpen || t.Status == TicketPending)
}

// NewTicket is a ticket that comes without a chat.
type NewTicket struct {
	Subject     string
	Description string
	// Channel is where it came from: email, form or api.
	Channel string
	// Identities name the customer (an email, a phone); the first is resolved
	// and the others linked to the same customer.
	Identities []store.Identity
	// Unverified: nobody vouches for the identities (a public form), so they
	// are kept on the ticket to answer it, shown as unverified, and find or
	// link no customer: anyone can type someone else's email into a form.
	Unverified bool
	Name       string // what an unverified sender calls themselves
	// Queue and Priority, when set, skip triage for that field.
	Queue    string
	Priority string
	// SourceKey makes a redelivery (the same email, a double submit, an API
	// retry) the same ticket.
	SourceKey string
	Actor     string // who creates it, for the history and the audit
}

// Notice is what a ticket change tells the customer, for the server to
// deliver on their channel: through the conversation that opened the ticket
// (its replies are already in the transcript), or straight to their address.
type Notice struct {
	ConversationID string         // "" for a ticket without a chat
	Replies        []engine.Reply // nothing to deliver when empty
	// To is where a ticket without a chat is answered: the customer's email,
	// else phone.
	To store.Identity
	// Key names the notice: its ticket and history entry, the same on a
	// retry, so that the outbox records and sends it once.
	Key string
	// Duplicate: a retry of a change already told; the notice is only
	// recorded again if a crash lost it.
	Duplicate bool
}

// CreateTicket files a ticket that comes without a chat: it resolves the
// customer, classifies the text with the bot's NLU and triage blocks (unless
// queue and priority are given), sets the SLA due time and tells the customer
// it was received. A redelivery with the same SourceKey returns the same
// ticket, created false, and tells nothing again.
func (d *Desk) CreateTicket(ctx context.Context, nt NewTicket) (store.Ticket, engine.TicketClassification, bool, Notice, error) {
	nt.Subject = strings.TrimSpace(nt.Subject)
	nt.Description = strings.TrimSpace(nt.Description)
	var problems []string
	switch {
	case nt.Subject == "" && nt.Description == "":
		problems = append(problems, "subject or description is required")
	case len(nt.Subject) > maxSubjectBytes:
		problems = append(problems, fmt.Sprintf("subject is over %d bytes", maxSubjectBytes))
	case len(nt.Description) > maxDescriptionBytes:
		problems = append(problems, fmt.Sprintf("description is over %d bytes", maxDescriptionBytes))
	}
	if len(nt.Identities) == 0 {
		problems = append(problems, "the customer's email or phone is required, so we can answer")
	}
	bot := d.e.Bot()
	if nt.Queue != "" {
		if _, ok := bot.Queues[nt.Queue]; !ok {
			problems = append(problems, fmt.Sprintf("there is no queue %q (queues: %s)", nt.Queue, strings.Join(slices.Sorted(maps.Keys(bot.Queues)), ", ")))
		}
	}
	if nt.Priority != "" && !slices.Contains(ticketPriorities, nt.Priority) {
		problems = append(problems, "priority must be low, normal, high or urgent")
	}
	if len(problems) > 0 {
		return store.Ticket{}, engine.TicketClassification{}, false, Notice{}, fmt.Errorf("%w: %s", engine.ErrInvalidInput, strings.Join(problems, "; "))
	}
	if nt.Subject == "" {
		nt.Subject = engine.TicketSubject(nt.Description)
	}
	c := d.e.ClassifyTicket(engine.IncomingTicket{Subject: nt.Subject, Text: nt.Description, Channel: nt.Channel})
	if nt.Queue != "" {
		c.Queue, c.Rule = nt.Queue, ""
	}
	if nt.Priority != "" {
		c.Priority = nt.Priority
	}
	if c.Queue == "" {
		return store.Ticket{}, c, false, Notice{}, fmt.Errorf("%w: the bot declares no queue to put tickets in", engine.ErrInvalidInput)
	}
	var customerID string
	var unverified map[string]string
	if nt.Unverified {
		unverified = map[string]string{}
		for _, id := range nt.Identities {
			unverified[id.Channel] = id.ExternalID
		}
		if name := strings.TrimSpace(nt.Name); name != "" {
			unverified["name"] = name
		}
	} else {
		var err error
		if customerID, err = d.e.ResolveIdentities(ctx, nt.Identities); err != nil {
			return store.Ticket{}, c, false, Notice{}, err
		}
	}
	now := d.e.Now()
	how := "triage: " + c.Rule
	if c.Rule == "" {
		how = "no triage block matched: intake queue"
	}
	if nt.Queue != "" {
		how = "queue given"
	}
	t := store.Ticket{
		ID: d.e.NewID("ticket"), CustomerID: customerID, Unverified: unverified, Channel: nt.Channel, Queue: c.Queue, Subject: nt.Subject,
		Description: nt.Description, Priority: c.Priority, Status: TicketOpen, Language: c.Language,
		DueAt: d.e.TicketDue(c.Queue, c.Priority, now), SourceKey: nt.SourceKey, CreatedAt: now,
		History: []store.StatusChange{{Status: TicketOpen, Actor: nt.Actor, At: now, Field: "status", To: TicketOpen, Note: how}},
	}
	audit := d.e.Audit(nt.Actor, "ticket.create", "", map[string]any{
		"id": engine.ID(t.ID), "channel": nt.Channel, "queue": c.Queue, "priority": c.Priority, "triage": c.Rule, "intent": c.Intent, "subject": nt.Subject,
	})
	stored, created, err := d.e.Store().CreateTicket(ctx, t, audit)
	if err != nil {
		return store.Ticket{}, c, false, Notice{}, err
	}
	if !created {
		// A redelivery comes from the same sender. Another sender who reuses a
		// key (a public form's client_id can be guessed) must not be shown
		// someone else's ticket.
		if stored.Channel != t.Channel || stored.CustomerID != t.CustomerID ||
			stored.Unverified["email"] != t.Unverified["email"] || stored.Unverified["phone"] != t.Unverified["phone"] {
			return store.Ticket{}, c, false, Notice{}, fmt.Errorf("%w: this submission's key (client_id, Idempotency-Key or Message-ID) was used for another sender's ticket; send a new one", store.ErrConflict)
		}
		// Told again, keyed: recorded if a crash came before its record.
		n, err := d.notify(ctx, stored, "created", 0)
		if err != nil {
			n = Notice{}
		}
		n.Duplicate = true
		return stored, c, false, n, nil
	}
	notice, err := d.notify(ctx, stored, "created", 0)
	return stored, c, true, notice, err
}

// TicketChange is an agent's update: nil fields stay as they are.
type TicketChange struct {
	Status      *string
	Queue       *string
	Priority    *string
	Assignee    *string // "" unassigns
	Subject     *string
	Description *string
	// Note is an internal note for agents, kept in the history.
	Note string
	// Reply is a public reply: sent to the customer (in the ticket's chat, or
	// to their address) and kept in the history. It goes alone, so that what
	// a retry re-sends is that reply and nothing else.
	Reply string
	// Key is the caller's idempotency key (client_id, Idempotency-Key): a
	// retry with it changes nothing and adds nothing, and the same key for
	// another change is a conflict. Scoped to the ticket and the agent.
	Key string
}

// digest fingerprints what a change asks for, to tell a retry from another
// change that reuses its key.
func (c TicketChange) digest() string {
	opt := func(p *string) any {
		if p == nil {
			return nil
		}
		return strings.TrimSpace(*p)
	}
	fields := []any{opt(c.Status), opt(c.Queue), opt(c.Priority), opt(c.Assignee), opt(c.Subject), opt(c.Description), strings.TrimSpace(c.Note)}
	if r := strings.TrimSpace(c.Reply); r != "" {
		fields = append(fields, r) // only then: the digests of the keys kept before replies stay as they were
	}
	b, _ := json.Marshal(fields)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// keyedEntry finds the history entry a change with key added, and its
// place; none for no key.
func keyedEntry(history []store.StatusChange, key string) (store.StatusChange, int, bool) {
	if key == "" {
		return store.StatusChange{}, 0, false
	}
	for i, h := range history {
		if h.Key == key {
			return h, i, true
		}
	}
	return store.StatusChange{}, 0, false
}

func (c TicketChange) empty() bool {
	return c.Status == nil && c.Queue == nil && c.Priority == nil && c.Assignee == nil && c.Subject == nil && c.Description == nil && strings.TrimSpace(c.Note) == "" &&
		strings.TrimSpace(c.Reply) == ""
}

// UpdateTicket applies an agent's change, row-locked and audited, with one
// history entry per field that changed. A status change follows the workflow
// and tells the customer what the bot's notify block says for it; moving the
// ticket (queue) or changing its priority recomputes the SLA due time, and a
// reopened ticket gets a new one. Agents change tickets in their queues or
// assigned to them, and assign them to themselves; supervisors do anything.
// Asking for the status a ticket already has changes nothing (nor adds the
// note that came with it again) and tells the customer again only if
// telling them failed before: a retry completes the change instead of
// repeating it. A change with a Key is done once: a retry finds the entry
// its first run added (one that changed nothing adds a FieldUnchanged entry
// for its key) and changes nothing.
func (d *Desk) UpdateTicket(ctx context.Context, id string, agent store.Agent, ch TicketChange) (store.Ticket, Notice, error) {
	if ch.empty() {
		return store.Ticket{}, Notice{}, fmt.Errorf("%w: nothing to change", engine.ErrInvalidInput)
	}
	if err := d.validateChange(ctx, agent, ch); err != nil {
		return store.Ticket{}, Notice{}, err
	}
	now := d.e.Now()
	actor := "agent:" + agent.ID
	key, digest := "", ""
	if ch.Key != "" {
		key, digest = actor+":"+ch.Key, ch.digest()
	}
	event, notifyAt, retry, reply := "", 0, false, ""
	t, err := d.e.Store().UpdateTicket(ctx, id, func(t *store.Ticket) (store.AuditEntry, error) {
		event, notifyAt, retry, reply = "", 0, false, ""
		if prior, at, ok := keyedEntry(t.History, key); ok {
			// Checked before the rights: the agent's own change, done, may
			// have moved the ticket out of their reach.
			if prior.Digest != "" && prior.Digest != digest {
				return store.AuditEntry{}, fmt.Errorf("%w: this client_id (Idempotency-Key) was used for another change of ticket %s; send a new one for a new change",
					store.ErrConflict, t.ID)
			}
			if prior.Field == FieldReply {
				// Told again, keyed: recorded only if a crash lost it.
				event, notifyAt, retry, reply = dialog.TicketReply, at+1, true, prior.Note
				return store.AuditEntry{}, nil
			}
			if ev, last := lastStatusEvent(*t); prior.Field == "status" && prior.From != "" && last == at+1 {
				// The notice is keyed, so it is told once; and only while
				// the move is the ticket's latest: "solved" about a ticket
				// reopened since would mislead.
				event, notifyAt, retry = ev, last, true
			}
			return store.AuditEntry{}, nil
		}
		if err := mayChangeTicket(*t, agent, ch, d.queueSkill(t.Queue)); err != nil {
			return store.AuditEntry{}, err
		}
		before := len(t.History)
		changes := map[string]any{}
		if reply = strings.TrimSpace(ch.Reply); reply != "" {
			if t.Status == TicketClosed {
				return store.AuditEntry{}, fmt.Errorf("%w: ticket %s is closed; open a new ticket to write to the customer", store.ErrConflict, t.ID)
			}
			t.History = append(t.History, store.StatusChange{Status: t.Status, Actor: actor, At: now, Field: FieldReply, Note: reply})
			changes["reply_text"] = reply // "text": masked whole in the audit, as a note is
			event, notifyAt = dialog.TicketReply, len(t.History)
		}
		record := func(field, from, to, note string) {
			t.History = append(t.History, store.StatusChange{Status: t.Status, Actor: actor, At: now, Field: field, From: from, To: to, Note: note})
			changes[field] = map[string]string{"from": from, "to": to}
		}
		if ch.Status != nil && *ch.Status != t.Status {
			ev, ok := ticketMoves[t.Status][*ch.Status]
			if !ok {
				next := NextStatuses(t.Status)
				if len(next) == 0 {
					return store.AuditEntry{}, fmt.Errorf("%w: ticket %s is %s, which is final; open a new ticket for new work",
						store.ErrConflict, t.ID, t.Status)
				}
				return store.AuditEntry{}, fmt.Errorf("%w: ticket %s is %s and can't become %s (it can become: %s)",
					store.ErrConflict, t.ID, t.Status, *ch.Status, strings.Join(next, ", "))
			}
			from := t.Status
			t.Status, event = *ch.Status, ev
			if ev == "reopened" {
				// A reopened ticket is a new piece of work: its own due time.
				t.DueAt, t.BreachedAt = d.e.TicketDue(t.Queue, t.Priority, now), time.Time{}
			}
			record("status", from, t.Status, strings.TrimSpace(ch.Note))
			notifyAt = len(t.History)
		}
		due := false
		if ch.Queue != nil && *ch.Queue != t.Queue {
			record("queue", t.Queue, *ch.Queue, "")
			t.Queue, due = *ch.Queue, true
		}
		if ch.Priority != nil && *ch.Priority != t.Priority {
			record("priority", t.Priority, *ch.Priority, "")
			t.Priority, due = *ch.Priority, true
		}
		if due {
			// Counted from when the work started: creation, or the last reopening.
			t.DueAt = d.e.TicketDue(t.Queue, t.Priority, workStarted(*t))
			if !t.BreachedAt.IsZero() && (t.DueAt.IsZero() || t.DueAt.After(now)) {
				t.BreachedAt = time.Time{}
			}
		}
		if ch.Assignee != nil && *ch.Assignee != t.Assignee {
			record("assignee", t.Assignee, *ch.Assignee, "")
			t.Assignee = *ch.Assignee
		}
		if ch.Subject != nil && strings.TrimSpace(*ch.Subject) != t.Subject {
			record("subject", t.Subject, strings.TrimSpace(*ch.Subject), "")
			t.Subject = strings.TrimSpace(*ch.Subject)
		}
		if ch.Description != nil && strings.TrimSpace(*ch.Description) != t.Description {
			t.Description = strings.TrimSpace(*ch.Description)
			record("description", "", "", "")
		}
		if note := strings.TrimSpace(ch.Note); note != "" && !(event == "" && sameStatusRetry(*t, ch, actor, note)) {
			if event == "" { // with a status change, the note is its reason
				t.History = append(t.History, store.StatusChange{Status: t.Status, Actor: actor, At: now, Field: "note", Note: note})
			}
			changes["note"] = note
		}
		if len(changes) == 0 {
			if ch.Status != nil && *ch.Status == t.Status {
				// The same status again: a retry, maybe after telling the
				// customer failed. The notice is keyed, so it is told once.
				event, notifyAt = lastStatusEvent(*t)
				retry = true
			}
			if key != "" {
				// Remembered all the same: its retry after the ticket moved
				// on must not apply it then, nor its key another change.
				t.History = append(t.History, store.StatusChange{Status: t.Status, Actor: actor, At: now, Field: FieldUnchanged, Key: key, Digest: digest})
			}
			return store.AuditEntry{}, nil
		}
		if key != "" && len(t.History) > before {
			t.History[before].Key, t.History[before].Digest = key, digest
		}
		changes["id"] = engine.ID(t.ID)
		return d.e.Audit(actor, "ticket.update", t.ConversationID, changes), nil
	})
	if err != nil {
		return store.Ticket{}, Notice{}, err
	}
	if event == "" {
		return t, Notice{}, nil
	}
	var n Notice
	if event == dialog.TicketReply {
		n, err = d.notifyReply(ctx, t, agent, reply, notifyAt)
	} else {
		n, err = d.notify(ctx, t, event, notifyAt)
	}
	n.Duplicate = n.Duplicate || retry
	return t, n, err
}

// notifyReply sends an agent's public reply: into the ticket's chat, as the
// agent's message, or to the customer's address. Keyed by its history entry
// as a notice is, so a retry tells it once.
func (d *Desk) notifyReply(ctx context.Context, t store.Ticket, agent store.Agent, text string, at int) (Notice, error) {
	key := fmt.Sprintf("ticket:%s:%d", t.ID, at)
	words := []engine.Reply{{Text: text}}
	if t.ConversationID != "" {
		u := dialog.TicketUpdate{Event: dialog.TicketReply, ID: t.ID, Subject: t.Subject, Status: t.Status, Queue: t.Queue, Priority: t.Priority,
			Reply: text, AgentName: or(agent.Name, agent.ID)}
		res, err := d.e.Act(ctx, t.ConversationID, key, dialog.Input{TicketUpdate: &u})
		if errors.Is(err, store.ErrNotFound) {
			return Notice{}, nil // the conversation was purged: nobody to tell there
		}
		if err != nil {
			return Notice{}, fmt.Errorf("reply on ticket %s: %w", t.ID, err)
		}
		return Notice{ConversationID: t.ConversationID, Replies: words, Key: key, Duplicate: res.Duplicate}, nil
	}
	to, err := d.contact(ctx, t)
	if err != nil {
		return Notice{}, err
	}
	return Notice{Replies: words, To: to, Key: key}, nil
}

// workStarted is when the ticket's current piece of work began: its
// creation, or its last reopening.
func workStarted(t store.Ticket) time.Time {
	for i := len(t.History) - 1; i >= 0; i-- {
		if h := t.History[i]; h.Field == "status" && h.From == TicketSolved && h.To == TicketOpen {
			return h.At
		}
	}
	return t.CreatedAt
}

// sameStatusRetry: the change asks for the status the ticket has, with the
// note this agent gave when they set it; a retry of that change, whose note
// is already its reason.
func sameStatusRetry(t store.Ticket, ch TicketChange, actor, note string) bool {
	if ch.Status == nil || *ch.Status != t.Status {
		return false
	}
	for i := len(t.History) - 1; i >= 0; i-- {
		if h := t.History[i]; h.Field == "status" {
			return h.To == t.Status && h.Actor == actor && h.Note == note
		}
	}
	return false
}

// lastStatusEvent is the ticket event of the last status change, and its
// place in the history (what keys its notice).
func lastStatusEvent(t store.Ticket) (string, int) {
	for i := len(t.History) - 1; i >= 0; i-- {
		h := t.History[i]
		if h.Field == "status" && h.From != "" {
			return ticketMoves[h.From][h.To], i + 1
		}
	}
	return "", 0
}

// validateChange checks the values of a change against the bot and the team.
func (d *Desk) validateChange(ctx context.Context, agent store.Agent, ch TicketChange) error {
	var problems []string
	bot := d.e.Bot()
	if ch.Status != nil && !slices.Contains(TicketStatuses, *ch.Status) {
		problems = append(problems, "status must be one of "+strings.Join(TicketStatuses, ", "))
	}
	if ch.Queue != nil {
		if _, ok := bot.Queues[*ch.Queue]; !ok {
			problems = append(problems, fmt.Sprintf("there is no queue %q (queues: %s)", *ch.Queue, strings.Join(slices.Sorted(maps.Keys(bot.Queues)), ", ")))
		}
	}
	if ch.Priority != nil && !slices.Contains(ticketPriorities, *ch.Priority) {
		problems = append(problems, "priority must be low, normal, high or urgent")
	}
	if ch.Subject != nil && (strings.TrimSpace(*ch.Subject) == "" || len(*ch.Subject) > maxSubjectBytes) {
		problems = append(problems, fmt.Sprintf("subject must be 1 to %d bytes", maxSubjectBytes))
	}
	if ch.Description != nil && len(*ch.Description) > maxDescriptionBytes {
		problems = append(problems, fmt.Sprintf("description is over %d bytes", maxDescriptionBytes))
	}
	if len(ch.Note) > engine.MaxMessageBytes {
		problems = append(problems, fmt.Sprintf("note is over %d bytes", engine.MaxMessageBytes))
	}
	if len(ch.Reply) > engine.MaxMessageBytes {
		problems = append(problems, fmt.Sprintf("reply is over %d bytes", engine.MaxMessageBytes))
	}
	if strings.TrimSpace(ch.Reply) != "" && (ch != TicketChange{Reply: ch.Reply, Key: ch.Key}) {
		problems = append(problems, "a reply goes on its own: send other changes and notes separately")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", engine.ErrInvalidInput, strings.Join(problems, "; "))
	}
	if ch.Assignee != nil && *ch.Assignee != "" && *ch.Assignee != agent.ID {
		a, err := d.e.Store().Agent(ctx, *ch.Assignee)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("%w: there is no agent %q", engine.ErrInvalidInput, *ch.Assignee)
		case err != nil:
			return err
		case a.Disabled:
			// They can't sign in: the ticket would wait on nobody.
			return fmt.Errorf("%w: agent %s is disabled", engine.ErrInvalidInput, a.ID)
		}
	}
	return nil
}

// mayChangeTicket: supervisors change any ticket; an agent changes tickets
// assigned to them or waiting unassigned in a queue they work, and only
// takes a ticket for themselves or gives up their own.
func mayChangeTicket(t store.Ticket, agent store.Agent, ch TicketChange, skill string) error {
	if RoleRank(agent.Role) >= RoleRank(RoleSupervisor) {
		return nil
	}
	if RoleRank(agent.Role) == 0 {
		return fmt.Errorf("%w: only agents change tickets", engine.ErrForbidden)
	}
	mine := t.Assignee == agent.ID
	if !mine && (t.Assignee != "" || !hasSkill(agent, store.Handoff{Queue: t.Queue, Skill: skill})) {
		return fmt.Errorf("%w: ticket %s is %s; a supervisor can change it", engine.ErrForbidden, t.ID, holder(t))
	}
	if ch.Assignee != nil && *ch.Assignee != "" && *ch.Assignee != agent.ID {
		return fmt.Errorf("%w: only a supervisor assigns tickets to others", engine.ErrForbidden)
	}
	return nil
}

// MayReadTicket says whether agent reads all of t (the customer, the
// description, the chat, the notes): supervisors, its assignee and agents
// who work its queue, the people who may change it. Others see where it is
// and who has it, as with another agent's handoff: a customer's personal
// data goes to who serves them, no further.
func (d *Desk) MayReadTicket(t store.Ticket, agent store.Agent) bool {
	return RoleRank(agent.Role) >= RoleRank(RoleSupervisor) || t.Assignee == agent.ID ||
		hasSkill(agent, store.Handoff{Queue: t.Queue, Skill: d.queueSkill(t.Queue)})
}

// queueSkill is the skill a queue asks for; "" for an unknown queue.
func (d *Desk) queueSkill(queue string) string {
	if q := d.e.Bot().Queues[queue]; q != nil {
		return q.Skill
	}
	return ""
}

func holder(t store.Ticket) string {
	if t.Assignee != "" {
		return "assigned to " + t.Assignee
	}
	return "in queue " + t.Queue + ", which you don't work"
}

// notify tells the customer of a ticket event: in the conversation that
// opened the ticket (a locked turn keyed by the ticket and the history entry,
// so a retry tells once), or rendered for their address.
func (d *Desk) notify(ctx context.Context, t store.Ticket, event string, at int) (Notice, error) {
	u := dialog.TicketUpdate{Event: event, ID: t.ID, Subject: t.Subject, Status: t.Status, Queue: t.Queue, Priority: t.Priority}
	key := fmt.Sprintf("ticket:%s:%d", t.ID, at)
	if t.ConversationID != "" {
		res, err := d.e.Act(ctx, t.ConversationID, key, dialog.Input{TicketUpdate: &u})
		if errors.Is(err, store.ErrNotFound) {
			return Notice{}, nil // the conversation was purged: nobody to tell there
		}
		if err != nil {
			return Notice{}, fmt.Errorf("tell the customer of ticket %s: %w", t.ID, err)
		}
		return Notice{ConversationID: t.ConversationID, Replies: res.Replies, Key: key, Duplicate: res.Duplicate}, nil
	}
	r, ok := dialog.TicketNotice(d.e.Bot(), t.Language, u, d.e.Now())
	if !ok {
		return Notice{}, nil
	}
	to, err := d.contact(ctx, t)
	if err != nil {
		return Notice{}, err
	}
	reply := engine.Reply{Text: r.Text, Response: r.Response}
	return Notice{Replies: []engine.Reply{reply}, To: to, Key: key}, nil
}

// contact is where a ticket without a chat is answered: the customer's
// identity on the ticket's channel, else their email, else their phone.
func (d *Desk) contact(ctx context.Context, t store.Ticket) (store.Identity, error) {
	if t.CustomerID == "" {
		// A form's sender is answered where they asked to be, as any help desk
		// does: only the answer goes there, nothing of anyone's history.
		for _, kind := range []string{"email", "phone"} {
			if addr := t.Unverified[kind]; addr != "" {
				return store.Identity{Channel: kind, ExternalID: addr}, nil
			}
		}
		return store.Identity{}, nil
	}
	cust, err := d.e.Store().Customer(ctx, t.CustomerID)
	if err != nil {
		return store.Identity{}, fmt.Errorf("customer of ticket %s: %w", t.ID, err)
	}
	for _, kind := range []string{t.Channel, "email", "phone", "sms"} {
		for _, id := range cust.Identities {
			if id.Channel == kind {
				return id, nil
			}
		}
	}
	return store.Identity{}, nil
}

// FlagBreaches marks the open and pending tickets past their due time as
// breached, once each, audited, and returns them.
func (d *Desk) FlagBreaches(ctx context.Context) ([]store.Ticket, error) {
	now := d.e.Now()
	due, err := d.e.Store().Tickets(ctx, store.TicketFilter{Statuses: []string{TicketOpen, TicketPending}, DueBefore: now})
	if err != nil {
		return nil, fmt.Errorf("overdue tickets: %w", err)
	}
	var flagged []store.Ticket
	for _, t := range due {
		if !t.BreachedAt.IsZero() {
			continue
		}
		changed := false
		t, err := d.e.Store().UpdateTicket(ctx, t.ID, func(t *store.Ticket) (store.AuditEntry, error) {
			changed = false
			if !t.BreachedAt.IsZero() || !Overdue(*t, now) {
				return store.AuditEntry{}, nil // another process flagged it, or it moved on
			}
			t.BreachedAt, changed = now, true
			t.History = append(t.History, store.StatusChange{Status: t.Status, Actor: "system", At: now, Field: "sla", To: "breached",
				Note: "due " + t.DueAt.UTC().Format(time.RFC3339)})
			return d.e.Audit("system", "ticket.sla_breach", t.ConversationID, map[string]any{"id": engine.ID(t.ID), "queue": t.Queue, "priority": t.Priority, "due_at": t.DueAt}), nil
		})
		if err != nil {
			return flagged, fmt.Errorf("flag ticket %s: %w", t.ID, err)
		}
		if changed {
			flagged = append(flagged, t)
		}
	}
	return flagged, nil
}

// Assignees are the people a ticket can go to: agents who work its queue,
// and supervisors and admins, ordered by name.
func (d *Desk) Assignees(ctx context.Context, t store.Ticket) ([]store.Agent, error) {
	all, err := d.e.Store().Agents(ctx)
	if err != nil {
		return nil, fmt.Errorf("agents: %w", err)
	}
	skill := d.queueSkill(t.Queue)
	var out []store.Agent
	for _, a := range all {
		if a.Disabled {
			continue
		}
		if RoleRank(a.Role) >= RoleRank(RoleSupervisor) || RoleRank(a.Role) > 0 && hasSkill(a, store.Handoff{Queue: t.Queue, Skill: skill}) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b store.Agent) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, nil
}
