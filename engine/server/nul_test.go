package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// everyStore opens each store kind for a test: memory, the embedded SQLite and
// PostgreSQL (skipped when unreachable, except in CI).
var everyStore = []struct {
	name string
	open func(t *testing.T) store.Store
}{
	{"memory", func(t *testing.T) store.Store { return memstore.New() }},
	{"sqlite", func(t *testing.T) store.Store {
		st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "parley.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
	{"postgres", func(t *testing.T) store.Store {
		u := pgtest.URL(t)
		st, err := postgres.Open(context.Background(), u, postgres.Options{Schema: pgtest.Schema(t, u)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
}

// TestNULIsRefusedOnEveryStore: U+0000 anywhere a client can put it is a 400,
// the same on every store. PostgreSQL used to answer 500 ("invalid byte
// sequence for encoding UTF8: 0x00"), which webhook senders retry forever,
// while the embedded store accepted it.
func TestNULIsRefusedOnEveryStore(t *testing.T) {
	const admin, secret, twilio = "nul-admin-token-0123456789abcdef", "nul-webhook-secret", "nul-twilio-token"
	for _, sk := range everyStore {
		t.Run(sk.name, func(t *testing.T) {
			e := newShopEngine(t, sk.open(t), monday10)
			s := NewServer(e, ServerConfig{Token: admin, RequireAuth: true, WebhookSecret: secret, TwilioAuthToken: twilio,
				PublicURL: "https://parley.example", RouteEvery: -1, RateLimit: -1})
			ts := httptest.NewServer(s)
			t.Cleanup(func() { ts.Close(); _ = s.Close(context.Background()) })

			do := func(method, path, contentType, body string, header ...string) (int, string) {
				t.Helper()
				req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body != "" {
					req.Header.Set("Content-Type", contentType)
				}
				for i := 0; i+1 < len(header); i += 2 {
					req.Header.Set(header[i], header[i+1])
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(raw)
			}
			code, raw := do("POST", "/v1/conversations", "application/json", `{}`)
			var conv struct {
				ID    string `json:"conversation_id"`
				Token string `json:"token"`
			}
			if err := json.Unmarshal([]byte(raw), &conv); err != nil || code != 201 {
				t.Fatalf("start: %d %s", code, raw)
			}
			customer := []string{"Authorization", "Bearer " + conv.Token}
			asAdmin := []string{"Authorization", "Bearer " + admin}
			signed := func(body string) []string {
				return []string{channels.SignatureHeader, channels.SignHMAC([]byte(body), secret)}
			}
			sms := url.Values{"MessageSid": {"SM1"}, "From": {"+8613800138000"}, "To": {"+8610000"}, "Body": {"hi\x00there"}}
			smsSig := channels.TwilioSignature("https://parley.example/v1/channels/sms", sms, twilio)
			webhook := `{"channel":"wa","user_id":"u1","text":"hi","message_id":"m\u0000"}`
			email := `{"from":"ann@example.com","subject":"hi","text":"where\u0000 is it","message_id":"<e1@example.com>"}`

			tests := []struct {
				name                      string
				method, path, ctype, body string
				header                    []string
				want                      string
			}{
				{"message text", "POST", "/v1/conversations/" + conv.ID + "/messages", "application/json", `{"text":"hi\u0000there"}`, customer, "text contains a NUL character"},
				{"message text, a raw NUL byte", "POST", "/v1/conversations/" + conv.ID + "/messages", "application/json", "{\"text\":\"hi\x00there\"}", customer, "invalid character"},
				{"message text, escaped backslash before u0000", "POST", "/v1/conversations/" + conv.ID + "/messages", "application/json", `{"text":"hi\\u0000","client_message_id":"m\u0000"}`, customer, "client_message_id contains a NUL character"},
				{"client_message_id", "POST", "/v1/conversations/" + conv.ID + "/messages", "application/json", `{"text":"hi","client_message_id":"m\u00001"}`, customer, "client_message_id contains a NUL character"},
				{"customer name", "POST", "/v1/conversations", "application/json", `{"customer":{"name":"Ann\u0000"}}`, nil, "customer.name contains a NUL character"},
				{"generic webhook id", "POST", "/v1/channels/webhook", "application/json", webhook, signed(webhook), "message_id contains a NUL character"},
				{"email text", "POST", "/v1/channels/email", "application/json", email, signed(email), "text contains a NUL character"},
				{"sms body", "POST", "/v1/channels/sms", "application/x-www-form-urlencoded", sms.Encode(), []string{"X-Twilio-Signature", smsSig}, "Body contains a NUL character"},
				{"agent name", "POST", "/v1/admin/agents", "application/json", `{"id":"ann","name":"Ann\u0000"}`, asAdmin, "name contains a NUL character"},
				{"query filter", "GET", "/v1/tickets?status=open%00", "", "", asAdmin, `query parameter \"status\" contains a NUL character`},
				{"path id", "GET", "/v1/conversations/c%00x", "", "", asAdmin, "the path contains a NUL character"},
				{"path id of a handoff", "POST", "/v1/agent/handoffs/h%00/claim", "", "", asAdmin, "the path contains a NUL character"},
				{"contact form", "POST", "/v1/channels/form", "application/x-www-form-urlencoded", "name=Ann&email=ann%40example.com&subject=Late&message=where%00is+it", []string{"Accept", "application/json"}, "message contains a NUL character"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					code, raw := do(tt.method, tt.path, tt.ctype, tt.body, tt.header...)
					if code != http.StatusBadRequest || !strings.Contains(raw, tt.want) {
						t.Errorf("%s %s: %d %s; want 400 saying %q", tt.method, tt.path, code, raw, tt.want)
					}
				})
			}
		})
	}
}
