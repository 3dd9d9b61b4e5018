package connectors

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// CallPolicy is how one operation is called: a timeout per attempt, and retries
// with exponential backoff and jitter for operations that are safe to repeat.
type CallPolicy struct {
	Timeout    time.Duration // per attempt; 0: no timeout beyond the caller's ctx
	Attempts   int           // in all, including the first; < 1 means 1
	Backoff    time.Duration // before the second attempt, doubled for each one after
	MaxBackoff time.Duration
	// Retryable says the operation may be repeated: it is a read, or a write the
	// system deduplicates by the request's idempotency key. Anything else is
	// called once, because a second refund is worse than a failed one, unless
	// the system refused the attempt unprocessed (ErrRateLimited, HTTP 429).
	Retryable bool
}

// Attempt is one try of a call, for the audit log.
type Attempt struct {
	Duration time.Duration
	Err      error
}

// Sleeper waits between attempts; tests replace it to run without waiting.
type Sleeper func(ctx context.Context, d time.Duration) error

// SleepContext waits for d or until ctx is done.
func SleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Invoke calls c under policy p and breaker b (nil: no breaker). It returns the
// response or the last error, and every attempt made. A timeout of one attempt is
// ErrTimeout, so callers can tell it from their own ctx ending. A wait the system
// asked for (RetryAfter) replaces a shorter backoff; one beyond p.MaxBackoff, or
// a wait that would outlast ctx's deadline, ends the retries. An operation that
// is not Retryable is tried again only after a rate limit: the system refused
// that attempt before doing anything, so repeating it cannot do the work twice
// (RFC 6585); a 5xx, a timeout or a lost connection may have done it.
func Invoke(ctx context.Context, c Connector, req Request, p CallPolicy, b *Breaker, sleep Sleeper) (Response, []Attempt, error) {
	if sleep == nil {
		sleep = SleepContext
	}
	attempts := max(p.Attempts, 1)
	var tries []Attempt
	var lastErr error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			if !p.Retryable && !errors.Is(lastErr, ErrRateLimited) {
				break
			}
			wait := backoff(p, i)
			if asked, ok := RetryAfterOf(lastErr); ok {
				if p.MaxBackoff > 0 && asked > p.MaxBackoff {
					break // longer than anyone should wait in a chat
				}
				wait = max(wait, asked)
			}
			if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
				// The caller (a turn, holding its conversation) would give
				// up during the wait: fail now, while the bot can still say
				// so, rather than end the turn with nothing to show.
				break
			}
			if err := sleep(ctx, wait); err != nil {
				break
			}
		}
		if b != nil {
			if err := b.Allow(); err != nil {
				// Nothing was sent, so there is nothing to wait out: the circuit
				// stays open for longer than any backoff.
				if lastErr == nil {
					lastErr = err
				}
				break
			}
		}
		resp, took, err := attempt(ctx, c, req, p.Timeout)
		tries = append(tries, Attempt{Duration: took, Err: err})
		if b != nil {
			b.Record(err)
		}
		if err == nil {
			return resp, tries, nil
		}
		lastErr = err
		if !transient(err) || ctx.Err() != nil {
			break
		}
	}
	return Response{}, tries, lastErr
}

func attempt(ctx context.Context, c Connector, req Request, timeout time.Duration) (resp Response, took time.Duration, err error) {
	actx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	started := time.Now()
	defer func() {
		took = time.Since(started)
		// A connector's bug must cost the customer one failed call, not the turn.
		if r := recover(); r != nil {
			resp, err = Response{}, fmt.Errorf("connector panicked: %v", r)
		}
	}()
	resp, err = c.Call(actx, req)
	if err != nil && ctx.Err() == nil && actx.Err() != nil && !errors.Is(err, ErrTimeout) {
		err = fmt.Errorf("no answer within %v: %w (%w)", timeout, ErrTimeout, err)
	}
	return resp, took, err
}

// transient errors may go away on their own: the system was down or slow.
func transient(err error) bool {
	return errors.Is(err, ErrUnavailable) && !errors.Is(err, ErrCircuitOpen) ||
		errors.Is(err, ErrTimeout) || errors.Is(err, context.DeadlineExceeded)
}

// backoff is the wait before attempt i (1-based retries): exponential, capped,
// with "equal jitter" so that many conversations retrying at once spread out.
func backoff(p CallPolicy, i int) time.Duration {
	d := p.Backoff
	if d <= 0 {
		return 0
	}
	for n := 1; n < i && d < p.MaxBackoff; n++ {
		d *= 2
	}
	if p.MaxBackoff > 0 && d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	half := d / 2
	return half + rand.N(half+1)
}

// Breaker is a circuit breaker for one connector. After Failures calls in a row
// fail because the system is down or slow (not rate limited), it opens: calls fail at once with
// ErrCircuitOpen for Cooldown. Then one trial call is let through; if it works
// the circuit closes, otherwise it opens for another Cooldown.
type Breaker struct {
	failures int
	cooldown time.Duration
	now      func() time.Time

	mu          sync.Mutex
	consecutive int
	openedAt    time.Time // zero: closed
	probing     bool      // a trial call is in flight
}

// Breaker states, as State reports them.
const (
	BreakerClosed   = "closed"
	BreakerOpen     = "open"
	BreakerHalfOpen = "half_open"
)

// NewBreaker returns a closed breaker. now is the clock (nil: time.Now).
func NewBreaker(failures int, cooldown time.Duration, now func() time.Time) *Breaker {
	if now == nil {
		now = time.Now
	}
	return &Breaker{failures: max(failures, 1), cooldown: cooldown, now: now}
}

// Allow says whether a call may go out now.
func (b *Breaker) Allow() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.openedAt.IsZero() {
		return nil
	}
	if b.now().Sub(b.openedAt) < b.cooldown || b.probing {
		return ErrCircuitOpen
	}
	b.probing = true
	return nil
}

// Record counts a call's outcome. Only failures of the system itself count:
// "not found" or "rejected" are answers, and say the system is up. Rate
// limiting is neither: a healthy system asked its callers to slow down, so
// it neither counts toward opening the circuit nor closes an open one (a
// trial call that is rate limited lets the next call try again).
func (b *Breaker) Record(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	wasProbe := b.probing
	b.probing = false
	if errors.Is(err, ErrRateLimited) {
		return
	}
	if err == nil || !transient(err) {
		b.consecutive = 0
		b.openedAt = time.Time{}
		return
	}
	b.consecutive++
	if wasProbe || b.consecutive >= b.failures {
		b.openedAt = b.now()
	}
}

// State is closed, open or half_open (open, but the next call is a trial).
func (b *Breaker) State() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.openedAt.IsZero():
		return BreakerClosed
	case b.now().Sub(b.openedAt) >= b.cooldown:
		return BreakerHalfOpen
	default:
		return BreakerOpen
	}
}
