package server

import (
	"bufio"
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// outcomeMetrics count settled contacts and survey answers, and read the live
// inbox (queues and agents) when scraped.
type outcomeMetrics struct {
	outcomes *counterVec[string]
	scores   [5]atomic.Uint64
	// live reads the queues and agents; nil: not served.
	live atomic.Pointer[func(ctx context.Context) (liveInbox, error)]
}

// liveInbox is what the gauges show: people waiting per queue, and agents.
type liveInbox struct {
	Queues []desk.QueueView
	Agents map[string]int // by status
}

func newOutcomeMetrics() outcomeMetrics {
	return outcomeMetrics{outcomes: newCounterVec(newLabelCap(32).value)}
}

// OutcomeRecorded implements engine.Observer.
func (m *Metrics) OutcomeRecorded(kind string) { m.outcomes.inc(kind) }

// SatisfactionRecorded implements engine.Observer.
func (m *Metrics) SatisfactionRecorded(score int) {
	if score >= 1 && score <= 5 {
		m.scores[score-1].Add(1)
	}
}

// SetLive makes the metrics read the inbox when scraped.
func (m *Metrics) SetLive(fn func(ctx context.Context) (liveInbox, error)) { m.live.Store(&fn) }

func (m *Metrics) writeOutcomes(w *bufio.Writer) {
	header(w, "parley_outcomes_total", "counter", "Contacts settled, by outcome (docs/reports.md): "+strings.Join(outcome.Kinds, ", ")+".")
	m.outcomes.eachValue(func(kind string, n uint64) {
		sample(w, "parley_outcomes_total", labels("outcome", kind), float64(n))
	})
	header(w, "parley_satisfaction_scores_total", "counter", "Satisfaction survey answers, by score from 1 (poor) to 5 (great).")
	for i := range m.scores {
		sample(w, "parley_satisfaction_scores_total", labels("score", strconv.Itoa(i+1)), float64(m.scores[i].Load()))
	}
}

// writeLive writes the inbox gauges; a failed read leaves them out (and the
// scrape's parley_inbox_up at 0) rather than failing the whole scrape.
func (m *Metrics) writeLive(ctx context.Context, w *bufio.Writer) {
	fn := m.live.Load()
	if fn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	live, err := (*fn)(ctx)
	header(w, "parley_inbox_up", "gauge", "1 when the queue and agent gauges below could be read from the store.")
	if err != nil {
		sample(w, "parley_inbox_up", "", 0)
		return
	}
	sample(w, "parley_inbox_up", "", 1)
	header(w, "parley_queue_waiting", "gauge", "Conversations waiting for an agent, by queue.")
	for _, q := range live.Queues {
		sample(w, "parley_queue_waiting", labels("queue", q.Name), float64(q.Waiting))
	}
	header(w, "parley_queue_oldest_wait_seconds", "gauge", "How long the longest-waiting conversation has waited, by queue (0 when none waits).")
	for _, q := range live.Queues {
		sample(w, "parley_queue_oldest_wait_seconds", labels("queue", q.Name), float64(q.OldestWaitS))
	}
	header(w, "parley_agents", "gauge", "Agents by status: online, busy, offline.")
	for _, st := range []string{store.AgentOnline, store.AgentBusy, store.AgentOffline} {
		sample(w, "parley_agents", labels("status", st), float64(live.Agents[st]))
	}
}

// liveInbox reads the queues and agents for the gauges and the dashboard.
func (s *Server) liveInbox(ctx context.Context) (liveInbox, error) {
	e, release := s.acquire()
	defer release()
	qs, err := desk.New(e).Queues(ctx)
	if err != nil {
		return liveInbox{}, err
	}
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return liveInbox{}, err
	}
	live := liveInbox{Queues: qs, Agents: map[string]int{}}
	for _, a := range agents {
		if a.Role == store.RoleAdmin && a.Status == store.AgentOffline {
			continue // admin keys that never take chats are not staff on shift
		}
		live.Agents[a.Status]++
	}
	return live, nil
}
