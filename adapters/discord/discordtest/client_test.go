package discordtest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wsClient is a bare gateway client for the fake's own tests: it speaks
// the protocol the way a bot does, one websocket each.
type wsClient struct {
	t  *testing.T
	ws *websocket.Conn
}

// dial opens a websocket to the fake's gateway and reads HELLO.
func dial(t *testing.T, f *Server) *wsClient {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(f.URL(), "http", "ws", 1)+"/ws/?v=9&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	c := &wsClient{t: t, ws: ws}
	if fr, err := c.read(); err != nil || fr.Op != opHello {
		t.Fatalf("first frame: %+v, %v; want HELLO", fr, err)
	}
	return c
}

func (c *wsClient) send(op int, d any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
		c.t.Fatal(err)
	}
}

// read returns the next frame, or the error (a *websocket.CloseError when
// the fake closed the socket).
func (c *wsClient) read() (gwFrame, error) {
	c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var fr gwFrame
	_, msg, err := c.ws.ReadMessage()
	if err != nil {
		return fr, err
	}
	return fr, json.Unmarshal(msg, &fr)
}

// next returns the next dispatch's name and payload, skipping other
// frames.
func (c *wsClient) next() (string, map[string]any, int64) {
	c.t.Helper()
	for {
		fr, err := c.read()
		if err != nil {
			c.t.Fatalf("reading the gateway: %v", err)
		}
		if fr.Op == opDispatch && fr.T != nil {
			var m map[string]any
			_ = json.Unmarshal(fr.D, &m)
			return *fr.T, m, *fr.S
		}
	}
}

// identify sends IDENTIFY (shard nil: none) and returns the READY payload.
func (c *wsClient) identify(intents int64, shard *[2]int) map[string]any {
	c.t.Helper()
	d := map[string]any{"token": "Bot " + Token, "intents": intents, "properties": map[string]any{}}
	if shard != nil {
		d["shard"] = *shard
	}
	c.send(opIdentify, d)
	name, ready, _ := c.next()
	if name != "READY" {
		c.t.Fatalf("after IDENTIFY: %s, want READY", name)
	}
	return ready
}

// refused sends IDENTIFY and returns the close code the fake answers
// with, failing when it answers otherwise.
func (c *wsClient) refused(shard [2]int) int {
	c.t.Helper()
	c.send(opIdentify, map[string]any{"token": "Bot " + Token, "intents": 0, "shard": shard})
	for {
		fr, err := c.read()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			c.t.Fatalf("shard %v: %v, want a close", shard, err)
		}
		if fr.Op == opDispatch {
			c.t.Fatalf("shard %v: got %s, want a close", shard, *fr.T)
		}
	}
}

// sessionOf returns the session id of a READY payload.
func sessionOf(ready map[string]any) string {
	s, _ := ready["session_id"].(string)
	return s
}

// received returns the payloads of the dispatches name the session got.
func received(f *Server, session, name string) []map[string]any {
	var out []map[string]any
	for _, e := range f.Events(session, name) {
		out = append(out, e.Data)
	}
	return out
}

// isClose reports whether err is a websocket close with code.
func isClose(err error, code int) bool {
	var ce *websocket.CloseError
	return errors.As(err, &ce) && ce.Code == code
}

// websocketClose is a close frame with code, for WriteMessage.
func websocketClose(code int) (int, []byte) {
	return websocket.CloseMessage, websocket.FormatCloseMessage(code, "")
}

// connected reports whether the session's socket is up. Callers hold
// gateway.mu.
func (s *session) connected() bool { return s.conn != nil }
