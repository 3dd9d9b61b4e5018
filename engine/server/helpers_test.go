package server

import (
	"encoding/json"
	"flag"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

var update = flag.Bool("update", false, "rewrite golden screenshots")

var monday10 = enginetest.Monday10

func loadShop(t testing.TB) *policies.Bot { return enginetest.LoadShop(t) }

func newShopEngine(t testing.TB, st store.Store, now time.Time) *engine.Engine {
	return enginetest.NewShopEngine(t, st, now)
}

func stepClock(start time.Time, step time.Duration) func() time.Time {
	return enginetest.StepClock(start, step)
}

// testConversation is a conversation started through the API, with its token.
type testConversation struct{ id, token string }

// startTestConversation starts a web conversation on a running server.
func startTestConversation(t *testing.T, url string) testConversation {
	t.Helper()
	resp, err := http.Post(url+"/v1/conversations", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		ID    string `json:"conversation_id"`
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /v1/conversations: %d, %v", resp.StatusCode, err)
	}
	return testConversation{out.ID, out.Token}
}
