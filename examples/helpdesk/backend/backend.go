// Package backend is a stand-in for the parts of the ServiceNow Table API the
// helpdesk bot calls: users by email, incidents by their caller's email, and
// new incidents. The helpdesk's conversation tests run against it with
// `parley test -live`, which keeps their mocks honest, and demos use it in
// place of a ServiceNow instance.
//
// It answers as ServiceNow does: GET /api/now/table/sys_user and
// /api/now/table/incident with sysparm_query return {"result": [...]}, and
// POST /api/now/table/incident returns 201 and {"result": {...}}.
package backend

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// User is a ServiceNow user record.
type User struct {
	SysID string `json:"sys_id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Incident is a ServiceNow incident record, with display values.
type Incident struct {
	SysID            string `json:"sys_id"`
	Number           string `json:"number"`
	ShortDescription string `json:"short_description"`
	Description      string `json:"description"`
	Urgency          string `json:"urgency"`
	State            string `json:"incident_state"`
	OpenedAt         string `json:"opened_at"`
	CallerID         string `json:"caller_id"`
}

// Server is the stand-in. It is safe for concurrent use.
type Server struct {
	mu        sync.Mutex
	users     []User
	incidents []Incident
	next      int
	now       func() time.Time
	mux       *http.ServeMux
}

// New serves the seeded users and incidents (see Seed).
func New() *Server {
	s := &Server{now: time.Now, next: 10001}
	s.users, s.incidents = Seed()
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.mux.HandleFunc("GET /api/now/table/sys_user", s.listUsers)
	s.mux.HandleFunc("GET /api/now/table/incident", s.listIncidents)
	s.mux.HandleFunc("POST /api/now/table/incident", s.createIncident)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Seed is the directory and the incidents the docs and tests use.
func Seed() ([]User, []Incident) {
	users := []User{
		{SysID: "6816f79cc0a8016401c5a33be04be441", Email: "abraham.lincoln@example.com", Name: "Abraham Lincoln"},
		{SysID: "a8f98bb0eb32010045e1a5115206fe3a", Email: "abel.tuter@example.com", Name: "Abel Tuter"},
		{SysID: "71826bf03710200044e0bfc8bcbe5d3b", Email: "aileen.mottern@example.com", Name: "Aileen Mottern"},
		{SysID: "5137153cc611227c000bbd1bd8cd2005", Email: "wang.xiaoming@example.com", Name: "王小明"},
	}
	incidents := []Incident{
		{SysID: "9d385017c611228701d22104cc95c371", Number: "INC0000015", ShortDescription: "I can't launch my VPN client since the last software update", State: "In Progress", OpenedAt: "2026-11-20 09:12:44", CallerID: users[0].SysID, Urgency: "2"},
		{SysID: "e8caedcbc0a80164017df472f39eaed1", Number: "INC0000016", ShortDescription: "Rain is leaking on main DNS Server", State: "New", OpenedAt: "2026-11-22 16:03:10", CallerID: users[0].SysID, Urgency: "1"},
		{SysID: "a9e30c7dc61122760116894de7bcc7bd", Number: "INC0000017", ShortDescription: "打印机无法连接", State: "On Hold", OpenedAt: "2026-11-21 10:30:00", CallerID: users[3].SysID, Urgency: "3"},
	}
	return users, incidents
}

// query reads a sysparm_query of the form field=value.
func query(r *http.Request) (field, value string) {
	field, value, _ = strings.Cut(r.URL.Query().Get("sysparm_query"), "=")
	return field, value
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	field, value := query(r)
	if field != "email" {
		writeError(w, http.StatusBadRequest, "sysparm_query must be email=ADDRESS")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []User{}
	for _, u := range s.users {
		if strings.EqualFold(u.Email, value) {
			out = append(out, u)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": out})
}

func (s *Server) listIncidents(w http.ResponseWriter, r *http.Request) {
	field, value := query(r)
	if field != "caller_id.email" {
		writeError(w, http.StatusBadRequest, "sysparm_query must be caller_id.email=ADDRESS")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	callers := map[string]bool{}
	for _, u := range s.users {
		if strings.EqualFold(u.Email, value) {
			callers[u.SysID] = true
		}
	}
	out := []Incident{}
	for _, in := range s.incidents {
		if callers[in.CallerID] {
			out = append(out, in)
		}
	}
	// Newest first, as the bot lists them.
	slices.SortFunc(out, func(a, b Incident) int { return strings.Compare(b.OpenedAt, a.OpenedAt) })
	writeJSON(w, http.StatusOK, map[string]any{"result": out})
}

func (s *Server) createIncident(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ShortDescription string `json:"short_description"`
		Description      string `json:"description"`
		Urgency          any    `json:"urgency"`
		CallerID         string `json:"caller_id"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "the body must be a JSON object")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	known := slices.ContainsFunc(s.users, func(u User) bool { return u.SysID == req.CallerID })
	if !known || strings.TrimSpace(req.ShortDescription) == "" {
		writeError(w, http.StatusBadRequest, "caller_id must be a user's sys_id, and short_description is required")
		return
	}
	in := Incident{
		SysID:            fmt.Sprintf("%032x", s.next),
		Number:           fmt.Sprintf("INC%07d", s.next),
		ShortDescription: req.ShortDescription,
		Description:      req.Description,
		Urgency:          fmt.Sprint(req.Urgency),
		State:            "New",
		OpenedAt:         s.now().UTC().Format("2006-01-02 15:04:05"),
		CallerID:         req.CallerID,
	}
	s.next++
	s.incidents = append(s.incidents, in)
	writeJSON(w, http.StatusCreated, map[string]any{"result": in})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers as ServiceNow does: {"error": {"message": ...}}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"message": msg}, "status": "failure"})
}
