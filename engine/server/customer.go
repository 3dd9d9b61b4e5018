package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/policies"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/websocket"

	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
)

// routesCustomer is the API the web chat (and any custom client) talks to. A
// customer holds a conversation token and can reach only that conversation.
func (s *Server) routesCustomer() {
	s.echo.POST("/v1/conversations", s.startConversation)
	g := s.echo.Group("/v1/conversations/:id", s.requireConversation)
	g.POST("/messages", s.postMessage)
	g.GET("/transcript", s.getTranscript)
	g.GET("/ws", s.conversationSocket)
	g.POST("/satisfaction", s.postSatisfaction)
}

// customerProfile keeps what a customer may say about themselves. Anything that
// changes how the bot treats them (vip, tier) comes from the company's systems,
// never from the customer.
func customerProfile(in map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"name", "email", "phone", "language"} {
		if v, ok := in[k].(string); ok && strings.TrimSpace(v) != "" && len(v) <= 256 {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

func (s *Server) startConversation(c echo.Context) error {
	var req struct {
		Channel  string          `json:"channel"`
		Language string          `json:"language"`
		Customer map[string]any  `json:"customer"`
		Identity *SignedIdentity `json:"identity"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	channel := req.Channel
	if channel == "" {
		channel = "web"
	}
	if channel != "web" && channel != "api" {
		return fmt.Errorf("%w: channel must be web or api (other channels come in through /v1/channels)", engine.ErrInvalidInput)
	}
	if req.Language != "" && !languageTag.MatchString(req.Language) {
		return fmt.Errorf("%w: language %q is not a language tag like en or zh-CN", engine.ErrInvalidInput, req.Language)
	}
	e, release := s.acquire()
	defer release()
	ctx := c.Request().Context()
	claims := conversationClaims{ConversationID: e.NewID("c"), Channel: channel, Language: req.Language, Expires: time.Now().Add(tokenLifetime).Unix()}
	// What the visitor says about themselves is for the agent to read, marked
	// unverified: it never finds or links a customer.
	unverified := map[string]string{}
	profile := customerProfile(req.Customer)
	if v, ok := profile["name"].(string); ok {
		unverified["name"] = v
	}
	if v, ok := profile["phone"].(string); ok {
		phone, err := channels.NormalizePhone(v)
		if err != nil {
			return fmt.Errorf("%w: customer.phone: %v", engine.ErrInvalidInput, err)
		}
		unverified["phone"] = phone
	}
	if v, ok := profile["email"].(string); ok {
		addr, _, err := channels.NormalizeEmail(v)
		if err != nil {
			return fmt.Errorf("%w: customer.email: %v", engine.ErrInvalidInput, err)
		}
		unverified["email"] = addr
	}
	// An identity the embedding site signed is the same customer on every
	// channel: the identities the channel webhooks resolve by.
	if req.Identity != nil {
		ids, err := s.verifyIdentity(*req.Identity, time.Now())
		if err != nil {
			return err
		}
		id, err := e.ResolveIdentities(ctx, ids)
		if err != nil {
			return err
		}
		claims.CustomerID = id
		for _, v := range ids {
			if unverified[v.Channel] == v.ExternalID {
				delete(unverified, v.Channel) // verified after all
			}
		}
		// The name they give is kept on the customer, for agents to greet them
		// by; whether they are a VIP is never theirs to say.
		if name, ok := profile["name"]; ok {
			if _, err := e.RememberCustomer(ctx, id, map[string]any{"name": name}, "web"); err != nil {
				return err
			}
		}
	}
	claims.Profile = s.tokens.sealProfile(unverified)
	return c.JSON(http.StatusCreated, map[string]any{
		"conversation_id": claims.ConversationID,
		"token":           s.tokens.sign(claims),
		"replies":         []customerReply{},
		"language":        startLanguage(e.Bot(), req.Language),
	})
}

// startLanguage is the language a conversation shows itself in before the
// customer writes: the visitor's (a browser's "zh-CN" is zh) when the bot
// speaks it, else the bot's default language, which it answers in until
// the customer writes in another it speaks.
func startLanguage(bot *policies.Bot, visitor string) string {
	if bot == nil || len(bot.Languages) == 0 {
		return "en"
	}
	base, _, _ := strings.Cut(strings.ToLower(visitor), "-")
	if slices.Contains(bot.Languages, base) {
		return base
	}
	return bot.Languages[0]
}

// languageTag is a BCP 47 tag as browsers send it: "en", "zh-CN", "zh-Hant-TW".
var languageTag = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$`)

type customerReply struct {
	Text      string          `json:"text"`
	Buttons   []engine.Button `json:"buttons,omitempty"`
	From      string          `json:"from"`
	AgentName string          `json:"agent_name,omitempty"`
}

// customerTurn is what a customer sees of a turn: no intents, slots or calls.
type customerTurn struct {
	ConversationID string          `json:"conversation_id"`
	Replies        []customerReply `json:"replies"`
	HandedOff      bool            `json:"handed_off"`
	Handoff        *customerQueue  `json:"handoff"`
	Ended          bool            `json:"ended"`
	Duplicate      bool            `json:"duplicate"`
	LastSeq        int64           `json:"last_seq"`
	// Language is the conversation's: the chat's own labels follow it.
	Language string `json:"language,omitempty"`
}

type customerQueue struct {
	Queue  string `json:"queue"`
	Status string `json:"status"`
}

func customerView(res *engine.TurnResult) customerTurn {
	out := customerTurn{ConversationID: res.ConversationID, Replies: []customerReply{}, HandedOff: res.HandedOff, Ended: res.Ended, Duplicate: res.Duplicate, LastSeq: res.LastSeq, Language: res.Language}
	for _, r := range res.Replies {
		out.Replies = append(out.Replies, customerReply{Text: r.Text, Buttons: r.Buttons, From: "bot"})
	}
	if res.Handoff != nil {
		out.Handoff = &customerQueue{Queue: res.Handoff.Queue, Status: desk.HandoffWaiting}
	}
	return out
}

func (s *Server) postMessage(c echo.Context) error {
	var req struct {
		Text            string         `json:"text"`
		ClientMessageID string         `json:"client_message_id"`
		CustomerID      string         `json:"customer_id"`
		Channel         string         `json:"channel"`
		Customer        map[string]any `json:"customer"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if channels.Blank(req.Text) {
		return fmt.Errorf("%w: text is empty (or only invisible characters)", engine.ErrInvalidInput)
	}
	if req.ClientMessageID == "" {
		req.ClientMessageID = c.Request().Header.Get("Idempotency-Key")
	}
	if len(req.ClientMessageID) > 200 {
		return fmt.Errorf("%w: client_message_id is longer than 200 characters", engine.ErrInvalidInput)
	}
	who, _ := s.identify(c)
	m := engine.Message{ConversationID: c.Param("id"), ClientMessageID: req.ClientMessageID, Text: req.Text}
	if who.conversation != nil {
		// A customer: who they are comes from their token, not the request.
		if req.CustomerID != "" || req.Channel != "" || req.Customer != nil {
			return fmt.Errorf("%w: customer_id, channel and customer are set when the conversation starts", engine.ErrInvalidInput)
		}
		m.Channel = who.conversation.Channel
		m.CustomerID, m.CustomerResolved = who.conversation.CustomerID, who.conversation.CustomerID != ""
		m.Unverified = s.tokens.openProfile(who.conversation.Profile)
		if lang := who.conversation.Language; lang != "" {
			m.Customer = map[string]any{"language": lang}
		}
	} else {
		// A trusted system speaks for its customer, profile (vip, tier) and all:
		// that takes more than an agent's key.
		if desk.RoleRank(who.agent.Role) < desk.RoleRank(desk.RoleSupervisor) {
			return fmt.Errorf("%w: only a supervisor or admin key may send messages for customers", engine.ErrForbidden)
		}
		m.Channel, m.CustomerID, m.Customer = req.Channel, req.CustomerID, req.Customer
		if m.Channel == "" {
			m.Channel = "api"
		}
	}
	e, release := s.acquire()
	defer release()
	res, err := e.Handle(c.Request().Context(), m)
	if err != nil {
		return err
	}
	s.announce(res)
	if who.conversation != nil {
		return writeJSON(c, http.StatusOK, customerView(res))
	}
	return writeJSON(c, http.StatusOK, res)
}

// writeJSON is c.JSON without its parse of the query string (for ?pretty)
// when there is none, as with every customer's message.
func writeJSON(c echo.Context, code int, v any) error {
	if c.Request().URL.RawQuery == "" && !c.Echo().Debug {
		return c.JSONPretty(code, v, "") // no indent: what c.JSON writes
	}
	return c.JSON(code, v)
}

// announce wakes whoever watches the conversation: the customer's other tabs,
// and agents when it is with a human or has just been handed off.
func (s *Server) announce(res *engine.TurnResult) {
	if res == nil || res.Duplicate {
		return
	}
	s.hub.publishConversation(res.ConversationID)
	if res.Handoff != nil || res.LeftQueue {
		s.hub.publishAgents(agentUpdate{Type: "queue_changed"})
	}
	if res.HandedOff || res.Handoff != nil {
		s.hub.publishAgents(agentUpdate{Type: "conversation_changed", ConversationID: res.ConversationID})
	}
	for _, t := range res.Tickets {
		s.hub.publishAgents(agentUpdate{Type: "ticket_created", TicketID: t.ID, Queue: t.Queue, ConversationID: res.ConversationID})
	}
	for _, a := range res.Approvals {
		s.hub.publishAgents(agentUpdate{Type: "approval_requested", ApprovalID: a.ID, Queue: a.Queue, ConversationID: res.ConversationID})
	}
}

// transcriptView is a conversation as its customer sees it.
type transcriptView struct {
	ConversationID string        `json:"conversation_id"`
	Status         string        `json:"status"`
	Agent          *agentBadge   `json:"agent"`
	Items          []engine.Item `json:"items"`
	LastSeq        int64         `json:"last_seq"`
	// Language is the conversation's; "" before its first message.
	Language string `json:"language,omitempty"`
}

type agentBadge struct {
	Name string `json:"name"`
}

func (s *Server) transcript(ctx context.Context, id string, after int64, withNotes bool) (transcriptView, error) {
	return s.transcriptPage(ctx, id, after, 0, withNotes)
}

// transcriptPage reads at most limit events after seq after (0: all). LastSeq
// says where the page ended, so a client pages on with ?after=LastSeq.
func (s *Server) transcriptPage(ctx context.Context, id string, after int64, limit int, withNotes bool) (transcriptView, error) {
	view := transcriptView{ConversationID: id, Status: "active", Items: []engine.Item{}}
	conv, err := s.store.Conversation(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return view, nil // started, nothing said yet
	}
	if err != nil {
		return view, err
	}
	view.Status, view.LastSeq = conv.Status, conv.LastSeq
	evs, err := s.store.Events(ctx, id, after, limit)
	if err != nil {
		return view, err
	}
	if limit > 0 && len(evs) == limit {
		view.LastSeq = evs[len(evs)-1].Seq
	}
	items, err := engine.Transcript(evs, withNotes)
	if err != nil {
		return view, err
	}
	view.Items = items
	e := s.Engine()
	if st, err := e.Restore(conv); err == nil {
		if st.HandedOff && st.Agent != "" {
			view.Agent = &agentBadge{Name: st.Agent}
		}
		view.Language = dialog.ConversationLanguage(e.Bot(), st)
	}
	return view, nil
}

func (s *Server) getTranscript(c echo.Context) error {
	after, limit, err := paging(c)
	if err != nil {
		return err
	}
	view, err := s.transcriptPage(c.Request().Context(), c.Param("id"), after, limit, false)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, view)
}

func (s *Server) postSatisfaction(c echo.Context) error {
	var req struct {
		Score           int    `json:"score"`
		Comment         string `json:"comment"`
		ClientMessageID string `json:"client_message_id"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	e, release := s.acquire()
	defer release()
	if err := desk.New(e).RecordSatisfaction(c.Request().Context(), c.Param("id"), req.Score, req.Comment, req.ClientMessageID); err != nil {
		return err
	}
	s.hub.publishConversation(c.Param("id"))
	return c.NoContent(http.StatusNoContent)
}

// wsFrame is what a conversation's WebSocket sends.
type wsFrame struct {
	Type      string       `json:"type"` // item, typing, status
	Item      *engine.Item `json:"item,omitempty"`
	From      string       `json:"from,omitempty"`
	AgentName string       `json:"agent_name,omitempty"`
	Status    string       `json:"status,omitempty"`
	Agent     *agentBadge  `json:"agent,omitempty"`
}

// resync is how often a WebSocket re-reads the store even without a wake-up,
// when the store has no change feed to say what other processes changed.
const resync = 2 * time.Second

// followingResync is the same while the change feed runs: a safety net only.
const followingResync = 30 * time.Second

// conversationSocket streams a conversation's new items to its customer.
func (s *Server) conversationSocket(c echo.Context) error {
	id := c.Param("id")
	after, _, err := paging(c)
	if err != nil {
		return err
	}
	who, _ := s.identify(c)
	fromAgent := who.agent != nil
	s.serveWebSocket(c, func(ws *websocket.Conn) {
		wake, typing, unsubscribe := s.hub.subscribeConversation(id)
		defer unsubscribe()
		ctx, cancel := context.WithCancel(c.Request().Context())
		defer cancel()
		// The client says when the customer (or agent) is typing; at most
		// once per typingEvery, so a busy keyboard can't flood the consoles.
		go func() {
			defer cancel()
			var last time.Time
			for {
				var in struct {
					Type string `json:"type"`
				}
				if err := websocket.JSON.Receive(ws, &in); err != nil {
					return
				}
				if in.Type != "typing" || time.Since(last) < typingEvery {
					continue
				}
				last = time.Now()
				from := "customer"
				if fromAgent {
					from = "agent"
				}
				s.hub.publishTyping(id, typingUpdate{From: from})
				if !fromAgent {
					s.hub.publishAgents(agentUpdate{Type: "typing", ConversationID: id})
				}
			}
		}()
		lastSeq, lastStatus, lastAgent := after, "", ""
		// Following the store's change feed, a slow re-read is only a safety
		// net (a proxy that drops notifications, say).
		period := resync
		if s.following.Load() {
			period = followingResync
		}
		tick := time.NewTicker(period)
		defer tick.Stop()
		reread := tick.C
		for {
			view, err := s.transcript(ctx, id, lastSeq, false)
			if err != nil {
				return
			}
			for i := range view.Items {
				if err := websocket.JSON.Send(ws, wsFrame{Type: "item", Item: &view.Items[i]}); err != nil {
					return
				}
				lastSeq = view.Items[i].Seq
			}
			if view.LastSeq > lastSeq {
				lastSeq = view.LastSeq
			}
			agent := ""
			if view.Agent != nil {
				agent = view.Agent.Name
			}
			if view.Status != lastStatus || agent != lastAgent {
				lastStatus, lastAgent = view.Status, agent
				if err := websocket.JSON.Send(ws, wsFrame{Type: "status", Status: view.Status, Agent: view.Agent}); err != nil {
					return
				}
			}
			if !s.waitForNews(ctx, ws, wake, typing, reread, fromAgent) {
				return
			}
		}
	})
	return nil
}

// typingEvery bounds how often one connection's typing is passed on.
const typingEvery = 2 * time.Second

// waitForNews blocks until the conversation may have changed (a wake-up or the
// periodic re-read), passing typing indications on meanwhile without re-reading
// the store. It returns false when the connection is done.
func (s *Server) waitForNews(ctx context.Context, ws *websocket.Conn, wake <-chan struct{}, typing <-chan typingUpdate, tick <-chan time.Time, fromAgent bool) bool {
	for {
		select {
		case <-ctx.Done():
			return false
		case <-s.hub.done:
			_ = ws.WriteClose(1001) // going away: the server is shutting down
			return false
		case <-wake:
			return true
		case <-tick:
			return true
		case t := <-typing:
			if (t.From == "agent") == fromAgent {
				continue // one's own typing is not news
			}
			if err := websocket.JSON.Send(ws, wsFrame{Type: "typing", From: t.From, AgentName: t.AgentName}); err != nil {
				return false
			}
		}
	}
}

// sameOrigin refuses WebSockets opened by other sites' pages; clients that are
// not browsers send no Origin.
func sameOrigin(cfg *websocket.Config, r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	o, err := websocket.Origin(cfg, r)
	if err != nil || o == nil || o.Host != r.Host {
		return fmt.Errorf("%w: cross-origin WebSocket", engine.ErrForbidden)
	}
	return nil
}
