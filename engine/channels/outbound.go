package channels

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// Outbound is one reply to send on a channel.
type Outbound struct {
	Channel string
	To      string // the Inbound's From
	Subject string // email only
	Text    string
	Buttons []Button
	// ConversationID lets a webhook receiver thread replies.
	ConversationID string
	// MessageID is unique per reply and the same on every retry: providers that
	// take an idempotency key get it, and email uses it for its Message-ID.
	MessageID string
	// InReplyTo is the provider id of the customer message answered, so email
	// replies thread under it (In-Reply-To, References). Optional.
	InReplyTo string
}

type Button struct {
	Label   string `json:"label"`
	Payload string `json:"payload"`
}

// Sender sends replies on one channel.
type Sender interface {
	Send(ctx context.Context, m Outbound) error
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, m Outbound) error

func (f SenderFunc) Send(ctx context.Context, m Outbound) error { return f(ctx, m) }

// SendError is a provider's refusal or failure.
type SendError struct {
	Provider string // "twilio", "smtp", "webhook"
	// Status is the provider's status (HTTP or SMTP reply code); 0 for a network failure.
	Status    int
	Message   string
	Retryable bool
	Err       error
}

func (e *SendError) Error() string {
	kind := "permanent"
	if e.Retryable {
		kind = "retryable"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s failure", e.Provider, kind)
	if e.Status != 0 {
		fmt.Fprintf(&b, " (status %d)", e.Status)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *SendError) Unwrap() error { return e.Err }

// IsRetryable says whether sending again may succeed: the provider failed
// (HTTP 5xx, 429, SMTP 4xx) or the network did, as opposed to a refusal of
// the message itself (a bad number, an unknown mailbox, bad credentials).
func IsRetryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false // the caller gave up
	}
	var se *SendError
	if errors.As(err, &se) {
		return se.Retryable
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// httpStatusError classifies an HTTP provider's answer.
func httpStatusError(provider string, status int, msg string) error {
	return &SendError{Provider: provider, Status: status, Message: msg, Retryable: status >= 500 || status == 429}
}

// networkError wraps a failure to reach the provider; a cancelled context is
// the caller giving up, not something to retry.
func networkError(ctx context.Context, provider string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", provider, ctx.Err())
	}
	return &SendError{Provider: provider, Retryable: true, Err: err}
}

// TextWithButtons renders buttons as numbered lines for channels that have
// none (SMS, email): the customer answers with the number or the label.
func TextWithButtons(text string, buttons []Button) string {
	if len(buttons) == 0 {
		return text
	}
	var b strings.Builder
	b.WriteString(text)
	for i, btn := range buttons {
		fmt.Fprintf(&b, "\n%d) %s", i+1, btn.Label)
	}
	return b.String()
}

// Retrying returns s that tries each message 3 times, backing off 200ms then
// 400ms, while the error is retryable.
func Retrying(s Sender) Sender {
	return &RetryingSender{Next: s, Tries: 3, Backoff: 200 * time.Millisecond}
}

// RetryingSender retries retryable failures of Next with doubling backoff.
type RetryingSender struct {
	Next    Sender
	Tries   int
	Backoff time.Duration
}

func (r *RetryingSender) Send(ctx context.Context, m Outbound) error {
	wait := r.Backoff
	var err error
	for try := 1; ; try++ {
		if err = r.Next.Send(ctx, m); err == nil || !IsRetryable(err) || try >= r.Tries {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("send after %d tries: %w (gave up: %w)", try, err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
	if err != nil && IsRetryable(err) {
		return fmt.Errorf("send after %d tries: %w", r.Tries, err)
	}
	return err
}

// Recorder is a Sender that keeps what it is given, for tests. It is safe for
// concurrent use.
type Recorder struct {
	mu      sync.Mutex
	sent    []Outbound
	changed chan struct{} // closed and replaced on every Send
}

func (r *Recorder) Send(ctx context.Context, m Outbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	if r.changed != nil {
		close(r.changed)
		r.changed = nil
	}
	return nil
}

// Sent returns a copy of what was sent so far, in order.
func (r *Recorder) Sent() []Outbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Outbound(nil), r.sent...)
}

// Wait blocks until at least n messages were sent, then returns them all.
func (r *Recorder) Wait(ctx context.Context, n int) ([]Outbound, error) {
	for {
		r.mu.Lock()
		if len(r.sent) >= n {
			out := append([]Outbound(nil), r.sent...)
			r.mu.Unlock()
			return out, nil
		}
		if r.changed == nil {
			r.changed = make(chan struct{})
		}
		changed := r.changed
		have := len(r.sent)
		r.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %d messages, have %d: %w", n, have, ctx.Err())
		}
	}
}
