package parleycmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/examples/shop/backend"
)

// buildParley builds the real binary, cmd/parley (the thin main over this
// package), into a temporary folder.
func buildParley(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "parley")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/parleyhq/parley/cmd/parley")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs `parley serve` and waits until it answers; env adds
// variables ("NAME=value").
func startServe(t *testing.T, bin, db, addr string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-addr", addr, "-database", db, shop)
	// Messages are sent for the customer with the admin key.
	cmd.Env = append(append(os.Environ(), "PARLEY_API_TOKEN="+sigkillAdmin), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err == nil && !strings.Contains(line, "serving") {
			err = fmt.Errorf("unexpected first line %q", line)
		}
		ready <- err
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case err := <-ready:
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("parley serve did not start: %v", err)
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("parley serve did not start within 60s")
	}
	return cmd
}

const sigkillAdmin = "sigkill-admin-token-0123456789abcdef"

func say(t *testing.T, addr, conv, id, text string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"text": text, "client_message_id": id})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/conversations/"+conv+"/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+sigkillAdmin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST %q: status %d, err %v, body %v", text, resp.StatusCode, err, out)
	}
	return out
}

// TestSIGKILLMidConversation kills `parley serve` with SIGKILL in the middle of
// a refund call, after the order system has committed the refund but before it
// has answered, and restarts it on the same database, on each durable store.
// The killed turn was never committed, so redelivering its message runs it
// again: the refund is sent again with the same idempotency key, and the order
// system answers with the first refund instead of paying twice. Redelivering a
// message from before the kill is not a new turn: group commit acknowledged
// it only once it was durable. On PostgreSQL the dead process's lease on the
// conversation is taken over at once.
func TestSIGKILLMidConversation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildParley(t)
	for _, st := range []string{"embedded", "postgres"} {
		t.Run(st, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "parley.db")
			if st == "postgres" {
				db = postgresSchemaURL(t)
			}
			sigkillMidConversation(t, bin, db)
		})
	}
}

// postgresSchemaURL is the test database's URL with a fresh schema first on
// the search path.
func postgresSchemaURL(t *testing.T) string {
	t.Helper()
	url := pgtest.URL(t)
	schema := pgtest.Schema(t, url)
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema + "%2Cpublic"
}

func sigkillMidConversation(t *testing.T, bin, db string) {
	shop := startShopBackend(t) // the started binaries inherit SHOP_API_URL
	addr := freeAddr(t)
	const order = "WX440150"

	srv := startServe(t, bin, db, addr)
	say(t, addr, "c1", "m1", "I want a refund for "+order)
	before := say(t, addr, "c1", "m2", "it's the wrong item")

	// The refund is committed at once, and its answer held back for a minute.
	shop.InjectFault(backend.Fault{Method: "POST", Path: "/orders/" + order + "/refunds", LatencyMS: 60_000, AfterCommit: true, Times: 1})
	go func() {
		// This request dies with the server; what matters is what the restarted one does.
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/conversations/c1/messages", strings.NewReader(`{"text":"yes","client_message_id":"m3"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+sigkillAdmin)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	deadline := time.Now().Add(60 * time.Second)
	for shop.Stats().RefundsApplied[order] == 0 {
		if time.Now().After(deadline) {
			srv.Process.Kill()
			t.Fatal("the refund never reached the order system")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()

	srv = startServe(t, bin, db, addr)
	defer func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		_ = srv.Wait()
	}()
	again := say(t, addr, "c1", "m2", "it's the wrong item")
	if again["duplicate"] != true || fmt.Sprint(again["replies"]) != fmt.Sprint(before["replies"]) {
		t.Errorf("redelivery after restart: got %v, want the same replies as before the kill (%v)", again, before["replies"])
	}
	after := say(t, addr, "c1", "m3", "yes")
	if replies := fmt.Sprint(after["replies"]); !strings.Contains(replies, "is approved") {
		t.Errorf("after the restart, redelivering the confirmation should complete the refund; got %v", after)
	}
	stats := shop.Stats()
	if got := stats.RefundsApplied[order]; got != 1 {
		t.Errorf("refunds applied to %s = %d, want exactly 1", order, got)
	}
	if stats.Requests["POST /orders/{id}/refunds"] < 2 || stats.IdempotentReplays < 1 {
		t.Errorf("the refund should have been sent again and answered from the first one: %+v", stats)
	}
}
