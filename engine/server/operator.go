package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/store"
)

// routesOperator serves integrations and back-office tools with an API key: the
// raw event log, handoff records and customer identities (tickets: tickets.go).
// Every change is audited with who made it.
func (s *Server) routesOperator() {
	g := s.echo.Group("/v1", s.requireRole(desk.RoleAgent))
	supervisor := s.requireRole(desk.RoleSupervisor)
	// The raw log and every handoff record hold whole conversations: for
	// supervisors, as the transcripts are (see handoffAccess).
	g.GET("/conversations/:id", s.getConversationLog, supervisor)
	g.POST("/conversations/:id/handback", s.postHandBack, supervisor)
	g.GET("/handoffs", func(c echo.Context) error {
		f, err := handoffFilter(c)
		if err != nil {
			return err
		}
		hs, err := s.store.Handoffs(c.Request().Context(), f)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"handoffs": nonNil(hs)})
	}, supervisor)
	// Handoffs change status through the inbox, so the conversation follows.
	g.POST("/handoffs/:id/status", s.setStatus(func(ctx context.Context, id string, ch store.StatusChange) (any, error) {
		e, release := s.acquire()
		defer release()
		agent := store.Agent{ID: strings.TrimPrefix(ch.Actor, "agent:"), Role: desk.RoleSupervisor}
		switch ch.Status {
		case desk.HandoffClosed:
			h, res, err := desk.New(e).CloseHandoff(ctx, id, agent, ch.Note)
			if err == nil && res != nil {
				s.deliver(ctx, h.ConversationID, surveyMessageID(h.ConversationID, h.ID), res.Replies, res.Duplicate)
			}
			return h, err
		case desk.HandoffReturned:
			return desk.New(e).Return(ctx, id, agent, ch.Note)
		}
		return nil, fmt.Errorf("%w: a handoff's status here is closed or returned; claim and transfer through /v1/agent/handoffs", engine.ErrInvalidInput)
	}), supervisor)
	// One customer across channels: link a phone number, email or chat id to
	// them. Admins only: a wrong link hands one person's history to another.
	g.POST("/customers/:id/identities", func(c echo.Context) error {
		var req struct {
			Channel    string `json:"channel"`
			ExternalID string `json:"external_id"`
		}
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if req.Channel == "" || req.ExternalID == "" {
			return fmt.Errorf("%w: channel and external_id are required", engine.ErrInvalidInput)
		}
		if err := s.store.LinkIdentity(c.Request().Context(), c.Param("id"), req.Channel, req.ExternalID); err != nil {
			return err
		}
		cust, err := s.store.Customer(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, cust)
	}, s.requireRole(desk.RoleAdmin))
}

// setStatus applies a status change by an agent or admin to a handoff.
func (s *Server) setStatus(set func(ctx context.Context, id string, ch store.StatusChange) (any, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req struct {
			Status string `json:"status"`
			Actor  string `json:"actor"` // ignored: the key says who acts
			Note   string `json:"note"`
		}
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if req.Status == "" {
			return fmt.Errorf("%w: status is required", engine.ErrInvalidInput)
		}
		// Who did it is the key's agent: the audit trail can't be told otherwise.
		actor := "agent:" + agentOf(c).ID
		out, err := set(c.Request().Context(), c.Param("id"), store.StatusChange{Status: req.Status, Actor: actor, Note: req.Note, At: s.Engine().Now()})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

func (s *Server) postHandBack(c echo.Context) error {
	var req struct {
		Agent string `json:"agent"` // ignored: the key says who acts, as in setStatus
		Note  string `json:"note"`
	}
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	e, release := s.acquire()
	defer release()
	res, err := e.HandBack(c.Request().Context(), c.Param("id"), agentOf(c).ID, req.Note)
	if err != nil {
		return err
	}
	s.announce(res)
	return c.JSON(http.StatusOK, res)
}

// getConversationLog is the raw event log, for integrations and debugging.
func (s *Server) getConversationLog(c echo.Context) error {
	ctx := c.Request().Context()
	after, limit, err := paging(c)
	if err != nil {
		return err
	}
	conv, err := s.store.Conversation(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	events, err := s.store.Events(ctx, c.Param("id"), after, limit)
	if err != nil {
		return err
	}
	type event struct {
		Seq  int64           `json:"seq"`
		Type string          `json:"type"`
		At   time.Time       `json:"at"`
		Data json.RawMessage `json:"data"`
	}
	out := make([]event, len(events))
	for i, ev := range events {
		out[i] = event{ev.Seq, ev.Type, ev.At, ev.Data}
	}
	return c.JSON(http.StatusOK, map[string]any{
		"id": conv.ID, "customer_id": conv.CustomerID, "channel": conv.Channel, "status": conv.Status,
		"last_seq": conv.LastSeq, "created_at": conv.CreatedAt, "updated_at": conv.UpdatedAt,
		"events": out,
	})
}
