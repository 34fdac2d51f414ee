package discordtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// This file is the fake's gateway: a websocket speaking Discord's gateway
// protocol v9 (JSON encoding) as discordgo expects it. See server.go for
// the shared world and rest.go for the REST half.

// Gateway opcodes.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opReconnect      = 7
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatAck   = 11
)

// heartbeatInterval is sent in HELLO, in milliseconds (Discord's usual).
const heartbeatInterval = 41250

type gwFrame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

type gwDispatch struct {
	seq  int64
	name string
	data json.RawMessage
}

// gateway is the fake's gateway state: one session, resumable.
type gateway struct {
	mu         sync.Mutex
	cond       *sync.Cond
	conn       *websocket.Conn
	writeMu    sync.Mutex
	sessionID  string
	seq        int64
	log        []gwDispatch // every dispatch of the session, for resumes
	identifies int
	resumes    int
	heartbeats int
	connects   int // READY or RESUMED sent
	sessions   int
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveGateway speaks the gateway protocol on one websocket.
func (f *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") != "9" || r.URL.Query().Get("encoding") != "json" {
		http.Error(w, "unsupported gateway version or encoding", http.StatusBadRequest)
		return
	}
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	g := &f.gw
	g.mu.Lock()
	g.conn = c
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		if g.conn == c {
			g.conn = nil
		}
		g.mu.Unlock()
		c.Close()
	}()
	f.writeOp(c, opHello, map[string]any{"heartbeat_interval": heartbeatInterval})
	for {
		_, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		var fr gwFrame
		if json.Unmarshal(msg, &fr) != nil {
			c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Error while decoding payload."), time.Now().Add(time.Second))
			return
		}
		switch fr.Op {
		case opHeartbeat:
			g.mu.Lock()
			g.heartbeats++
			g.mu.Unlock()
			f.writeOp(c, opHeartbeatAck, nil)
		case opIdentify:
			var id struct {
				Token   string  `json:"token"`
				Intents int64   `json:"intents"`
				Shard   *[2]int `json:"shard"`
			}
			_ = json.Unmarshal(fr.D, &id)
			if id.Token != "Bot "+f.token {
				c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."), time.Now().Add(time.Second))
				return
			}
			f.mu.Lock()
			f.intents = id.Intents
			f.shard = id.Shard
			f.mu.Unlock()
			f.identify(c)
		case opResume:
			var rs struct {
				Token     string `json:"token"`
				SessionID string `json:"session_id"`
				Seq       int64  `json:"seq"`
			}
			_ = json.Unmarshal(fr.D, &rs)
			f.resume(c, rs.Token, rs.SessionID, rs.Seq)
		}
	}
}

func (f *Server) writeOp(c *websocket.Conn, op int, d any) error {
	b, _ := json.Marshal(d)
	f.gw.writeMu.Lock()
	defer f.gw.writeMu.Unlock()
	return c.WriteJSON(gwFrame{Op: op, D: b})
}

// identify starts a new session: READY, then a GUILD_CREATE per guild.
func (f *Server) identify(c *websocket.Conn) {
	g := &f.gw
	g.mu.Lock()
	g.identifies++
	g.sessions++
	g.sessionID = "session-" + itoa(int64(g.sessions))
	g.seq = 0
	g.log = nil
	g.mu.Unlock()

	f.mu.Lock()
	var stubs []map[string]any
	var creates []map[string]any
	for _, gl := range f.guildOrder {
		stubs = append(stubs, map[string]any{"id": gl, "unavailable": true})
		creates = append(creates, f.guildJSON(gl))
	}
	ready := map[string]any{
		"v":                  9,
		"session_id":         g.sessionID,
		"resume_gateway_url": strings.Replace(f.srv.URL, "http", "ws", 1) + "/ws",
		"user":               map[string]any{"id": f.botID, "username": "peerbot", "bot": true, "discriminator": "0"},
		"application":        map[string]any{"id": f.appID, "flags": 0},
		"guilds":             stubs,
		"private_channels":   []any{},
	}
	f.mu.Unlock()
	f.dispatchOn(c, "READY", ready)
	g.mu.Lock()
	g.connects++
	g.cond.Broadcast()
	g.mu.Unlock()
	for _, gc := range creates {
		f.dispatchOn(c, "GUILD_CREATE", gc)
	}
}

// resume replays what the session missed, then RESUMED; a stale session
// gets INVALID_SESSION (not resumable), after which discordgo identifies.
func (f *Server) resume(c *websocket.Conn, token, session string, seq int64) {
	g := &f.gw
	g.mu.Lock()
	if token != "Bot "+f.token || session != g.sessionID || session == "" {
		g.mu.Unlock()
		f.writeOp(c, opInvalidSession, false)
		return
	}
	g.resumes++
	var missed []gwDispatch
	for _, d := range g.log {
		if d.seq > seq {
			missed = append(missed, d)
		}
	}
	g.mu.Unlock()
	for _, d := range missed {
		f.writeDispatch(c, d)
	}
	f.dispatchOn(c, "RESUMED", map[string]any{})
	g.mu.Lock()
	g.connects++
	g.cond.Broadcast()
	g.mu.Unlock()
}

// Dispatch sends an event to the bot with the session's next sequence
// number; while the socket is down it is kept for the resume.
func (f *Server) Dispatch(name string, data any) {
	f.gw.mu.Lock()
	c := f.gw.conn
	f.gw.mu.Unlock()
	f.dispatchOn(c, name, data)
}

func (f *Server) dispatchOn(c *websocket.Conn, name string, data any) {
	b, _ := json.Marshal(data)
	g := &f.gw
	g.mu.Lock()
	g.seq++
	d := gwDispatch{seq: g.seq, name: name, data: b}
	g.log = append(g.log, d)
	g.mu.Unlock()
	if c != nil {
		f.writeDispatch(c, d)
	}
}

func (f *Server) writeDispatch(c *websocket.Conn, d gwDispatch) {
	name, seq := d.name, d.seq
	f.gw.writeMu.Lock()
	defer f.gw.writeMu.Unlock()
	_ = c.WriteJSON(gwFrame{Op: opDispatch, D: d.data, S: &seq, T: &name})
}

// SendReconnect asks the bot to reconnect (op 7), as Discord does before
// moving a session.
func (f *Server) SendReconnect() {
	f.gw.mu.Lock()
	c := f.gw.conn
	f.gw.mu.Unlock()
	if c != nil {
		f.writeOp(c, opReconnect, nil)
	}
}

// SendInvalidSession tells the bot its session is gone (op 9, not
// resumable): it must identify again.
func (f *Server) SendInvalidSession() {
	f.gw.mu.Lock()
	c := f.gw.conn
	f.gw.sessionID = ""
	f.gw.mu.Unlock()
	if c != nil {
		f.writeOp(c, opInvalidSession, false)
	}
}

// DropSocket cuts the TCP connection under the websocket without a close
// frame, like a network failure.
func (f *Server) DropSocket() {
	f.gw.mu.Lock()
	c := f.gw.conn
	f.gw.conn = nil
	f.gw.mu.Unlock()
	if c != nil {
		c.UnderlyingConn().Close()
	}
}

// WaitConnects blocks until the gateway has sent READY or RESUMED n times
// in all (or fails the test after a generous safety limit).
func (f *Server) WaitConnects(n int) {
	f.t.Helper()
	g := &f.gw
	deadline := time.AfterFunc(30*time.Second, func() {
		g.mu.Lock()
		g.connects = -1 << 30
		g.cond.Broadcast()
		g.mu.Unlock()
	})
	defer deadline.Stop()
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.connects < n && g.connects >= 0 {
		g.cond.Wait()
	}
	if g.connects < 0 {
		f.t.Fatalf("fake discord: the bot did not (re)connect %d times", n)
	}
}
