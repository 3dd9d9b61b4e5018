package turn

import (
	"fmt"
	"slices"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// NewOutbox checks a message to enqueue and sets what the store sets,
// except Seq.
func NewOutbox(m store.OutboxMessage, now time.Time) (store.OutboxMessage, error) {
	switch {
	case m.ID == "":
		return m, fmt.Errorf("outbox message: id is required: %w", store.ErrInvalid)
	case m.Channel == "" || m.To == "":
		return m, fmt.Errorf("outbox message %q: channel and to are required: %w", m.ID, store.ErrInvalid)
	}
	m = CloneOutbox(m)
	m.Status, m.Attempts, m.LastError, m.Parts, m.SentAt = store.OutboxPending, 0, "", 0, time.Time{}
	m.CreatedAt, m.UpdatedAt = now, now
	if m.NextAttemptAt.IsZero() {
		m.NextAttemptAt = now
	}
	m.NextAttemptAt = Time(m.NextAttemptAt)
	return m, nil
}

// ClaimOutbox counts an attempt on m if it is pending and due at now.
func ClaimOutbox(m *store.OutboxMessage, now, until time.Time) error {
	if m.Status != store.OutboxPending || m.NextAttemptAt.After(now) {
		return fmt.Errorf("outbox message %q is %s, next attempt at %s: %w", m.ID, m.Status, m.NextAttemptAt.Format(time.RFC3339), store.ErrConflict)
	}
	m.Attempts++
	m.NextAttemptAt, m.UpdatedAt = Time(until), Now()
	return nil
}

// FinishOutbox copies the result of an attempt from r onto m.
func FinishOutbox(m *store.OutboxMessage, r store.OutboxMessage) error {
	switch r.Status {
	case store.OutboxPending, store.OutboxSent, store.OutboxFailed:
	default:
		return fmt.Errorf("outbox message %q: status %q: %w", m.ID, r.Status, store.ErrInvalid)
	}
	m.Status, m.LastError, m.Parts = r.Status, r.LastError, r.Parts
	m.SentAt = Time(r.SentAt)
	if r.Status == store.OutboxPending {
		m.NextAttemptAt = Time(r.NextAttemptAt)
	}
	m.UpdatedAt = Now()
	return nil
}

// OutboxMatches reports whether m is selected by f.
func OutboxMatches(m store.OutboxMessage, f store.OutboxFilter) bool {
	return (f.ConversationID == "" || m.ConversationID == f.ConversationID) &&
		(f.Status == "" || m.Status == f.Status) &&
		(f.DueBy.IsZero() || !m.NextAttemptAt.After(f.DueBy))
}

// CloneOutbox copies m deeply.
func CloneOutbox(m store.OutboxMessage) store.OutboxMessage {
	m.Replies = slices.Clone(m.Replies)
	for i := range m.Replies {
		m.Replies[i].Buttons = slices.Clone(m.Replies[i].Buttons)
	}
	return m
}
