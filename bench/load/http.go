package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

// clients holds one HTTP client per loopback source address. The server limits
// requests per client: per conversation token for messages, per address for
// creating conversations, so a thousand customers behind one address would be
// limited as one customer when they start chatting.
type clients struct {
	http []*http.Client
	dial []*net.Dialer // each client's, for the customers' own connections
}

func newClients(cfg config) *clients {
	n := cfg.sourceIPs
	u, err := url.Parse(cfg.url)
	if err != nil || !isLoopback(u.Hostname()) {
		n = 1 // other source addresses only exist on loopback
	}
	perClient := max(cfg.conversations, cfg.idleWorkers)/n + 2
	cl := &clients{}
	for i := range n {
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		if n > 1 {
			d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+i))}
		}
		tr := &http.Transport{
			DialContext:         d.DialContext,
			MaxIdleConns:        0,
			MaxIdleConnsPerHost: perClient,
			IdleConnTimeout:     90 * time.Second,
		}
		cl.http = append(cl.http, &http.Client{Transport: tr, Timeout: cfg.timeout})
		cl.dial = append(cl.dial, d)
	}
	return cl
}

func (c *clients) pick(i int) (*http.Client, *net.Dialer) {
	return c.http[i%len(c.http)], c.dial[i%len(c.dial)]
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback() && ip.To4() != nil
}

// httpError is a response with a status the loader did not want.
type httpError struct {
	status     int
	code       string
	retryAfter time.Duration
}

func (e *httpError) Error() string {
	if e.code != "" {
		return fmt.Sprintf("HTTP %d %s", e.status, e.code)
	}
	return fmt.Sprintf("HTTP %d", e.status)
}

// retryable says whether the same request may succeed later: network errors,
// rate limiting, conflicts (a turn in progress) and server errors.
func retryable(err error) bool {
	var he *httpError
	if errors.As(err, &he) {
		return he.status == http.StatusTooManyRequests || he.status == http.StatusConflict || he.status >= 500
	}
	return true
}

func errorKind(err error) string {
	var he *httpError
	if errors.As(err, &he) {
		return strconv.Itoa(he.status)
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "EOF"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no free local port"
	}
	return "other: " + err.Error()
}

// do sends one JSON request and decodes a 2xx answer into out.
func do(ctx context.Context, hc *http.Client, method, u, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return fmt.Errorf("new request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return statusError(resp.StatusCode, data, resp.Header.Get("Retry-After"))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("decode %s %s: %w", method, u, err)
		}
	}
	return nil
}

// statusError is the error for an answer with a status other than 2xx.
func statusError(status int, data []byte, retryAfter string) error {
	he := &httpError{status: status}
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(data, &e) == nil {
		he.code = e.Error.Code
	}
	if s, err := strconv.Atoi(retryAfter); err == nil {
		he.retryAfter = time.Duration(s) * time.Second
	}
	return he
}

// withRetries runs call until it succeeds, fails for good, or runs out of
// attempts, backing off between attempts (honouring Retry-After).
func withRetries(ctx context.Context, cfg config, t *tally, call func() error) error {
	var err error
	for attempt := range cfg.attempts {
		if attempt > 0 {
			t.retries++
		}
		if err = call(); err == nil {
			return nil
		}
		k := errorKind(err)
		t.errors[k]++
		if t.call == nil {
			t.call = map[string]int{}
		}
		t.call[k]++
		if !retryable(err) || ctx.Err() != nil {
			return err
		}
		wait := time.Duration(50<<min(attempt, 5)) * time.Millisecond
		var he *httpError
		if errors.As(err, &he) && he.retryAfter > 0 {
			wait = he.retryAfter
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

func createConversation(ctx context.Context, cfg config, hc *http.Client, d *net.Dialer, t *tally) (*conversation, error) {
	var out struct {
		ID    string `json:"conversation_id"`
		Token string `json:"token"`
	}
	body := map[string]any{"channel": "web", "language": "en"}
	err := withRetries(ctx, cfg, t, func() error {
		return do(ctx, hc, http.MethodPost, cfg.url+"/v1/conversations", "", body, &out)
	})
	if err != nil {
		return nil, err
	}
	if out.ID == "" || out.Token == "" {
		return nil, errors.New("POST /v1/conversations: no conversation_id or token in the answer")
	}
	c := &conversation{id: out.ID, token: out.Token, client: hc}
	if d != nil {
		c.msg = newMsgConn(d, cfg.url, c)
	}
	return c, nil
}

// sendMessage sends one message, retrying with the same client_message_id so
// that a retry of a turn the server already did is answered, not done again.
func sendMessage(ctx context.Context, cfg config, c *conversation, text string, t *tally) outcome {
	var duplicate bool
	var call func() error
	if c.msg != nil {
		body := appendMessage(nil, text, newID())
		call = func() (err error) {
			duplicate, err = postMessage(ctx, cfg, c.msg, body)
			return err
		}
	} else {
		body := map[string]string{"text": text, "client_message_id": newID()}
		u := cfg.url + "/v1/conversations/" + url.PathEscape(c.id) + "/messages"
		call = func() error {
			var out struct {
				Duplicate bool `json:"duplicate"`
			}
			err := do(ctx, c.client, http.MethodPost, u, c.token, body, &out)
			duplicate = out.Duplicate
			return err
		}
	}
	err := withRetries(ctx, cfg, t, call)
	switch {
	case err == nil:
		if duplicate {
			t.dupAnswer++
		}
		return acked
	case retryable(err):
		t.gaveUp++
		return unknown
	default:
		t.rejected++
		return rejected
	}
}

// appendMessage appends a message's JSON body to b.
func appendMessage(b []byte, text, clientMessageID string) []byte {
	b = append(b, `{"client_message_id":`...)
	b = strconv.AppendQuote(b, clientMessageID) // hex: the same in JSON
	b = append(b, `,"text":`...)
	t, _ := json.Marshal(text)
	return append(append(b, t...), '}')
}

// newID is a client message id unique to this run: a random prefix and a
// counter (a random id per message cost a system call each).
func newID() string {
	n := idCounter.Add(1)
	return idPrefix + strconv.FormatUint(n, 16)
}

var (
	idCounter atomic.Uint64
	idPrefix  = func() string {
		var b [8]byte
		_, _ = rand.Read(b[:])
		return hex.EncodeToString(b[:]) + "-"
	}()
)
