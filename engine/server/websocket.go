package server

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/websocket"
)

// DefaultWebSocketPing is how often a WebSocket is pinged when
// ServerConfig.WebSocketPing is 0.
const DefaultWebSocketPing = 25 * time.Second

// serveWebSocket upgrades the request and runs handler on the socket. A socket
// lives far longer than the HTTP server's read and write timeouts, which would
// cut it off, so it gets its own deadlines instead: the server pings every
// ServerConfig.WebSocketPing (browsers answer pings by themselves), a peer
// silent for two and a half pings (no pong, no message) is disconnected, and
// so is one that does not take a frame within a ping's time. The handler must
// keep reading (the pongs arrive through its reads).
func (s *Server) serveWebSocket(c echo.Context, handler func(ws *websocket.Conn)) {
	ping := s.cfg.WebSocketPing
	if ping <= 0 {
		ping = DefaultWebSocketPing
	}
	srv := websocket.Server{
		Handshake: sameOrigin,
		Handler: func(ws *websocket.Conn) {
			defer ws.Close()
			// Clients only ever send small control frames ({"type":"typing"});
			// the library's default would buffer 32 MB per frame.
			ws.MaxPayloadBytes = maxClientFrame
			s.metrics.WSOpened()
			defer s.metrics.WSClosed()
			stop := make(chan struct{})
			defer close(stop)
			go pingEvery(ws, ping, stop)
			handler(ws)
		},
	}
	w := &liveHijacker{ResponseWriter: c.Response(), idle: ping * 5 / 2, write: ping}
	srv.ServeHTTP(w, c.Request())
}

// maxClientFrame bounds a frame a client sends on a WebSocket: a bigger one
// ends the connection.
const maxClientFrame = 4 << 10

// pingCodec sends an empty ping frame.
var pingCodec = websocket.Codec{Marshal: func(any) ([]byte, byte, error) { return nil, websocket.PingFrame, nil }}

func pingEvery(ws *websocket.Conn, every time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if err := pingCodec.Send(ws, nil); err != nil {
				_ = ws.Close() // the reader sees the close and ends the handler
				return
			}
		}
	}
}

// liveHijacker hands the WebSocket library a connection that sets its own
// deadlines on every read and write, replacing the HTTP server's.
type liveHijacker struct {
	http.ResponseWriter
	idle, write time.Duration
}

func (h *liveHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := h.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("websocket: the connection cannot be taken over")
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	live := &liveConn{Conn: conn, idle: h.idle, write: h.write}
	// Bytes the server read ahead belong to the socket (a client may send its
	// first frame right behind the upgrade request).
	var r io.Reader = live
	if n := rw.Reader.Buffered(); n > 0 {
		ahead, _ := rw.Reader.Peek(n)
		r = io.MultiReader(bytes.NewReader(bytes.Clone(ahead)), live)
	}
	return live, bufio.NewReadWriter(bufio.NewReader(r), bufio.NewWriter(live)), nil
}

// liveConn gives every read idle and every write write to complete.
type liveConn struct {
	net.Conn
	idle, write time.Duration
}

func (c *liveConn) Read(p []byte) (int, error) {
	_ = c.Conn.SetReadDeadline(time.Now().Add(c.idle))
	return c.Conn.Read(p)
}

func (c *liveConn) Write(p []byte) (int, error) {
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.write))
	return c.Conn.Write(p)
}
