package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// testAdmin is the admin key of the servers tests start.
const testAdmin = "test-admin-token-0123456789abcdef"

func TestServer(t *testing.T) {
	e := newShopEngine(t, memstore.New(), monday10)
	srv := httptest.NewServer(NewServer(e, ServerConfig{Token: testAdmin}))
	defer srv.Close()

	post := func(path, body string, header ...string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+testAdmin)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s: response is not JSON: %v: %s", path, err, raw)
		}
		return resp.StatusCode, out
	}

	tests := []struct {
		name       string
		path, body string
		header     []string
		wantStatus int
		wantCode   string
	}{
		{"message", "/v1/conversations/web-1/messages", `{"text":"where is my order AB123456","client_message_id":"m1"}`, nil, 200, ""},
		{"empty text", "/v1/conversations/web-1/messages", `{"text":"   "}`, nil, 400, "invalid_input"},
		{"bad json", "/v1/conversations/web-1/messages", `{"text":`, nil, 400, "invalid_input"},
		{"unknown field", "/v1/conversations/web-1/messages", `{"txt":"hi"}`, nil, 400, "invalid_input"},
		{"too large", "/v1/conversations/web-1/messages", `{"text":"` + strings.Repeat("a", 1<<20) + `"}`, nil, 413, "too_large"},
		{"idempotency header", "/v1/conversations/web-2/messages", `{"text":"hi"}`, []string{"Idempotency-Key", "k1"}, 200, ""},
		{"handback of unknown conversation", "/v1/conversations/nope/handback", `{"agent":"alice"}`, nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(tt.path, tt.body, tt.header...)
			if status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %v", status, tt.wantStatus, body)
			}
			if tt.wantCode != "" {
				errObj, _ := body["error"].(map[string]any)
				if errObj["code"] != tt.wantCode {
					t.Errorf("error code = %v, want %q", errObj["code"], tt.wantCode)
				}
			}
		})
	}

	// A double submit returns the same replies.
	_, first := post("/v1/conversations/web-3/messages", `{"text":"where is my order AB123456","client_message_id":"same"}`)
	_, second := post("/v1/conversations/web-3/messages", `{"text":"where is my order AB123456","client_message_id":"same"}`)
	a, _ := json.Marshal(first["replies"])
	b, _ := json.Marshal(second["replies"])
	if !bytes.Equal(a, b) || second["duplicate"] != true {
		t.Errorf("double submit: first %s, second %s (duplicate=%v)", a, b, second["duplicate"])
	}

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/conversations/web-3", nil)
	req.Header.Set("Authorization", "Bearer "+testAdmin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var conv struct {
		Events []struct {
			Seq  int64  `json:"seq"`
			Type string `json:"type"`
		} `json:"events"`
	}
	err = json.NewDecoder(resp.Body).Decode(&conv)
	resp.Body.Close()
	if resp.StatusCode != 200 || err != nil || len(conv.Events) == 0 || conv.Events[0].Type != "message_received" {
		t.Errorf("GET conversation: %d, %v, events %v; want the log from the first message", resp.StatusCode, err, conv.Events)
	}
}

func TestServerAgentActionsAreAudited(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	srv := httptest.NewServer(NewServer(e, ServerConfig{Token: testAdmin}))
	defer srv.Close()
	li := NewAPIKey()
	if _, err := st.PutAgent(context.Background(), store.Agent{ID: "li", Name: "Li", KeyHash: store.HashAPIKey(li)}); err != nil {
		t.Fatal(err)
	}
	postAs := func(key, path, body string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	post := func(path, body string) int { return postAs(li, path, body) }
	// A refund of 1280 (order CD654321) becomes a review ticket.
	for _, text := range []string{"refund CD654321, wrong item", "yes"} {
		if code := postAs(testAdmin, "/v1/conversations/c1/messages", `{"text":"`+text+`","channel":"web","customer_id":"ann@example.com"}`); code != 200 {
			t.Fatalf("message %q: %d", text, code)
		}
	}
	tickets, err := st.Tickets(context.Background(), store.TicketFilter{ConversationID: "c1"})
	if err != nil || len(tickets) != 1 {
		t.Fatalf("tickets = %v, %v; want one", tickets, err)
	}
	// The actor a body names is not believed: the key says who acts.
	if code := post("/v1/tickets/"+tickets[0].ID+"/status", `{"status":"solved","actor":"agent:someone-else","note":"refunded"}`); code != 200 {
		t.Fatalf("set status: %d", code)
	}
	if code := post("/v1/tickets/nope/status", `{"status":"solved","actor":"agent:li"}`); code != 404 {
		t.Errorf("unknown ticket: %d, want 404", code)
	}
	if code := post("/v1/tickets/"+tickets[0].ID+"/status", `{"status":"fixed-ish","actor":"agent:li"}`); code != 400 {
		t.Errorf("unknown status: %d, want 400", code)
	}
	audit, err := st.Audit(context.Background(), store.AuditFilter{ConversationID: "c1", Action: "ticket.update"})
	if err != nil || len(audit) != 1 || audit[0].Actor != "agent:li" {
		t.Errorf("audit = %+v, %v; want the agent's change", audit, err)
	}
	if tickets[0].CustomerID == "" || tickets[0].CustomerID == "ann@example.com" {
		t.Errorf("ticket customer = %q, want the resolved customer id", tickets[0].CustomerID)
	}
}

// Closing a handoff gives the conversation back to the bot (after its survey
// question), and the handoff record says so.
func TestServerClosingHandoffReturnsConversation(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	srv := httptest.NewServer(NewServer(e, ServerConfig{Token: testAdmin}))
	defer srv.Close()
	post := func(path, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+testAdmin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	if code, res := post("/v1/conversations/c1/messages", `{"text":"I want to speak to a person"}`); code != 200 || res["handed_off"] != true {
		t.Fatalf("handoff: %d %v", code, res)
	}
	hs, _ := st.Handoffs(context.Background(), store.HandoffFilter{ConversationID: "c1"})
	if len(hs) != 1 {
		t.Fatalf("handoffs = %v", hs)
	}
	if code, _ := post("/v1/handoffs/"+hs[0].ID+"/status", `{"status":"closed","actor":"agent:li","note":"sorted"}`); code != 200 {
		t.Fatalf("close: %d", code)
	}
	code, res := post("/v1/conversations/c1/messages", `{"text":"where is my order AB123456"}`)
	if code != 200 || res["handed_off"] == true || len(res["replies"].([]any)) == 0 {
		t.Errorf("after the handoff is closed the bot must answer again: %d %v", code, res)
	}
	hs, _ = st.Handoffs(context.Background(), store.HandoffFilter{ConversationID: "c1"})
	if hs[0].Status != "closed" {
		t.Errorf("handoff status = %q, want closed", hs[0].Status)
	}
	var statuses []string
	for _, h := range hs[0].History {
		statuses = append(statuses, h.Status)
	}
	if got := strings.Join(statuses, ","); got != "waiting,closed" {
		t.Errorf("history = %s, want waiting,closed", got)
	}
}

func TestServerToken(t *testing.T) {
	e := newShopEngine(t, memstore.New(), monday10)
	srv := httptest.NewServer(NewServer(e, ServerConfig{Token: "s3cret"}))
	defer srv.Close()
	tests := []struct {
		name, path, auth string
		want             int
	}{
		{"health needs no token", "/healthz", "", 200},
		{"no token", "/v1/tickets", "", 401},
		{"wrong token", "/v1/tickets", "Bearer nope", 401},
		{"right token", "/v1/tickets", "Bearer s3cret", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}
