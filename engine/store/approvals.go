package store

import (
	"context"
	"encoding/json"
	"time"
)

// ApprovalStore keeps the requests for a person to approve a connector call
// before the engine runs it (a refund over a supervisor's limit). A turn asks
// for one (TurnRecord.Approvals); a supervisor's decision is recorded with
// UpdateApproval; the turn that carries the decision out records its outcome
// (TurnRecord.Approvals again).
type ApprovalStore interface {
	Approvals(ctx context.Context, filter ApprovalFilter) ([]Approval, error)
	Approval(ctx context.Context, id string) (Approval, error) // ErrNotFound

	// UpdateApproval reads approval id under a row lock, lets fn change it, and
	// saves it with the audit entry fn returns, atomically, as UpdateHandoff
	// does: of two supervisors deciding at once, the second sees the first's
	// decision. fn must not change ID, ConversationID, Request or Call
	// (ErrInvalid): what was asked is what gets approved. A changed CreatedAt
	// is ignored; UpdatedAt is set by the store. fn's error aborts and is
	// returned as is. ErrNotFound when id is unknown.
	UpdateApproval(ctx context.Context, id string, fn func(a *Approval) (AuditEntry, error)) (Approval, error)
}

// Approval statuses.
const (
	ApprovalPending  = "pending"
	ApprovalApproved = "approved"
	ApprovalRejected = "rejected"
	ApprovalExpired  = "expired"
)

// Approval is a request for a person to approve a connector call, and what
// became of it.
type Approval struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	CustomerID     string `json:"customer_id"`
	// Request is the dialog's id for the request: the decision answers it.
	Request string `json:"request"`
	// Queue is where the request waits; Role the least role that may decide.
	Queue  string       `json:"queue"`
	Role   string       `json:"role"`
	Reason string       `json:"reason"`
	Call   ApprovalCall `json:"call"`
	Status string       `json:"status"` // pending, approved, rejected, expired
	// DecidedBy and DecidedAt say who decided (an actor such as "agent:ann",
	// or "system" for an expiry) and when; Note is what they wrote.
	DecidedBy string    `json:"decided_by"`
	DecidedAt time.Time `json:"decided_at"`
	Note      string    `json:"note"`
	ExpiresAt time.Time `json:"expires_at"`
	// Outcome is how the decision was carried out in the conversation: "ok" or
	// the call's error code after an approval, "done" after a rejection or an
	// expiry; "" until then. CompletedAt is when.
	Outcome     string         `json:"outcome"`
	CompletedAt time.Time      `json:"completed_at"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	History     []StatusChange `json:"history"`
}

// ApprovalCall is the pending connector call exactly as it will run once
// approved: the same input and the same idempotency key, so however often
// the approval is carried out the system it calls sees one request.
type ApprovalCall struct {
	Name           string          `json:"name"`
	Connector      string          `json:"connector"`
	Operation      string          `json:"operation"`
	Input          json.RawMessage `json:"input"`
	IdempotencyKey string          `json:"idempotency_key"`
}

// ApprovalFilter selects approvals: zero fields match everything; results
// are oldest first and Limit > 0 keeps the newest Limit.
type ApprovalFilter struct {
	ConversationID string
	Queue          string
	Status         string
	Statuses       []string // any of these; combined with Status when both are set
	// Unfinished: decided but not yet carried out (a crash between the two).
	Unfinished bool
	// ExpiresBefore: pending approvals that expire before this.
	ExpiresBefore time.Time
	Limit         int
}
