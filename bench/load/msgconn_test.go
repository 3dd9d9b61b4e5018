package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestPostMessage sends messages on a customer's own connection to a server
// answering as parley's would, and checks what the loader makes of each answer
// and that the connection is kept, or dialed again after the server closed it.
func TestPostMessage(t *testing.T) {
	var conns atomic.Int64
	var got []map[string]string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.EscapedPath() != "/v1/conversations/c%2F1/messages" ||
			r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad request line or headers: "+r.Method+" "+r.URL.EscapedPath(), http.StatusBadRequest)
			return
		}
		var m map[string]string
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got = append(got, m)
		switch m["text"] {
		case "busy":
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"code":"rate_limited"}}`))
		case "long": // over net/http's buffer: a chunked answer
			_, _ = w.Write([]byte(`{"replies":["` + strings.Repeat("x", 10000) + `"],"duplicate":true}`))
		case "close":
			w.Header().Set("Connection", "close")
			_, _ = w.Write([]byte(`{"replies":[]}`))
		default:
			_, _ = w.Write([]byte(`{"replies":[{"text":"ok"}]}`))
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	cfg := config{timeout: 5 * time.Second}
	m := newMsgConn(&net.Dialer{}, srv.URL, &conversation{id: "c/1", token: "tok"})
	type result struct {
		Duplicate bool
		Err       string
		Conns     int64
	}
	cases := []struct {
		text string
		want result
	}{
		{"hello \"quoted\" 你好", result{Conns: 1}},
		{"long", result{Duplicate: true, Conns: 1}},
		{"busy", result{Err: "HTTP 429 rate_limited", Conns: 1}},
		{"close", result{Conns: 1}},
		{"again", result{Conns: 2}},
	}
	for i, c := range cases {
		dup, err := postMessage(context.Background(), cfg, m, appendMessage(nil, c.text, "id"+c.text))
		r := result{Duplicate: dup, Conns: conns.Load()}
		if err != nil {
			r.Err = err.Error()
			var he *httpError
			if c.text == "busy" && (!errors.As(err, &he) || he.retryAfter != 3*time.Second) {
				t.Errorf("busy: retry after %v, want 3s", err)
			}
		}
		if diff := cmp.Diff(c.want, r); diff != "" {
			t.Errorf("message %d %q (-want +got):\n%s", i, c.text, diff)
		}
		if i < len(got) {
			if diff := cmp.Diff(map[string]string{"text": c.text, "client_message_id": "id" + c.text}, got[i]); diff != "" {
				t.Errorf("message %d: body (-want +got):\n%s", i, diff)
			}
		}
	}
	if len(got) != len(cases) {
		t.Errorf("server got %d messages, want %d", len(got), len(cases))
	}
}

// BenchmarkSendMessage is one customer's message through the loader's client,
// net/http's pool against the customer's own connection, to a server that
// answers at once: the loader's cost per message (the server's is the same
// in both).
//
//	go test -run '^$' -bench SendMessage -benchmem ./bench/load/
func BenchmarkSendMessage(b *testing.B) {
	answer := []byte(`{"replies":[{"kind":"text","text":"Order AB123456 has shipped with SF Express."}],"duplicate":false}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	defer srv.Close()
	cfg := config{url: srv.URL, timeout: 5 * time.Second, attempts: 1, sourceIPs: 1, conversations: 1}
	for _, own := range []bool{false, true} {
		b.Run(fmt.Sprintf("own-connection=%v", own), func(b *testing.B) {
			cl := newClients(cfg)
			hc, d := cl.pick(0)
			c := &conversation{id: "c1", token: "tok", client: hc}
			if own {
				c.msg = newMsgConn(d, srv.URL, c)
			}
			t := newTally()
			b.ReportAllocs()
			b.ResetTimer()
			cpu := selfCPU()
			for range b.N {
				if o := sendMessage(context.Background(), cfg, c, script[0], t); o != acked {
					b.Fatalf("outcome %v, errors %v", o, t.errors)
				}
				c.sent = c.sent[:0]
			}
			b.ReportMetric(float64((selfCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}
