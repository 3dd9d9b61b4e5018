package server

import (
	"bufio"
	"maps"
	"slices"
	"sync"

	"github.com/parleyhq/parley/engine"
)

// deskMetrics counts the human side's work: tickets, SLA breaches, approvals.
type deskMetrics struct {
	ticketsCreated   *counterVec[[2]string] // queue, channel
	breaches         *counterVec[[2]string] // queue, priority
	approvalsAsked   *counterVec[string]    // queue
	approvalsDecided *counterVec[string]    // approved, rejected, expired
	outbox           *counterVec[[2]string] // channel, result: sent, retry, failed
	overdueMu        sync.Mutex
	overdue          map[string]int // queue -> open tickets past due now
}

func newDeskMetrics() *deskMetrics {
	queues, channels, prios, decisions := newLabelCap(maxLabelValues), newLabelCap(maxLabelValues), newLabelCap(8), newLabelCap(8)
	return &deskMetrics{
		ticketsCreated:   newCounterVec(func(k [2]string) [2]string { return [2]string{queues.value(k[0]), channels.value(k[1])} }),
		breaches:         newCounterVec(func(k [2]string) [2]string { return [2]string{queues.value(k[0]), prios.value(k[1])} }),
		approvalsAsked:   newCounterVec(queues.value),
		approvalsDecided: newCounterVec(decisions.value),
		outbox:           newCounterVec(func(k [2]string) [2]string { return [2]string{channels.value(k[0]), k[1]} }),
	}
}

func (m *deskMetrics) ticketCreated(queue, channel string) {
	m.ticketsCreated.inc([2]string{queue, channel})
}
func (m *deskMetrics) slaBreached(queue, priority string) { m.breaches.inc([2]string{queue, priority}) }
func (m *deskMetrics) approvalDecided(status string)      { m.approvalsDecided.inc(status) }

// turn counts the tickets and approvals a turn opened.
func (m *deskMetrics) turn(res *engine.TurnResult) {
	for _, t := range res.Tickets {
		m.ticketCreated(t.Queue, "chat")
	}
	for _, a := range res.Approvals {
		m.approvalsAsked.inc(a.Queue)
	}
}

func (m *deskMetrics) setOverdue(byQueue map[string]int) {
	if byQueue == nil {
		return
	}
	m.overdueMu.Lock()
	defer m.overdueMu.Unlock()
	m.overdue = byQueue
}

func (m *deskMetrics) write(w *bufio.Writer) {
	header(w, "parley_tickets_created_total", "counter", "Tickets opened, by queue and where they came from: chat (a conversation), email, form, api.")
	m.ticketsCreated.eachValue(func(k [2]string, n uint64) {
		sample(w, "parley_tickets_created_total", labels("queue", k[0], "channel", k[1]), float64(n))
	})
	header(w, "parley_ticket_sla_breaches_total", "counter", "Tickets that missed their queue's SLA due time, by queue and priority, counted when flagged.")
	m.breaches.eachValue(func(k [2]string, n uint64) {
		sample(w, "parley_ticket_sla_breaches_total", labels("queue", k[0], "priority", k[1]), float64(n))
	})
	header(w, "parley_tickets_overdue", "gauge", "Open and pending tickets past their due time, by queue, as of the last sweep.")
	m.overdueMu.Lock()
	overdue := maps.Clone(m.overdue)
	m.overdueMu.Unlock()
	for _, q := range slices.Sorted(maps.Keys(overdue)) {
		sample(w, "parley_tickets_overdue", labels("queue", q), float64(overdue[q]))
	}
	header(w, "parley_approvals_requested_total", "counter", "Approvals the bot asked for, by queue.")
	m.approvalsAsked.eachValue(func(q string, n uint64) {
		sample(w, "parley_approvals_requested_total", labels("queue", q), float64(n))
	})
	header(w, "parley_approvals_decided_total", "counter", "Approval decisions carried out, by decision: approved, rejected or expired.")
	m.approvalsDecided.eachValue(func(d string, n uint64) {
		sample(w, "parley_approvals_decided_total", labels("decision", d), float64(n))
	})
	header(w, "parley_outbox_attempts_total", "counter", "Attempts to send a message to a customer on a channel, by channel and result: sent, retry (it will be tried again) or failed (given up: see GET /v1/admin/outbox?status=failed).")
	m.outbox.eachValue(func(k [2]string, n uint64) {
		sample(w, "parley_outbox_attempts_total", labels("channel", k[0], "result", k[1]), float64(n))
	})
}
