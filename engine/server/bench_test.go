package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// benchScript is bench/load's conversation: an order's status, then a refund
// with a reason and a confirmation.
var benchScript = []string{
	"where is my order AB123456",
	"I want a refund for order CD654321",
	"it arrived damaged",
	"the box was crushed",
	"yes",
	"thanks",
}

// BenchmarkCustomerMessage is a customer's message through the HTTP layer
// (middleware, auth, decoding, the turn, encoding, the request log at info
// level as `parley serve` writes it) against the same turn handed to the
// engine directly; the difference is what the server adds to a turn, short of
// the socket. On the memory store, so the store's work does not hide it.
func BenchmarkCustomerMessage(b *testing.B) {
	for _, via := range []string{"engine", "http"} {
		b.Run("via="+via, func(b *testing.B) {
			e := newShopEngine(b, memstore.New(), monday10)
			logger := slog.New(NewMaskingHandler(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo})))
			s := NewServer(e, ServerConfig{Logger: logger, RouteEvery: -1, SweepEvery: -1})
			b.Cleanup(func() { _ = s.Close(context.Background()) })
			convs := b.N/len(benchScript) + 1
			tokens := make([]string, convs)
			for i := range tokens {
				tokens[i] = s.tokens.sign(conversationClaims{ConversationID: fmt.Sprintf("c-bench-%d", i), Channel: "web", Expires: time.Now().Add(time.Hour).Unix()})
			}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				conv, text := i/len(benchScript), benchScript[i%len(benchScript)]
				id := fmt.Sprintf("c-bench-%d", conv)
				if via == "engine" {
					if _, err := e.Handle(ctx, engine.Message{ConversationID: id, ClientMessageID: fmt.Sprint(i), Text: text, Channel: "web"}); err != nil {
						b.Fatal(err)
					}
					continue
				}
				body := fmt.Sprintf(`{"text":%q,"client_message_id":"%d"}`, text, i)
				req := httptest.NewRequest(http.MethodPost, "/v1/conversations/"+id+"/messages", strings.NewReader(body))
				req.Host = "127.0.0.1:8080"
				req.RemoteAddr = "127.0.0.1:40000"
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tokens[conv])
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("POST messages: %d %s", rec.Code, rec.Body)
				}
			}
			b.StopTimer()
			// The process's CPU (GC included, the shop's backend too) moves
			// far less than wall time when other work shares the cores.
			if used := cpuTime() - cpu; used > 0 {
				b.ReportMetric(float64(used.Microseconds())/float64(b.N), "cpu-µs/op")
			}
		})
	}
}

// BenchmarkTokenVerify is the check every customer request makes, with the
// profile opened as postMessage does (none here, as for most web chats).
func BenchmarkTokenVerify(b *testing.B) {
	signer := newTokenSigner([]byte("0123456789abcdef0123456789abcdef"))
	tok := signer.sign(conversationClaims{ConversationID: "c-1A2B3456789", Channel: "web", Expires: time.Now().Add(time.Hour).Unix()})
	b.ReportAllocs()
	for b.Loop() {
		claims, ok := signer.verify(tok)
		if !ok {
			b.Fatal("token refused")
		}
		signer.openProfile(claims.Profile)
	}
}

// BenchmarkDecodeMessage decodes a customer's message as postMessage does.
func BenchmarkDecodeMessage(b *testing.B) {
	e := echo.New()
	body := `{"text":"I want a refund for order CD654321","client_message_id":"m-123456"}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/conversations/c-1/messages", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		c := e.NewContext(req, nil)
		var msg struct {
			Text            string         `json:"text"`
			ClientMessageID string         `json:"client_message_id"`
			CustomerID      string         `json:"customer_id"`
			Channel         string         `json:"channel"`
			Customer        map[string]any `json:"customer"`
		}
		if err := decodeJSON(c, &msg); err != nil {
			b.Fatal(err)
		}
	}
}
