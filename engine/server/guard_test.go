package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine"

	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/policies"
)

// What keeps other sites and unsigned senders out, server by server.
func TestServerGuards(t *testing.T) {
	bot, diags := engine.Load("testdata/inbox", nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	e, err := engine.New(context.Background(), bot, engine.Options{Store: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	open := NewServer(e, ServerConfig{RouteEvery: -1})
	locked := NewServer(e, ServerConfig{Token: "admin-token", RouteEvery: -1})
	defer func() { _ = open.Close(context.Background()); _ = locked.Close(context.Background()) }()

	webhook := `{"channel":"whatsapp","user_id":"u1","text":"hi","message_id":"m1"}`
	tests := []struct {
		name        string
		srv         *Server
		method      string
		host        string
		path        string
		contentType string
		body        string
		want        int
	}{
		{"an open server answers localhost", open, "POST", "127.0.0.1:8080", "/v1/conversations", "application/json", `{}`, 201},
		{"and localhost by name", open, "POST", "localhost:8080", "/v1/conversations", "application/json", `{}`, 201},
		{"but not a rebound host name", open, "POST", "evil.example:8080", "/v1/conversations", "application/json", `{}`, 403},
		{"bodies are JSON, not a form another site can post", open, "POST", "127.0.0.1", "/v1/conversations", "text/plain", `{}`, 415},
		{"a server with a token answers any host", locked, "POST", "parley.example.com", "/v1/conversations", "application/json", `{}`, 201},
		{"and refuses a webhook it can't verify", locked, "POST", "parley.example.com", "/v1/channels/webhook", "application/json", webhook, 503},
		{"an open server takes unsigned webhooks", open, "POST", "127.0.0.1", "/v1/channels/webhook", "application/json", webhook, 202},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			req.Host = tt.host
			req.Header.Set("Content-Type", tt.contentType)
			rec := httptest.NewRecorder()
			tt.srv.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("%s %s (Host %s) = %d %s, want %d", tt.method, tt.path, tt.host, rec.Code, rec.Body, tt.want)
			}
		})
	}
}

// A bot's privacy block decides what its logs and audit trail mask: here its
// own member numbers, and not phone numbers.
func TestBotPrivacyMasksLogsAndAudit(t *testing.T) {
	bot, diags := policies.LoadFiles(map[string][]byte{"bot.hcl": []byte(`
bot "b" {
  languages = ["en"]
  privacy {
    mask = ["email", "member"]
  }
}

entity "member" {
  pattern = "ZX-[0-9]{6}"
}

intent "hello" {
  examples = ["hello", "hi there", "good morning", "hey", "hello again"]
}
`)}, policies.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	e, err := engine.New(context.Background(), bot, engine.Options{Store: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()

	var buf bytes.Buffer
	log := slog.New(NewBotMaskingHandler(slog.NewJSONHandler(&buf, nil), e.Masker))
	log.Info("member ZX-123456 wrote from ann@example.com", "phone", "13812345678")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if msg := line["msg"].(string); strings.Contains(msg, "ZX-123456") || strings.Contains(msg, "ann@") {
		t.Errorf("log message not masked: %q", msg)
	}
	if line["phone"] != "13812345678" {
		t.Errorf("phone = %v; the bot does not mask phone numbers", line["phone"])
	}

	detail := engine.MaskValue(e.Masker(), map[string]any{"text_field": "ZX-654321"}).(map[string]any)
	if got := detail["text_field"].(string); strings.Contains(got, "654321") {
		t.Errorf("audit detail not masked: %q", got)
	}
}
