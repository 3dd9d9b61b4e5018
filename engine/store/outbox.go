package store

import (
	"context"
	"time"
)

// OutboxStore keeps the messages Parley sends on channels with a sender (SMS,
// email, webhooks): a transactional outbox. A message is recorded before it
// is sent, so a crash between a turn's commit and the send, or a gateway that
// is down, delays it instead of losing it; a dispatcher sends what is pending
// in order per conversation and retries with backoff.
type OutboxStore interface {
	// EnqueueOutbox records m as pending unless a message with its ID is
	// recorded already, and returns the stored message and whether it is new.
	// Seq, Status, Attempts, CreatedAt and UpdatedAt are set by the store;
	// a zero NextAttemptAt means now.
	EnqueueOutbox(ctx context.Context, m OutboxMessage) (OutboxMessage, bool, error)
	// OutboxMessage reads one message; ErrNotFound when id is unknown.
	OutboxMessage(ctx context.Context, id string) (OutboxMessage, error)
	// Outbox lists messages, in the order they were recorded (Seq).
	Outbox(ctx context.Context, filter OutboxFilter) ([]OutboxMessage, error)
	// ClaimOutbox takes pending message id for one attempt: it counts the
	// attempt and moves NextAttemptAt to until, so no other instance sends it
	// meanwhile and, should this one die during the send, it is tried again
	// after until. ErrConflict when the message is not pending or not due at
	// now (another instance has it, or it was sent).
	ClaimOutbox(ctx context.Context, id string, now, until time.Time) (OutboxMessage, error)
	// FinishOutbox records the result of the attempt ClaimOutbox counted:
	// Status (sent, failed, or pending for another try at NextAttemptAt),
	// LastError, Parts and SentAt are taken from m. ErrNotFound when m.ID is unknown.
	FinishOutbox(ctx context.Context, m OutboxMessage) (OutboxMessage, error)
}

// Outbox statuses.
const (
	OutboxPending = "pending" // waiting to be sent, or to be tried again
	OutboxSent    = "sent"    // the provider accepted it
	OutboxFailed  = "failed"  // every attempt failed: a person must look at it
)

// OutboxMessage is one message to a customer on a channel: the replies of a
// turn, an agent's answer, a ticket notice.
type OutboxMessage struct {
	// ID is the message id providers see (an email's Message-ID, the
	// webhook's id): deterministic where a retry must find it again, e.g.
	// "re-" and the inbound message's id.
	ID             string        `json:"id"`
	Seq            int64         `json:"seq"` // set by the store: the order of recording
	ConversationID string        `json:"conversation_id"`
	Channel        string        `json:"channel"`
	To             string        `json:"to"`
	Subject        string        `json:"subject,omitempty"`
	InReplyTo      string        `json:"in_reply_to,omitempty"`
	Replies        []OutboxReply `json:"replies"`

	Status        string    `json:"status"`
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	LastError     string    `json:"last_error,omitempty"`
	// Parts is how many of the message's parts the provider accepted, for a
	// channel that sends one per reply (SMS): a retry sends the rest.
	Parts     int       `json:"parts,omitempty"`
	SentAt    time.Time `json:"sent_at"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// OutboxReply is one reply of an outbox message, with its buttons.
type OutboxReply struct {
	Text    string         `json:"text"`
	Buttons []OutboxButton `json:"buttons,omitempty"`
}

// OutboxButton is a button as SMS and email show it: a numbered line.
type OutboxButton struct {
	Label   string `json:"label"`
	Payload string `json:"payload"`
}

// OutboxFilter selects outbox messages: zero fields match everything.
type OutboxFilter struct {
	ConversationID string
	Status         string
	// DueBy: messages whose NextAttemptAt is not after it.
	DueBy time.Time
	Limit int // > 0: the first Limit
}
