package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/websocket"

	"github.com/parleyhq/parley/engine/store"
)

// routesAgent is the human-handoff inbox: agents list queues, claim
// conversations, reply, note, transfer, hand back and close. Every action is
// audited with the agent's id.
func (s *Server) routesAgent() {
	g := s.echo.Group("/v1/agent", s.requireRole(desk.RoleAgent))
	g.GET("/me", s.getMe)
	g.PUT("/me/status", s.putMyStatus)
	g.GET("/queues", s.getQueues)
	g.GET("/handoffs", s.listHandoffs)
	g.GET("/handoffs/:id", s.getHandoff)
	g.POST("/handoffs/:id/claim", s.agentAction(func(ctx context.Context, e *engine.Engine, id string, a store.Agent, req agentRequest) (any, error) {
		return desk.New(e).Claim(ctx, id, a, "agent:"+a.ID)
	}))
	g.POST("/handoffs/:id/reply", s.agentAction(func(ctx context.Context, e *engine.Engine, id string, a store.Agent, req agentRequest) (any, error) {
		res, err := desk.New(e).AgentReply(ctx, id, a, req.Text, req.ClientMessageID)
		if err != nil {
			return nil, err
		}
		s.deliverAgentText(ctx, e, res.ConversationID, a, req.Text, req.ClientMessageID, res.Duplicate)
		return s.lastItem(ctx, res)
	}))
	g.POST("/handoffs/:id/note", s.agentAction(func(ctx context.Context, e *engine.Engine, id string, a store.Agent, req agentRequest) (any, error) {
		res, err := desk.New(e).AgentNote(ctx, id, a, req.Text, req.ClientMessageID)
		if err != nil {
			return nil, err
		}
		return s.lastItem(ctx, res)
	}))
	g.POST("/handoffs/:id/transfer", s.agentAction(func(ctx context.Context, e *engine.Engine, id string, a store.Agent, req agentRequest) (any, error) {
		if req.Queue == "" {
			return nil, fmt.Errorf("%w: queue is required", engine.ErrInvalidInput)
		}
		return desk.New(e).Transfer(ctx, id, a, req.Queue, req.Note)
	}))
	g.POST("/handoffs/:id/assign", s.agentAction(func(ctx context.Context, e *engine.Engine, id string, a store.Agent, req agentRequest) (any, error) {
		return desk.New(e).Assign(ctx, id, a, req.Agent, req.Note)
	}))
	g.POST("/handoffs/:id/handback", s.agentAction(func(ctx context.Context, e *engine.Engine, id string, a store.Agent, req agentRequest) (any, error) {
		return desk.New(e).Return(ctx, id, a, req.Note)
	}))
	g.POST("/handoffs/:id/close", s.agentAction(func(ctx context.Context, e *engine.Engine, id string, a store.Agent, req agentRequest) (any, error) {
		h, res, err := desk.New(e).CloseHandoff(ctx, id, a, req.Note)
		if err != nil {
			return nil, err
		}
		if res != nil {
			// The survey question goes out on SMS or email; the web chat
			// reads it. A retried close re-records it if a crash lost it.
			s.deliver(ctx, h.ConversationID, surveyMessageID(h.ConversationID, h.ID), res.Replies, res.Duplicate)
		}
		return h, nil
	}))
	g.GET("/ws", s.agentSocket)
}

type agentRequest struct {
	Text            string `json:"text"`
	ClientMessageID string `json:"client_message_id"`
	Queue           string `json:"queue"`
	Agent           string `json:"agent"` // whom a supervisor assigns it to
	Note            string `json:"note"`
}

func (s *Server) agentAction(do func(ctx context.Context, e *engine.Engine, id string, a store.Agent, req agentRequest) (any, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req agentRequest
		if c.Request().ContentLength != 0 {
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
		}
		// A reply or a note is keyed by the header too, as a customer's
		// message and a ticket change are: a client that retries with it
		// must not send the customer the same words twice.
		if req.ClientMessageID == "" {
			req.ClientMessageID = c.Request().Header.Get("Idempotency-Key")
		}
		if len(req.ClientMessageID) > 200 {
			return fmt.Errorf("%w: client_message_id (Idempotency-Key) is longer than 200 characters", engine.ErrInvalidInput)
		}
		e, release := s.acquire()
		defer release()
		out, err := do(c.Request().Context(), e, c.Param("id"), agentOf(c), req)
		if err != nil {
			return err
		}
		if h, ok := out.(store.Handoff); ok {
			s.hub.publishConversation(h.ConversationID)
			s.hub.publishAgents(agentUpdate{Type: "queue_changed", HandoffID: h.ID, ConversationID: h.ConversationID})
			return c.JSON(http.StatusOK, s.handoffView(c.Request().Context(), e, h, false, agentOf(c)))
		}
		return c.JSON(http.StatusOK, out)
	}
}

// lastItem is the item an agent action added, for the console to show at once:
// the last one up to the turn's own last event (the customer may have written
// since).
func (s *Server) lastItem(ctx context.Context, res *engine.TurnResult) (any, error) {
	s.hub.publishConversation(res.ConversationID)
	s.hub.publishAgents(agentUpdate{Type: "conversation_changed", ConversationID: res.ConversationID})
	evs, err := s.store.Events(ctx, res.ConversationID, max(0, res.LastSeq-1), 1)
	if err != nil {
		return nil, err
	}
	items, err := engine.Transcript(evs, true)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return map[string]any{"item": nil}, nil
	}
	return map[string]any{"item": items[len(items)-1]}, nil
}

type agentView struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Skills   []string `json:"skills"`
	Status   string   `json:"status"`
	MaxChats int      `json:"max_chats"`
	Disabled bool     `json:"disabled"`
	// AutoAssign says whether the router gives this agent conversations
	// without their asking, and whose setting decides it.
	AutoAssign autoAssignView `json:"auto_assign"`
	HasKey     bool           `json:"has_key"`
}

type autoAssignView struct {
	On      bool   `json:"on"`
	Setting string `json:"setting"` // on, off, or default (the server's)
	Source  string `json:"source"`  // agent or server
}

func (s *Server) viewAgent(a store.Agent) agentView {
	max := a.MaxChats
	if max <= 0 {
		max = store.DefaultMaxChats
	}
	on, source := desk.AutoAssign(a, s.Engine().Bot())
	setting := a.AutoAssign
	if setting == "" {
		setting = "default"
	}
	return agentView{ID: a.ID, Name: a.Name, Role: a.Role, Skills: nonNil(a.Skills), Status: a.Status, MaxChats: max,
		Disabled: a.Disabled, AutoAssign: autoAssignView{On: on, Setting: setting, Source: source}, HasKey: a.KeyHash != ""}
}

// getMe is the signed-in agent, and the bot's time zone, which the console
// shows every time in.
func (s *Server) getMe(c echo.Context) error {
	return c.JSON(http.StatusOK, struct {
		agentView
		TimeZone string `json:"time_zone"`
	}{s.viewAgent(agentOf(c)), s.Engine().Bot().Location().String()})
}

func (s *Server) putMyStatus(c echo.Context) error {
	var req struct {
		Status string `json:"status"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if !slices.Contains([]string{"online", "busy", "offline"}, req.Status) {
		return fmt.Errorf("%w: status must be online, busy or offline", engine.ErrInvalidInput)
	}
	me := agentOf(c)
	if me.ID == "admin" {
		return fmt.Errorf("%w: the %s key is not an agent; create agents with POST /v1/admin/agents", engine.ErrInvalidInput, me.ID)
	}
	a, err := s.store.SetAgentStatus(c.Request().Context(), me.ID, req.Status, s.Engine().Now())
	if err != nil {
		return err
	}
	// Going online brings conversations only to an agent whose auto-assignment
	// is on (the router checks): never without their knowing.
	if on, _ := desk.AutoAssign(a, s.Engine().Bot()); on && req.Status == "online" {
		go s.route(context.WithoutCancel(c.Request().Context()))
	}
	return c.JSON(http.StatusOK, s.viewAgent(a))
}

func (s *Server) getQueues(c echo.Context) error {
	qs, err := desk.New(s.Engine()).Queues(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"queues": nonNil(qs)})
}

// handoffListLimit is how many handoffs a list that can grow without end
// (no status, or a finished one) returns by default: the newest.
const handoffListLimit = 200

// handoffFilter reads a handoff list's query: queue, status, conversation,
// limit. A status that is none (a typo) is refused: an empty list would read
// as "nobody is waiting". Waiting and assigned handoffs are the work in hand
// and come whole; the others pile up for ever, so they come newest first up
// to a limit.
func handoffFilter(c echo.Context) (store.HandoffFilter, error) {
	f := store.HandoffFilter{Queue: c.QueryParam("queue"), Status: c.QueryParam("status"), ConversationID: c.QueryParam("conversation")}
	if f.Status != "" && !slices.Contains(desk.HandoffStatuses, f.Status) {
		return f, fmt.Errorf("%w: status %q is not one of %s", engine.ErrInvalidInput, f.Status, strings.Join(desk.HandoffStatuses, ", "))
	}
	if f.Status != desk.HandoffWaiting && f.Status != desk.HandoffAssigned && f.ConversationID == "" {
		f.Limit = handoffListLimit
	}
	var err error
	f.Limit, err = listLimit(c, f.Limit)
	return f, err
}

// listLimit reads a list's ?limit= (1 to 1000); without one, def.
func listLimit(c echo.Context, def int) (int, error) {
	v := c.QueryParam("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return def, fmt.Errorf("%w: limit must be from 1 to 1000", engine.ErrInvalidInput)
	}
	return n, nil
}

func (s *Server) listHandoffs(c echo.Context) error {
	f, err := handoffFilter(c)
	if err != nil {
		return err
	}
	if c.QueryParam("mine") == "true" {
		f.Agent = agentOf(c).ID
	}
	ctx := c.Request().Context()
	hs, err := s.store.Handoffs(ctx, f)
	if err != nil {
		return err
	}
	if f.Status == desk.HandoffWaiting {
		desk.SortWaiting(hs)
	}
	e := s.Engine()
	out := make([]handoffView, len(hs))
	for i, h := range hs {
		out[i] = s.handoffView(ctx, e, h, false, agentOf(c))
	}
	return c.JSON(http.StatusOK, map[string]any{"handoffs": out})
}

// handoffView is a handoff with what the agent needs to take over: the customer,
// the whole transcript including notes, the slots and the summary.
type handoffView struct {
	store.Handoff
	WaitingSeconds int64  `json:"waiting_seconds"`
	ReasonText     string `json:"reason_text,omitempty"` // the description of the policy or rule that handed off
	// Customer and engine.Transcript are filled for one handoff, not in lists. engine.Transcript
	// is the live conversation with notes, not the copy taken at handoff.
	Customer   *handoffCustomer `json:"customer,omitempty"`
	Transcript []engine.Item    `json:"transcript,omitempty"`
	// Undelivered are the messages on the customer's channel the outbox gave
	// up on, for whoever reads the transcript: the customer did not get them.
	Undelivered []undelivered `json:"undelivered,omitempty"`
}

type handoffCustomer struct {
	ID         string           `json:"id"`
	Identities []store.Identity `json:"identities"`
	// Profile is what the console shows at a glance (the customer tab has the
	// rest, from /v1/agent/customers/ID).
	Profile *profileBrief `json:"profile,omitempty"`
}

type profileBrief struct {
	Name     string `json:"name,omitempty"`
	VIP      bool   `json:"vip"`
	Tier     string `json:"tier,omitempty"`
	Language string `json:"language,omitempty"`
}

// handoffAccess is how much of a handoff an agent may read. Customers'
// personal data goes to who serves them, no further:
//
//   - supervisors and admins read everything;
//   - the agent a handoff is (or, once closed, was) assigned to reads it all,
//     the customer's identities included;
//   - any agent reads a waiting handoff's reason, summary, slots and transcript
//     (to decide what to claim) but not the customer's identities;
//   - of other handoffs (with another agent, or closed by one), an agent sees
//     where they are: queue, status, who has them, when; no text.
type handoffAccess int

const (
	accessStatus handoffAccess = iota
	accessPreview
	accessFull
)

func accessOf(h store.Handoff, a store.Agent) handoffAccess {
	switch {
	case desk.RoleRank(a.Role) >= desk.RoleRank(desk.RoleSupervisor), h.Agent != "" && h.Agent == a.ID:
		return accessFull
	case h.Status == desk.HandoffWaiting:
		return accessPreview
	}
	return accessStatus
}

// redact keeps what access allows of a handoff.
func redact(h store.Handoff, access handoffAccess) store.Handoff {
	if access == accessFull {
		return h
	}
	h.Unverified = nil // like the customer's identities
	if access == accessPreview {
		return h
	}
	h.CustomerID, h.Summary, h.Slots, h.Transcript, h.Unverified = "", "", nil, nil, nil
	history := make([]store.StatusChange, len(h.History))
	for i, ch := range h.History {
		ch.Note = "" // notes can quote the customer
		history[i] = ch
	}
	h.History = history
	return h
}

func (s *Server) handoffView(ctx context.Context, e *engine.Engine, h store.Handoff, full bool, viewer store.Agent) handoffView {
	access := accessOf(h, viewer)
	h = redact(h, access)
	if h.Slots == nil {
		h.Slots = map[string]string{}
	}
	v := handoffView{Handoff: h, WaitingSeconds: int64(desk.WaitingFor(h, e.Now()).Seconds()), ReasonText: desk.ReasonText(e.Bot(), h.Reason)}
	if !full || access < accessPreview {
		return v
	}
	v.Customer = &handoffCustomer{ID: h.CustomerID, Identities: []store.Identity{}}
	if h.CustomerID != "" && access == accessFull {
		if cust, err := s.store.Customer(ctx, h.CustomerID); err == nil {
			v.Customer.Identities = nonNil(cust.Identities)
			p := cust.Profile
			v.Customer.Profile = &profileBrief{Name: p.Name, VIP: p.VIP, Tier: p.Tier, Language: p.Language}
		}
	}
	if view, err := s.transcript(ctx, h.ConversationID, 0, true); err == nil {
		v.Transcript = view.Items
		v.Undelivered = s.undelivered(ctx, h.ConversationID, viewer)
	}
	return v
}

func (s *Server) getHandoff(c echo.Context) error {
	e := s.Engine()
	h, err := desk.New(e).Handoff(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.handoffView(c.Request().Context(), e, h, true, agentOf(c)))
}

// deliverAgentText sends an agent's message on the customer's channel. Web and
// API customers get it over their WebSocket, which the hub has woken already.
// A retried request (the same client message id) sends it only if the first
// did not get it recorded or sent.
func (s *Server) deliverAgentText(ctx context.Context, e *engine.Engine, conversationID string, a store.Agent, text, clientMessageID string, duplicate bool) {
	if duplicate && clientMessageID == "" {
		return
	}
	s.deliver(ctx, conversationID, agentMessageID(conversationID, clientMessageID), []engine.Reply{{Text: text}}, duplicate)
}

// agentSocket tells a console when queues or conversations change.
func (s *Server) agentSocket(c echo.Context) error {
	// Subscribed before the handshake: what happens while it completes waits
	// in the channel instead of being missed.
	updates, unsubscribe := s.hub.subscribeAgents()
	defer unsubscribe()
	s.serveWebSocket(c, func(ws *websocket.Conn) {
		ctx, cancel := context.WithCancel(c.Request().Context())
		defer cancel()
		go func() {
			defer cancel()
			var in struct {
				Type           string `json:"type"`
				ConversationID string `json:"conversation_id"`
			}
			last := map[string]time.Time{} // per conversation, at most once per typingEvery
			for websocket.JSON.Receive(ws, &in) == nil {
				if in.Type != "typing" || in.ConversationID == "" || time.Since(last[in.ConversationID]) < typingEvery {
					continue
				}
				if len(last) > 1000 {
					clear(last)
				}
				last[in.ConversationID] = time.Now()
				s.hub.publishTyping(in.ConversationID, typingUpdate{From: "agent", AgentName: agentOf(c).Name})
			}
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case <-s.hub.done:
				_ = ws.WriteClose(1001)
				return
			case u := <-updates:
				if err := websocket.JSON.Send(ws, u); err != nil {
					return
				}
			}
		}
	})
	return nil
}
