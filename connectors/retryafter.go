package connectors

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryAfter adds to err how long the system asked callers to wait before
// trying again, as an HTTP 429 or 503 says in its Retry-After header. err keeps
// its code (normally ErrUnavailable). Invoke waits at least that long before
// the next attempt, and makes none when the wait is longer than the policy's
// MaxBackoff: a customer is waiting, and the bot's on_unavailable says more
// than silence does. A nil err stays nil.
func RetryAfter(err error, d time.Duration) error {
	if err == nil {
		return nil
	}
	return &retryAfterError{err: err, wait: max(d, 0)}
}

// RetryAfterOf returns the wait an error from RetryAfter asks for, through any
// wrapping.
func RetryAfterOf(err error) (time.Duration, bool) {
	var ra *retryAfterError
	if errors.As(err, &ra) {
		return ra.wait, true
	}
	return 0, false
}

// maxRetryAfter bounds what a header can ask for, so a huge number cannot
// overflow a Duration; Invoke gives up long before it anyway.
const maxRetryAfter = 24 * time.Hour

// ParseRetryAfter reads a Retry-After header: a number of seconds or an HTTP
// date (RFC 9110, section 10.2.3). A date already past is no wait at all.
func ParseRetryAfter(header string, now time.Time) (time.Duration, bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(header, 10, 64); err == nil {
		if secs > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(header); err == nil {
		return min(max(at.Sub(now), 0), maxRetryAfter), true
	}
	return 0, false
}

type retryAfterError struct {
	err  error
	wait time.Duration
}

func (e *retryAfterError) Error() string {
	return e.err.Error() + " (retry after " + e.wait.String() + ")"
}

func (e *retryAfterError) Unwrap() error { return e.err }
