package desk

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
)

// Estimates over this window; with fewer claims than estimateMinClaims in it,
// a queue has no estimate (the customer hears only their place).
const (
	estimateWindow    = 2 * time.Hour
	estimateMinClaims = 3
	// estimateFresh is how long a queue's estimate is reused: every waiting
	// customer's message asks for one.
	estimateFresh = 30 * time.Second
)

// QueueReporter tells the engine (and the customer API) where a waiting
// customer stands: their place in the queue, as agents see the queue
// (priority, then the longest wait), the agents who could take them, and an
// estimated wait. It implements engine.QueueReporter.
type QueueReporter struct {
	st  store.Store
	now func() time.Time

	mu        sync.Mutex
	estimates map[string]estimate // by queue
}

type estimate struct {
	perPlace time.Duration // 0: no estimate
	at       time.Time
}

// NewQueueReporter reads the inbox in st; now is the engine's clock.
func NewQueueReporter(st store.Store, now func() time.Time) *QueueReporter {
	return &QueueReporter{st: st, now: now, estimates: map[string]estimate{}}
}

var _ engine.QueueReporter = (*QueueReporter)(nil)

// Waiting implements engine.QueueReporter.
func (q *QueueReporter) Waiting(ctx context.Context, conversationID string) (*engine.Waiting, error) {
	hs, err := q.st.Handoffs(ctx, store.HandoffFilter{ConversationID: conversationID, Status: HandoffWaiting})
	if err != nil || len(hs) == 0 {
		return nil, err
	}
	h := hs[len(hs)-1]
	status, err := q.Status(ctx, h)
	if err != nil {
		return nil, err
	}
	return &engine.Waiting{HandoffID: h.ID, Status: status}, nil
}

// Status is where waiting handoff h stands.
func (q *QueueReporter) Status(ctx context.Context, h store.Handoff) (dialog.QueueStatus, error) {
	st := dialog.QueueStatus{Queue: h.Queue}
	queue, err := q.st.Handoffs(ctx, store.HandoffFilter{Queue: h.Queue, Status: HandoffWaiting})
	if err != nil {
		return st, fmt.Errorf("queue %s: %w", h.Queue, err)
	}
	SortWaiting(queue)
	st.Position = slices.IndexFunc(queue, func(x store.Handoff) bool { return x.ID == h.ID }) + 1
	if st.Position == 0 {
		st.Position = len(queue) + 1 // taken out of the queue since the caller read it
	}
	agents, err := q.st.Agents(ctx)
	if err != nil {
		return st, fmt.Errorf("agents: %w", err)
	}
	for _, a := range agents {
		if a.Status == store.AgentOnline && !a.Disabled && hasSkill(a, h) {
			st.Available++
		}
	}
	per, err := q.perPlace(ctx, h.Queue)
	if err != nil {
		return st, err
	}
	st.Wait = time.Duration(st.Position) * per
	return st, nil
}

// perPlace is how long one place in the queue has taken lately: the time
// between the recent claims of the queue's conversations. It is an estimate
// of throughput, the only honest thing a queue's history says.
func (q *QueueReporter) perPlace(ctx context.Context, queue string) (time.Duration, error) {
	now := q.now()
	q.mu.Lock()
	e, ok := q.estimates[queue]
	q.mu.Unlock()
	if ok && now.Sub(e.at) < estimateFresh && !now.Before(e.at) {
		return e.perPlace, nil
	}
	recent, err := q.st.Handoffs(ctx, store.HandoffFilter{Queue: queue, Statuses: []string{HandoffAssigned, HandoffClosed, HandoffReturned}, Limit: 50})
	if err != nil {
		return 0, fmt.Errorf("recent handoffs of %s: %w", queue, err)
	}
	var claims []time.Time
	for _, h := range recent {
		for _, ch := range h.History {
			if ch.Status == HandoffAssigned && now.Sub(ch.At) <= estimateWindow {
				claims = append(claims, ch.At)
			}
		}
	}
	var per time.Duration
	if len(claims) >= estimateMinClaims {
		slices.SortFunc(claims, func(a, b time.Time) int { return a.Compare(b) })
		per = claims[len(claims)-1].Sub(claims[0]) / time.Duration(len(claims)-1)
	}
	q.mu.Lock()
	q.estimates[queue] = estimate{perPlace: per, at: now}
	q.mu.Unlock()
	return per, nil
}

// LeaveQueue takes a waiting customer out of the queue (the web chat's "Leave
// the queue" button) and gives the conversation back to the bot, which says
// so. A retry, after a crash between the two or a double click, finishes the
// job once; once an agent has the conversation it is too late (conflict).
func (d *Desk) LeaveQueue(ctx context.Context, conversationID string) (*engine.TurnResult, error) {
	hs, err := d.e.Store().Handoffs(ctx, store.HandoffFilter{ConversationID: conversationID, Statuses: []string{HandoffWaiting, HandoffCancelled, HandoffAssigned}})
	if err != nil {
		return nil, fmt.Errorf("handoffs of %s: %w", conversationID, err)
	}
	if len(hs) == 0 {
		return nil, fmt.Errorf("%w: the conversation is not waiting for anyone", store.ErrConflict)
	}
	now := d.e.Now()
	h, err := d.e.Store().UpdateHandoff(ctx, hs[len(hs)-1].ID, func(h *store.Handoff) (store.AuditEntry, error) {
		switch h.Status {
		case HandoffCancelled:
			return store.AuditEntry{}, nil // a retry: finish the conversation's part below
		case HandoffWaiting:
		default:
			return store.AuditEntry{}, fmt.Errorf("%w: an agent has the conversation already", store.ErrConflict)
		}
		h.Status, h.UpdatedAt = HandoffCancelled, now
		h.History = append(h.History, store.StatusChange{Status: HandoffCancelled, Actor: "customer", At: now, Note: "left the queue"})
		return d.audit("customer", "handoff.cancelled", h, nil), nil
	})
	if err != nil {
		return nil, err
	}
	return d.e.Act(ctx, conversationID, "leave:"+h.ID, dialog.Input{LeaveQueue: true})
}
