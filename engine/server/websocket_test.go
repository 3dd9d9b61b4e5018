package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/parleyhq/parley/engine/store/memstore"
)

// newTimeoutServer serves the shop with short HTTP read and write timeouts
// and WebSocket pings every 100 ms, and starts a conversation on it.
func newTimeoutServer(t *testing.T) (url, id, token string) {
	t.Helper()
	e := newShopEngine(t, memstore.New(), monday10)
	s := NewServer(e, ServerConfig{RouteEvery: -1, RateLimit: -1, WebSocketPing: 100 * time.Millisecond})
	ts := httptest.NewUnstartedServer(s)
	ts.Config.ReadTimeout = 300 * time.Millisecond
	ts.Config.WriteTimeout = 300 * time.Millisecond
	ts.Start()
	t.Cleanup(func() { ts.Close(); _ = s.Close(context.Background()) })
	conv := startTestConversation(t, ts.URL)
	return ts.URL, conv.id, conv.token
}

// TestWebSocketOutlivesHTTPTimeouts: a socket that answers pings stays open
// long past the HTTP server's read and write timeouts, and still gets news.
func TestWebSocketOutlivesHTTPTimeouts(t *testing.T) {
	url, id, token := newTimeoutServer(t)
	ws, err := websocket.Dial("ws"+strings.TrimPrefix(url, "http")+"/v1/conversations/"+id+"/ws?token="+token, "", url)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	frames := make(chan wsFrame, 16)
	go func() {
		defer close(frames)
		for {
			var f wsFrame
			// Receive answers the server's pings while it waits.
			if err := websocket.JSON.Receive(ws, &f); err != nil {
				return
			}
			frames <- f
		}
	}()
	time.Sleep(1500 * time.Millisecond) // five times the HTTP timeouts, fifteen pings
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/conversations/"+id+"/messages", strings.NewReader(`{"text":"where is my order?"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case f, ok := <-frames:
			if !ok {
				t.Fatal("the WebSocket was closed although its client answers pings")
			}
			if f.Type == "item" {
				return
			}
		case <-timeout:
			t.Fatal("no item on the WebSocket")
		}
	}
}

// TestWebSocketSilentPeerIsClosed: a client that upgrades and then answers
// nothing, not even pings, is disconnected after two and a half pings.
func TestWebSocketSilentPeerIsClosed(t *testing.T) {
	url, id, token := newTimeoutServer(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET /v1/conversations/"+id+"/ws?token="+token+" HTTP/1.1\r\nHost: "+strings.TrimPrefix(url, "http://")+
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	if err != nil || !strings.Contains(status, "101") {
		t.Fatalf("upgrade answered %q, %v", status, err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	// Read what the server sends (pings, the first status frame) and never answer.
	if _, err := io.Copy(io.Discard, br); err != nil {
		t.Fatalf("the server did not close the silent WebSocket: %v", err)
	}
}
