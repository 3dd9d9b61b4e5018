package parleycmd

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// closedWithin reports whether the server closes c within d (the test's own
// upper bound; the timeouts under test are far shorter).
func closedWithin(c net.Conn, d time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	return err == nil // EOF: the server closed it; a timeout error: it did not
}

// TestHTTPServerTimeouts: serve's HTTP server drops a client that is slow to
// send its headers or its body, and a kept-alive connection left idle.
func TestHTTPServerTimeouts(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "ok")
	})
	srv := newHTTPServer(handler, httpTimeouts{readHeader: 200 * time.Millisecond, read: 300 * time.Millisecond, write: time.Second, idle: 300 * time.Millisecond}, slog.New(slog.DiscardHandler))
	go srv.Serve(ln)
	defer srv.Close()
	dial := func() net.Conn {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	tests := []struct {
		name string
		send func(c net.Conn)
	}{
		{"slow headers", func(c net.Conn) { io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\n") }},
		{"slow body", func(c net.Conn) {
			io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
		}},
		{"idle keep-alive", func(c net.Conn) {
			io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("first request: %v, %v", resp, err)
			}
			resp.Body.Close()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial()
			tt.send(c)
			if !closedWithin(c, 5*time.Second) {
				t.Error("the connection is still open after 5 s")
			}
		})
	}
}

// TestServeLimitsConnectionsPerClient: one client holding its limit of idle
// connections gets no more, while /healthz still answers others.
func TestServeLimitsConnectionsPerClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs parley serve")
	}
	sb := serveBot(t, buildParley(t), shop, "-max-client-conns", "5")
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
	for i := range 5 {
		c, err := d.Dial("tcp", sb.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if i == 4 {
			// The last one in: served, so the five are counted by now.
			io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
			if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil || resp.StatusCode != 200 {
				t.Fatalf("fifth connection: %v, %v", resp, err)
			}
		}
	}
	c, err := d.Dial("tcp", sb.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("sixth connection: %v, %v; want 503", resp, err)
	}
	health, err := http.Get("http://" + sb.addr + "/healthz")
	if err != nil || health.StatusCode != 200 {
		t.Fatalf("/healthz from another address: %v, %v", health, err)
	}
	health.Body.Close()
}

func TestServeRefusesShortAPIToken(t *testing.T) {
	t.Setenv("PARLEY_API_TOKEN", "a")
	code, _, stderr := runCmd(t, "", "serve", "-addr", "127.0.0.1:0", "-database", "memory", shop)
	if code != 2 || !strings.Contains(stderr, "PARLEY_API_TOKEN must be at least 32 characters") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and the minimum length", code, stderr)
	}
}

// TestDemoKeyIsStable: the demo agent's key survives a restart (open console
// tabs stay signed in), on a fresh store too, and is kept private.
func TestDemoKeyIsStable(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	first, err := demoAgent(ctx, memstore.New(), dir)
	if err != nil {
		t.Fatal(err)
	}
	st := memstore.New()
	again, err := demoAgent(ctx, st, dir)
	if err != nil || again != first || !strings.HasPrefix(first, "pk_") {
		t.Fatalf("keys %q then %q (%v); want the same key", first, again, err)
	}
	if a, err := st.AgentByKeyHash(ctx, store.HashAPIKey(again)); err != nil || a.ID != "demo" || a.Role != store.RoleSupervisor {
		t.Errorf("the key does not sign the demo agent in: %+v, %v", a, err)
	}
	info, err := os.Stat(filepath.Join(dir, ".parley", "demo-key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("demo-key file: %v, %v; want mode 0600", info, err)
	}

	// Created once and audited; a restart changes nothing, an admin's changes
	// stay, and a new key file is a rotation, audited too.
	if _, err := st.UpdateAgent(ctx, "demo", func(a *store.Agent) (store.AuditEntry, error) {
		a.Disabled = true
		return store.AuditEntry{Actor: "admin:root", Action: "agent.update"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := demoAgent(ctx, st, dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, ".parley", "demo-key")); err != nil {
		t.Fatal(err)
	}
	rotated, err := demoAgent(ctx, st, dir)
	if err != nil || rotated == first {
		t.Fatalf("after the key file was removed: %q (%v), want a new key", rotated, err)
	}
	a, err := st.AgentByKeyHash(ctx, store.HashAPIKey(rotated))
	if err != nil || !a.Disabled {
		t.Errorf("demo agent after rotation: %+v, %v; want the new key and the admin's change kept", a, err)
	}
	entries, err := st.Audit(ctx, store.AuditFilter{Forward: true})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if diff := cmp.Diff([]string{"agent.create", "agent.update", "agent.key.rotate"}, actions); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}
