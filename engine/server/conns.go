package server

import (
	"fmt"
	"net"
	"sync"
	"time"
)

// LimitPerClient wraps ln so that one client address holds at most max
// connections at once (max <= 0: no limit). A connection past the limit is
// answered 503 and closed at once, so one client opening thousands of slow or
// idle connections cannot exhaust the server's file descriptors and starve
// everyone else (health checks included). Behind a reverse proxy every
// connection comes from the proxy's address: raise the limit or turn it off
// there, and let the proxy limit its clients.
func LimitPerClient(ln net.Listener, max int) net.Listener {
	if max <= 0 {
		return ln
	}
	return &clientLimiter{Listener: ln, max: max, open: map[string]int{}}
}

type clientLimiter struct {
	net.Listener
	max  int
	mu   sync.Mutex
	open map[string]int // connections per client address
}

func (l *clientLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		client := addressOf(c.RemoteAddr())
		l.mu.Lock()
		full := l.open[client] >= l.max
		if !full {
			l.open[client]++
		}
		l.mu.Unlock()
		if full {
			go refuseConn(c)
			continue
		}
		return &countedConn{Conn: c, release: func() { l.release(client) }}, nil
	}
}

func (l *clientLimiter) release(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[client]--; l.open[client] <= 0 {
		delete(l.open, client)
	}
}

// tooManyConns is the whole answer to a connection past the limit.
var tooManyConns = func() []byte {
	body := `{"error":{"code":"unavailable","message":"too many connections from your address; close some first"}}` + "\n"
	return []byte(fmt.Sprintf("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\nRetry-After: 5\r\nContent-Length: %d\r\n\r\n%s", len(body), body))
}()

// refuseConn answers without reading the request: the client may not even
// send one, and nothing it says matters. A client that does not read the
// answer within the deadline just gets the close.
func refuseConn(c net.Conn) {
	_ = c.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = c.Write(tooManyConns)
	_ = c.Close()
}

// addressOf is a connection's client: its IP address, without the port.
func addressOf(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// countedConn gives its client's slot back once, when it is closed (by the
// HTTP server, or by a WebSocket handler after a hijack).
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
