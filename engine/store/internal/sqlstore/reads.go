package sqlstore

import (
	"context"
	"slices"
	"sync"

	"github.com/parleyhq/parley/engine/store"
)

// Two reads come before nearly every turn of a bot with a desk: whether the
// customer waits in a queue, and the agents (for agents_online). A
// single-process store (SQLite) is the database's only writer, so it answers
// both from memory until it writes something they depend on. Rather than
// follow each write, it counts the writes made outside turns (agents,
// handoffs changed by the desk, tickets, purges: all through write) and the
// turns that write a handoff, and a remembered answer holds only while that
// count has not moved. The count is read before the query and bumped after
// the commit, so an answer read while a write was committing is never kept
// past it.

// writeSeen bumps the count of writes; called after a write committed (or
// failed: what it left is not known).
func (s *Store) writeSeen() { s.writes.Add(1) }

// remembers says whether reads may be answered from memory: only with the
// group writer, that is on a single-process store.
func (s *Store) remembers() bool { return s.writer != nil }

// agentsMemo is the last Agents read, valid while writes == at.
type agentsMemo struct {
	mu     sync.Mutex
	at     uint64
	agents []store.Agent
	ok     bool
}

func (m *agentsMemo) get(at uint64) ([]store.Agent, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.ok || m.at != at {
		return nil, false
	}
	return cloneAgents(m.agents), true
}

func (m *agentsMemo) put(at uint64, agents []store.Agent) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.at, m.agents, m.ok = at, cloneAgents(agents), true
}

// cloneAgents copies agents so that callers may change what they get.
func cloneAgents(agents []store.Agent) []store.Agent {
	out := slices.Clone(agents)
	for i := range out {
		out[i].Skills = slices.Clone(out[i].Skills)
	}
	return out
}

var _ store.WaitingTx = (*tx)(nil)

// Waiting says whether a handoff of the conversation waits in a queue,
// remembered in the conversation's cache entry while no write that could
// change it was made.
func (t *tx) Waiting(ctx context.Context) (bool, error) {
	if err := t.s.check(); err != nil {
		return false, err
	}
	at := t.s.writes.Load()
	if e := t.cached; e != nil && e.notWaiting && e.notWaitingAt == at {
		return false, nil
	}
	var one int
	err := t.s.queryRow(ctx, t.s.DB, `SELECT COUNT(*) FROM handoffs WHERE conversation_id = ? AND status = 'waiting'`, t.conv.ID).Scan(&one)
	if err != nil {
		return false, t.s.wrapErr(err)
	}
	if e := t.cached; e != nil && one == 0 {
		// Only the conversation's turns use its entry, one at a time.
		e.notWaiting, e.notWaitingAt = true, at
	}
	return one > 0, nil
}
