package openloop

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// TestRun: every message of every conversation is sent once, in order within
// its conversation, at about the rate asked, and a send error is returned.
func TestRun(t *testing.T) {
	const conversations, per, rate = 20, 5, 2000.0
	var sent atomic.Int64
	next := make([]atomic.Int64, conversations)
	began := time.Now()
	lat, err := Run(conversations, per, rate, 1, func(c, i int) error {
		if got := next[c].Add(1) - 1; got != int64(i) {
			t.Errorf("conversation %d sent message %d, want %d", c, i, got)
		}
		sent.Add(1)
		return nil
	})
	if err != nil || len(lat) != conversations*per || sent.Load() != conversations*per {
		t.Fatalf("Run: %d latencies, %d sent, err %v; want %d, %d, nil", len(lat), sent.Load(), err, conversations*per, conversations*per)
	}
	// 100 messages at 2,000 a second take about 50 ms; far less means no pacing.
	if took := time.Since(began); took < 10*time.Millisecond {
		t.Errorf("100 messages at 2,000/s took %v: not paced", took)
	}
	boom := errors.New("boom")
	if _, err := Run(2, 3, rate, 1, func(c, i int) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("Run with failing sends: err %v, want %v", err, boom)
	}
}
