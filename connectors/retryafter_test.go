package connectors

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestInvokeHonoursRetryAfter(t *testing.T) {
	busy := func(d time.Duration) error {
		return RetryAfter(fmt.Errorf("status 429: %w", ErrUnavailable), d)
	}
	tests := []struct {
		name      string
		script    []error
		wantWaits []time.Duration // waits of at least this long, in order
		wantCalls int
		wantCode  string
	}{
		{"waits as asked, then retries", []error{busy(time.Second)}, []time.Duration{time.Second}, 2, ""},
		{"a shorter ask than the backoff keeps the backoff", []error{busy(time.Millisecond)}, []time.Duration{50 * time.Millisecond}, 2, ""},
		{"an ask beyond max_backoff is not waited for", []error{busy(time.Minute)}, nil, 1, CodeUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &scripted{script: tt.script}
			var waits []time.Duration
			sleep := func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
			p := CallPolicy{Attempts: 3, Backoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second, Retryable: true}
			_, _, err := Invoke(context.Background(), c, Request{Operation: "op"}, p, nil, sleep)
			if diff := cmp.Diff(tt.wantCode, ErrorCode(err)); diff != "" {
				t.Errorf("error code (-want +got):\n%s\nerror: %v", diff, err)
			}
			if c.calls != tt.wantCalls {
				t.Errorf("calls = %d, want %d", c.calls, tt.wantCalls)
			}
			if len(waits) != len(tt.wantWaits) {
				t.Fatalf("waits = %v, want %d of at least %v", waits, len(tt.wantWaits), tt.wantWaits)
			}
			for i, w := range tt.wantWaits {
				if waits[i] < w {
					t.Errorf("wait %d = %v, want at least %v", i, waits[i], w)
				}
			}
		})
	}
}

// A wait that would outlast the caller's deadline (a turn's) is not begun:
// the call fails at once with its own error, and the turn can still answer.
func TestInvokeWaitsNoLongerThanItsCaller(t *testing.T) {
	c := &scripted{script: []error{RetryAfter(fmt.Errorf("status 429: %w", ErrUnavailable), 2*time.Second)}}
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	p := CallPolicy{Attempts: 3, Backoff: 100 * time.Millisecond, MaxBackoff: 5 * time.Second, Retryable: true}
	_, tries, err := Invoke(ctx, c, Request{Operation: "op"}, p, nil, sleep)
	if ErrorCode(err) != CodeUnavailable || len(tries) != 1 || len(waits) != 0 {
		t.Errorf("Invoke = %v after %d tries and waits %v; want unavailable after 1 try, no wait", err, len(tries), waits)
	}
}

func TestRetryAfterKeepsTheError(t *testing.T) {
	err := RetryAfter(fmt.Errorf("status 503: %w", ErrUnavailable), 3*time.Second)
	if !errors.Is(err, ErrUnavailable) || ErrorCode(err) != CodeUnavailable {
		t.Errorf("RetryAfter lost the error: %v (code %q)", err, ErrorCode(err))
	}
	if d, ok := RetryAfterOf(fmt.Errorf("crm: %w", err)); !ok || d != 3*time.Second {
		t.Errorf("RetryAfterOf = %v, %v; want 3s through wrapping", d, ok)
	}
	if _, ok := RetryAfterOf(ErrUnavailable); ok {
		t.Error("RetryAfterOf found a wait in an error without one")
	}
	if RetryAfter(nil, time.Second) != nil {
		t.Error("RetryAfter(nil) is not nil")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true}, // already past: no wait
		{"", 0, false},
		{"-1", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.header, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}
