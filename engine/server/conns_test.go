package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// dialFrom opens a connection from a given loopback address (Linux answers
// on all of 127.0.0.0/8), so one test can be several clients.
func dialFrom(t *testing.T, from, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// get sends a GET on c and returns the status line ("" when the connection
// was closed without one).
func get(t *testing.T, c net.Conn, path string) string {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		return ""
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Status
}

// TestLimitPerClient: a client holding its limit of connections gets 503 for
// the next one; other clients, and health checks, are served meanwhile; and a
// closed connection frees its slot.
func TestLimitPerClient(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })}
	go srv.Serve(LimitPerClient(ln, 3))
	t.Cleanup(func() { srv.Close() })
	addr := ln.Addr().String()

	var held []net.Conn
	for range 3 {
		c := dialFrom(t, "127.0.0.2", addr)
		if got := get(t, c, "/"); got != "200 OK" {
			t.Fatalf("connection within the limit: %q", got)
		}
		held = append(held, c) // kept alive, idle
	}
	extra := dialFrom(t, "127.0.0.2", addr)
	_ = extra.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(extra), nil)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("connection past the limit: %v, %v; want 503", resp, err)
	}
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "too many connections from your address") {
		t.Errorf("503 body = %s", body)
	}
	if got := get(t, dialFrom(t, "127.0.0.1", addr), "/healthz"); got != "200 OK" {
		t.Errorf("another client is not served while one holds its limit: %q", got)
	}
	held[0].Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if got := get(t, dialFrom(t, "127.0.0.2", addr), "/"); got == "200 OK" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a closed connection did not free its slot")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestLimitPerClientOff(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if LimitPerClient(ln, 0) != ln {
		t.Error("a limit of 0 should leave the listener as it is")
	}
}
