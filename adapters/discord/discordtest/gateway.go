package discordtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// This file is the fake's gateway: websockets speaking Discord's gateway
// protocol v9 (JSON encoding) as discordgo expects it, with Discord's
// sharding (Discord docs, "Sharding"): any number of sessions at once, one
// per IDENTIFY, each for the shard [shard_id, num_shards] it names ([0, 1]
// when it names none). A server belongs to shard (guild_id >> 22) %
// num_shards; a session's READY lists only its shard's servers, and only
// they get a GUILD_CREATE. Events of a server go to every live session of
// its shard, events without one (DMs) to sessions of shard 0, each as the
// session's intents allow. See server.go for the shared world and rest.go
// for the REST half.

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

// Gateway close codes the fake sends (Discord docs, "Gateway Close Event
// Codes"); none of them may be resumed or reconnected to as is.
const (
	CloseAuthenticationFailed = 4004 // "Authentication failed."
	CloseInvalidShard         = 4010 // "Invalid shard.": shard_id outside [0, num_shards)
	CloseShardingRequired     = 4011 // "Sharding required.": too many servers for one session
)

// heartbeatInterval is sent in HELLO, in milliseconds (Discord's usual).
const heartbeatInterval = 41250

// MaxGuildsPerShard is how many servers Discord lets one session handle;
// an IDENTIFY whose shard would have more is closed with 4011.
const MaxGuildsPerShard = 2500

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

// gateway is the fake's gateway state: every session since the start,
// resumable until it ends.
type gateway struct {
	mu         sync.Mutex
	cond       *sync.Cond // broadcast after every READY or RESUMED and socket close
	conns      map[*gwConn]bool
	sessions   []*session // in the order of their IDENTIFY
	identifies int
	resumes    int
	heartbeats int
	connects   int // READY or RESUMED sent, all sessions together
	// maxGuilds is the most servers one session may handle (4011 above);
	// shards is what GET /gateway/bot recommends (0: enough for maxGuilds).
	maxGuilds int
	shards    int
}

// gwConn is one websocket. Writes on it are serialised.
type gwConn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	sess *session // the session it serves, nil before IDENTIFY or RESUME
}

func (c *gwConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(v)
}

func (c *gwConn) close(code int, text string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
}

// session is one gateway session. Its fields are guarded by gateway.mu;
// order serialises its dispatches (sequence numbers go out in order) and
// is taken before gateway.mu, never after.
type session struct {
	order   sync.Mutex
	id      string
	shard   [2]int
	sharded bool // the IDENTIFY named a shard
	intents int64
	conn    *gwConn // nil while the socket is down
	ended   bool    // closed cleanly, invalidated or replaced: not resumable
	seq     int64
	log     []gwDispatch // every dispatch of the session, for resumes
	guilds  []string     // the servers of its READY
	connect int          // READY or RESUMED sent
}

// ShardOf returns the shard of server guildID among count shards, as
// Discord computes it: (guild_id >> 22) % count. An id that is not a
// number is on shard 0.
func ShardOf(guildID string, count int) int {
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil || count < 1 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// gets reports whether a session handles events of guild ("" for events
// without a server, DMs: shard 0 only). Callers hold gateway.mu.
func (s *session) gets(guild string) bool {
	if s.ended {
		return false
	}
	if guild == "" {
		return s.shard[0] == 0
	}
	return ShardOf(guild, s.shard[1]) == s.shard[0]
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveGateway speaks the gateway protocol on one websocket.
func (f *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") != "9" || r.URL.Query().Get("encoding") != "json" {
		http.Error(w, "unsupported gateway version or encoding", http.StatusBadRequest)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	g := &f.gw
	g.mu.Lock()
	g.conns[c] = true
	g.mu.Unlock()
	clean := false
	defer func() {
		g.mu.Lock()
		delete(g.conns, c)
		if s := c.sess; s != nil && s.conn == c {
			s.conn = nil
			// Closing with 1000 or 1001 ends the session; any other
			// close, or none, leaves it resumable.
			s.ended = s.ended || clean
		}
		g.cond.Broadcast()
		g.mu.Unlock()
		ws.Close()
	}()
	c.write(gwFrame{Op: opHello, D: mustJSON(map[string]any{"heartbeat_interval": heartbeatInterval})})
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			clean = errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway)
			return
		}
		var fr gwFrame
		if json.Unmarshal(msg, &fr) != nil {
			c.close(4002, "Error while decoding payload.")
			return
		}
		switch fr.Op {
		case opHeartbeat:
			g.mu.Lock()
			g.heartbeats++
			g.mu.Unlock()
			c.write(gwFrame{Op: opHeartbeatAck, D: json.RawMessage("null")})
		case opIdentify:
			g.mu.Lock()
			g.identifies++
			g.mu.Unlock()
			var id struct {
				Token   string  `json:"token"`
				Intents int64   `json:"intents"`
				Shard   *[2]int `json:"shard"`
			}
			_ = json.Unmarshal(fr.D, &id)
			if id.Token != "Bot "+f.token {
				c.close(CloseAuthenticationFailed, "Authentication failed.")
				return
			}
			if !f.identify(c, id.Intents, id.Shard) {
				return
			}
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

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// identify starts a new session on c: READY listing the shard's servers,
// then a GUILD_CREATE for each. A shard outside [0, num_shards) is closed
// with 4010, one that would handle more than the servers a session may
// have with 4011; it reports whether the socket stays open. A session the
// socket served before ends, and so do sessions of the same shard whose
// socket is down (Discord lets them time out; the fake does not wait).
func (f *Server) identify(c *gwConn, intents int64, sh *[2]int) bool {
	shard, sharded := [2]int{0, 1}, sh != nil
	if sharded {
		shard = *sh
		if shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1] {
			c.close(CloseInvalidShard, "Invalid shard.")
			return false
		}
	}
	f.mu.Lock()
	var guilds []string
	for _, gl := range f.guildOrder {
		if ShardOf(gl, shard[1]) == shard[0] {
			guilds = append(guilds, gl)
		}
	}
	f.mu.Unlock()
	g := &f.gw
	g.mu.Lock()
	if len(guilds) > g.maxGuilds {
		g.mu.Unlock()
		c.close(CloseShardingRequired, "Sharding required.")
		return false
	}
	s := &session{id: "session-" + strconv.Itoa(len(g.sessions)+1), shard: shard, sharded: sharded,
		intents: intents, conn: c, guilds: guilds}
	for _, old := range g.sessions {
		if old == c.sess || (old.conn == nil && old.shard == shard) {
			old.ended = true
			if old.conn == c {
				old.conn = nil
			}
		}
	}
	// s.order is held until READY and the GUILD_CREATEs are out, so
	// that events routed to s meanwhile follow them.
	s.order.Lock()
	defer s.order.Unlock()
	c.sess = s
	g.sessions = append(g.sessions, s)
	g.mu.Unlock()

	f.mu.Lock()
	f.intents, f.shard = intents, sh
	stubs := []map[string]any{}
	var creates []map[string]any
	for _, gl := range guilds {
		if f.guilds[gl] != nil {
			stubs = append(stubs, map[string]any{"id": gl, "unavailable": true})
			creates = append(creates, f.guildJSON(gl))
		}
	}
	ready := map[string]any{
		"v":                  9,
		"session_id":         s.id,
		"resume_gateway_url": strings.Replace(f.srv.URL, "http", "ws", 1) + "/ws",
		"user":               map[string]any{"id": f.botID, "username": "peerbot", "bot": true, "discriminator": "0"},
		"application":        map[string]any{"id": f.appID, "flags": 0},
		"guilds":             stubs,
		"private_channels":   []any{},
	}
	if sharded {
		ready["shard"] = shard
	}
	f.mu.Unlock()
	f.deliverLocked(s, "READY", mustJSON(ready))
	g.mu.Lock()
	s.connect++
	g.connects++
	g.cond.Broadcast()
	g.mu.Unlock()
	for _, gc := range creates {
		f.deliverLocked(s, "GUILD_CREATE", mustJSON(gc))
	}
	return true
}

// resume replays what the session missed, then RESUMED; a session that
// ended (or never was) gets INVALID_SESSION (not resumable), after which
// discordgo identifies.
func (f *Server) resume(c *gwConn, token, id string, seq int64) {
	g := &f.gw
	g.mu.Lock()
	var s *session
	for _, x := range g.sessions {
		if x.id == id && !x.ended {
			s = x
		}
	}
	g.mu.Unlock()
	if token != "Bot "+f.token || s == nil {
		c.write(gwFrame{Op: opInvalidSession, D: json.RawMessage("false")})
		return
	}
	s.order.Lock()
	defer s.order.Unlock()
	g.mu.Lock()
	if s.ended { // ended while we waited
		g.mu.Unlock()
		c.write(gwFrame{Op: opInvalidSession, D: json.RawMessage("false")})
		return
	}
	old := s.conn
	s.conn, c.sess = c, s
	g.resumes++
	var missed []gwDispatch
	for _, d := range s.log {
		if d.seq > seq {
			missed = append(missed, d)
		}
	}
	g.mu.Unlock()
	if old != nil && old != c {
		old.ws.UnderlyingConn().Close() // Discord drops the session's other socket
	}
	for _, d := range missed {
		writeDispatch(c, d)
	}
	f.deliverLocked(s, "RESUMED", json.RawMessage("{}"))
	g.mu.Lock()
	s.connect++
	g.connects++
	g.cond.Broadcast()
	g.mu.Unlock()
}

// event is one dispatch before it is routed to sessions.
type event struct {
	name  string
	guild string // its server: routed to the server's shard; "" to shard 0
	// need, when set, are intents of which a session needs one to get it.
	need int64
	data any
	// lacking, when set, is the payload for sessions without the intent
	// lackingIntent (a server message without the message content intent).
	lackingIntent int64
	lacking       any
}

// Dispatch sends an event to the bot: to every live session of the shard
// of its server (the payload's guild_id; a GUILD_CREATE's, GUILD_UPDATE's
// or GUILD_DELETE's id), or, without one, to shard 0's. Each session numbers
// it with its next sequence number; while a session's socket is down it is
// kept for the resume.
func (f *Server) Dispatch(name string, data any) {
	b := mustJSON(data)
	var p struct {
		GuildID string `json:"guild_id"`
		ID      string `json:"id"`
	}
	_ = json.Unmarshal(b, &p)
	guild := p.GuildID
	if name == "GUILD_CREATE" || name == "GUILD_UPDATE" || name == "GUILD_DELETE" {
		guild = p.ID
	}
	f.send(event{name: name, guild: guild, data: json.RawMessage(b)})
}

// send routes ev to the sessions that get it (see Dispatch), as their
// intents allow. Callers do not hold f.mu.
func (f *Server) send(ev event) {
	if ev.name == "" {
		return
	}
	g := &f.gw
	g.mu.Lock()
	var to []*session
	var payloads []json.RawMessage
	var full, lacking json.RawMessage
	for _, s := range g.sessions {
		if !s.gets(ev.guild) || (ev.need != 0 && s.intents&ev.need == 0) {
			continue
		}
		if ev.lacking != nil && s.intents&ev.lackingIntent == 0 {
			if lacking == nil {
				lacking = mustJSON(ev.lacking)
			}
			payloads = append(payloads, lacking)
		} else {
			if full == nil {
				full = mustJSON(ev.data)
			}
			payloads = append(payloads, full)
		}
		to = append(to, s)
	}
	g.mu.Unlock()
	for i, s := range to {
		s.order.Lock()
		f.deliverLocked(s, ev.name, payloads[i])
		s.order.Unlock()
	}
}

// deliverLocked gives a dispatch to a session: the next sequence number,
// the session's log, and its socket if up. Callers hold s.order.
func (f *Server) deliverLocked(s *session, name string, data json.RawMessage) {
	g := &f.gw
	g.mu.Lock()
	if s.ended {
		g.mu.Unlock()
		return
	}
	s.seq++
	d := gwDispatch{seq: s.seq, name: name, data: data}
	s.log = append(s.log, d)
	c := s.conn
	g.mu.Unlock()
	if c != nil {
		writeDispatch(c, d)
	}
}

func writeDispatch(c *gwConn, d gwDispatch) {
	name, seq := d.name, d.seq
	_ = c.write(gwFrame{Op: opDispatch, D: d.data, S: &seq, T: &name})
}

// connected returns the sockets of live sessions of shard (-1: all).
func (f *Server) connected(shard int) []*gwConn {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	var out []*gwConn
	for _, s := range f.gw.sessions {
		if s.conn != nil && !s.ended && (shard < 0 || s.shard[0] == shard) {
			out = append(out, s.conn)
		}
	}
	return out
}

// SendReconnect asks every connected session to reconnect (op 7), as
// Discord does before moving a session.
func (f *Server) SendReconnect() {
	for _, c := range f.connected(-1) {
		c.write(gwFrame{Op: opReconnect, D: json.RawMessage("null")})
	}
}

// SendInvalidSession tells every session it is gone (op 9, not
// resumable): each must identify again.
func (f *Server) SendInvalidSession() {
	f.gw.mu.Lock()
	var conns []*gwConn
	for _, s := range f.gw.sessions {
		if !s.ended && s.conn != nil {
			conns = append(conns, s.conn)
		}
		s.ended = true
	}
	f.gw.mu.Unlock()
	for _, c := range conns {
		c.write(gwFrame{Op: opInvalidSession, D: json.RawMessage("false")})
	}
}

// DropSocket cuts the TCP connection under every websocket without a
// close frame, like a network failure. The sessions stay resumable.
func (f *Server) DropSocket() {
	f.gw.mu.Lock()
	var conns []*gwConn
	for c := range f.gw.conns {
		conns = append(conns, c)
	}
	f.gw.mu.Unlock()
	for _, c := range conns {
		c.ws.UnderlyingConn().Close()
	}
}

// DropShard cuts the sockets of shard's sessions only (see DropSocket).
func (f *Server) DropShard(shard int) {
	for _, c := range f.connected(shard) {
		c.ws.UnderlyingConn().Close()
	}
}

// SetMaxGuildsPerShard changes how many servers one session may handle
// (Discord: MaxGuildsPerShard); an IDENTIFY whose shard would handle more
// is closed with 4011 "Sharding required."
func (f *Server) SetMaxGuildsPerShard(n int) {
	if n < 1 {
		f.t.Fatalf("fake discord: a session handles at least 1 server, not %d", n)
	}
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	f.gw.maxGuilds = n
}

// SetRecommendedShards sets the shard count GET /gateway/bot recommends;
// 0 (the default) recommends as many as the servers need.
func (f *Server) SetRecommendedShards(n int) {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	f.gw.shards = n
}

// recommendedShards is GET /gateway/bot's "shards".
func (f *Server) recommendedShards() int {
	f.mu.Lock()
	n := len(f.guildOrder)
	f.mu.Unlock()
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	if f.gw.shards > 0 {
		return f.gw.shards
	}
	return max(1, (n+f.gw.maxGuilds-1)/f.gw.maxGuilds)
}

// WaitConnects blocks until the gateway has sent READY or RESUMED n times
// in all, every session together (or fails the test after a generous
// safety limit).
func (f *Server) WaitConnects(n int) {
	f.t.Helper()
	f.waitGateway(func() bool { return f.gw.connects >= n }, "the bot did not (re)connect "+strconv.Itoa(n)+" times")
}

// WaitShardConnects blocks until sessions of shard have been sent READY or
// RESUMED n times in all.
func (f *Server) WaitShardConnects(shard, n int) {
	f.t.Helper()
	f.waitGateway(func() bool { return f.shardConnects(shard) >= n },
		"shard "+strconv.Itoa(shard)+" did not (re)connect "+strconv.Itoa(n)+" times")
}

// waitGateway waits until cond (called with gateway.mu held) is true.
func (f *Server) waitGateway(cond func() bool, fail string) {
	f.t.Helper()
	g := &f.gw
	expired := false
	deadline := time.AfterFunc(30*time.Second, func() {
		g.mu.Lock()
		expired = true
		g.cond.Broadcast()
		g.mu.Unlock()
	})
	defer deadline.Stop()
	g.mu.Lock()
	for !cond() && !expired {
		g.cond.Wait()
	}
	ok := cond()
	g.mu.Unlock()
	if !ok {
		f.t.Fatalf("fake discord: %s", fail)
	}
}

// shardConnects counts READY and RESUMED sent to sessions of shard.
// Callers hold gateway.mu.
func (f *Server) shardConnects(shard int) int {
	n := 0
	for _, s := range f.gw.sessions {
		if s.shard[0] == shard {
			n += s.connect
		}
	}
	return n
}
