package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/store"
)

// routesReports serves supervisors and admins: the audit trail, masked, the
// dashboard's figures and the report of a period.
func (s *Server) routesReports() {
	g := s.echo.Group("/v1", s.requireRole(desk.RoleSupervisor))
	g.GET("/audit", s.getAudit)
	g.GET("/dashboard", s.getDashboard)
	g.GET("/reports", s.getReport)
}

// staffNow lists the agents who take chats (not disabled; admins only while
// on shift, as the agent counts), with the conversations each holds.
func (s *Server) staffNow(ctx context.Context) ([]staffNow, error) {
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return nil, err
	}
	held, err := s.store.Handoffs(ctx, store.HandoffFilter{Status: desk.HandoffAssigned})
	if err != nil {
		return nil, err
	}
	chats := map[string]int{}
	for _, h := range held {
		chats[h.Agent]++
	}
	out := []staffNow{}
	for _, a := range agents {
		if a.Disabled || a.Role == store.RoleAdmin && a.Status == store.AgentOffline {
			continue
		}
		max := a.MaxChats
		if max <= 0 {
			max = store.DefaultMaxChats
		}
		out = append(out, staffNow{ID: a.ID, Name: a.Name, Status: a.Status, Chats: chats[a.ID], MaxChats: max})
	}
	return out, nil
}

// auditEntry is an audit row as the API shows it.
type auditEntry struct {
	ID             int64           `json:"id"`
	At             time.Time       `json:"at"`
	Actor          string          `json:"actor"`
	Action         string          `json:"action"`
	ConversationID string          `json:"conversation_id"`
	Detail         json.RawMessage `json:"detail"`
}

// getAudit pages the audit trail oldest first: ?after=ID&limit=N, filtered
// by conversation, action, actor, from and to (RFC 3339), with personal data
// masked as the bot's privacy block says.
func (s *Server) getAudit(c echo.Context) error {
	f := store.AuditFilter{Forward: true, Limit: 100,
		ConversationID: c.QueryParam("conversation"), Action: c.QueryParam("action"), Actor: c.QueryParam("actor")}
	if v := c.QueryParam("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("%w: after must be an audit entry id", engine.ErrInvalidInput)
		}
		f.AfterID = n
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return fmt.Errorf("%w: limit must be from 1 to 1000", engine.ErrInvalidInput)
		}
		f.Limit = n
	}
	for name, dst := range map[string]*time.Time{"from": &f.Since, "to": &f.Until} {
		if v := c.QueryParam(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return fmt.Errorf("%w: %s must be a time like 2026-11-23T09:00:00+08:00", engine.ErrInvalidInput, name)
			}
			*dst = t
		}
	}
	entries, err := s.store.Audit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	masker := s.Engine().Masker()
	out := make([]auditEntry, len(entries))
	for i, a := range entries {
		out[i] = auditEntry{a.ID, a.At, a.Actor, a.Action, a.ConversationID, report.MaskAuditDetail(masker, a.Action, a.Detail)}
	}
	resp := map[string]any{"entries": out, "next_after": nil}
	if len(entries) == f.Limit {
		resp["next_after"] = entries[len(entries)-1].ID
	}
	return c.JSON(http.StatusOK, resp)
}

// dashboard is what the console's supervisor dashboard shows.
type dashboard struct {
	Now    time.Time      `json:"now"`
	Queues []queueNow     `json:"queues"`
	Agents map[string]int `json:"agents"`
	Staff  []staffNow     `json:"staff"`
	Board  *report.Board  `json:"report"`
}

// staffNow is one agent as a supervisor watches them: status and load.
type staffNow struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Chats    int    `json:"chats"` // conversations they hold now
	MaxChats int    `json:"max_chats"`
}

type queueNow struct {
	Name        string `json:"name"`
	Waiting     int    `json:"waiting"`
	OldestWaitS int64  `json:"oldest_wait_seconds"`
}

func (s *Server) getDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	live, err := s.liveInbox(ctx)
	if err != nil {
		return err
	}
	e := s.Engine()
	now := e.Now()
	board, err := report.Dashboard(ctx, s.store, e.Bot(), now)
	if err != nil {
		return err
	}
	staff, err := s.staffNow(ctx)
	if err != nil {
		return err
	}
	d := dashboard{Now: now, Agents: live.Agents, Staff: staff, Board: board, Queues: []queueNow{}}
	for _, st := range []string{store.AgentOnline, store.AgentBusy, store.AgentOffline} {
		d.Agents[st] += 0
	}
	for _, q := range live.Queues {
		d.Queues = append(d.Queues, queueNow{q.Name, q.Waiting, q.OldestWaitS})
	}
	return c.JSON(http.StatusOK, d)
}
