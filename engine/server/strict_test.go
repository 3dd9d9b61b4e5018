package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestStrictRequestParsing: what a lenient parser let through is refused with
// a status and a message that say what is wrong.
func TestStrictRequestParsing(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	s := NewServer(e, ServerConfig{RouteEvery: -1, RateLimit: -1})
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); _ = s.Close(context.Background()) })
	conv := startTestConversation(t, ts.URL)

	tests := []struct {
		name, path, ctype, body string
		wantStatus              int
		want                    string
	}{
		{"trailing garbage", "/v1/conversations/" + conv.id + "/messages", "application/json", `{"text":"hi"} xyz`, 400, "more after the JSON object"},
		{"a second object", "/v1/conversations/" + conv.id + "/messages", "application/json", `{"text":"hi"}{"text":"again"}`, 400, "more after the JSON object"},
		{"latin-1", "/v1/conversations/" + conv.id + "/messages", "application/json; charset=iso-8859-1", "{\"text\":\"caf\xe9\"}", 415, "send it as UTF-8"},
		{"zero-width spaces only", "/v1/conversations/" + conv.id + "/messages", "application/json", `{"text":"\u200b\u200b"}`, 400, "text is empty"},
		{"byte-order mark only", "/v1/conversations/" + conv.id + "/messages", "application/json", `{"text":" \ufeff "}`, 400, "text is empty"},
		{"word joiner and hangul filler", "/v1/conversations/" + conv.id + "/messages", "application/json", `{"text":"\u2060\u3164"}`, 400, "text is empty"},
		{"webhook: a second object", "/v1/channels/webhook", "application/json", `{"channel":"wa","user_id":"u","text":"hi","message_id":"m1"}{}`, 400, "more after the JSON object"},
		{"webhook: latin-1", "/v1/channels/webhook", "application/json; charset=latin1", `{"channel":"wa","user_id":"u","text":"hi","message_id":"m2"}`, 415, "send it as UTF-8"},
		{"webhook: invisible text", "/v1/channels/webhook", "application/json", `{"channel":"wa","user_id":"u","text":"\u200b","message_id":"m3"}`, 400, "text is missing"},
		{"sms: invisible body", "/v1/channels/sms", "application/x-www-form-urlencoded", "MessageSid=SM1&From=%2B8613800138000&To=%2B8610000&Body=%E2%80%8B", 400, "Body is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.ctype)
			req.Header.Set("Authorization", "Bearer "+conv.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || !strings.Contains(string(raw), tt.want) {
				t.Errorf("%d %s; want %d saying %q", resp.StatusCode, raw, tt.wantStatus, tt.want)
			}
		})
	}
	// None of them was a turn: the conversation has not even begun.
	if _, err := st.Conversation(context.Background(), conv.id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused messages made turns: %v", err)
	}
}

// TestReusedClientMessageIDIs409: the same client_message_id with another text
// is a 409 that says so, not the first message's replies again.
func TestReusedClientMessageIDIs409(t *testing.T) {
	e := newShopEngine(t, memstore.New(), monday10)
	s := NewServer(e, ServerConfig{RouteEvery: -1, RateLimit: -1})
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); _ = s.Close(context.Background()) })
	conv := startTestConversation(t, ts.URL)
	send := func(text string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/conversations/"+conv.id+"/messages", strings.NewReader(`{"text":"`+text+`","client_message_id":"m1"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+conv.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	if code, raw := send("where is my order?"); code != 200 {
		t.Fatalf("first: %d %s", code, raw)
	}
	if code, raw := send("where is my order?"); code != 200 || !strings.Contains(raw, `"duplicate":true`) {
		t.Fatalf("redelivery: %d %s", code, raw)
	}
	code, raw := send("I want a refund")
	if code != http.StatusConflict || !strings.Contains(raw, `client message id \"m1\" was used before for a different message`) {
		t.Errorf("reuse: %d %s; want 409 saying the id was used for a different message", code, raw)
	}
}
