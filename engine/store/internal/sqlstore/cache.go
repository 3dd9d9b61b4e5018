package sqlstore

import (
	"sync"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// convCache keeps the conversations a single-process store (SQLite) used
// lately in memory, as their last commit left them, with the client message
// ids they processed. This process is the database's only writer, and every
// change to a conversation, its events or its processed messages is a turn
// (or a purge, which drops what it removes), so the cache is exact: a turn
// finds its conversation without reading the database, and a message seen
// for the first time (almost all of them) is known to be new without a query.
// Each read would otherwise start with an empty page cache, since SQLite
// discards a connection's cache whenever another connection has committed.
type convCache struct {
	mu      sync.Mutex
	entries map[string]*cached
}

// maxCached bounds the cache: a few megabytes of snapshots.
const maxCached = 4096

type cached struct {
	conv *store.Conversation // never changed once cached: replaced whole
	// processed holds every client message id the conversation processed;
	// nil when not read yet. Only the conversation's turns use it, one at a
	// time (they hold the conversation).
	processed map[string]struct{}
	// notWaiting: no handoff of the conversation waited in a queue when the
	// store's write count was notWaitingAt (reads.go). Set by the
	// conversation's turns only, like processed.
	notWaiting   bool
	notWaitingAt uint64
}

func (c *convCache) get(id string) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[id]
}

func (c *convCache) put(id string, e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*cached{}
	}
	if _, ok := c.entries[id]; !ok && len(c.entries) >= maxCached {
		for k := range c.entries { // an arbitrary one: map order is random
			delete(c.entries, k)
			break
		}
	}
	c.entries[id] = e
}

func (c *convCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, id)
}

// committed is the cache entry after a turn committed rec (prepared, so
// sharing no memory with the caller) at now
// on conversation conv as Begin loaded it; old is the entry Begin used, if any.
func committed(conv *store.Conversation, exists bool, old *cached, rec store.TurnRecord, now time.Time) *cached {
	c := &store.Conversation{
		ID: conv.ID, CustomerID: rec.CustomerID, Channel: rec.Channel, Status: rec.Status,
		Snapshot: conv.Snapshot, SnapshotSeq: conv.SnapshotSeq, LastSeq: conv.LastSeq,
		CreatedAt: now, UpdatedAt: now,
		PolicyVersion: rec.PolicyVersion, PolicyLabel: rec.PolicyLabel, Contact: conv.Contact,
	}
	if exists {
		// The policies that took the first turn stay the conversation's.
		c.CreatedAt, c.PolicyVersion, c.PolicyLabel = conv.CreatedAt, conv.PolicyVersion, conv.PolicyLabel
	}
	if rec.Contact != nil {
		c.Contact = rec.Contact.State
	}
	if n := len(rec.Events); n > 0 {
		c.LastSeq = rec.Events[n-1].Seq
	}
	if rec.Snapshot != nil {
		c.Snapshot, c.SnapshotSeq = rec.Snapshot, rec.SnapshotSeq
	}
	for _, evs := range [][]store.Event{conv.Events, rec.Events} {
		for _, e := range evs {
			if e.Seq > c.SnapshotSeq {
				c.Events = append(c.Events, e)
			}
		}
	}
	// Not copied again: c holds Begin's copies and rec's, which Prepare made
	// for this commit alone (Begin copies the entry for each turn it serves).
	e := &cached{conv: c}
	switch {
	case !exists:
		e.processed = map[string]struct{}{}
	case old != nil:
		// Shared with the old entry, which nobody reads any more: only turns
		// of this conversation do, one at a time.
		e.processed = old.processed
		// Still true unless the turn wrote a handoff, which also moved the
		// store's write count (tx.Commit).
		e.notWaiting, e.notWaitingAt = old.notWaiting, old.notWaitingAt
	}
	if e.processed != nil && rec.ClientMessageID != "" {
		e.processed[rec.ClientMessageID] = struct{}{}
	}
	return e
}
