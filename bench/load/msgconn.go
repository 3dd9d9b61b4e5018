package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// msgConn is one customer's own kept-alive connection for its messages,
// written and read by the customer's goroutine alone. net/http's client
// passes every request through two more goroutines (the connection's reader
// and writer) and a pool; on the 2 cores the server shares with the loader
// that cost CPU the server did not get. The server sees the same requests: one
// kept-alive HTTP/1.1 connection per customer from its source address, which
// is what the pool held at steady state (fewer customers per address than
// idle connections). Creating conversations and reading transcripts stay on
// net/http.
type msgConn struct {
	dialer *net.Dialer
	addr   string // host:port to dial
	head   []byte // the request line and the headers but Content-Length
	conn   net.Conn
	br     *bufio.Reader
	req    []byte // reused request bytes
	body   bytes.Buffer
}

// newMsgConn prepares c's message requests; nil when base is not plain
// HTTP (then messages go through net/http).
func newMsgConn(d *net.Dialer, base string, c *conversation) *msgConn {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" {
		return nil
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	head := fmt.Appendf(nil, "POST %s/v1/conversations/%s/messages HTTP/1.1\r\nHost: %s\r\nUser-Agent: parley-load\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: ",
		u.EscapedPath(), url.PathEscape(c.id), u.Host, c.token)
	return &msgConn{dialer: d, addr: addr, head: head}
}

// post sends one message's body and returns the answer's status, body (valid
// until the next call) and Retry-After. Any error closes the connection; the
// next call dials again.
func (m *msgConn) post(ctx context.Context, timeout time.Duration, body []byte) (status int, data []byte, retryAfter string, err error) {
	defer func() {
		if err != nil && m.conn != nil {
			m.conn.Close()
			m.conn = nil
		}
	}()
	if m.conn == nil {
		dctx, cancel := context.WithTimeout(ctx, timeout)
		m.conn, err = m.dialer.DialContext(dctx, "tcp", m.addr)
		cancel()
		if err != nil {
			return 0, nil, "", err
		}
		if m.br == nil {
			m.br = bufio.NewReaderSize(m.conn, 16<<10)
		} else {
			m.br.Reset(m.conn)
		}
	}
	conn := m.conn
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return 0, nil, "", err
	}
	// An interrupted run cuts the request off, as a request context would.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	m.req = append(m.req[:0], m.head...)
	m.req = strconv.AppendInt(m.req, int64(len(body)), 10)
	m.req = append(m.req, "\r\n\r\n"...)
	m.req = append(m.req, body...)
	if _, err := conn.Write(m.req); err != nil {
		return 0, nil, "", err
	}
	resp, err := http.ReadResponse(m.br, nil)
	if err != nil {
		return 0, nil, "", err
	}
	m.body.Reset()
	_, err = m.body.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, nil, "", err
	}
	if resp.Close {
		m.conn.Close()
		m.conn = nil
	}
	return resp.StatusCode, m.body.Bytes(), resp.Header.Get("Retry-After"), nil
}

// postMessage is do for a message on m: a 2xx answer's "duplicate", or the
// same errors as do.
func postMessage(ctx context.Context, cfg config, m *msgConn, body []byte) (duplicate bool, err error) {
	status, data, retryAfter, err := m.post(ctx, cfg.timeout, body)
	if err != nil {
		return false, err
	}
	if status/100 != 2 {
		return false, statusError(status, data, retryAfter)
	}
	var out struct {
		Duplicate bool `json:"duplicate"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return false, fmt.Errorf("decode message answer: %w", err)
	}
	return out.Duplicate, nil
}
