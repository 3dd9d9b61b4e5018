package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
)

// Handoff statuses.
const (
	HandoffWaiting  = "waiting"
	HandoffAssigned = "assigned"
	HandoffReturned = "returned"
	HandoffClosed   = "closed"
)

// Agent roles, weakest first.
const (
	RoleAgent      = store.RoleAgent
	RoleSupervisor = store.RoleSupervisor
	RoleAdmin      = store.RoleAdmin
)

// defaultMaxChats is how many conversations an agent takes at once when their
// record does not say.
const defaultMaxChats = store.DefaultMaxChats

// RoleRank orders roles so that a check can ask for "at least supervisor".
func RoleRank(role string) int {
	switch role {
	case RoleAgent:
		return 1
	case RoleSupervisor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// priorityRank orders waiting conversations: urgent first, then high (VIP and
// angry customers), normal, low.
func priorityRank(p string) int {
	switch p {
	case "urgent":
		return 0
	case "high":
		return 1
	case "low":
		return 3
	}
	return 2
}

// SortWaiting orders handoffs as agents should take them: priority, then the
// longest wait.
func SortWaiting(hs []store.Handoff) {
	sort.SliceStable(hs, func(i, j int) bool {
		pi, pj := priorityRank(hs[i].Priority), priorityRank(hs[j].Priority)
		if pi != pj {
			return pi < pj
		}
		return hs[i].CreatedAt.Before(hs[j].CreatedAt)
	})
}

// QueueView is a queue as the agent console shows it.
type QueueView struct {
	Name        string          `json:"name"`
	Skill       string          `json:"skill"`
	Waiting     int             `json:"waiting"`
	OldestWaitS int64           `json:"oldest_wait_seconds"`
	Handoffs    []store.Handoff `json:"handoffs"`
}

// Queues lists every queue of the bot with the conversations waiting in it.
func (e *Engine) Queues(ctx context.Context) ([]QueueView, error) {
	waiting, err := e.store.Handoffs(ctx, store.HandoffFilter{Status: HandoffWaiting})
	if err != nil {
		return nil, fmt.Errorf("waiting handoffs: %w", err)
	}
	SortWaiting(waiting)
	now := e.clock()
	byQueue := map[string]*QueueView{}
	var out []*QueueView
	for _, name := range sortedKeys(e.bot.Queues) {
		q := e.bot.Queues[name]
		v := &QueueView{Name: name, Skill: q.Skill, Handoffs: []store.Handoff{}}
		byQueue[name] = v
		out = append(out, v)
	}
	for _, h := range waiting {
		v := byQueue[h.Queue]
		if v == nil { // a queue removed from the policies still has people waiting
			v = &QueueView{Name: h.Queue, Handoffs: []store.Handoff{}}
			byQueue[h.Queue] = v
			out = append(out, v)
		}
		v.Waiting++
		v.Handoffs = append(v.Handoffs, h)
		if w := int64(now.Sub(h.CreatedAt).Seconds()); w > v.OldestWaitS {
			v.OldestWaitS = w
		}
	}
	views := make([]QueueView, len(out))
	for i, v := range out {
		views[i] = *v
	}
	return views, nil
}

// Handoff loads one handoff.
func (e *Engine) Handoff(ctx context.Context, id string) (store.Handoff, error) {
	hs, err := e.store.Handoffs(ctx, store.HandoffFilter{})
	if err != nil {
		return store.Handoff{}, fmt.Errorf("handoffs: %w", err)
	}
	for _, h := range hs {
		if h.ID == id {
			return h, nil
		}
	}
	return store.Handoff{}, fmt.Errorf("handoff %q: %w", id, store.ErrNotFound)
}

// Claim gives a waiting conversation to an agent. Claiming one's own handoff
// again is a no-op, so a double click does not fail.
func (e *Engine) Claim(ctx context.Context, id string, agent store.Agent, actor string) (store.Handoff, error) {
	now := e.clock()
	h, err := e.store.UpdateHandoff(ctx, id, func(h *store.Handoff) (store.AuditEntry, error) {
		switch {
		case h.Status == HandoffClosed || h.Status == HandoffReturned:
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is %s", store.ErrConflict, h.ID, h.Status)
		case h.Agent != "" && h.Agent != agent.ID:
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is with agent %s", store.ErrConflict, h.ID, h.Agent)
		}
		h.Agent, h.Status, h.UpdatedAt = agent.ID, HandoffAssigned, now
		h.History = append(h.History, store.StatusChange{Status: HandoffAssigned, Actor: actor, At: now, Note: "claimed by " + agent.ID})
		return e.inboxAudit(actor, "handoff.claim", h, map[string]any{"agent": agent.ID}), nil
	})
	if err != nil {
		return store.Handoff{}, err
	}
	// One key per claim: a double click joins once, a claim after a transfer
	// joins again.
	key := fmt.Sprintf("claim:%s:%s:%d", h.ID, agent.ID, claimCycle(h))
	_, err = e.act(ctx, h.ConversationID, key, dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentJoined, Agent: agent.ID, Name: agent.Name}}, nil)
	return h, err
}

// claimCycle counts the handoff's returns to waiting (transfers), so each
// claim of it has its own idempotency key.
func claimCycle(h store.Handoff) int {
	n := 0
	for _, ch := range h.History {
		if ch.Status == HandoffWaiting {
			n++
		}
	}
	return n
}

// mustHold checks that agent may act on h: it is theirs, or they supervise.
func mustHold(h store.Handoff, agent store.Agent) error {
	if h.Status != HandoffAssigned {
		return fmt.Errorf("%w: handoff %s is %s; claim it first", store.ErrConflict, h.ID, h.Status)
	}
	if h.Agent != agent.ID && RoleRank(agent.Role) < RoleRank(RoleSupervisor) {
		return fmt.Errorf("%w: handoff %s is with agent %s", ErrForbidden, h.ID, h.Agent)
	}
	return nil
}

// AgentReply sends an agent's message to the customer. clientID makes a retried
// send one message.
func (e *Engine) AgentReply(ctx context.Context, id string, agent store.Agent, text, clientID string) (*TurnResult, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%w: text is empty", ErrInvalidInput)
	}
	if len(text) > MaxMessageBytes {
		return nil, fmt.Errorf("%w: a message is at most %d bytes", ErrMessageTooLarge, MaxMessageBytes)
	}
	h, err := e.Handoff(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mustHold(h, agent); err != nil {
		return nil, err
	}
	return e.act(ctx, h.ConversationID, agentKey("reply", clientID), dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentMessage, Agent: agent.ID, Name: agent.Name, Text: text}}, nil)
}

// AgentNote adds an internal note that only agents see.
func (e *Engine) AgentNote(ctx context.Context, id string, agent store.Agent, text, clientID string) (*TurnResult, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%w: text is empty", ErrInvalidInput)
	}
	h, err := e.Handoff(ctx, id)
	if err != nil {
		return nil, err
	}
	return e.act(ctx, h.ConversationID, agentKey("note", clientID), dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentNote, Agent: agent.ID, Name: agent.Name, Text: text}}, nil)
}

func agentKey(kind, clientID string) string {
	if clientID == "" {
		return ""
	}
	return "agent-" + kind + ":" + clientID
}

// Transfer puts a conversation back to waiting, in another queue.
func (e *Engine) Transfer(ctx context.Context, id string, agent store.Agent, queue, note string) (store.Handoff, error) {
	q, ok := e.bot.Queues[queue]
	if !ok {
		return store.Handoff{}, fmt.Errorf("%w: there is no queue %q (queues: %s)", ErrInvalidInput, queue, strings.Join(sortedKeys(e.bot.Queues), ", "))
	}
	now := e.clock()
	actor := "agent:" + agent.ID
	h, err := e.store.UpdateHandoff(ctx, id, func(h *store.Handoff) (store.AuditEntry, error) {
		if h.Status == HandoffClosed || h.Status == HandoffReturned {
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is %s", store.ErrConflict, h.ID, h.Status)
		}
		if h.Agent != "" && h.Agent != agent.ID && RoleRank(agent.Role) < RoleRank(RoleSupervisor) {
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is with agent %s", ErrForbidden, h.ID, h.Agent)
		}
		from := h.Queue
		h.Queue, h.Skill, h.Agent, h.Status, h.UpdatedAt = queue, q.Skill, "", HandoffWaiting, now
		h.History = append(h.History, store.StatusChange{Status: HandoffWaiting, Actor: actor, At: now, Note: fmt.Sprintf("transferred from %s to %s: %s", from, queue, note)})
		return e.inboxAudit(actor, "handoff.transfer", h, map[string]any{"from": from, "to": queue, "note": note}), nil
	})
	if err != nil {
		return store.Handoff{}, err
	}
	_, err = e.act(ctx, h.ConversationID, "", dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentTransferred, Agent: agent.ID, Name: agent.Name, Queue: queue, Text: note}}, nil)
	return h, err
}

// CloseHandoff ends the agent's part: the conversation goes back to the bot,
// which asks the customer how it went. The result holds that question (none
// when this was a repeat), for channels that deliver it.
func (e *Engine) CloseHandoff(ctx context.Context, id string, agent store.Agent, note string) (store.Handoff, *TurnResult, error) {
	return e.finishHandoff(ctx, id, agent, note, HandoffClosed)
}

// Return gives the conversation back to the bot without a survey: the agent has
// not finished helping, the bot can take it from here.
func (e *Engine) Return(ctx context.Context, id string, agent store.Agent, note string) (store.Handoff, error) {
	h, _, err := e.finishHandoff(ctx, id, agent, note, HandoffReturned)
	return h, err
}

// finishHandoff records the status, then gives the conversation back to the
// bot. A retry (after a crash between the two, or a double click) repeats both
// safely: the status is already set, and the conversation's part is keyed by
// the handoff, so it happens once.
func (e *Engine) finishHandoff(ctx context.Context, id string, agent store.Agent, note, status string) (store.Handoff, *TurnResult, error) {
	now := e.clock()
	actor := "agent:" + agent.ID
	h, err := e.store.UpdateHandoff(ctx, id, func(h *store.Handoff) (store.AuditEntry, error) {
		if h.Status == status {
			return e.inboxAudit(actor, "handoff."+status+".repeat", h, nil), nil
		}
		if h.Status == HandoffClosed || h.Status == HandoffReturned {
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is %s", store.ErrConflict, h.ID, h.Status)
		}
		if h.Agent != "" && h.Agent != agent.ID && RoleRank(agent.Role) < RoleRank(RoleSupervisor) {
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is with agent %s", ErrForbidden, h.ID, h.Agent)
		}
		h.Status, h.UpdatedAt = status, now
		h.History = append(h.History, store.StatusChange{Status: status, Actor: actor, At: now, Note: note})
		return e.inboxAudit(actor, "handoff."+status, h, map[string]any{"note": note}), nil
	})
	if err != nil {
		return h, nil, err
	}
	in := dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentClosed, Agent: agent.ID, Name: agent.Name, Text: note, Survey: status == HandoffClosed}}
	if status == HandoffReturned {
		in = dialog.Input{HandBack: &dialog.HandBack{Agent: agent.ID, Note: note}}
	}
	res, err := e.act(ctx, h.ConversationID, "finish:"+h.ID, in, nil)
	return h, res, err
}

// RecordSatisfaction stores a survey answer given outside the chat (the web
// chat's rating buttons). Only a survey the bot asked can be answered, once;
// clientID makes a retried post the same answer.
func (e *Engine) RecordSatisfaction(ctx context.Context, conversationID string, score int, comment, clientID string) error {
	if score < 1 || score > 5 {
		return fmt.Errorf("%w: score must be from 1 to 5", ErrInvalidInput)
	}
	if len(comment) > MaxMessageBytes {
		return fmt.Errorf("%w: comment is over %d bytes", ErrMessageTooLarge, MaxMessageBytes)
	}
	res, err := e.act(ctx, conversationID, agentKey("rating", clientID), dialog.Input{Satisfaction: &dialog.SatisfactionAnswer{Score: score, Comment: comment}}, nil)
	if err != nil {
		return err
	}
	if res.Satisfaction == 0 {
		return fmt.Errorf("%w: no survey is waiting for an answer in this conversation", store.ErrConflict)
	}
	return nil
}

func (e *Engine) inboxAudit(actor, action string, h *store.Handoff, detail map[string]any) store.AuditEntry {
	if detail == nil {
		detail = map[string]any{}
	}
	detail["handoff"] = h.ID
	detail["queue"] = h.Queue
	raw := mustJSON(maskValue(e.masker, detail))
	return store.AuditEntry{At: e.clock(), Actor: actor, Action: action, ConversationID: h.ConversationID, Detail: raw}
}

// Route hands waiting conversations to available agents: online, with the
// queue's skill, below their chat limit. The agent who served the customer last
// gets them back when they can; otherwise the least busy agent does. It returns
// the handoffs it assigned.
func (e *Engine) Route(ctx context.Context) ([]store.Handoff, error) {
	agents, err := e.store.Agents(ctx)
	if err != nil {
		return nil, fmt.Errorf("agents: %w", err)
	}
	load := map[string]int{}
	var online []store.Agent
	for _, a := range agents {
		if a.Status == "online" && RoleRank(a.Role) > 0 {
			online = append(online, a)
		}
	}
	if len(online) == 0 {
		return nil, nil
	}
	assigned, err := e.store.Handoffs(ctx, store.HandoffFilter{Status: HandoffAssigned})
	if err != nil {
		return nil, fmt.Errorf("assigned handoffs: %w", err)
	}
	for _, h := range assigned {
		load[h.Agent]++
	}
	waiting, err := e.store.Handoffs(ctx, store.HandoffFilter{Status: HandoffWaiting})
	if err != nil {
		return nil, fmt.Errorf("waiting handoffs: %w", err)
	}
	SortWaiting(waiting)
	var routed []store.Handoff
	for _, h := range waiting {
		previous := e.previousAgent(ctx, h)
		var best *store.Agent
		for i := range online {
			a := &online[i]
			limit := a.MaxChats
			if limit <= 0 {
				limit = defaultMaxChats
			}
			if load[a.ID] >= limit || !hasSkill(*a, h) {
				continue
			}
			if a.ID == previous {
				best = a
				break
			}
			if best == nil || load[a.ID] < load[best.ID] {
				best = a
			}
		}
		if best == nil {
			continue
		}
		got, err := e.Claim(ctx, h.ID, *best, "router")
		if errors.Is(err, store.ErrConflict) {
			continue // an agent claimed it by hand meanwhile
		}
		if err != nil {
			return routed, err
		}
		load[best.ID]++
		routed = append(routed, got)
	}
	return routed, nil
}

// hasSkill: an agent with no skills takes any queue; otherwise one of their
// skills must be the queue's skill or its name.
func hasSkill(a store.Agent, h store.Handoff) bool {
	if len(a.Skills) == 0 {
		return true
	}
	return slices.Contains(a.Skills, h.Skill) || slices.Contains(a.Skills, h.Queue)
}

// previousAgent is the agent who last served this customer, if any.
func (e *Engine) previousAgent(ctx context.Context, h store.Handoff) string {
	if h.CustomerID == "" {
		return ""
	}
	past, err := e.store.Handoffs(ctx, store.HandoffFilter{CustomerID: h.CustomerID, Statuses: []string{HandoffClosed, HandoffReturned, HandoffAssigned}})
	if err != nil {
		return ""
	}
	for i := len(past) - 1; i >= 0; i-- {
		if past[i].Agent != "" && past[i].ID != h.ID {
			return past[i].Agent
		}
	}
	return ""
}

// act runs one locked turn for something other than a customer message: an
// agent's action, a survey answer or a hand-back. clientID, when set, makes it
// idempotent. record, when not nil, adds to the turn's record after the dialog
// has run and before the commit, for writes the dialog knows nothing of.
func (e *Engine) act(ctx context.Context, conversationID, clientID string, in dialog.Input, record func(t *turn)) (*TurnResult, error) {
	tx, err := e.store.Begin(ctx, conversationID)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
	defer cancel()
	defer tx.Rollback(ctx)
	if res, done, err := processedResult(ctx, tx, clientID); err != nil || done {
		return res, err
	}
	conv := tx.Conversation()
	if conv.LastSeq == 0 {
		return nil, fmt.Errorf("conversation %q: %w", conversationID, store.ErrNotFound)
	}
	st, err := e.restore(conv)
	if err != nil {
		return nil, err
	}
	now := e.clock()
	t := &turn{e: e, tx: tx, conv: conv, now: now, msg: Message{ConversationID: conversationID, ClientMessageID: clientID, Channel: conv.Channel, CustomerID: conv.CustomerID}}
	t.result.ConversationID = conversationID
	in.Now = now
	var events []dialog.Event
	st, err = t.run(ctx, st, in, &events)
	if err != nil {
		return nil, err
	}
	if err := t.finish(ctx, st, events); err != nil {
		return nil, err
	}
	if record != nil {
		record(t)
	}
	if err := tx.Commit(ctx, t.rec); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return &t.result, nil
}

// processedResult is the result of the turn already done for clientID, marked
// Duplicate, so that a redelivery does nothing again; done is false when no
// turn has had that id (or there is none).
func processedResult(ctx context.Context, tx store.Tx, clientID string) (res *TurnResult, done bool, err error) {
	if clientID == "" {
		return nil, false, nil
	}
	raw, ok, err := tx.Processed(ctx, clientID)
	if err != nil {
		return nil, false, fmt.Errorf("check redelivery: %w", err)
	}
	if !ok {
		return nil, false, nil
	}
	res = &TurnResult{}
	if err := json.Unmarshal(raw, res); err != nil {
		return nil, false, fmt.Errorf("decode stored result: %w", err)
	}
	res.Duplicate = true
	return res, true, nil
}

// WaitingFor is how long a handoff has waited, for the console.
func WaitingFor(h store.Handoff, now time.Time) time.Duration {
	if h.Status != HandoffWaiting {
		return 0
	}
	return now.Sub(h.CreatedAt)
}
