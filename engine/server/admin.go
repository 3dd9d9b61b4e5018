package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// routesAdmin is agent administration, for admins only: create agents, edit
// their skills, roles, chat limit and auto-assignment, disable them, rotate or
// revoke their keys. Every change is audited with the admin's id; a key is
// shown once, when it is made, and is never logged or audited.
func (s *Server) routesAdmin() {
	g := s.echo.Group("/v1/admin", s.requireRole(desk.RoleAdmin))
	g.POST("/agents", s.createAgent)
	g.GET("/agents", s.listAgents)
	g.GET("/agents/:id", s.getAgent)
	g.PATCH("/agents/:id", s.editAgent)
	g.POST("/agents/:id/disable", s.setAgentDisabled(true))
	g.POST("/agents/:id/enable", s.setAgentDisabled(false))
	g.POST("/agents/:id/key", s.rotateKey)
	g.DELETE("/agents/:id/key", s.revokeKey)
	s.routesOutbox(g)
}

func (s *Server) createAgent(c echo.Context) error {
	var req struct {
		ID         string   `json:"id"`
		Name       string   `json:"name"`
		Role       string   `json:"role"`
		Skills     []string `json:"skills"`
		MaxChats   int      `json:"max_chats"`
		AutoAssign string   `json:"auto_assign"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.AutoAssign == "default" {
		req.AutoAssign = store.AutoAssignDefault
	}
	key := NewAPIKey()
	a, err := desk.New(s.Engine()).CreateAgent(c.Request().Context(), agentOf(c), desk.NewAgent{
		ID: req.ID, Name: req.Name, Role: req.Role, Skills: req.Skills, MaxChats: req.MaxChats, AutoAssign: req.AutoAssign,
	}, store.HashAPIKey(key))
	if err != nil {
		return err
	}
	s.log.Info("admin action", "actor", agentOf(c).ID, "action", "agent.create", "agent", a.ID)
	return c.JSON(http.StatusCreated, map[string]any{"agent": s.viewAgent(a), "key": key})
}

func (s *Server) listAgents(c echo.Context) error {
	as, err := s.store.Agents(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]agentView, len(as))
	for i, a := range as {
		out[i] = s.viewAgent(a)
	}
	return c.JSON(http.StatusOK, map[string]any{"agents": out})
}

func (s *Server) getAgent(c echo.Context) error {
	a, err := s.store.Agent(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.viewAgent(a))
}

func (s *Server) editAgent(c echo.Context) error {
	var req struct {
		Name       *string   `json:"name"`
		Role       *string   `json:"role"`
		Skills     *[]string `json:"skills"`
		MaxChats   *int      `json:"max_chats"`
		AutoAssign *string   `json:"auto_assign"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	a, err := desk.New(s.Engine()).EditAgent(c.Request().Context(), agentOf(c), c.Param("id"), desk.AgentChanges{
		Name: req.Name, Role: req.Role, Skills: req.Skills, MaxChats: req.MaxChats, AutoAssign: req.AutoAssign,
	})
	if err != nil {
		return err
	}
	s.afterAgentChange(a)
	return c.JSON(http.StatusOK, s.viewAgent(a))
}

func (s *Server) setAgentDisabled(disabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		e, release := s.acquire()
		defer release()
		a, err := desk.New(e).SetAgentDisabled(c.Request().Context(), agentOf(c), c.Param("id"), disabled)
		if err != nil {
			return err
		}
		s.afterAgentChange(a)
		return c.JSON(http.StatusOK, s.viewAgent(a))
	}
}

// rotateKey gives the agent a new key, shown once; the old one stops working.
func (s *Server) rotateKey(c echo.Context) error {
	key := NewAPIKey()
	a, err := desk.New(s.Engine()).RotateKey(c.Request().Context(), agentOf(c), c.Param("id"), store.HashAPIKey(key))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"agent": s.viewAgent(a), "key": key})
}

// revokeKey takes the agent's key away: they can't sign in until rotated.
func (s *Server) revokeKey(c echo.Context) error {
	a, err := desk.New(s.Engine()).RotateKey(c.Request().Context(), agentOf(c), c.Param("id"), "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.viewAgent(a))
}

// afterAgentChange tells consoles (the agent's own shows their settings) and
// lets the router try again: a new skill or auto-assignment may place someone.
func (s *Server) afterAgentChange(a store.Agent) {
	s.hub.publishAgents(agentUpdate{Type: "agent_changed", AgentID: a.ID})
	s.hub.publishAgents(agentUpdate{Type: "queue_changed"})
}
