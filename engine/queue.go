package engine

import (
	"context"
	"sync/atomic"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
)

// QueueReporter tells the bot where a customer waiting for a person stands, so
// it can say so when they write and let them leave the queue. The desk (the
// human side) implements it; the engine asks under the turn's lock, and only
// when the store does not know that nobody of the conversation waits
// (store.WaitingTx).
type QueueReporter interface {
	// Waiting returns the conversation's handoff while it waits in a queue, with
	// the customer's place in it; nil when no handoff of it waits (none, or an
	// agent has it).
	Waiting(ctx context.Context, conversationID string) (*Waiting, error)
}

// Waiting is a conversation waiting for a person.
type Waiting struct {
	HandoffID string
	Status    dialog.QueueStatus
}

// queueReporter is set once by the server, read by every turn.
type queueReporter struct{ atomic.Pointer[QueueReporter] }

// SetQueueReporter says who knows the queues. Without one the bot says nothing
// to a waiting customer (the CLI has no agents).
func (e *Engine) SetQueueReporter(q QueueReporter) {
	if q == nil {
		e.queue.Store(nil)
		return
	}
	e.queue.Store(&q)
}

// waiting asks the reporter, if any, under the turn's lock: first the store,
// when tx can say that no handoff of the conversation waits (nearly every
// turn), so the inbox is read only for a customer who does wait. A failed
// lookup costs the customer the news of their place in the queue, never
// their message.
func (e *Engine) waiting(ctx context.Context, tx store.Tx, conversationID string) *Waiting {
	q := e.queue.Load()
	if q == nil {
		return nil
	}
	if wt, ok := tx.(store.WaitingTx); ok {
		if w, err := wt.Waiting(ctx); err == nil && !w {
			return nil
		}
	}
	w, err := (*q).Waiting(ctx, conversationID)
	if err != nil {
		return nil
	}
	return w
}

// leaveQueue records, in the turn's commit, that the customer left the queue
// the turn saw them in: the handoff is cancelled unless an agent claimed it
// meanwhile, in which case the commit fails with store.ErrConflict and the
// turn is run again with the agent in charge.
func (t *turn) leaveQueue(ev dialog.Event) {
	if t.waiting == nil {
		return // the desk changed the handoff already (the web chat's button)
	}
	t.rec.HandoffChanges = append(t.rec.HandoffChanges, store.HandoffChange{
		HandoffID: t.waiting.HandoffID,
		From:      []string{"waiting"},
		Change:    store.StatusChange{Status: "cancelled", Actor: "customer", At: t.now, Note: "left the queue"},
	})
	t.rec.Audit = append(t.rec.Audit, t.audit("customer", "handoff.cancelled", map[string]any{"handoff": ID(t.waiting.HandoffID), "queue": ev.Queue}))
}
