package server

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// routesTickets is the tickets API, for the console and integrations (an
// agent key): list and filter, read one with its history, create tickets that
// come without a chat, update, assign, move and note them.
func (s *Server) routesTickets() {
	g := s.echo.Group("/v1/tickets", s.requireRole(desk.RoleAgent))
	g.GET("", s.listTickets)
	g.POST("", s.postTicket)
	g.POST("/bulk", s.postTicketsBulk)
	g.GET("/:id", s.getTicket)
	g.GET("/:id/assignees", s.getTicketAssignees)
	g.PATCH("/:id", s.patchTicket)
	g.POST("/:id/notes", s.postTicketNote)
	g.POST("/:id/replies", s.postTicketReply)
	// The status alone, as integrations set it (kept from the first API).
	g.POST("/:id/status", s.postTicketStatus)
}

// ticketView is a ticket as the API shows it: times that are not set are
// null, with what the console needs besides.
type ticketView struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	CustomerID     string `json:"customer_id"`
	// UnverifiedContact is who a form's sender says they are (email, phone,
	// name): where the ticket is answered, never a customer.
	UnverifiedContact map[string]string `json:"unverified_contact,omitempty"`
	Channel           string            `json:"channel"`
	Queue             string            `json:"queue"`
	Subject           string            `json:"subject"`
	Description       string            `json:"description"`
	Priority          string            `json:"priority"`
	Status            string            `json:"status"`
	Assignee          string            `json:"assignee"`
	Language          string            `json:"language"`
	DueAt             *time.Time        `json:"due_at"`
	BreachedAt        *time.Time        `json:"breached_at"`
	Overdue           bool              `json:"overdue"` // past its due time and not solved (flagged or not yet)
	// DueInSeconds is the time left to the due time by the server's clock,
	// negative when overdue; null without one.
	DueInSeconds *int64               `json:"due_in_seconds"`
	CreatedAt    time.Time            `json:"created_at"`
	UpdatedAt    time.Time            `json:"updated_at"`
	Next         []string             `json:"next_statuses"`
	History      []store.StatusChange `json:"history"`
	// Restricted says the viewer does not work the ticket's queue: the
	// customer, description, chat and notes are left out (desk.MayReadTicket).
	Restricted bool `json:"restricted,omitempty"`
	// Filled for one ticket, not in lists.
	Customer   *handoffCustomer `json:"customer,omitempty"`
	Transcript []engine.Item    `json:"transcript,omitempty"`
}

// secondsUntil is how long from now until t, in whole seconds; nil for no t.
func secondsUntil(t, now time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	s := int64(t.Sub(now).Seconds())
	return &s
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *Server) ticketView(ctx context.Context, t store.Ticket, full bool) ticketView {
	v := ticketView{
		ID: t.ID, ConversationID: t.ConversationID, CustomerID: t.CustomerID, UnverifiedContact: t.Unverified, Channel: t.Channel, Queue: t.Queue,
		Subject: t.Subject, Description: t.Description, Priority: t.Priority, Status: t.Status, Assignee: t.Assignee,
		Language: t.Language, DueAt: optTime(t.DueAt), BreachedAt: optTime(t.BreachedAt),
		Overdue: desk.Overdue(t, s.Engine().Now()), DueInSeconds: secondsUntil(t.DueAt, s.Engine().Now()), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		Next: nonNil(desk.NextStatuses(t.Status)), History: desk.History(t),
	}
	if !full {
		return v
	}
	v.Customer = &handoffCustomer{ID: t.CustomerID, Identities: []store.Identity{}}
	if t.CustomerID != "" {
		if cust, err := s.store.Customer(ctx, t.CustomerID); err == nil {
			v.Customer.Identities = nonNil(cust.Identities)
		}
	}
	if t.ConversationID != "" {
		if view, err := s.transcript(ctx, t.ConversationID, 0, true); err == nil {
			v.Transcript = view.Items
		}
	}
	return v
}

// ticketFilter reads the list's query: status (one, or several with
// commas), queue, priority, assignee (an agent, "me" or "none"), customer,
// conversation, q (text in subject or description, or the customer's email or
// phone), breached=true, limit.
func ticketFilter(c echo.Context) (store.TicketFilter, error) {
	f := store.TicketFilter{
		Queue: c.QueryParam("queue"), Priority: c.QueryParam("priority"), CustomerID: c.QueryParam("customer"),
		ConversationID: c.QueryParam("conversation"), Text: strings.TrimSpace(c.QueryParam("q")), Limit: 200,
	}
	f.Contacts = desk.SearchContacts(f.Text)
	if v := c.QueryParam("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !slices.Contains(desk.TicketStatuses, st) {
				return f, fmt.Errorf("%w: status %q is not one of %s", engine.ErrInvalidInput, st, strings.Join(desk.TicketStatuses, ", "))
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	switch a := c.QueryParam("assignee"); a {
	case "":
	case "me":
		f.Assignee = agentOf(c).ID
	case "none":
		f.Unassigned = true
	default:
		f.Assignee = a
	}
	if c.QueryParam("breached") == "true" {
		f.Breached = true
	}
	var err error
	f.Limit, err = listLimit(c, f.Limit)
	return f, err
}

func (s *Server) listTickets(c echo.Context) error {
	f, err := ticketFilter(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ts, err := desk.New(s.Engine()).Tickets(ctx, f)
	if err != nil {
		return err
	}
	d := desk.New(s.Engine())
	out := make([]ticketView, 0, len(ts))
	for _, t := range ts {
		if d.MayReadTicket(t, agentOf(c)) {
			out = append(out, s.ticketView(ctx, t, false))
			continue
		}
		// A search must not tell what it can't show: that a description
		// holds these words, or that this email has a ticket here.
		if f.Text != "" && !strings.Contains(strings.ToLower(t.Subject), strings.ToLower(f.Text)) {
			continue
		}
		out = append(out, restrictTicket(s.ticketView(ctx, t, false)))
	}
	return c.JSON(http.StatusOK, map[string]any{"tickets": out})
}

func (s *Server) getTicket(c echo.Context) error {
	ctx := c.Request().Context()
	d := desk.New(s.Engine())
	t, err := d.Ticket(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if !d.MayReadTicket(t, agentOf(c)) {
		return c.JSON(http.StatusOK, restrictTicket(s.ticketView(ctx, t, false)))
	}
	return c.JSON(http.StatusOK, s.ticketView(ctx, t, true))
}

// restrictTicket keeps what an agent outside the ticket's queue may read:
// where it is, who has it, its subject and when things happened, not who the
// customer is nor what they or the agents wrote.
func restrictTicket(v ticketView) ticketView {
	v.Restricted = true
	v.CustomerID, v.UnverifiedContact, v.Description, v.Customer, v.Transcript = "", nil, "", nil, nil
	history := make([]store.StatusChange, len(v.History))
	for i, h := range v.History {
		h.Note = "" // notes can quote the customer
		if h.Field == "description" || h.Field == "subject" {
			h.From, h.To = "", ""
		}
		history[i] = h
	}
	v.History = history
	return v
}

// getTicketAssignees lists who the ticket can be assigned to.
func (s *Server) getTicketAssignees(c echo.Context) error {
	ctx := c.Request().Context()
	d := desk.New(s.Engine())
	t, err := d.Ticket(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	as, err := d.Assignees(ctx, t)
	if err != nil {
		return err
	}
	out := make([]agentView, len(as))
	for i, a := range as {
		out[i] = s.viewAgent(a)
	}
	return c.JSON(http.StatusOK, map[string]any{"agents": out})
}

type ticketCustomer struct {
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// postTicket files a ticket that comes without a chat (a back-office tool, a
// CRM). Idempotency-Key (or client_id) makes a retry the same ticket.
func (s *Server) postTicket(c echo.Context) error {
	var req struct {
		Subject     string         `json:"subject"`
		Description string         `json:"description"`
		Customer    ticketCustomer `json:"customer"`
		Queue       string         `json:"queue"`
		Priority    string         `json:"priority"`
		Channel     string         `json:"channel"`
		ClientID    string         `json:"client_id"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ids, err := customerIdentities(req.Customer.Email, req.Customer.Phone)
	if err != nil {
		return err
	}
	key, err := idempotencyKey(c, req.ClientID)
	if err != nil {
		return err
	}
	if key != "" {
		// Per caller: two integrations that both count 1, 2, 3 are not
		// retries of each other. The stores' migrations gave the tickets
		// filed with "api:KEY" before this their caller's key, so a retry
		// across the upgrade is still the same ticket.
		key = "api:" + agentOf(c).ID + ":" + key
	}
	channel := cmp.Or(req.Channel, "api")
	if !desk.ValidID(channel) {
		return fmt.Errorf("%w: channel must be 1-64 letters, digits, '-', '_' or '.'", engine.ErrInvalidInput)
	}
	return s.createTicket(c, desk.NewTicket{
		Subject: req.Subject, Description: req.Description, Channel: channel, Identities: ids,
		Queue: req.Queue, Priority: req.Priority, SourceKey: key, Actor: "agent:" + agentOf(c).ID,
	})
}

// idempotencyKey is the request's client_id, else its Idempotency-Key
// header: what makes a retry the same request.
func idempotencyKey(c echo.Context, clientID string) (string, error) {
	key := cmp.Or(clientID, c.Request().Header.Get("Idempotency-Key"))
	if len(key) > 200 {
		return "", fmt.Errorf("%w: client_id is longer than 200 characters", engine.ErrInvalidInput)
	}
	return key, nil
}

// customerIdentities are the keys a ticket's customer is known by.
func customerIdentities(email, phone string) ([]store.Identity, error) {
	var ids []store.Identity
	if email = strings.TrimSpace(email); email != "" {
		addr, _, err := channels.NormalizeEmail(email)
		if err != nil {
			return nil, fmt.Errorf("%w: customer email: %v", engine.ErrInvalidInput, err)
		}
		ids = append(ids, store.Identity{Channel: "email", ExternalID: addr})
	}
	if phone = strings.TrimSpace(phone); phone != "" {
		p, err := channels.NormalizePhone(phone)
		if err != nil {
			return nil, fmt.Errorf("%w: customer phone: %v", engine.ErrInvalidInput, err)
		}
		ids = append(ids, store.Identity{Channel: "phone", ExternalID: p})
	}
	return ids, nil
}

// createTicket files the ticket, tells its customer and the agents, and
// answers 201 with it (200 for a redelivery).
func (s *Server) createTicket(c echo.Context, nt desk.NewTicket) error {
	e, release := s.acquire()
	defer release()
	ctx := c.Request().Context()
	t, class, created, notice, err := desk.New(e).CreateTicket(ctx, nt)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.metrics.desk.ticketCreated(t.Queue, t.Channel)
		s.hub.publishAgents(agentUpdate{Type: "ticket_created", TicketID: t.ID, Queue: t.Queue})
	}
	// A redelivery re-records the acknowledgement if a crash lost it.
	s.deliverNotice(ctx, t, notice)
	return c.JSON(status, map[string]any{"ticket": s.ticketView(ctx, t, false), "classification": class})
}

type ticketPatch struct {
	Status      *string `json:"status"`
	Queue       *string `json:"queue"`
	Priority    *string `json:"priority"`
	Assignee    *string `json:"assignee"`
	Subject     *string `json:"subject"`
	Description *string `json:"description"`
	Note        string  `json:"note"`
	ClientID    string  `json:"client_id"`
}

// Changes, notes and status changes take a client_id (or Idempotency-Key)
// so that a retry or a double submit is done once: per ticket and agent, the
// same key answers 200 with the ticket and adds nothing; the same key for
// another change is a 409.

func (s *Server) patchTicket(c echo.Context) error {
	var req ticketPatch
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	key, err := idempotencyKey(c, req.ClientID)
	if err != nil {
		return err
	}
	return s.updateTicket(c, agentOf(c), desk.TicketChange{
		Status: req.Status, Queue: req.Queue, Priority: req.Priority, Assignee: req.Assignee,
		Subject: req.Subject, Description: req.Description, Note: req.Note, Key: key,
	})
}

// postTicketReply sends the customer an agent's public reply: in the chat
// that opened the ticket, or by email or SMS for a ticket without one.
func (s *Server) postTicketReply(c echo.Context) error {
	var req struct {
		Text     string `json:"text"`
		ClientID string `json:"client_id"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Text) == "" {
		return fmt.Errorf("%w: text is empty", engine.ErrInvalidInput)
	}
	key, err := idempotencyKey(c, req.ClientID)
	if err != nil {
		return err
	}
	return s.updateTicket(c, agentOf(c), desk.TicketChange{Reply: req.Text, Key: key})
}

func (s *Server) postTicketNote(c echo.Context) error {
	var req struct {
		Text     string `json:"text"`
		ClientID string `json:"client_id"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Text) == "" {
		return fmt.Errorf("%w: text is empty", engine.ErrInvalidInput)
	}
	key, err := idempotencyKey(c, req.ClientID)
	if err != nil {
		return err
	}
	return s.updateTicket(c, agentOf(c), desk.TicketChange{Note: req.Text, Key: key})
}

func (s *Server) postTicketStatus(c echo.Context) error {
	var req struct {
		Status   string `json:"status"`
		Actor    string `json:"actor"` // ignored: the key says who acts
		Note     string `json:"note"`
		ClientID string `json:"client_id"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Status == "" {
		return fmt.Errorf("%w: status is required", engine.ErrInvalidInput)
	}
	key, err := idempotencyKey(c, req.ClientID)
	if err != nil {
		return err
	}
	return s.updateTicket(c, agentOf(c), desk.TicketChange{Status: &req.Status, Note: req.Note, Key: key})
}

func (s *Server) updateTicket(c echo.Context, agent store.Agent, ch desk.TicketChange) error {
	e, release := s.acquire()
	defer release()
	ctx := c.Request().Context()
	t, notice, err := desk.New(e).UpdateTicket(ctx, c.Param("id"), agent, ch)
	if err != nil {
		return err
	}
	s.hub.publishAgents(agentUpdate{Type: "ticket_changed", TicketID: t.ID, Queue: t.Queue})
	s.deliverNotice(ctx, t, notice)
	return c.JSON(http.StatusOK, s.ticketView(ctx, t, true))
}

// deliverNotice sends what a ticket change tells the customer: through the
// ticket's conversation (its channel's sender; web customers read the
// WebSocket), or to their address for a ticket without a chat.
func (s *Server) deliverNotice(ctx context.Context, t store.Ticket, n desk.Notice) {
	if len(n.Replies) == 0 {
		return
	}
	// Keyed by the ticket and its history entry: a retried change re-records
	// a notice a crash left unrecorded, and the outbox sends it once.
	id := noticeMessageID(n.Key)
	if n.ConversationID != "" {
		if !n.Duplicate {
			s.hub.publishConversation(n.ConversationID)
		}
		s.deliver(ctx, n.ConversationID, id, n.Replies, n.Duplicate)
		return
	}
	channel := n.To.Channel
	if channel == "phone" {
		channel = "sms"
	}
	if n.To.ExternalID == "" || s.sender(channel) == nil {
		s.log.Warn("ticket notice not delivered: no address or sender", "ticket", t.ID, "channel", channel)
		return
	}
	out := channels.Outbound{Channel: channel, To: n.To.ExternalID, ConversationID: "ticket:" + t.ID, MessageID: id}
	if channel == "email" {
		out.Subject = fmt.Sprintf("Re: %s [%s]", t.Subject, t.ID)
	}
	if n.Duplicate {
		s.redeliver(ctx, out, n.Replies)
		return
	}
	s.enqueue(ctx, out, n.Replies)
}
