package parleycmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer collects a child's stderr while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// servingBot is a running `parley serve`.
type servingBot struct {
	cmd    *exec.Cmd
	addr   string
	stderr *lockedBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // how it exited, once done is closed
}

// wait returns how the process exited.
func (sb *servingBot) wait() error {
	<-sb.done
	return sb.err
}

// serveBot runs `parley serve` on dir with an in-memory store and waits until it serves.
func serveBot(t *testing.T, bin, dir string, args ...string) *servingBot {
	t.Helper()
	addr := freeAddr(t)
	full := append([]string{"serve", "-addr", addr, "-database", "memory"}, args...)
	cmd := exec.Command(bin, append(full, dir)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sb := &servingBot{cmd: cmd, addr: addr, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = sb.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-sb.done
		if t.Failed() {
			t.Logf("parley serve stderr:\n%s", sb.stderr.String())
		}
	})
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err == nil && !strings.Contains(line, "serving") {
			err = fmt.Errorf("unexpected first line %q", line)
		}
		ready <- err
		_, _ = io.Copy(io.Discard, stdout)
		sb.err = cmd.Wait()
		close(sb.done)
	}()
	if err := <-ready; err != nil {
		t.Fatalf("parley serve did not start: %v\n%s", err, sb.stderr.String())
	}
	return sb
}

// waitUntil retries check until it holds; the test's own deadline bounds it.
func waitUntil(t *testing.T, what string, check func() bool) {
	t.Helper()
	for !check() {
		if dl, ok := t.Deadline(); ok && time.Until(dl) < 5*time.Second {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type customerConversation struct{ id, token string }

func startConversation(t *testing.T, addr string) customerConversation {
	t.Helper()
	resp, err := http.Post("http://"+addr+"/v1/conversations", "application/json", strings.NewReader(`{"channel":"web","language":"en"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		ConversationID string `json:"conversation_id"`
		Token          string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /v1/conversations: status %d, %v", resp.StatusCode, err)
	}
	return customerConversation{out.ConversationID, out.Token}
}

// send posts a customer message and returns the status and the replies' texts.
func sendMessage(addr string, c customerConversation, id, text string) (int, []string, error) {
	body, _ := json.Marshal(map[string]string{"text": text, "client_message_id": id})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/conversations/"+c.id+"/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Replies []struct {
			Text string `json:"text"`
		} `json:"replies"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return resp.StatusCode, nil, err
	}
	var texts []string
	for _, r := range out.Replies {
		texts = append(texts, r.Text)
	}
	return resp.StatusCode, texts, nil
}

// askOrder starts a conversation and returns the bot's answer to "where is my order?".
func askOrder(t *testing.T, addr string) string {
	t.Helper()
	code, replies, err := sendMessage(addr, startConversation(t, addr), "m1", "where is my order?")
	if err != nil || code != http.StatusOK || len(replies) == 0 {
		t.Fatalf("where is my order?: status %d, replies %q, %v", code, replies, err)
	}
	return replies[0]
}

func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

const (
	askOrderText    = "What's your order number? It looks like AB123456."
	editedOrderText = "Which order is it? The number looks like AB123456."
)

// SIGHUP reloads the bot: an edited reply is served; a broken edit is refused
// with its diagnostics in the log, and the running policies keep serving.
func TestServeReloadsOnSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildParley(t)
	dir := copyShop(t)
	srv := serveBot(t, bin, dir, "-watch=false")
	if got := askOrder(t, srv.addr); got != askOrderText {
		t.Fatalf("before the edit: %q", got)
	}

	replaceInFile(t, filepath.Join(dir, "responses.hcl"), askOrderText, editedOrderText)
	if err := srv.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the edited reply after SIGHUP", func() bool { return askOrder(t, srv.addr) == editedOrderText })

	replaceInFile(t, filepath.Join(dir, "responses.hcl"), `response "greet" {`, `response "greet" {{`)
	if err := srv.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the rejected reload in the log", func() bool {
		return strings.Contains(srv.stderr.String(), "policy reload rejected")
	})
	if log := srv.stderr.String(); !strings.Contains(log, "responses.hcl") {
		t.Errorf("the rejection does not name the broken file:\n%s", log)
	}
	if got := askOrder(t, srv.addr); got != editedOrderText {
		t.Errorf("after a broken edit: %q, want the last good policies' %q", got, editedOrderText)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := srv.wait(); err != nil {
		t.Errorf("parley serve exited with %v after SIGTERM, want 0", err)
	}
}

// With -watch (the default), saving a file is enough.
func TestServeReloadsWhenFilesChange(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildParley(t)
	dir := copyShop(t)
	srv := serveBot(t, bin, dir)
	if got := askOrder(t, srv.addr); got != askOrderText {
		t.Fatalf("before the edit: %q", got)
	}
	replaceInFile(t, filepath.Join(dir, "responses.hcl"), askOrderText, editedOrderText)
	waitUntil(t, "the edited reply", func() bool { return askOrder(t, srv.addr) == editedOrderText })
}

const slowBot = `
bot "slow" {
  languages = ["en"]
}

intent "go" {
  examples = ["go", "start", "begin", "go now", "let's go"]
}

connector "backend" {
  type     = "http"
  base_url = "%s"
  timeout  = "5m"
  operation "pay" {
    input  = {}
    method = "POST"
    path   = "/pay"
  }
}

dialog "pay" {
  trigger = [intent.go]
  call "pay" {
    operation = connector.backend.pay
    input     = {}
  }
  outcome "done" {
    reply = "paid"
  }
}
`

// SIGTERM while a turn waits on a slow backend: the server stops taking new
// connections, the turn finishes and its reply reaches the customer, and the
// process exits cleanly. A second signal during that drain stops the
// process at once, as an operator pressing Ctrl-C twice expects.
func TestServeSIGTERMLetsTurnsFinish(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildParley(t)
	for _, tc := range []struct {
		name  string
		twice bool
	}{
		{name: "one signal drains"},
		{name: "a second signal stops at once", twice: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called := make(chan struct{}, 1)
			release := make(chan struct{})
			backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/pay" {
					w.WriteHeader(http.StatusOK) // health checks
					return
				}
				called <- struct{}{}
				<-release
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"ok": true}`)
			}))
			defer backend.Close()
			defer func() {
				select {
				case <-release:
				default:
					close(release)
				}
			}()

			dir := writeBot(t, map[string]string{"bot.hcl": fmt.Sprintf(slowBot, backend.URL)})
			// A drain far longer than the test: only the second signal can
			// end the process in time.
			srv := serveBot(t, bin, dir, "-watch=false", "-shutdown-timeout", "10m")
			conv := startConversation(t, srv.addr)

			type answer struct {
				code    int
				replies []string
				err     error
			}
			answered := make(chan answer, 1)
			go func() {
				code, replies, err := sendMessage(srv.addr, conv, "m1", "go")
				answered <- answer{code, replies, err}
			}()
			select {
			case <-called: // the turn is inside the connector call
			case got := <-answered:
				t.Fatalf("the turn ended without calling the backend: status %d, replies %q, err %v\n%s", got.code, got.replies, got.err, srv.stderr.String())
			}
			if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			// Shutdown has begun once the listener is closed.
			waitUntil(t, "the server to stop accepting connections", func() bool {
				resp, err := http.Get("http://" + srv.addr + "/healthz")
				if err == nil {
					resp.Body.Close()
				}
				return err != nil
			})
			if tc.twice {
				if err := srv.cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
				select {
				case <-srv.done:
				case <-time.After(20 * time.Second):
					t.Fatal("parley serve still drains 20s after a second signal")
				}
				var exit *exec.ExitError
				if err := srv.wait(); !errors.As(err, &exit) || exit.ExitCode() != 130 {
					t.Errorf("parley serve after a second signal exited with %v, want exit status 130", err)
				}
				return
			}
			close(release)
			got := <-answered
			if got.err != nil || got.code != http.StatusOK || strings.Join(got.replies, "|") != "paid" {
				t.Errorf("the turn in progress at SIGTERM: status %d, replies %q, err %v; want 200 [paid]", got.code, got.replies, got.err)
			}
			if err := srv.wait(); err != nil {
				t.Errorf("parley serve exited with %v, want 0", err)
			}
			if log := srv.stderr.String(); !strings.Contains(log, `"msg":"shut down"`) {
				t.Errorf("no clean shutdown in the log:\n%s", log)
			}
		})
	}
}
