package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// routesPolicies: the versions of the policies served (supervisors) and the
// rollout of a candidate (admins: every change is audited).
func (s *Server) routesPolicies() {
	g := s.echo.Group("/v1/policies", s.requireRole(desk.RoleSupervisor))
	g.GET("", s.getPolicies)
	admin := s.requireRole(desk.RoleAdmin)
	g.PUT("/rollout", s.putRolloutShare, admin)
	g.POST("/rollout/promote", s.postRolloutChange(s.Promote), admin)
	g.POST("/rollout/rollback", s.postRolloutChange(s.Rollback), admin)
}

// PolicyVersion is a version of the policies this instance serves.
type PolicyVersion struct {
	Name     string    `json:"name"` // current or candidate
	Bot      string    `json:"bot"`
	Version  string    `json:"version"` // the content hash
	Label    string    `json:"label,omitempty"`
	Dir      string    `json:"dir,omitempty"`
	Share    int       `json:"share"` // percent of new conversations
	LoadedAt time.Time `json:"loaded_at"`
}

// Policies is what GET /v1/policies answers.
type Policies struct {
	Versions []PolicyVersion `json:"versions"`
	// Rollout is the stored rollout as this instance last read it; null
	// when no candidate was ever served.
	Rollout *store.Rollout `json:"rollout"`
}

// Versions lists the versions this instance serves, with their shares.
func (s *Server) Versions() Policies {
	out := Policies{Versions: []PolicyVersion{}}
	r, hasRollout := s.Rollout()
	if hasRollout {
		out.Rollout = &r
	}
	share := 0
	cand := s.v.candidate.Load()
	if cand != nil && hasRollout && r.Status == store.RolloutRunning {
		share = r.Share
	}
	s.v.mu.Lock()
	cur, candSrc := s.v.current, s.v.candSrc
	s.v.mu.Unlock()
	out.Versions = append(out.Versions, s.versionView("current", s.Engine(), cur, 100-share))
	if cand != nil && candSrc != nil {
		out.Versions = append(out.Versions, s.versionView("candidate", cand, *candSrc, share))
	}
	return out
}

func (s *Server) versionView(name string, e *engine.Engine, src PolicySource, share int) PolicyVersion {
	v := PolicyVersion{Name: name, Bot: e.Bot().Name, Version: e.Bot().Version, Label: src.Label, Dir: src.Dir, Share: share}
	if at, ok := s.v.loadedAt.Load(e); ok {
		v.LoadedAt = at.(time.Time)
	}
	return v
}

func (s *Server) getPolicies(c echo.Context) error {
	if err := s.RefreshVersions(c.Request().Context()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.Versions())
}

func (s *Server) putRolloutShare(c echo.Context) error {
	var req struct {
		Share *int `json:"share"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Share == nil {
		return echo.NewHTTPError(http.StatusBadRequest, "share is required: the percent of new conversations the candidate serves, from 0 to 100")
	}
	if _, err := s.SetShare(c.Request().Context(), *req.Share, "agent:"+agentOf(c).ID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.Versions())
}

func (s *Server) postRolloutChange(change func(ctx context.Context, actor string) (store.Rollout, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := change(c.Request().Context(), "agent:"+agentOf(c).ID); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, s.Versions())
	}
}
