package httpconn_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/connectortest"
	"github.com/parleyhq/parley/connectors/httpconn"
)

// A service that answers 429 is up and asking callers to slow down: its
// breaker stays closed, and the call is retried (within the caller's
// deadline); once the limit lifts, the next call goes through instead of
// failing fast on an open circuit. 5xx still opens it.
func TestRateLimitDoesNotOpenTheBreaker(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		retryAfter  string
		wantCircuit string
		wantLast    error // the call made once the service is back; nil: it works
	}{
		{"429 with Retry-After", http.StatusTooManyRequests, "0", connectors.BreakerClosed, nil},
		{"429 without Retry-After", http.StatusTooManyRequests, "", connectors.BreakerClosed, nil},
		{"503", http.StatusServiceUnavailable, "", connectors.BreakerOpen, connectors.ErrCircuitOpen},
		{"500", http.StatusInternalServerError, "", connectors.BreakerOpen, connectors.ErrCircuitOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			const busy = 6 // requests answered with tt.status before the service is back
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if requests.Add(1) <= busy {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					w.WriteHeader(tt.status)
					return
				}
				_, _ = w.Write([]byte(`{"status":"shipped"}`))
			}))
			t.Cleanup(srv.Close)
			c := open(t, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`"
  operation "get_order" {
    input = { order_id = string }
    path  = "/orders/{order_id}"
  }
}`)
			b := connectors.NewBreaker(2, time.Hour, nil)
			p := connectors.CallPolicy{Timeout: 5 * time.Second, Attempts: 2, Backoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, Retryable: true}
			noWait := func(ctx context.Context, d time.Duration) error { return ctx.Err() }
			req := connectors.Request{Operation: "get_order", Input: map[string]any{"order_id": "AB123456"}}
			for i := 0; i < busy/p.Attempts; i++ {
				_, _, err := connectors.Invoke(context.Background(), c, req, p, b, noWait)
				if connectors.ErrorCode(err) != connectors.CodeUnavailable {
					t.Fatalf("call %d while busy: %v, want unavailable", i+1, err)
				}
			}
			if got := b.State(); got != tt.wantCircuit {
				t.Errorf("circuit after %d answers of %d: %s, want %s", busy, tt.status, got, tt.wantCircuit)
			}
			_, _, err := connectors.Invoke(context.Background(), c, req, p, b, noWait)
			if tt.wantLast == nil && err != nil || tt.wantLast != nil && !errors.Is(err, tt.wantLast) {
				t.Errorf("the call once the service is back: %v, want %v", err, tt.wantLast)
			}
		})
	}
}

// The conformance suite holds a 429 to connectors.ErrRateLimited, which the
// bot sees as unavailable.
func TestConformanceRateLimited(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/limited" {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"shipped"}`))
	}))
	t.Cleanup(srv.Close)
	cfg := connectortest.ConfigFromHCL(t, httpconn.Driver{}, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`"
  operation "get_order" {
    input  = { order_id = string }
    output = { status = string }
    path   = "/orders/{order_id}"
  }
  operation "limited" {
    input = { order_id = string }
    path  = "/limited"
  }
}`)
	connectortest.Exercise(t, httpconn.Driver{}, cfg, connectortest.Cases{
		{Operation: "get_order", Input: map[string]any{"order_id": "AB123456"}, Want: map[string]any{"status": "shipped"}},
		{Operation: "limited", Input: map[string]any{"order_id": "AB123456"}, WantErr: connectors.ErrRateLimited},
	})
}

// A POST without an idempotency key is called once, except after a 429: the
// service refused that request before processing it, so sending it again
// after Retry-After cannot refund twice. A 5xx may have done the work, and is
// not retried.
func TestRateLimitedWriteIsRetried(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		retryAfter   string
		wantRequests int32
		wantCode     string
	}{
		{"429 with Retry-After", http.StatusTooManyRequests, "1", 2, ""},
		{"429 without Retry-After", http.StatusTooManyRequests, "", 2, ""},
		{"429 asking for longer than max_backoff", http.StatusTooManyRequests, "60", 1, connectors.CodeUnavailable},
		{"503 with Retry-After", http.StatusServiceUnavailable, "1", 1, connectors.CodeUnavailable},
		{"500", http.StatusInternalServerError, "", 1, connectors.CodeUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if requests.Add(1) == 1 {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					w.WriteHeader(tt.status)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"refund_id":"RF-1"}`))
			}))
			t.Cleanup(srv.Close)
			c := open(t, `
connector "api" {
  type               = "http"
  base_url           = "`+srv.URL+`"
  idempotency_header = ""
  operation "refund" {
    input  = { order_id = string }
    method = "POST"
    path   = "/orders/{order_id}/refunds"
  }
}`)
			if r, ok := c.(connectors.IdempotenceReporter); !ok || r.Idempotent("refund") {
				t.Fatalf("a POST without an idempotency header should not be idempotent")
			}
			var waited []time.Duration
			sleep := func(ctx context.Context, d time.Duration) error { waited = append(waited, d); return ctx.Err() }
			p := connectors.CallPolicy{Timeout: 5 * time.Second, Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 2 * time.Second, Retryable: false}
			req := connectors.Request{Operation: "refund", Input: map[string]any{"order_id": "AB123456"}}
			_, _, err := connectors.Invoke(context.Background(), c, req, p, nil, sleep)
			if got := connectors.ErrorCode(err); got != tt.wantCode {
				t.Errorf("error code %q (%v), want %q", got, err, tt.wantCode)
			}
			if got := requests.Load(); got != tt.wantRequests {
				t.Errorf("%d requests, want %d", got, tt.wantRequests)
			}
			if tt.retryAfter == "1" && tt.wantRequests == 2 && (len(waited) != 1 || waited[0] < time.Second) {
				t.Errorf("waits %v, want one of at least Retry-After's 1s", waited)
			}
		})
	}
}
