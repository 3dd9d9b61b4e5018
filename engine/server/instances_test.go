package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
)

// instances are two servers on one PostgreSQL schema, as two `parley serve`
// processes behind a load balancer would be, each following the other's
// changes (Run).
type instances struct {
	a, b *node
}

// node is one instance, driven over HTTP.
type node struct {
	t   testing.TB
	url string
	srv *Server
}

// post sends a JSON body and decodes the JSON answer, which must have status want.
func (n *node) post(path, token string, body any, want int) map[string]any {
	n.t.Helper()
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", n.url+path, bytes.NewReader(raw))
	if err != nil {
		n.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != want {
		n.t.Fatalf("POST %s = %d %v, want %d", path, resp.StatusCode, out, want)
	}
	return out
}

func (n *node) conversation() (id, token string) {
	out := n.post("/v1/conversations", "", map[string]any{"channel": "web"}, 201)
	return out["conversation_id"].(string), out["token"].(string)
}

func (n *node) say(id, token, text string) {
	n.post("/v1/conversations/"+id+"/messages", token, map[string]any{"text": text, "client_message_id": text}, 200)
}

func newInstances(t testing.TB) *instances {
	t.Helper()
	url := pgtest.URL(t)
	schema := pgtest.Schema(t, url)
	bot := enginetest.LoadShop(t)
	secret := []byte(strings.Repeat("s", 32)) // both accept the tokens either signs
	var nodes []*node
	for range 2 {
		st, err := postgres.Open(context.Background(), url, postgres.Options{Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		e, err := engine.New(context.Background(), bot, engine.Options{Store: st})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		srv := NewServer(e, ServerConfig{Secret: secret, Token: adminKey, RouteEvery: -1, SweepEvery: -1, RateLimit: -1})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { srv.Run(ctx); close(done) }()
		ts := httptest.NewServer(srv)
		t.Cleanup(func() {
			cancel()
			<-done
			ts.Close()
			_ = srv.Close(context.Background())
		})
		nodes = append(nodes, &node{t: t, url: ts.URL, srv: srv})
	}
	// Run listens in the background; a commit before an instance listens is
	// one it never hears of, so start only once both do.
	for _, n := range nodes {
		deadline := time.Now().Add(30 * time.Second)
		for !n.srv.following.Load() {
			if time.Now().After(deadline) {
				t.Fatal("an instance does not follow the store's changes after 30s")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return &instances{a: nodes[0], b: nodes[1]}
}

// adminKey is both instances' admin API key, which the watching agent uses.
var adminKey = strings.Repeat("k", 32)

// watch opens conversation id's WebSocket on n as an agent (the admin) and
// reads its first frames, up to the item with text.
func watch(t testing.TB, n *node, id, upTo string) *websocket.Conn {
	t.Helper()
	wsURL := "ws" + strings.TrimPrefix(n.url, "http") + "/v1/conversations/" + id + "/ws?key=" + adminKey
	ws, err := websocket.Dial(wsURL, "", n.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	waitItem(t, ws, upTo, 30*time.Second)
	return ws
}

// waitItem reads frames until a customer item with text, and says how long that took.
func waitItem(t testing.TB, ws *websocket.Conn, text string, timeout time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	_ = ws.SetReadDeadline(start.Add(timeout))
	for {
		var f wsFrame
		if err := websocket.JSON.Receive(ws, &f); err != nil {
			t.Fatalf("waiting for %q: %v", text, err)
		}
		if f.Type == "item" && f.Item.From == "customer" && f.Item.Text == text {
			return time.Since(start)
		}
	}
}

// TestLiveUpdatesAcrossInstances: an agent watching a conversation on
// instance B sees the customer's message sent to instance A without any
// periodic re-read: A's commit notifies B (LISTEN/NOTIFY). The timeout is
// generous (a correctness test on a shared machine); the latency itself is
// BenchmarkLiveUpdateAcrossInstances's.
func TestLiveUpdatesAcrossInstances(t *testing.T) {
	in := newInstances(t)
	id, token := in.a.conversation()
	in.a.say(id, token, "where is my order AB123456")
	ws := watch(t, in.b, id, "where is my order AB123456")
	in.a.say(id, token, "I want a refund for order CD654321")
	took := waitItem(t, ws, "I want a refund for order CD654321", 10*time.Second)
	t.Logf("seen on B %v after A answered", took)
}

// BenchmarkLiveUpdateAcrossInstances measures how long after a customer
// sends a message to instance A an agent watching on instance B sees it (the
// time A takes to answer included).
//
//	go test -run '^$' -bench LiveUpdateAcrossInstances -benchtime 200x ./engine/server/
func BenchmarkLiveUpdateAcrossInstances(b *testing.B) {
	in := newInstances(b)
	id, token := in.a.conversation()
	in.a.say(id, token, "hello")
	ws := watch(b, in.b, id, "hello")
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := fmt.Sprintf("where is my order AB%06d", i)
		sent := time.Now()
		in.a.say(id, token, text)
		answered := time.Since(sent)
		seen := waitItem(b, ws, text, 10*time.Second)
		lat = append(lat, answered+seen)
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
