package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestNoKeyIsNobody: on a laptop (loopback, no PARLEY_API_TOKEN) a request
// without credentials used to be an admin and could read any conversation's
// full turn results. Agent and admin routes now need a key there too (the
// demo agent's), while customers still start conversations freely.
func TestNoKeyIsNobody(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	s := NewServer(e, ServerConfig{RouteEvery: -1, RateLimit: -1}) // what `parley serve` runs on loopback
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); _ = s.Close(context.Background()) })
	demo := NewAPIKey()
	if _, err := st.PutAgent(context.Background(), store.Agent{ID: "demo", Name: "Demo", Role: store.RoleSupervisor, KeyHash: store.HashAPIKey(demo)}); err != nil {
		t.Fatal(err)
	}
	conv := startTestConversation(t, ts.URL)
	do := func(method, path, auth, body string) int {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	tests := []struct {
		name, method, path, auth, body string
		want                           int
	}{
		{"a message to someone's conversation", "POST", "/v1/conversations/" + conv.id + "/messages", "", `{"text":"hi","customer_id":"x"}`, 401},
		{"its transcript", "GET", "/v1/conversations/" + conv.id + "/transcript", "", "", 401},
		{"its raw log", "GET", "/v1/conversations/" + conv.id, "", "", 401},
		{"the inbox", "GET", "/v1/agent/queues", "", "", 401},
		{"tickets", "GET", "/v1/tickets", "", "", 401},
		{"creating an agent", "POST", "/v1/admin/agents", "", `{"id":"x","name":"X"}`, 401},
		{"a wrong key", "GET", "/v1/agent/queues", "pk_wrong", "", 401},
		{"the demo key opens the inbox", "GET", "/v1/agent/queues", demo, "", 200},
		{"and speaks for customers", "POST", "/v1/conversations/api-1/messages", demo, `{"text":"hi","customer_id":"x"}`, 200},
		{"but is no admin", "POST", "/v1/admin/agents", demo, `{"id":"x","name":"X"}`, 403},
		{"customers start conversations without a key", "POST", "/v1/conversations", "", `{}`, 201},
		{"and write in their own with its token", "POST", "/v1/conversations/" + conv.id + "/messages", conv.token, `{"text":"hi"}`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := do(tt.method, tt.path, tt.auth, tt.body); got != tt.want {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, got, tt.want)
			}
		})
	}
}

// TestCredentialsInTheURLOnlyForWebSockets: ?token= and ?key= are believed
// only on a WebSocket upgrade, where a browser cannot send a header.
func TestCredentialsInTheURLOnlyForWebSockets(t *testing.T) {
	e := newShopEngine(t, memstore.New(), monday10)
	s := NewServer(e, ServerConfig{Token: testAdmin, RouteEvery: -1, RateLimit: -1})
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); _ = s.Close(context.Background()) })
	conv := startTestConversation(t, ts.URL)
	get := func(path string, header ...string) int {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get("/v1/tickets?key=" + testAdmin); got != 401 {
		t.Errorf("admin key in the query = %d, want 401", got)
	}
	if got := get("/v1/conversations/" + conv.id + "/transcript?token=" + conv.token); got != 401 {
		t.Errorf("conversation token in the query = %d, want 401", got)
	}
	if got := get("/v1/tickets", "Authorization", "Bearer "+testAdmin); got != 200 {
		t.Errorf("admin key in the header = %d, want 200", got)
	}
	// An upgrade with the token in the query gets past authentication (to the
	// WebSocket handshake, which wants more headers than this).
	if got := get("/v1/conversations/"+conv.id+"/ws?token="+conv.token, "Upgrade", "websocket", "Connection", "Upgrade"); got == 401 || got == 403 {
		t.Errorf("WebSocket upgrade with ?token= = %d; the token must count there", got)
	}
}
