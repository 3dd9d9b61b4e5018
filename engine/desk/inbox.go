// Package desk is the human side of Parley: the inbox where agents take
// conversations the bot handed off, routing, and satisfaction answers. It
// changes records through the store and records each agent's part in the
// conversation as a locked turn of the engine, so data flows one way: desk ->
// engine -> dialog.
package desk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// Desk is the human side of one engine (one version of the policies). It is
// cheap to make: the server makes one per request for the engine serving it.
type Desk struct{ e *engine.Engine }

// New returns the desk of an engine.
func New(e *engine.Engine) *Desk { return &Desk{e: e} }

// Handoff statuses.
const (
	HandoffWaiting  = "waiting"
	HandoffAssigned = "assigned"
	HandoffReturned = "returned"
	HandoffClosed   = "closed"
	// HandoffCancelled: the customer left the queue before anyone took them.
	HandoffCancelled = "cancelled"
)

// HandoffStatuses are the statuses a handoff can have.
var HandoffStatuses = []string{HandoffWaiting, HandoffAssigned, HandoffReturned, HandoffClosed, HandoffCancelled}

// finished reports whether a handoff is over: nobody can take it any more.
func finished(status string) bool {
	return status == HandoffClosed || status == HandoffReturned || status == HandoffCancelled
}

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
	Handoffs    []QueuedHandoff `json:"handoffs"`
}

// QueuedHandoff is a waiting conversation with how long it has waited, so
// that an agent sees which of two that came together to take first.
type QueuedHandoff struct {
	store.Handoff
	WaitingSeconds int64 `json:"waiting_seconds"`
}

// Queues lists every queue of the bot with the conversations waiting in it.
func (d *Desk) Queues(ctx context.Context) ([]QueueView, error) {
	waiting, err := d.e.Store().Handoffs(ctx, store.HandoffFilter{Status: HandoffWaiting})
	if err != nil {
		return nil, fmt.Errorf("waiting handoffs: %w", err)
	}
	SortWaiting(waiting)
	now := d.e.Now()
	byQueue := map[string]*QueueView{}
	var out []*QueueView
	for _, name := range slices.Sorted(maps.Keys(d.e.Bot().Queues)) {
		q := d.e.Bot().Queues[name]
		v := &QueueView{Name: name, Skill: q.Skill, Handoffs: []QueuedHandoff{}}
		byQueue[name] = v
		out = append(out, v)
	}
	for _, h := range waiting {
		v := byQueue[h.Queue]
		if v == nil { // a queue removed from the policies still has people waiting
			v = &QueueView{Name: h.Queue, Handoffs: []QueuedHandoff{}}
			byQueue[h.Queue] = v
			out = append(out, v)
		}
		w := int64(WaitingFor(h, now).Seconds())
		v.Waiting++
		v.Handoffs = append(v.Handoffs, QueuedHandoff{Handoff: h, WaitingSeconds: w})
		v.OldestWaitS = max(v.OldestWaitS, w)
	}
	views := make([]QueueView, len(out))
	for i, v := range out {
		views[i] = *v
	}
	return views, nil
}

// Handoff loads one handoff.
func (d *Desk) Handoff(ctx context.Context, id string) (store.Handoff, error) {
	hs, err := d.e.Store().Handoffs(ctx, store.HandoffFilter{ID: id})
	if err != nil {
		return store.Handoff{}, fmt.Errorf("handoff %s: %w", id, err)
	}
	if len(hs) == 0 {
		return store.Handoff{}, fmt.Errorf("handoff %q: %w", id, store.ErrNotFound)
	}
	return hs[0], nil
}

// Claim gives a waiting conversation to an agent. Claiming one's own handoff
// again is a no-op, so a double click does not fail. An agent at their chat
// limit (max_chats) can't take another, whether they claim it or the router
// offers it.
func (d *Desk) Claim(ctx context.Context, id string, agent store.Agent, actor string) (store.Handoff, error) {
	if agent.Disabled {
		return store.Handoff{}, fmt.Errorf("%w: agent %s is disabled", engine.ErrForbidden, agent.ID)
	}
	if err := d.checkRoom(ctx, id, agent); err != nil {
		return store.Handoff{}, err
	}
	now := d.e.Now()
	h, err := d.e.Store().UpdateHandoff(ctx, id, func(h *store.Handoff) (store.AuditEntry, error) {
		switch {
		case finished(h.Status):
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is %s", store.ErrConflict, h.ID, h.Status)
		case h.Agent != "" && h.Agent != agent.ID:
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is with agent %s", store.ErrConflict, h.ID, h.Agent)
		}
		if h.Agent == agent.ID && h.Status == HandoffAssigned {
			// A double click: theirs already. Audited, as a repeated close is.
			return d.audit(actor, "handoff.claim.repeat", h, nil), nil
		}
		h.Agent, h.Status, h.UpdatedAt = agent.ID, HandoffAssigned, now
		h.History = append(h.History, store.StatusChange{Status: HandoffAssigned, Actor: actor, At: now, Note: "claimed by " + agent.ID})
		return d.audit(actor, "handoff.claim", h, map[string]any{"agent": agent.ID}), nil
	})
	if err != nil {
		return store.Handoff{}, err
	}
	// One key per claim: a double click joins once, a claim after a transfer
	// joins again.
	key := fmt.Sprintf("claim:%s:%s:%d", h.ID, agent.ID, claimCycle(h))
	_, err = d.e.Act(ctx, h.ConversationID, key, dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentJoined, Agent: agent.ID, Name: agent.Name}})
	return h, err
}

// checkRoom refuses a claim that would take an agent past their chat limit.
// Re-claiming a handoff they have already is not a new chat.
func (d *Desk) checkRoom(ctx context.Context, id string, agent store.Agent) error {
	if agent.ID == "local" || agent.ID == "admin" {
		return nil // the open mode's and the admin token's pseudo-agents have no chats to count
	}
	mine, err := d.e.Store().Handoffs(ctx, store.HandoffFilter{Agent: agent.ID, Status: HandoffAssigned})
	if err != nil {
		return fmt.Errorf("handoffs of %s: %w", agent.ID, err)
	}
	limit := maxChats(agent)
	if len(mine) < limit || slices.ContainsFunc(mine, func(h store.Handoff) bool { return h.ID == id }) {
		return nil
	}
	return fmt.Errorf("%w: %s has %d conversations, their limit (max_chats is %d); close or transfer one first", store.ErrConflict, agent.ID, len(mine), limit)
}

func maxChats(a store.Agent) int {
	if a.MaxChats <= 0 {
		return defaultMaxChats
	}
	return a.MaxChats
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
	if finished(h.Status) {
		return fmt.Errorf("%w: handoff %s is %s", store.ErrConflict, h.ID, h.Status)
	}
	if h.Status != HandoffAssigned {
		return fmt.Errorf("%w: handoff %s is %s; claim it first", store.ErrConflict, h.ID, h.Status)
	}
	if h.Agent != agent.ID && RoleRank(agent.Role) < RoleRank(RoleSupervisor) {
		return fmt.Errorf("%w: handoff %s is with agent %s", engine.ErrForbidden, h.ID, h.Agent)
	}
	return nil
}

// mayChange checks that agent may transfer, hand back or close h: the agent
// holding it, or a supervisor (who may also act on a waiting one). An agent
// must claim a waiting handoff first: otherwise anyone could close a customer's
// request nobody has read.
func mayChange(h store.Handoff, agent store.Agent) error {
	switch {
	case RoleRank(agent.Role) >= RoleRank(RoleSupervisor), h.Agent != "" && h.Agent == agent.ID:
		return nil
	case h.Agent == "":
		return fmt.Errorf("%w: handoff %s is %s; claim it first", store.ErrConflict, h.ID, h.Status)
	}
	return fmt.Errorf("%w: handoff %s is with agent %s", engine.ErrForbidden, h.ID, h.Agent)
}

// AgentReply sends an agent's message to the customer. clientID makes a retried
// send one message.
func (d *Desk) AgentReply(ctx context.Context, id string, agent store.Agent, text, clientID string) (*engine.TurnResult, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%w: text is empty", engine.ErrInvalidInput)
	}
	if len(text) > engine.MaxMessageBytes {
		return nil, fmt.Errorf("%w: a message is at most %d bytes", engine.ErrMessageTooLarge, engine.MaxMessageBytes)
	}
	h, err := d.Handoff(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mustHold(h, agent); err != nil {
		return nil, err
	}
	return d.e.ActOnce(ctx, h.ConversationID, agentKey("reply", agent.ID, clientID), legacyAgentKey("reply", clientID), dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentMessage, Agent: agent.ID, Name: agent.Name, Text: text}})
}

// AgentNote adds an internal note that only agents see. Like a reply, it is
// the holder's (or a supervisor's) to add, while the handoff is assigned: a
// note in another agent's conversation, or in a closed one, would be read as
// theirs.
func (d *Desk) AgentNote(ctx context.Context, id string, agent store.Agent, text, clientID string) (*engine.TurnResult, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%w: text is empty", engine.ErrInvalidInput)
	}
	h, err := d.Handoff(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mustHold(h, agent); err != nil {
		return nil, err
	}
	return d.e.ActOnce(ctx, h.ConversationID, agentKey("note", agent.ID, clientID), legacyAgentKey("note", clientID), dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentNote, Agent: agent.ID, Name: agent.Name, Text: text}})
}

// agentKey scopes an agent's client id to the agent: two agents in one
// conversation may send the same id (each console numbers its own
// messages), and the second is no retry of the first.
func agentKey(kind, agentID, clientID string) string {
	if clientID == "" {
		return ""
	}
	return "agent-" + kind + ":" + agentID + ":" + clientID
}

// legacyAgentKey is the key before it was scoped to the agent, checked so
// that a retry of a message sent before the change is still one message;
// a customer's rating, which no agent sends, keeps it.
func legacyAgentKey(kind, clientID string) string {
	if clientID == "" {
		return ""
	}
	return "agent-" + kind + ":" + clientID
}

// Transfer puts a conversation back to waiting, in another queue.
func (d *Desk) Transfer(ctx context.Context, id string, agent store.Agent, queue, note string) (store.Handoff, error) {
	q, ok := d.e.Bot().Queues[queue]
	if !ok {
		return store.Handoff{}, fmt.Errorf("%w: there is no queue %q (queues: %s)", engine.ErrInvalidInput, queue, strings.Join(slices.Sorted(maps.Keys(d.e.Bot().Queues)), ", "))
	}
	now := d.e.Now()
	actor := "agent:" + agent.ID
	repeat := false
	h, err := d.e.Store().UpdateHandoff(ctx, id, func(h *store.Handoff) (store.AuditEntry, error) {
		if finished(h.Status) {
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is %s", store.ErrConflict, h.ID, h.Status)
		}
		if h.Status == HandoffWaiting && h.Queue == queue {
			// A double click: the first transfer put it there already.
			repeat = true
			return d.audit(actor, "handoff.transfer.repeat", h, nil), nil
		}
		if err := mayChange(*h, agent); err != nil {
			return store.AuditEntry{}, err
		}
		from := h.Queue
		h.Queue, h.Skill, h.Agent, h.Status, h.UpdatedAt = queue, q.Skill, "", HandoffWaiting, now
		h.History = append(h.History, store.StatusChange{Status: HandoffWaiting, Actor: actor, At: now, Note: fmt.Sprintf("transferred from %s to %s: %s", from, queue, note)})
		return d.audit(actor, "handoff.transfer", h, map[string]any{"from": from, "to": queue, "note": note}), nil
	})
	if err != nil || repeat {
		return h, err
	}
	_, err = d.e.Act(ctx, h.ConversationID, "", dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentTransferred, Agent: agent.ID, Name: agent.Name, Queue: queue, Text: note}})
	return h, err
}

// CloseHandoff ends the agent's part: the conversation goes back to the bot,
// which asks the customer how it went. The result holds that question (none
// when this was a repeat), for channels that deliver it.
func (d *Desk) CloseHandoff(ctx context.Context, id string, agent store.Agent, note string) (store.Handoff, *engine.TurnResult, error) {
	return d.finishHandoff(ctx, id, agent, note, HandoffClosed)
}

// Return gives the conversation back to the bot without a survey: the agent has
// not finished helping, the bot can take it from here.
func (d *Desk) Return(ctx context.Context, id string, agent store.Agent, note string) (store.Handoff, error) {
	h, _, err := d.finishHandoff(ctx, id, agent, note, HandoffReturned)
	return h, err
}

// finishHandoff records the status, then gives the conversation back to the
// bot. A retry (after a crash between the two, or a double click) repeats both
// safely: the status is already set, and the conversation's part is keyed by
// the handoff, so it happens once.
func (d *Desk) finishHandoff(ctx context.Context, id string, agent store.Agent, note, status string) (store.Handoff, *engine.TurnResult, error) {
	now := d.e.Now()
	actor := "agent:" + agent.ID
	h, err := d.e.Store().UpdateHandoff(ctx, id, func(h *store.Handoff) (store.AuditEntry, error) {
		if h.Status == status {
			return d.audit(actor, "handoff."+status+".repeat", h, nil), nil
		}
		if finished(h.Status) {
			return store.AuditEntry{}, fmt.Errorf("%w: handoff %s is %s", store.ErrConflict, h.ID, h.Status)
		}
		if err := mayChange(*h, agent); err != nil {
			return store.AuditEntry{}, err
		}
		h.Status, h.UpdatedAt = status, now
		h.History = append(h.History, store.StatusChange{Status: status, Actor: actor, At: now, Note: note})
		return d.audit(actor, "handoff."+status, h, map[string]any{"note": note}), nil
	})
	if err != nil {
		return h, nil, err
	}
	in := dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentClosed, Agent: agent.ID, Name: agent.Name, Text: note, Survey: status == HandoffClosed}}
	if status == HandoffReturned {
		in = dialog.Input{HandBack: &dialog.HandBack{Agent: agent.ID, Note: note}}
	}
	res, err := d.e.Act(ctx, h.ConversationID, "finish:"+h.ID, in)
	return h, res, err
}

// RecordSatisfaction stores a survey answer given outside the chat (the web
// chat's rating buttons). Only a survey the bot asked can be answered, once;
// clientID makes a retried post the same answer.
func (d *Desk) RecordSatisfaction(ctx context.Context, conversationID string, score int, comment, clientID string) error {
	if score < 1 || score > 5 {
		return fmt.Errorf("%w: score must be from 1 to 5", engine.ErrInvalidInput)
	}
	if len(comment) > engine.MaxMessageBytes {
		return fmt.Errorf("%w: comment is over %d bytes", engine.ErrMessageTooLarge, engine.MaxMessageBytes)
	}
	res, err := d.e.Act(ctx, conversationID, legacyAgentKey("rating", clientID), dialog.Input{Satisfaction: &dialog.SatisfactionAnswer{Score: score, Comment: comment}})
	if err != nil {
		return err
	}
	if res.Satisfaction == 0 {
		return fmt.Errorf("%w: no survey is waiting for an answer in this conversation", store.ErrConflict)
	}
	return nil
}

// audit makes the audit entry of an agent's action on a handoff.
func (d *Desk) audit(actor, action string, h *store.Handoff, detail map[string]any) store.AuditEntry {
	if detail == nil {
		detail = map[string]any{}
	}
	detail["handoff"] = engine.ID(h.ID)
	detail["queue"] = h.Queue
	return d.e.Audit(actor, action, h.ConversationID, detail)
}

// Route hands waiting conversations to available agents: online, enabled,
// with auto-assignment on (see AutoAssign), with the queue's skill, below their
// chat limit, and not the agent who transferred the conversation away. The
// agent who served the customer last gets them back when they can; otherwise
// the least busy agent does. It returns the handoffs it assigned.
func (d *Desk) Route(ctx context.Context) ([]store.Handoff, error) {
	agents, err := d.e.Store().Agents(ctx)
	if err != nil {
		return nil, fmt.Errorf("agents: %w", err)
	}
	load := map[string]int{}
	var online []store.Agent
	for _, a := range agents {
		if on, _ := AutoAssign(a, d.e.Bot()); on && a.Status == store.AgentOnline && !a.Disabled && RoleRank(a.Role) > 0 {
			online = append(online, a)
		}
	}
	if len(online) == 0 {
		return nil, nil
	}
	assigned, err := d.e.Store().Handoffs(ctx, store.HandoffFilter{Status: HandoffAssigned})
	if err != nil {
		return nil, fmt.Errorf("assigned handoffs: %w", err)
	}
	for _, h := range assigned {
		load[h.Agent]++
	}
	waiting, err := d.e.Store().Handoffs(ctx, store.HandoffFilter{Status: HandoffWaiting})
	if err != nil {
		return nil, fmt.Errorf("waiting handoffs: %w", err)
	}
	SortWaiting(waiting)
	var routed []store.Handoff
	for _, h := range waiting {
		previous := d.previousAgent(ctx, h)
		away := transferredBy(h)
		var best *store.Agent
		for i := range online {
			a := &online[i]
			if load[a.ID] >= maxChats(*a) || !hasSkill(*a, h) || away[a.ID] {
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
		got, err := d.Claim(ctx, h.ID, *best, "router")
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

// transferredBy lists the agents who transferred h away: it must not bounce
// back to them (they sent it to people with another skill, or a supervisor).
func transferredBy(h store.Handoff) map[string]bool {
	out := map[string]bool{}
	for _, ch := range h.History {
		// Only a transfer puts a handoff an agent had back to waiting.
		if ch.Status == HandoffWaiting && strings.HasPrefix(ch.Actor, "agent:") {
			out[strings.TrimPrefix(ch.Actor, "agent:")] = true
		}
	}
	return out
}

// previousAgent is the agent who last served this customer, if any.
func (d *Desk) previousAgent(ctx context.Context, h store.Handoff) string {
	if h.CustomerID == "" {
		return ""
	}
	past, err := d.e.Store().Handoffs(ctx, store.HandoffFilter{CustomerID: h.CustomerID, Statuses: []string{HandoffClosed, HandoffReturned, HandoffAssigned}})
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

// ReasonText is what the bot's author wrote about the handoff policy or rule
// named reason (its description), "" when they wrote nothing: "stuck" or
// "refund_supervisor" tells an agent less than "The bot failed to understand
// three times in a row".
func ReasonText(bot *policies.Bot, reason string) string {
	for _, p := range bot.Handoffs {
		if p.Name == reason {
			return p.Description
		}
	}
	for _, r := range bot.Rules {
		if r.Name == reason {
			return r.Description
		}
	}
	return ""
}

// WaitingFor is how long a handoff has waited, for the console.
func WaitingFor(h store.Handoff, now time.Time) time.Duration {
	if h.Status != HandoffWaiting {
		return 0
	}
	return now.Sub(h.CreatedAt)
}
