package engine

import (
	"bytes"
	"sync"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/engine/store"
)

// DefaultStateCache is how many conversations' states an Engine keeps decoded
// between turns unless Options.StateCache says otherwise: a few KB each.
const DefaultStateCache = 4096

// stateCache keeps, per conversation, the dialog state and the outcome contact
// the last turn committed, beside the bytes it stored for them, so that the
// next turn starts from them instead of decoding its own snapshot again.
//
// An entry stands in for the stored state only while it is exactly that: the
// log still ends where the turn left it (no turn since, on this instance or
// another), and the stored snapshot and contact are byte for byte the ones
// the turn encoded from these values, which decode to equal values
// (dialog.State.RoundTrips). Otherwise the turn decodes as it always did. So
// the log stays the truth, and a state is still the fold of its events.
type stateCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]*cachedState
}

type cachedState struct {
	lastSeq, snapshotSeq int64
	snapshot             []byte
	state                dialog.State
	// contact is nil when the conversation has none yet, or none was kept.
	contactRaw []byte
	contact    *outcome.Contact
}

func newStateCache(max int) *stateCache {
	if max == 0 {
		max = DefaultStateCache
	}
	if max < 0 {
		return nil
	}
	return &stateCache{max: max, entries: map[string]*cachedState{}}
}

// state is the kept state of conv when it is still the stored one.
func (c *stateCache) state(conv *store.Conversation) (dialog.State, bool) {
	e := c.entry(conv)
	if e == nil || len(conv.Events) > 0 || !bytes.Equal(e.snapshot, conv.Snapshot) {
		return dialog.State{}, false
	}
	return e.state, true
}

// contact is the kept contact of conv when raw is the stored one. The caller
// must not change it.
func (c *stateCache) contact(conv *store.Conversation, raw []byte) (*outcome.Contact, bool) {
	e := c.entry(conv)
	if e == nil || e.contact == nil || !bytes.Equal(e.contactRaw, raw) {
		return nil, false
	}
	return e.contact, true
}

func (c *stateCache) entry(conv *store.Conversation) *cachedState {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	e := c.entries[conv.ID]
	c.mu.Unlock()
	if e == nil || e.lastSeq != conv.LastSeq || e.snapshotSeq != conv.SnapshotSeq {
		return nil
	}
	return e
}

// keep remembers what a committed turn stored; a nil e forgets the
// conversation, as after a failed commit.
func (c *stateCache) keep(id string, e *cachedState) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e == nil {
		delete(c.entries, id)
		return
	}
	if _, ok := c.entries[id]; !ok && len(c.entries) >= c.max {
		// Full: forget some conversation. Map order is as good as random,
		// and a forgotten state is only decoded again.
		for other := range c.entries {
			delete(c.entries, other)
			break
		}
	}
	c.entries[id] = e
}

// keep prepares what the turn stores for the next turn: the state, its
// snapshot at seq, and the contact trackContact stored, when decoding them
// would give them back exactly.
func (t *turn) keep(st dialog.State, snapshot []byte, seq int64) {
	if t.e.states == nil || !st.RoundTrips() || !jsonText(snapshot) {
		return
	}
	t.kept = &cachedState{lastSeq: seq, snapshotSeq: seq, snapshot: snapshot, state: st}
	if c := t.rec.Contact; c != nil && t.contact != nil && jsonText(c.State) && t.contact.RoundTrips() {
		t.kept.contactRaw, t.kept.contact = c.State, t.contact
	}
}

// jsonText reports whether encoded JSON holds no text that was not UTF-8,
// which encoding shows as \ufffd and decoding does not give back.
func jsonText(encoded []byte) bool {
	return !bytes.Contains(encoded, []byte(`\ufffd`))
}
