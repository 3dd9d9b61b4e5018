package server

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// A client's frames are small control messages; one far bigger (which the
// library would otherwise buffer whole, up to 32 MB) ends the connection,
// while a normal one keeps it open.
func TestWebSocketRefusesBigFrames(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	id, token := env.conversation()
	base := "ws" + strings.TrimPrefix(env.url, "http")
	for _, tc := range []struct {
		name, url string
		frame     string
		closed    bool
	}{
		{"customer, typing", base + "/v1/conversations/" + id + "/ws?token=" + token, `{"type":"typing"}`, false},
		{"customer, 1 MB", base + "/v1/conversations/" + id + "/ws?token=" + token, `{"type":"typing","pad":"` + strings.Repeat("x", 1<<20) + `"}`, true},
		{"agent, 1 MB", base + "/v1/agent/ws?key=" + ann, `{"type":"typing","conversation_id":"` + strings.Repeat("x", 1<<20) + `"}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws, err := websocket.Dial(tc.url, "", env.url)
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			// The server may close while the frame is still going out (a
			// broken pipe); otherwise, drain what it sends: a closed
			// connection ends the read with an error other than the deadline.
			err2 := websocket.Message.Send(ws, tc.frame)
			_ = ws.SetReadDeadline(time.Now().Add(3 * time.Second))
			for err2 == nil {
				var frame string
				err2 = websocket.Message.Receive(ws, &frame)
			}
			var ne net.Error
			closed := !(errors.As(err2, &ne) && ne.Timeout())
			if closed != tc.closed {
				t.Errorf("closed = %v (%v), want %v", closed, err2, tc.closed)
			}
		})
	}
}
