package server

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"
)

// Queries and bodies a client gets wrong are a 4xx naming what is wrong: a
// mistyped status is not an empty list ("nobody is waiting"), and a form too
// big is 413 like every other body.
func TestListQueriesAndFormSize(t *testing.T) {
	env := newDeskEnv(t)
	tom := env.keys["tom"]
	type answer struct {
		Status  int
		Message string
	}
	for _, tc := range []struct {
		name                   string
		method, path, ct, body string
		header                 []string
		want                   answer
	}{
		{"inbox, a status that is none", "GET", "/v1/agent/handoffs?status=wating", "", "", []string{"Authorization", "Bearer " + tom},
			answer{400, `invalid input: status "wating" is not one of waiting, assigned, returned, closed, cancelled`}},
		{"inbox, a status", "GET", "/v1/agent/handoffs?status=cancelled", "", "", []string{"Authorization", "Bearer " + tom}, answer{200, ""}},
		{"inbox, a limit that is no number", "GET", "/v1/agent/handoffs?limit=all", "", "", []string{"Authorization", "Bearer " + tom},
			answer{400, "invalid input: limit must be from 1 to 1000"}},
		{"inbox, a limit too big", "GET", "/v1/agent/handoffs?status=closed&limit=5000", "", "", []string{"Authorization", "Bearer " + tom},
			answer{400, "invalid input: limit must be from 1 to 1000"}},
		{"inbox, a limit", "GET", "/v1/agent/handoffs?status=closed&limit=5", "", "", []string{"Authorization", "Bearer " + tom}, answer{200, ""}},
		{"raw handoffs, a status that is none", "GET", "/v1/handoffs?status=open", "", "", []string{"Authorization", "Bearer " + tom},
			answer{400, `invalid input: status "open" is not one of waiting, assigned, returned, closed, cancelled`}},
		{"a form too big", "POST", "/v1/channels/form", "application/x-www-form-urlencoded",
			url.Values{"email": {"cy@example.com"}, "message": {strings.Repeat("a", maxFormBytes)}}.Encode(), []string{"Accept", "application/json"},
			answer{413, "message too large: the form is over 65536 bytes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, raw := env.request(tc.method, tc.path, tc.ct, tc.body, tc.header...)
			var out struct {
				Error struct{ Message string }
			}
			_ = json.Unmarshal([]byte(raw), &out)
			if diff := cmp.Diff(tc.want, answer{status, out.Error.Message}); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// "admin" is who the API token acts as (and, like "local", has no chat
// limit): an agent can't be created under either name and pass for it.
func TestReservedAgentIDs(t *testing.T) {
	env := newInbox(t)
	for _, tc := range []struct {
		id   string
		want int
	}{
		{"admin", 400},
		{"local", 400},
		{"admin2", 201},
	} {
		t.Run(tc.id, func(t *testing.T) {
			code, out := env.call("POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": tc.id, "name": "X"})
			if code != tc.want {
				t.Errorf("create %q = %d %v, want %d", tc.id, code, out, tc.want)
			}
		})
	}
}

// A handoff list that grows for ever (no status, or a finished one) comes
// newest first up to a limit; the work in hand (waiting, assigned, one
// conversation's) comes whole.
func TestHandoffListLimit(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"", handoffListLimit},
		{"status=closed", handoffListLimit},
		{"status=waiting", 0},
		{"status=assigned&queue=sales", 0},
		{"conversation=c1", 0},
		{"status=waiting&limit=3", 3},
		{"limit=1000", 1000},
	} {
		c := echo.New().NewContext(httptest.NewRequest("GET", "/v1/agent/handoffs?"+tc.query, nil), httptest.NewRecorder())
		f, err := handoffFilter(c)
		if err != nil {
			t.Fatalf("%q: %v", tc.query, err)
		}
		if f.Limit != tc.want {
			t.Errorf("%q: limit %d, want %d", tc.query, f.Limit, tc.want)
		}
	}
}
