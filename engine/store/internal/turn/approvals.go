package turn

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// PrepareApproval is an approval of a turn record as every store saves it: an
// id, status pending unless given, times normalized and a deep copy.
func PrepareApproval(a store.Approval, now time.Time) store.Approval {
	a = CloneApproval(a)
	if a.ID == "" {
		a.ID = NewID("apr_")
	}
	if a.Status == "" {
		a.Status = store.ApprovalPending
	}
	a.CreatedAt = Time(a.CreatedAt)
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	a.UpdatedAt = now
	a.ExpiresAt = Time(a.ExpiresAt)
	a.DecidedAt = Time(a.DecidedAt)
	a.CompletedAt = Time(a.CompletedAt)
	normalizeHistory(a.History, now)
	return a
}

// MergeTurnApproval is a known approval after the turn that carried out its
// decision: the outcome and completion time when given, and more history.
func MergeTurnApproval(old, a store.Approval, now time.Time) store.Approval {
	out := CloneApproval(old)
	if a.Outcome != "" {
		out.Outcome = a.Outcome
	}
	if !a.CompletedAt.IsZero() {
		out.CompletedAt = a.CompletedAt
	}
	out.History = append(out.History, a.History...)
	out.UpdatedAt = now
	return out
}

// UpdateApproval runs fn on a copy of a and checks what it changed, as
// UpdateTicket does. What was asked (the call) can't change.
func UpdateApproval(a store.Approval, fn func(*store.Approval) (store.AuditEntry, error), now time.Time) (store.Approval, []store.StatusChange, *store.AuditEntry, error) {
	work := CloneApproval(a)
	entry, err := fn(&work)
	if err != nil {
		return a, nil, nil, err
	}
	if work.ID != a.ID || work.ConversationID != a.ConversationID || work.Request != a.Request || !sameCall(work.Call, a.Call) {
		return a, nil, nil, fmt.Errorf("approval %s: the update changed its id, conversation or call: %w", a.ID, store.ErrInvalid)
	}
	added, history, err := appended("approval", a.ID, a.History, work.History, now)
	if err != nil {
		return a, nil, nil, err
	}
	out := CloneApproval(work)
	out.CreatedAt = a.CreatedAt
	out.UpdatedAt = now
	out.ExpiresAt = Time(out.ExpiresAt)
	out.DecidedAt = Time(out.DecidedAt)
	out.CompletedAt = Time(out.CompletedAt)
	out.History = history
	audit, err := auditOf(entry, a.ConversationID, now)
	if err != nil {
		return a, nil, nil, fmt.Errorf("approval %s: %w", a.ID, err)
	}
	return out, added, audit, nil
}

func sameCall(a, b store.ApprovalCall) bool {
	return a.Name == b.Name && a.Connector == b.Connector && a.Operation == b.Operation &&
		a.IdempotencyKey == b.IdempotencyKey && bytes.Equal(a.Input, b.Input)
}

// MatchApproval reports whether a passes f.
func MatchApproval(a store.Approval, f store.ApprovalFilter) bool {
	return (f.ConversationID == "" || a.ConversationID == f.ConversationID) &&
		(f.Queue == "" || a.Queue == f.Queue) &&
		(f.Status == "" || a.Status == f.Status) &&
		(len(f.Statuses) == 0 || slices.Contains(f.Statuses, a.Status)) &&
		(!f.Unfinished || a.Status != store.ApprovalPending && a.CompletedAt.IsZero()) &&
		(f.ExpiresBefore.IsZero() || a.ExpiresAt.Before(f.ExpiresBefore))
}

func CloneApproval(a store.Approval) store.Approval {
	a.Call.Input = CloneRaw(a.Call.Input)
	a.History = slices.Clone(a.History)
	return a
}

// AnonymizeApproval replaces the personal text of an approval: its reason,
// the call's input and the notes.
func AnonymizeApproval(a *store.Approval) {
	a.Reason = store.Purged
	a.Call.Input = nil
	if a.Note != "" {
		a.Note = store.Purged
	}
	for i := range a.History {
		if a.History[i].Note != "" {
			a.History[i].Note = store.Purged
		}
	}
}
