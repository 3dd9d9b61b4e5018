package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// routesWorkspace is what the console shows beside a conversation: answers
// from the knowledge base, the bot's quick replies filled in for it, and the
// customer's profile and history on every channel.
func (s *Server) routesWorkspace() {
	g := s.echo.Group("/v1/agent", s.requireRole(desk.RoleAgent))
	g.GET("/handoffs/:id/suggestions", s.getSuggestions)
	g.GET("/handoffs/:id/quick-replies", s.getQuickReplies)
	g.GET("/customers/:id", s.getCustomer)
	g.GET("/conversations/:id/transcript", s.getAgentTranscript)
}

// mayAssist applies handoffAccess to what the console shows beside a
// handoff: the suggestions quote the customer's last messages (what a preview
// shows), and the quick replies are filled in with their name and slots, for
// who replies (the holder or a supervisor). Anyone else sees a handoff's
// status, no text.
func (s *Server) mayAssist(c echo.Context, need handoffAccess) error {
	h, err := desk.New(s.Engine()).Handoff(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if accessOf(h, agentOf(c)) < need {
		return echo.NewHTTPError(http.StatusForbidden, fmt.Sprintf("handoff %s is %s; only who holds it (or a supervisor) sees this", h.ID, handoffHolder(h)))
	}
	return nil
}

func handoffHolder(h store.Handoff) string {
	if h.Agent == "" {
		return h.Status
	}
	return h.Status + " with agent " + h.Agent
}

func (s *Server) getSuggestions(c echo.Context) error {
	if err := s.mayAssist(c, accessPreview); err != nil {
		return err
	}
	query, out, err := desk.New(s.Engine()).Suggestions(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"query": query, "suggestions": out})
}

func (s *Server) getQuickReplies(c echo.Context) error {
	if err := s.mayAssist(c, accessFull); err != nil {
		return err
	}
	out, err := desk.New(s.Engine()).QuickReplies(c.Request().Context(), c.Param("id"), agentOf(c), c.QueryParam("q"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"quick_replies": out})
}

func (s *Server) getCustomer(c echo.Context) error {
	ctx := c.Request().Context()
	id := pathParam(c, "id")
	if err := s.mayReadCustomer(ctx, agentOf(c), id); err != nil {
		return err
	}
	v, err := desk.New(s.Engine()).Customer(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// mayReadCustomer applies "who reads what" (DEVELOPERS.md) to a customer's
// whole record, history on every channel included: supervisors and admins,
// and an agent who holds or held one of the customer's handoffs. Anyone else
// is told no, as if there were no such customer, so ids can't be probed.
func (s *Server) mayReadCustomer(ctx context.Context, a store.Agent, customerID string) error {
	if desk.RoleRank(a.Role) >= desk.RoleRank(desk.RoleSupervisor) {
		return nil
	}
	if customerID != "" {
		hs, err := s.store.Handoffs(ctx, store.HandoffFilter{CustomerID: customerID, Agent: a.ID})
		if err != nil {
			return err
		}
		if len(hs) > 0 {
			return nil
		}
	}
	return fmt.Errorf("customer %q: %w", customerID, store.ErrNotFound)
}

// getAgentTranscript is any conversation as agents see it, internal notes
// included: a customer's past conversations on other channels.
func (s *Server) getAgentTranscript(c echo.Context) error {
	ctx := c.Request().Context()
	id := pathParam(c, "id")
	conv, err := s.store.Conversation(ctx, id)
	if err != nil {
		return err
	}
	if err := s.mayReadConversation(ctx, agentOf(c), conv); err != nil {
		return err
	}
	items, err := desk.New(s.Engine()).ConversationTranscript(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{
		"conversation_id": conv.ID, "customer_id": conv.CustomerID, "channel": conv.Channel, "status": conv.Status,
		"created_at": conv.CreatedAt, "items": nonNil(items), "undelivered": nonNil(s.undelivered(ctx, conv.ID, agentOf(c))),
	})
}

// mayReadConversation: what mayReadCustomer allows, for one of the customer's
// conversations; a conversation with no known customer is for who holds or
// held a handoff in it.
func (s *Server) mayReadConversation(ctx context.Context, a store.Agent, conv *store.Conversation) error {
	if conv.CustomerID != "" {
		if err := s.mayReadCustomer(ctx, a, conv.CustomerID); err == nil {
			return nil
		}
	} else if desk.RoleRank(a.Role) >= desk.RoleRank(desk.RoleSupervisor) {
		return nil
	}
	hs, err := s.store.Handoffs(ctx, store.HandoffFilter{ConversationID: conv.ID, Agent: a.ID})
	if err != nil {
		return err
	}
	if len(hs) == 0 {
		return fmt.Errorf("conversation %q: %w", conv.ID, store.ErrNotFound)
	}
	return nil
}

// pathParam is a path parameter as it was meant: channel conversation ids hold
// ":" ("sms:3f..."), which clients escape and the router passes on escaped.
func pathParam(c echo.Context, name string) string {
	v := c.Param(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
