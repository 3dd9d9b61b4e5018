package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// routesApprovals is where supervisors approve or reject the calls the bot
// asked them to (a refund over the limit), in the console or from a tool.
// Agents see and decide only what the analyst let agents decide (role =
// "agent") in queues they work.
func (s *Server) routesApprovals() {
	g := s.echo.Group("/v1/approvals", s.requireRole(desk.RoleAgent))
	g.GET("", s.listApprovals)
	g.GET("/:id", s.getApproval)
	g.POST("/:id/approve", s.decideApproval(desk.Approve))
	g.POST("/:id/reject", s.decideApproval(desk.Reject))
}

// approvalView is an approval as the API shows it.
type approvalView struct {
	ID             string           `json:"id"`
	ConversationID string           `json:"conversation_id"`
	CustomerID     string           `json:"customer_id"`
	Queue          string           `json:"queue"`
	Role           string           `json:"role"`
	Reason         string           `json:"reason"`
	Call           approvalCallView `json:"call"`
	Status         string           `json:"status"`
	DecidedBy      string           `json:"decided_by"`
	DecidedAt      *time.Time       `json:"decided_at"`
	Note           string           `json:"note"`
	ExpiresAt      *time.Time       `json:"expires_at"`
	// ExpiresInSeconds is the time left by the server's clock; null once decided.
	ExpiresInSeconds *int64               `json:"expires_in_seconds"`
	Outcome          string               `json:"outcome"`
	CompletedAt      *time.Time           `json:"completed_at"`
	CreatedAt        time.Time            `json:"created_at"`
	History          []store.StatusChange `json:"history"`
	// MayDecide says whether the caller may decide it (role and queue).
	MayDecide bool `json:"may_decide"`
	// Rule is the rule (or "outcome DIALOG.NAME") that asked for it, and
	// RuleText the analyst's description of it; for one approval.
	Rule       string        `json:"rule,omitempty"`
	RuleText   string        `json:"rule_text,omitempty"`
	Transcript []engine.Item `json:"transcript,omitempty"` // for one approval
}

type approvalCallView struct {
	Name           string         `json:"name"`
	Connector      string         `json:"connector"`
	Operation      string         `json:"operation"`
	Input          map[string]any `json:"input"`
	IdempotencyKey string         `json:"idempotency_key"`
}

func (s *Server) approvalView(ctx context.Context, d *desk.Desk, a store.Approval, agent store.Agent, full bool) approvalView {
	input := map[string]any{}
	_ = json.Unmarshal(a.Call.Input, &input)
	v := approvalView{
		ID: a.ID, ConversationID: a.ConversationID, CustomerID: a.CustomerID, Queue: a.Queue, Role: a.Role, Reason: a.Reason,
		Call:   approvalCallView{Name: a.Call.Name, Connector: a.Call.Connector, Operation: a.Call.Operation, Input: input, IdempotencyKey: a.Call.IdempotencyKey},
		Status: a.Status, DecidedBy: a.DecidedBy, DecidedAt: optTime(a.DecidedAt), Note: a.Note, ExpiresAt: optTime(a.ExpiresAt),
		Outcome: a.Outcome, CompletedAt: optTime(a.CompletedAt), CreatedAt: a.CreatedAt, History: nonNil(a.History),
		MayDecide: a.Status == store.ApprovalPending && d.MayDecide(a, agent) == nil,
	}
	if a.Status == store.ApprovalPending {
		v.ExpiresInSeconds = secondsUntil(a.ExpiresAt, s.Engine().Now())
	}
	if full {
		if view, err := s.transcript(ctx, a.ConversationID, 0, true); err == nil {
			v.Transcript = view.Items
		}
		if rule, text, err := d.ApprovalRule(ctx, a); err == nil {
			v.Rule, v.RuleText = rule, text
		}
	}
	return v
}

// listApprovals reads ?status= (pending by default; "all" for every one) and
// ?queue=, newest first.
func (s *Server) listApprovals(c echo.Context) error {
	f := store.ApprovalFilter{Queue: c.QueryParam("queue"), Limit: 200}
	switch st := c.QueryParam("status"); st {
	case "":
		f.Status = store.ApprovalPending
	case "all":
	case store.ApprovalPending, store.ApprovalApproved, store.ApprovalRejected, store.ApprovalExpired:
		f.Status = st
	default:
		return fmt.Errorf("%w: status must be pending, approved, rejected, expired or all", engine.ErrInvalidInput)
	}
	ctx := c.Request().Context()
	d := desk.New(s.Engine())
	as, err := d.Approvals(ctx, f)
	if err != nil {
		return err
	}
	out := []approvalView{}
	for _, a := range as {
		if mayView(d, a, agentOf(c)) {
			out = append(out, s.approvalView(ctx, d, a, agentOf(c), false))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"approvals": out})
}

func (s *Server) getApproval(c echo.Context) error {
	ctx := c.Request().Context()
	d := desk.New(s.Engine())
	a, err := d.Approval(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if !mayView(d, a, agentOf(c)) {
		return errForbidden
	}
	return c.JSON(http.StatusOK, s.approvalView(ctx, d, a, agentOf(c), true))
}

// mayView: supervisors see every approval; an agent those they may decide.
func mayView(d *desk.Desk, a store.Approval, agent store.Agent) bool {
	return desk.RoleRank(agent.Role) >= desk.RoleRank(desk.RoleSupervisor) || d.MayDecide(a, agent) == nil
}

// decideApproval records the decision and carries it out; the customer hears
// the analyst's reply on their channel. Deciding again the same way is safe
// and answers 200 with the approval as it is.
func (s *Server) decideApproval(decision string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req struct {
			Note string `json:"note"`
		}
		if c.Request().ContentLength != 0 {
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
		}
		e, release := s.acquire()
		defer release()
		ctx := c.Request().Context()
		d := desk.New(e)
		a, res, err := d.Decide(ctx, c.Param("id"), agentOf(c), decision, strings.TrimSpace(req.Note))
		if a.ID != "" {
			s.carried(ctx, a, res)
		}
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, s.approvalView(ctx, d, a, agentOf(c), false))
	}
}

// carried tells everyone a decision was carried out: the customer on their
// channel, the console's approvals view, the metrics.
func (s *Server) carried(ctx context.Context, a store.Approval, res *engine.TurnResult) {
	s.hub.publishAgents(agentUpdate{Type: "approval_decided", ApprovalID: a.ID, Queue: a.Queue, ConversationID: a.ConversationID})
	if res == nil {
		return
	}
	id := approvalMessageID(a.ID, a.Status)
	if res.Duplicate {
		// A repeated decision: what the customer was told is re-recorded if
		// a crash came between the decision's turn and its record.
		s.deliver(ctx, a.ConversationID, id, res.Replies, true)
		return
	}
	s.metrics.desk.approvalDecided(a.Status)
	s.announce(res)
	s.deliver(ctx, a.ConversationID, id, res.Replies, false)
}

// sweep does the desk's background work (expiries, decisions a crash left
// undone, SLA breaches) and tells whoever needs to know.
func (s *Server) sweep(ctx context.Context) {
	e, release := s.acquire()
	defer release()
	out, err := desk.New(e).Sweep(ctx)
	if err != nil {
		s.log.Warn("desk sweep", "error", err)
	}
	for _, c := range out.Carried {
		s.carried(ctx, c.Approval, c.Result)
	}
	for _, t := range out.Breached {
		s.metrics.desk.slaBreached(t.Queue, t.Priority)
		s.hub.publishAgents(agentUpdate{Type: "ticket_changed", TicketID: t.ID, Queue: t.Queue})
	}
	s.metrics.desk.setOverdue(s.overdueByQueue(ctx))
}

// overdueByQueue counts open and pending tickets past their due time, per
// queue, for the gauge.
func (s *Server) overdueByQueue(ctx context.Context) map[string]int {
	ts, err := s.store.Tickets(ctx, store.TicketFilter{Statuses: []string{desk.TicketOpen, desk.TicketPending}, DueBefore: s.Engine().Now()})
	if err != nil {
		return nil
	}
	out := map[string]int{}
	for _, t := range ts {
		out[t.Queue]++
	}
	return out
}
