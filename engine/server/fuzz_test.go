package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/parleyhq/parley/engine/store/memstore"
)

// FuzzPostMessage sends arbitrary bodies and content types to the message
// endpoint, as a system speaking for its customers (the decoding with the most
// fields): whatever comes, the answer is a client error or a turn, never a
// server error. A 500 would be retried by webhook senders forever.
func FuzzPostMessage(f *testing.F) {
	for _, seed := range []struct{ body, ctype string }{
		{`{"text":"where is my order AB123456?","client_message_id":"m1"}`, "application/json"},
		{`{"text":"hi","customer_id":"+8613800138000","channel":"whatsapp","customer":{"name":"Ann","vip":true,"tier":["gold"]}}`, "application/json; charset=utf-8"},
		{`{"text":"hi"} trailing`, "application/json"},
		{`{"text":"hi"}{"text":"again"}`, "application/json"},
		{`{"text":"\u0000"}`, "application/json"},
		{`{"text":"\u200b\ufeff"}`, "application/json"},
		{"{\"text\":\"caf\xe9\"}", "application/json; charset=iso-8859-1"},
		{`{"text":"hi","unknown":1}`, "application/json"},
		{`{"text":"` + string(bytes.Repeat([]byte("a"), 20000)) + `"}`, "application/json"},
		{`{"text":1}`, "application/json"},
		{`text=hi`, "application/x-www-form-urlencoded"},
		{``, "application/json"},
		{`{"text":"hi"}`, "application/json; charset"},
	} {
		f.Add([]byte(seed.body), seed.ctype)
	}
	e := newShopEngine(f, memstore.New(), monday10)
	s := NewServer(e, ServerConfig{Token: testAdmin, RouteEvery: -1, RateLimit: -1})
	f.Cleanup(func() { _ = s.Close(context.Background()) })
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		// A conversation per input, so the log a turn replays stays short.
		path := fmt.Sprintf("/v1/conversations/fuzz-%d/messages", n.Add(1))
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+testAdmin)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		default:
			t.Fatalf("%q (%s) = %d %s", body, contentType, rec.Code, rec.Body)
		}
	})
}
