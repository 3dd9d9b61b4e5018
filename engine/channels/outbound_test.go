package channels

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var reply = Outbound{
	Channel: "sms", To: "+14155550100", Text: "Do you want a refund?",
	Buttons:        []Button{{Label: "yes", Payload: "yes"}, {Label: "no", Payload: "no"}},
	ConversationID: "sms:abc", MessageID: "re-SM1-1",
}

// statusServer answers each request with the next status (the last repeats)
// and keeps what it received.
type statusServer struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	requests []*http.Request
	bodies   [][]byte
}

func newStatusServer(t *testing.T, statuses ...int) *statusServer {
	s := &statusServer{statuses: statuses}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.requests)
		s.requests = append(s.requests, r)
		s.bodies = append(s.bodies, body)
		status := s.statuses[min(n, len(s.statuses)-1)]
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status >= 400 {
			_, _ = io.WriteString(w, `{"code": 21211, "message": "The 'To' number is not valid."}`)
			return
		}
		_, _ = io.WriteString(w, `{"sid": "SMout"}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *statusServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

func TestTwilioSender(t *testing.T) {
	srv := newStatusServer(t, http.StatusCreated)
	snd := &TwilioSender{AccountSID: "AC1", AuthToken: "tok", BaseURL: srv.URL, From: "+14155550199"}
	if err := snd.Send(context.Background(), reply); err != nil {
		t.Fatal(err)
	}
	r := srv.requests[0]
	user, pass, _ := r.BasicAuth()
	form, _ := url.ParseQuery(string(srv.bodies[0]))
	got := map[string]string{"path": r.URL.Path, "user": user, "pass": pass, "To": form.Get("To"), "From": form.Get("From"), "Body": form.Get("Body")}
	want := map[string]string{
		"path": "/2010-04-01/Accounts/AC1/Messages.json", "user": "AC1", "pass": "tok",
		"To": "+14155550100", "From": "+14155550199", "Body": "Do you want a refund?\n1) yes\n2) no",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("request (-want +got):\n%s", d)
	}
}

func TestSenderFailures(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name          string
		status        int // 0: nothing listens
		wantRetryable bool
		wantMessage   string
	}{
		{"bad request is permanent", http.StatusBadRequest, false, "The 'To' number is not valid."},
		{"unauthorized is permanent", http.StatusUnauthorized, false, "status 401"},
		{"rate limited is retryable", http.StatusTooManyRequests, true, "status 429"},
		{"server error is retryable", http.StatusBadGateway, true, "status 502"},
		{"network error is retryable", 0, true, "connection refused"},
	}
	for _, tt := range tests {
		for _, kind := range []string{"twilio", "webhook"} {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				base := closed.URL
				if tt.status != 0 {
					base = newStatusServer(t, tt.status).URL
				}
				var snd Sender = &TwilioSender{AccountSID: "AC1", BaseURL: base}
				if kind == "webhook" {
					snd = &WebhookSender{URL: base + "/hook"}
				}
				err := snd.Send(context.Background(), reply)
				var se *SendError
				if !errors.As(err, &se) {
					t.Fatalf("error = %v, want a *SendError", err)
				}
				if IsRetryable(err) != tt.wantRetryable || se.Provider != kind {
					t.Errorf("error %q: retryable %v provider %q, want %v %q", err, IsRetryable(err), se.Provider, tt.wantRetryable, kind)
				}
				if kind == "twilio" && !strings.Contains(err.Error(), tt.wantMessage) {
					t.Errorf("error %q does not contain %q", err, tt.wantMessage)
				}
			})
		}
	}
}

func TestWebhookSender(t *testing.T) {
	srv := newStatusServer(t, http.StatusOK)
	snd := &WebhookSender{URL: srv.URL + "/replies", Secret: "s3cret"}
	m := reply
	m.Channel, m.To = "webhook:whatsapp", "wa-77"
	if err := snd.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	r, body := srv.requests[0], srv.bodies[0]
	if err := VerifyHMAC(body, r.Header.Get(SignatureHeader), "s3cret"); err != nil {
		t.Errorf("signature: %v", err)
	}
	if got := r.Header.Get("Idempotency-Key"); got != "re-SM1-1" {
		t.Errorf("Idempotency-Key = %q", got)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"channel": "whatsapp", "user_id": "wa-77", "text": "Do you want a refund?",
		"buttons":         []any{map[string]any{"label": "yes", "payload": "yes"}, map[string]any{"label": "no", "payload": "no"}},
		"conversation_id": "sms:abc", "message_id": "re-SM1-1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("body (-want +got):\n%s", d)
	}
}

func TestRetrying(t *testing.T) {
	tests := []struct {
		name          string
		statuses      []int
		wantRequests  int
		wantErr       bool
		wantRetryable bool
	}{
		{"succeeds first time", []int{201}, 1, false, false},
		{"recovers from two 503s", []int{503, 503, 201}, 3, false, false},
		{"gives up after three 503s", []int{503}, 3, true, true},
		{"does not retry a 400", []int{400}, 1, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newStatusServer(t, tt.statuses...)
			snd := &RetryingSender{Next: &TwilioSender{AccountSID: "AC1", BaseURL: srv.URL}, Tries: 3, Backoff: time.Millisecond}
			err := snd.Send(context.Background(), reply)
			if (err != nil) != tt.wantErr || IsRetryable(err) != tt.wantRetryable {
				t.Errorf("error = %v (retryable %v), want error %v retryable %v", err, IsRetryable(err), tt.wantErr, tt.wantRetryable)
			}
			if got := srv.count(); got != tt.wantRequests {
				t.Errorf("requests = %d, want %d", got, tt.wantRequests)
			}
		})
	}
}

func TestRetryingStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	failing := SenderFunc(func(ctx context.Context, m Outbound) error {
		calls.Add(1)
		cancel()
		return &SendError{Provider: "test", Status: 503, Retryable: true}
	})
	err := Retrying(failing).Send(ctx, reply)
	if !errors.Is(err, context.Canceled) || calls.Load() != 1 {
		t.Errorf("error = %v after %d calls, want cancellation after 1", err, calls.Load())
	}
	if IsRetryable(context.DeadlineExceeded) {
		t.Error("a deadline is the caller giving up, not retryable")
	}
}

func TestRecorderConcurrent(t *testing.T) {
	var rec Recorder
	const n = 50
	done := make(chan []Outbound)
	go func() {
		got, err := rec.Wait(context.Background(), n)
		if err != nil {
			t.Error(err)
		}
		done <- got
	}()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _ = rec.Send(context.Background(), Outbound{Text: string(rune('a' + i%26))}) })
	}
	wg.Wait()
	if got := <-done; len(got) != n || len(rec.Sent()) != n {
		t.Errorf("Wait returned %d, Sent %d; want %d", len(got), len(rec.Sent()), n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := rec.Wait(ctx, n+1); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait for more than sent with a cancelled context = %v", err)
	}
}
