package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestLogMaskingKeepsIDs: log lines can be matched to requests. Masking
// used to replace digits in 16% of request ids and 6-10% of conversation-id
// paths with '*'; personal data in a path is still masked.
func TestLogMaskingKeepsIDs(t *testing.T) {
	var buf bytes.Buffer
	for _, masking := range []struct {
		name   string
		logger *slog.Logger
	}{
		{"masking handler", slog.New(NewMaskingHandler(slog.NewJSONHandler(&buf, nil)))},
		{"plain handler", slog.New(slog.NewJSONHandler(&buf, nil))},
	} {
		t.Run(masking.name, func(t *testing.T) {
			buf.Reset()
			e := echo.New()
			e.Use(requestLog(masking.logger))
			e.Any("/*", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
			eng := newShopEngine(t, memstore.New(), monday10)
			type sent struct{ id, path string }
			var requests []sent
			for i := range 2000 {
				conv := eng.NewID("c")
				if i%3 == 0 {
					conv = ChannelConversationID("sms", "+861380013"+strings.Repeat("0", i%4))
				}
				requests = append(requests, sent{newRequestID(), "/v1/conversations/" + conv + "/messages"})
			}
			// One hex id in 80,000 is all digits, 24 of them: no phone or card.
			requests = append(requests, sent{"870063634751749698177534", "/v1/conversations/c-1/messages"})
			for _, r := range requests {
				req := httptest.NewRequest(http.MethodPost, r.path, nil)
				req.Header.Set(requestIDHeader, r.id)
				e.ServeHTTP(httptest.NewRecorder(), req)
			}
			sc := bufio.NewScanner(&buf)
			for i := 0; sc.Scan(); i++ {
				var line struct {
					ID   string `json:"request_id"`
					Path string `json:"path"`
				}
				if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
					t.Fatal(err)
				}
				if line.ID != requests[i].id || line.Path != requests[i].path {
					t.Fatalf("logged %q %q for request %q %q", line.ID, line.Path, requests[i].id, requests[i].path)
				}
			}

			buf.Reset()
			for _, path := range []string{"/v1/conversations/+8613800138000/messages", "/v1/customers/ann@example.com/identities", "/v1/conversations/sms:13812345678/messages"} {
				e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
			}
			for _, secret := range []string{"13800138000", "ann@example.com", "13812345678"} {
				if strings.Contains(buf.String(), secret) {
					t.Errorf("the log holds %q:\n%s", secret, buf.String())
				}
			}
		})
	}
}
