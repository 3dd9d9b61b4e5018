package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine/store/memstore"
)

// A message's answer is compact JSON, and indented with ?pretty, as echo's
// c.JSON writes them, though only ?pretty now goes through its query parse.
func TestPostMessageJSON(t *testing.T) {
	e := newShopEngine(t, memstore.New(), monday10)
	srv := httptest.NewServer(NewServer(e, ServerConfig{}))
	t.Cleanup(srv.Close)
	conv := startTestConversation(t, srv.URL)
	post := func(query, text string) (string, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/conversations/"+conv.id+"/messages"+query, strings.NewReader(`{"text":"`+text+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+conv.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST messages%s: %d %s", query, resp.StatusCode, raw)
		}
		return resp.Header.Get("Content-Type"), string(raw)
	}
	ctype, compact := post("", "hello")
	if ctype != "application/json" || !strings.HasPrefix(compact, `{"conversation_id":"`+conv.id+`","replies":[{"text":`) || !strings.HasSuffix(compact, "}\n") || strings.Count(compact, "\n") != 1 {
		t.Errorf("without a query: %s %q; want compact JSON and one newline", ctype, compact)
	}
	ctype, pretty := post("?pretty", "hello again")
	if ctype != "application/json" || !strings.HasPrefix(pretty, "{\n  \"conversation_id\": ") {
		t.Errorf("with ?pretty: %s %q; want indented JSON", ctype, pretty)
	}
}
