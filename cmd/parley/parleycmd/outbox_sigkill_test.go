package parleycmd

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/channels"
)

// replyReceiver is the generic webhook channel's receiver: it answers 503
// while down, and counts the replies it accepted by message id.
type replyReceiver struct {
	mu       sync.Mutex
	down     bool
	tries    int
	accepted map[string]int
	texts    map[string]string
}

func (r *replyReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var m struct {
		MessageID string `json:"message_id"`
		Text      string `json:"text"`
	}
	body, _ := io.ReadAll(req.Body)
	_ = json.Unmarshal(body, &m)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tries++
	if r.down {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	if m.MessageID != req.Header.Get("Idempotency-Key") {
		http.Error(w, "message_id and Idempotency-Key differ", http.StatusBadRequest)
		return
	}
	r.accepted[m.MessageID]++
	r.texts[m.MessageID] = m.Text
	w.WriteHeader(http.StatusOK)
}

func (r *replyReceiver) state() (tries int, accepted map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	accepted = map[string]int{}
	for k, v := range r.accepted {
		accepted[k] = v
	}
	return r.tries, accepted
}

// TestSIGKILLBeforeRepliesAreSent kills `parley serve` after a webhook
// message's turn committed and before its replies reached the customer (the
// receiver was down), restarts it on the same database, and checks that the
// replies arrive once the receiver is back: once each, with the message id a
// receiver deduplicates by, and not again when the provider redelivers the
// inbound message.
func TestSIGKILLBeforeRepliesAreSent(t *testing.T) {
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
			sigkillBeforeReplies(t, bin, db)
		})
	}
}

func sigkillBeforeReplies(t *testing.T, bin, db string) {
	const secret = "webhook-secret-for-the-outbox-test"
	recv := &replyReceiver{down: true, accepted: map[string]int{}, texts: map[string]string{}}
	rs := httptest.NewServer(recv)
	defer rs.Close()
	env := []string{"PARLEY_WEBHOOK_SECRET=" + secret, "PARLEY_WEBHOOK_URL=" + rs.URL}
	addr := freeAddr(t)
	srv := startServe(t, bin, db, addr, env...)
	killed := false
	defer func() {
		if !killed {
			_ = srv.Process.Kill()
			_ = srv.Wait()
		}
	}()

	post := func(id, text string) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"channel": "whatsapp", "user_id": "wa-user-1", "text": text, "message_id": id})
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/channels/webhook", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(channels.SignatureHeader, channels.SignHMAC(body, secret))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("POST /v1/channels/webhook %s: %d", id, resp.StatusCode)
		}
	}
	pending := func() []map[string]any {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/v1/admin/outbox?status=pending", nil)
		req.Header.Set("Authorization", "Bearer "+sigkillAdmin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Messages []map[string]any }
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET /v1/admin/outbox: %d, %v", resp.StatusCode, err)
		}
		return out.Messages
	}

	post("wa-1", "where is my order AB123456")
	// The first attempt failed and a retry is scheduled: kill now.
	deadline := time.Now().Add(60 * time.Second)
	for {
		ms := pending()
		if len(ms) == 1 && ms[0]["last_error"] != nil && ms[0]["last_error"] != "" {
			if ms[0]["id"] != "re-wa-1" {
				t.Fatalf("pending message %v, want re-wa-1", ms[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failed attempt recorded: %v", ms)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()
	killed = true

	recv.mu.Lock()
	recv.down = false
	recv.mu.Unlock()
	srv = startServe(t, bin, db, addr, env...)
	defer func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		_ = srv.Wait()
	}()
	// The restarted server sends it once its retry is due (backoff of 10s at
	// most, found by the 5-second poll).
	deadline = time.Now().Add(60 * time.Second)
	for {
		if _, acc := recv.state(); acc["re-wa-1-1"] > 0 {
			break
		}
		if time.Now().After(deadline) {
			_, acc := recv.state()
			t.Fatalf("the reply never arrived after the restart: %v, pending %v", acc, pending())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The provider redelivers the inbound message: nothing is sent again. A
	// new message is the barrier: its reply comes after any the redelivery
	// would (wrongly) have sent.
	post("wa-1", "where is my order AB123456")
	post("wa-2", "thanks, bye")
	deadline = time.Now().Add(60 * time.Second)
	for {
		if _, acc := recv.state(); acc["re-wa-2-1"] > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the reply to wa-2 never arrived")
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, acc := recv.state()
	for id, n := range acc {
		if n != 1 {
			t.Errorf("%s accepted %d times, want once", id, n)
		}
	}
	// Accepted by the receiver, then recorded as sent.
	deadline = time.Now().Add(30 * time.Second)
	for len(pending()) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("messages still pending: %v", pending())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
