package connectors

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

// scripted answers calls with the next error of its script (nil: success).
type scripted struct {
	mu     sync.Mutex
	script []error
	calls  int
}

func (s *scripted) Call(ctx context.Context, req Request) (Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if len(s.script) == 0 {
		return Response{Data: map[string]any{"ok": true}}, nil
	}
	err := s.script[0]
	s.script = s.script[1:]
	if err == context.DeadlineExceeded {
		<-ctx.Done() // a real slow system: the attempt's timeout ends it
		return Response{}, ctx.Err()
	}
	if err != nil {
		return Response{}, err
	}
	return Response{Data: map[string]any{"ok": true}}, nil
}

func noSleep(ctx context.Context, d time.Duration) error { return ctx.Err() }

func TestInvoke(t *testing.T) {
	down := fmt.Errorf("503: %w", ErrUnavailable)
	limited := fmt.Errorf("429: %w", ErrRateLimited)
	tests := []struct {
		name      string
		script    []error
		retryable bool
		wantCalls int
		wantCode  string
	}{
		{"success at once", nil, true, 1, ""},
		{"retried until it works", []error{down, down}, true, 3, ""},
		{"gives up after the attempts", []error{down, down, down, down}, true, 3, CodeUnavailable},
		{"a timeout is retried", []error{context.DeadlineExceeded}, true, 2, ""},
		{"not found is an answer, not retried", []error{fmt.Errorf("x: %w", ErrNotFound)}, true, 1, CodeNotFound},
		{"rejected is not retried", []error{fmt.Errorf("x: %w", ErrRejected)}, true, 1, CodeRejected},
		{"a write that is not idempotent is called once", []error{down}, false, 1, CodeUnavailable},
		{"a timeout of a write is reported as a timeout", []error{context.DeadlineExceeded}, false, 1, CodeTimeout},
		// A 429 was refused before it was processed, so even a write that is
		// not idempotent may go again; a 5xx or a timeout in between may have
		// done it, and ends the retries.
		{"a rate-limited write is retried", []error{limited, limited}, false, 3, ""},
		{"a rate-limited write gives up after the attempts", []error{limited, limited, limited}, false, 3, CodeUnavailable},
		{"a rate-limited write then a 5xx is not retried again", []error{limited, down}, false, 2, CodeUnavailable},
		{"a rate-limited write then a timeout is not retried again", []error{limited, context.DeadlineExceeded}, false, 2, CodeTimeout},
		{"a rate-limited write waits for Retry-After", []error{RetryAfter(limited, time.Millisecond)}, false, 2, ""},
		{"a write refused by a 503 with Retry-After is not retried", []error{RetryAfter(down, time.Millisecond)}, false, 1, CodeUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &scripted{script: tt.script}
			p := CallPolicy{Timeout: 20 * time.Millisecond, Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, Retryable: tt.retryable}
			_, tries, err := Invoke(context.Background(), c, Request{Operation: "op"}, p, nil, noSleep)
			if diff := cmp.Diff(tt.wantCode, ErrorCode(err)); diff != "" {
				t.Errorf("error code (-want +got):\n%s\nerror: %v", diff, err)
			}
			if c.calls != tt.wantCalls || len(tries) != tt.wantCalls {
				t.Errorf("calls = %d, attempts reported = %d, want %d", c.calls, len(tries), tt.wantCalls)
			}
		})
	}
}

func TestInvokeStopsWhenCallerGivesUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &scripted{script: []error{fmt.Errorf("x: %w", ErrUnavailable)}}
	sleep := func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	_, tries, err := Invoke(ctx, c, Request{}, CallPolicy{Attempts: 5, Backoff: time.Second, Retryable: true}, nil, sleep)
	if len(tries) != 1 || err == nil {
		t.Errorf("attempts = %d, err = %v; want one attempt and its error", len(tries), err)
	}
}

func TestBreaker(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	b := NewBreaker(3, 30*time.Second, clock)
	down := fmt.Errorf("x: %w", ErrUnavailable)

	var states []string
	step := func(what string, f func()) {
		f()
		states = append(states, what+":"+b.State())
	}
	step("start", func() {})
	step("two failures", func() { b.Record(down); b.Record(down) })
	step("an answer resets", func() { b.Record(fmt.Errorf("x: %w", ErrNotFound)) })
	step("three failures", func() { b.Record(down); b.Record(down); b.Record(down) })
	if err := b.Allow(); !errors.Is(err, ErrCircuitOpen) || ErrorCode(err) != CodeUnavailable {
		t.Errorf("open breaker allowed a call: %v", err)
	}
	step("cooldown over", func() { now = now.Add(31 * time.Second) })
	if err := b.Allow(); err != nil {
		t.Errorf("the trial call was refused: %v", err)
	}
	if err := b.Allow(); !errors.Is(err, ErrCircuitOpen) {
		t.Errorf("a second call went out during the trial: %v", err)
	}
	step("trial fails", func() { b.Record(down) })
	step("cooldown over again", func() { now = now.Add(31 * time.Second) })
	_ = b.Allow()
	step("trial works", func() { b.Record(nil) })

	want := []string{
		"start:closed", "two failures:closed", "an answer resets:closed", "three failures:open",
		"cooldown over:half_open", "trial fails:open", "cooldown over again:half_open", "trial works:closed",
	}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
}

// A rate limit (HTTP 429) says the system is up and busy: it neither counts
// toward opening the circuit nor closes an open one; the call is retried
// like any unavailable answer when the operation may be repeated.
func TestBreakerIgnoresRateLimits(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	b := NewBreaker(2, 30*time.Second, clock)
	down := fmt.Errorf("x: %w", ErrUnavailable)
	limited := RetryAfter(fmt.Errorf("status 429: %w", ErrRateLimited), time.Second)
	if ErrorCode(limited) != CodeUnavailable {
		t.Errorf("a rate limit is %s to the bot, want unavailable", ErrorCode(limited))
	}
	var states []string
	step := func(what string, f func()) {
		f()
		states = append(states, what+":"+b.State())
	}
	step("many rate limits", func() {
		for range 10 {
			b.Record(limited)
		}
	})
	step("a failure between rate limits", func() { b.Record(limited); b.Record(down); b.Record(limited) })
	step("a second failure", func() { b.Record(down) })
	step("cooldown over", func() { now = now.Add(31 * time.Second) })
	step("a rate-limited trial", func() { _ = b.Allow(); b.Record(limited) })
	if err := b.Allow(); err != nil {
		t.Errorf("after a rate-limited trial, the next trial was refused: %v", err)
	}
	step("trial works", func() { b.Record(nil) })
	want := []string{
		"many rate limits:closed", "a failure between rate limits:closed", "a second failure:open",
		"cooldown over:half_open", "a rate-limited trial:half_open", "trial works:closed",
	}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}

	c := &scripted{script: []error{limited, limited}}
	p := CallPolicy{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 2 * time.Second, Retryable: true}
	if _, tries, err := Invoke(context.Background(), c, Request{Operation: "op"}, p, NewBreaker(1, time.Hour, clock), noSleep); err != nil || len(tries) != 3 {
		t.Errorf("rate limited twice, then an answer: %v after %d tries; want the answer after 3", err, len(tries))
	}
}

func TestInvokeWithOpenBreakerSendsNothing(t *testing.T) {
	b := NewBreaker(1, time.Hour, nil)
	b.Record(fmt.Errorf("x: %w", ErrUnavailable))
	c := &scripted{}
	_, tries, err := Invoke(context.Background(), c, Request{}, CallPolicy{Attempts: 3, Retryable: true}, b, noSleep)
	if c.calls != 0 || len(tries) != 0 || !errors.Is(err, ErrCircuitOpen) {
		t.Errorf("calls = %d, attempts = %d, err = %v; want nothing sent and ErrCircuitOpen", c.calls, len(tries), err)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	p := CallPolicy{Backoff: 100 * time.Millisecond, MaxBackoff: 300 * time.Millisecond}
	for i, max := range []time.Duration{100, 200, 300, 300} {
		max *= time.Millisecond
		for range 50 {
			d := backoff(p, i+1)
			if d < max/2 || d > max {
				t.Fatalf("backoff before retry %d = %v, want within [%v, %v]", i+1, d, max/2, max)
			}
		}
	}
}

func TestConform(t *testing.T) {
	out, err := Conform(map[string]any{"total": "320", "status": "shipped", "secret": "x"}, mustObject(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"total": float64(320), "status": "shipped", "eta": nil}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("Conform (-want +got):\n%s", diff)
	}
	if _, err := Conform(map[string]any{"total": "a lot"}, mustObject(t)); err == nil {
		t.Error("a total that is not a number was accepted")
	}
}

func mustObject(t *testing.T) cty.Type {
	t.Helper()
	return cty.Object(map[string]cty.Type{"total": cty.Number, "status": cty.String, "eta": cty.String})
}
