package server

import (
	"sync"

	"github.com/parleyhq/parley/engine"
)

// hub wakes WebSocket connections when something happens. It carries no data:
// each connection reads what is new from the store, so nothing is lost when a
// wake-up is missed, a connection is slow, or the change was made by another
// process (which the periodic re-read catches).
type hub struct {
	mu     sync.Mutex
	convs  map[string]map[chan struct{}]struct{}
	agents map[chan agentUpdate]struct{}
	typing map[string]map[chan typingUpdate]struct{}
	done   chan struct{}
	closed bool
}

type agentUpdate struct {
	// queue_changed, conversation_changed, agent_changed (with agent_id), item,
	// typing; ticket_created, ticket_changed, approval_requested,
	// approval_decided (with the queue)
	Type           string       `json:"type"`
	HandoffID      string       `json:"handoff_id,omitempty"`
	AgentID        string       `json:"agent_id,omitempty"` // agent_changed
	ConversationID string       `json:"conversation_id,omitempty"`
	Item           *engine.Item `json:"item,omitempty"`
	TicketID       string       `json:"ticket_id,omitempty"`
	ApprovalID     string       `json:"approval_id,omitempty"`
	Queue          string       `json:"queue,omitempty"`
}

type typingUpdate struct {
	From      string `json:"from"` // agent, customer
	AgentName string `json:"agent_name,omitempty"`
}

func newHub() *hub {
	return &hub{
		convs:  map[string]map[chan struct{}]struct{}{},
		agents: map[chan agentUpdate]struct{}{},
		typing: map[string]map[chan typingUpdate]struct{}{},
		done:   make(chan struct{}),
	}
}

// subscribeConversation returns a channel that is signalled when the
// conversation changes, and a func to unsubscribe.
func (h *hub) subscribeConversation(id string) (<-chan struct{}, <-chan typingUpdate, func()) {
	ch := make(chan struct{}, 1)
	ty := make(chan typingUpdate, 4)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.convs[id] == nil {
		h.convs[id] = map[chan struct{}]struct{}{}
		h.typing[id] = map[chan typingUpdate]struct{}{}
	}
	h.convs[id][ch] = struct{}{}
	h.typing[id][ty] = struct{}{}
	return ch, ty, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.convs[id], ch)
		delete(h.typing[id], ty)
		if len(h.convs[id]) == 0 {
			delete(h.convs, id)
			delete(h.typing, id)
		}
	}
}

func (h *hub) publishConversation(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.convs[id] {
		select {
		case ch <- struct{}{}:
		default: // already signalled
		}
	}
}

func (h *hub) publishTyping(id string, u typingUpdate) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.typing[id] {
		select {
		case ch <- u:
		default: // typing indications may be dropped
		}
	}
}

func (h *hub) subscribeAgents() (<-chan agentUpdate, func()) {
	ch := make(chan agentUpdate, 32)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.agents[ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.agents, ch)
	}
}

func (h *hub) publishAgents(u agentUpdate) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.agents {
		select {
		case ch <- u:
		default: // the console re-reads its queues periodically
		}
	}
}

// close tells every connection to go away (shutdown).
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}
