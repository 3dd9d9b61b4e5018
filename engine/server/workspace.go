package server

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/desk"
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

func (s *Server) getSuggestions(c echo.Context) error {
	query, out, err := desk.New(s.Engine()).Suggestions(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"query": query, "suggestions": out})
}

func (s *Server) getQuickReplies(c echo.Context) error {
	out, err := desk.New(s.Engine()).QuickReplies(c.Request().Context(), c.Param("id"), agentOf(c), c.QueryParam("q"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"quick_replies": out})
}

func (s *Server) getCustomer(c echo.Context) error {
	v, err := desk.New(s.Engine()).Customer(c.Request().Context(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// getAgentTranscript is any conversation as agents see it, internal notes
// included: a customer's past conversations on other channels.
func (s *Server) getAgentTranscript(c echo.Context) error {
	ctx := c.Request().Context()
	id := pathParam(c, "id")
	items, err := desk.New(s.Engine()).ConversationTranscript(ctx, id)
	if err != nil {
		return err
	}
	conv, err := s.store.Conversation(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{
		"conversation_id": conv.ID, "customer_id": conv.CustomerID, "channel": conv.Channel, "status": conv.Status,
		"created_at": conv.CreatedAt, "items": nonNil(items),
	})
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
