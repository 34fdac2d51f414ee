package discordtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is an in-process Discord: an httptest REST server (API v9)
// and a sharded gateway (gateway.go: one session per IDENTIFY, each
// server's events to its shard, DMs to shard 0) that behave like the real
// service as far as peerbot uses it: real routes, status codes, JSON error
// codes and X-RateLimit-* headers, a 3-second window for the first
// interaction response, ephemeral flags, DMs that members may close,
// MESSAGE_CREATE only as the bot's intents allow (messages.go), and the
// limits Discord's client puts on what members send (interact.go). It
// records every request, and can inject 429s, errors and dropped sockets.
type Server struct {
	t     testing.TB
	srv   *httptest.Server
	token string
	appID string
	botID string
	gw    gateway

	mu           sync.Mutex
	changed      *sync.Cond // broadcast after every request
	intents      int64      // from the last IDENTIFY (each session has its own)
	shard        *[2]int    // from the last IDENTIFY
	nextID       int64
	lastGuildTS  int64 // the timestamp of GuildOnShard's last id
	guildOrder   []string
	guilds       map[string]*guild
	channels     map[string]*Channel
	users        map[string]*User
	messages     map[string]*Message
	denyDeletes  bool     // menu.go
	deleted      []string // menu.go
	interactions map[string]*Interaction
	commands     map[string][]map[string]any // by guild id, "" = global
	// allowed are command permission overrides an admin set in Server
	// Settings → Integrations: guild id → command name → role or user ids.
	allowed    map[string]map[string][]string
	pins       []Pin
	roleAdds   []RoleAdd
	requests   []Request
	injections []*injection
	buckets    map[string]*bucket
	// window is the length of a message rate-limit window (Discord: 5 s).
	window time.Duration
}

type guild struct {
	ID, Name        string
	OwnerID         string
	EveryonePerms   int64
	SystemChannelID string
	Roles           []Role          // besides @everyone
	left            map[string]bool // users who left or were removed
}

// Role is a guild role with its server-wide permissions.
type Role struct {
	ID, Name string
	Perms    int64
}

// Overwrite is a channel permission overwrite for a role (Type 0) or a
// member (Type 1), as Discord sends it.
type Overwrite struct {
	ID          string
	Type        int
	Allow, Deny int64
}

type Channel struct {
	ID, GuildID, Name string
	Type              int // 0 text, 1 DM
	Recipient         string
	// HiddenFromEveryone adds an @everyone overwrite denying View Channel.
	HiddenFromEveryone bool
	// Overwrites are further permission overwrites.
	Overwrites []Overwrite
}

// User is a Discord user, a member of every guild of the fake until they
// leave one (RemoveMember).
type User struct {
	// Name is the display name (global_name), whatever the user chose.
	ID, Name string
	// Username is the unique Discord username (2–32 of a-z, 0-9, '_' and
	// '.'); empty means one derived from Name.
	Username string
	// Nick is the member's server nickname, if any.
	Nick string
	// Perms are server-wide permissions the member holds through a role
	// of their own, which the fake serves like any role (in GUILD_CREATE,
	// GET roles, the member's roles). Channel overwrites apply on top.
	Perms int64
	// Roles are the member's role ids (besides @everyone).
	Roles     []string
	DMsClosed bool
	// Locale is the language of the user's Discord app, sent as an
	// interaction's locale as Discord does ("fr", "pt-BR"); empty means
	// "en-GB".
	Locale      string
	dmChannelID string
	ownRole     string
}

type Message struct {
	ID, ChannelID string
	// Author is the user who wrote a member's message; "" for the bot's.
	Author      string
	Content     string
	Components  json.RawMessage
	Ephemeral   bool
	Interaction string // interaction id for responses and follow-ups
	Edits       int
}

type Interaction struct {
	ID, Token string
	Type      int
	User      string
	ChannelID string
	Created   time.Time
	Response  int             // response type, 0 = none yet
	Data      json.RawMessage // the response's data
	Original  *Message
	Followups []*Message
	ModalID   string // custom id of a modal shown in response
	Deferred  bool
	messageID string // the message whose button was pressed
}

type Pin struct{ Channel, Message, Route string }

type RoleAdd struct{ Guild, User, Role string }

// Request is one recorded REST request.
type Request struct {
	Method, Path string
	Body         []byte
	Status       int
	At           time.Time
	// Injected is set when Status came from Inject, not from the fake's
	// own rules (a 429 without Injected means the bot broke a rate limit).
	Injected bool
}

// injection makes matching requests fail.
type injection struct {
	method string
	path   *regexp.Regexp
	status int
	body   string
	left   int
}

type bucket struct {
	limit     int
	remaining int
	reset     time.Time
}

// Gateway intents the fake acts on: which MESSAGE_CREATE events it sends,
// and whether guild messages carry their content.
const (
	intentGuildMembers   = 1 << 1
	intentGuildMessages  = 1 << 9
	intentDirectMessages = 1 << 12
	intentMessageContent = 1 << 15
)

// Permission bits the fake knows.
const (
	PermView           = 1 << 10
	PermSend           = 1 << 11
	PermManageMessages = 1 << 13
	PermManageGuild    = 1 << 5
	PermAdministrator  = 1 << 3
	// PermAll is every permission, as Discord computes it for the owner
	// and administrators.
	PermAll = 1<<53 - 1
	Token   = "fake-token"
	AppID   = "100000000000000001"
	BotID   = "100000000000000002"
)

// New starts a fake Discord with no guilds; the test adds them.
func New(t testing.TB) *Server {
	f := &Server{
		t: t, token: Token, appID: AppID, botID: BotID,
		nextID:       200000000000000000,
		guilds:       map[string]*guild{},
		channels:     map[string]*Channel{},
		users:        map[string]*User{},
		messages:     map[string]*Message{},
		interactions: map[string]*Interaction{},
		commands:     map[string][]map[string]any{},
		allowed:      map[string]map[string][]string{},
		buckets:      map[string]*bucket{},
		window:       5 * time.Second,
	}
	f.gw.cond = sync.NewCond(&f.gw.mu)
	f.gw.conns = map[*gwConn]bool{}
	f.gw.maxGuilds = MaxGuildsPerShard
	f.changed = sync.NewCond(&f.mu)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws/", f.serveGateway)
	f.routes(mux)
	f.srv = httptest.NewServer(f.record(mux))
	t.Cleanup(func() {
		f.DropSocket()
		f.srv.CloseClientConnections()
		f.srv.Close()
	})
	return f
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (f *Server) newID() string {
	f.nextID++
	return itoa(f.nextID)
}

// AddGuild adds a server with a text channel; @everyone may view and send.
func (f *Server) AddGuild(id, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.guilds[id] = &guild{ID: id, Name: name, OwnerID: ownerID, EveryonePerms: PermView | PermSend, left: map[string]bool{}}
	f.guildOrder = append(f.guildOrder, id)
}

func (f *Server) AddChannel(c Channel) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cc := c
	f.channels[c.ID] = &cc
}

// ownerID is every fake guild's owner: a user who never acts.
const ownerID = "1"

// GuildOnShard adds a server named name whose id puts it on shard of count
// shards ((id >> 22) % count == shard; see ShardOf), with no channel, and
// returns its id: a snowflake of 2026, never the same twice.
func (f *Server) GuildOnShard(name string, shard, count int) string {
	if count < 1 || shard < 0 || shard >= count {
		f.t.Fatalf("fake discord: no shard %d of %d", shard, count)
	}
	f.mu.Lock()
	// A snowflake's top bits are milliseconds since 2015: 3.5e11 is 2026.
	ts := max(f.lastGuildTS+1, 350_000_000_000)
	ts += (int64(shard) - ts%int64(count) + int64(count)) % int64(count)
	f.lastGuildTS = ts
	f.mu.Unlock()
	id := itoa(ts<<22 | 1<<17 | 1)
	f.AddGuild(id, name)
	return id
}

// AddUser adds a user, a member of every guild (see User).
func (f *Server) AddUser(u User) {
	f.mu.Lock()
	defer f.mu.Unlock()
	uu := u
	uu.Roles = append([]string(nil), u.Roles...)
	if uu.Perms != 0 {
		uu.ownRole = f.newID()
	}
	f.users[u.ID] = &uu
}

func (f *Server) SetDMsClosed(user string, closed bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[user].DMsClosed = closed
}

// guildJSON is a GUILD_CREATE payload. Callers hold f.mu.
func (f *Server) guildJSON(id string) map[string]any {
	g := f.guilds[id]
	var chans []any
	for _, c := range f.channels {
		if c.GuildID == id {
			chans = append(chans, f.channelJSON(c))
		}
	}
	return map[string]any{
		"id": g.ID, "name": g.Name, "channels": chans, "roles": f.rolesJSON(g),
		"system_channel_id": nilIfEmpty(g.SystemChannelID), "member_count": len(f.users),
		"members": []any{}, "threads": []any{}, "emojis": []any{}, "stickers": []any{},
		"owner_id": g.OwnerID, "features": []any{}, "joined_at": "2026-01-01T00:00:00Z",
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// roles lists a guild's roles besides @everyone: its own, then each
// member's role of their own (User.Perms). Callers hold f.mu.
func (f *Server) roles(g *guild) []Role {
	out := append([]Role(nil), g.Roles...)
	for _, id := range f.userIDs() {
		if u := f.users[id]; u.ownRole != "" && !g.left[id] {
			out = append(out, Role{ID: u.ownRole, Name: "own role of " + u.ID, Perms: u.Perms})
		}
	}
	return out
}

// userIDs returns the users' ids in order. Callers hold f.mu.
func (f *Server) userIDs() []string {
	ids := make([]string, 0, len(f.users))
	for id := range f.users {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (f *Server) rolesJSON(g *guild) []any {
	out := []any{roleJSON(Role{ID: g.ID, Name: "@everyone", Perms: g.EveryonePerms}, 0)}
	for i, r := range f.roles(g) {
		out = append(out, roleJSON(r, i+1))
	}
	return out
}

func roleJSON(r Role, position int) map[string]any {
	return map[string]any{"id": r.ID, "name": r.Name, "permissions": itoa(r.Perms), "position": position,
		"color": 0, "hoist": false, "managed": false, "mentionable": false, "flags": 0}
}

// AddRole adds a role to a guild and tells the bot (GUILD_ROLE_CREATE,
// which comes with the guilds intent).
func (f *Server) AddRole(guildID string, r Role) {
	f.mu.Lock()
	g := f.guilds[guildID]
	g.Roles = append(g.Roles, r)
	ev := map[string]any{"guild_id": guildID, "role": roleJSON(r, len(g.Roles))}
	f.mu.Unlock()
	f.Dispatch("GUILD_ROLE_CREATE", ev)
}

// UpdateRole changes a role's permissions (@everyone's when roleID is the
// guild's id) and tells the bot (GUILD_ROLE_UPDATE, with the guilds
// intent).
func (f *Server) UpdateRole(guildID, roleID string, perms int64) {
	f.mu.Lock()
	g := f.guilds[guildID]
	var ev map[string]any
	if roleID == guildID {
		g.EveryonePerms = perms
		ev = map[string]any{"guild_id": guildID, "role": roleJSON(Role{ID: g.ID, Name: "@everyone", Perms: perms}, 0)}
	}
	for i := range g.Roles {
		if g.Roles[i].ID == roleID {
			g.Roles[i].Perms = perms
			ev = map[string]any{"guild_id": guildID, "role": roleJSON(g.Roles[i], i+1)}
		}
	}
	f.mu.Unlock()
	if ev == nil {
		f.t.Fatalf("fake discord: no role %s in guild %s", roleID, guildID)
	}
	f.Dispatch("GUILD_ROLE_UPDATE", ev)
}

// memberRoles returns a member's role ids, their own role included.
// Callers hold f.mu.
func memberRoles(u *User) []string {
	out := append([]string{}, u.Roles...)
	if u.ownRole != "" {
		out = append(out, u.ownRole)
	}
	return out
}

// basePerms computes a member's server-wide permissions the way Discord
// does: the owner has all; otherwise @everyone's and every role's
// permissions together, and Administrator means all. Callers hold f.mu.
func (f *Server) basePerms(g *guild, u *User) int64 {
	if u.ID == g.OwnerID {
		return PermAll
	}
	p := g.EveryonePerms
	roles := f.roles(g)
	for _, id := range memberRoles(u) {
		for _, r := range roles {
			if r.ID == id {
				p |= r.Perms
			}
		}
	}
	if p&PermAdministrator != 0 {
		return PermAll
	}
	return p
}

// channelPerms computes a member's permissions in a guild channel, as
// Discord sends them in an interaction's member.permissions: the base
// permissions, then the channel's @everyone overwrite, then the member's
// roles' overwrites (all denies, then all allows), then the member's own.
// Callers hold f.mu.
func (f *Server) channelPerms(c *Channel, u *User) int64 {
	g := f.guilds[c.GuildID]
	p := f.basePerms(g, u)
	if p == PermAll {
		return p
	}
	ows := overwrites(c)
	for _, o := range ows {
		if o.Type == 0 && o.ID == g.ID {
			p = p&^o.Deny | o.Allow
		}
	}
	var allow, deny int64
	for _, id := range memberRoles(u) {
		for _, o := range ows {
			if o.Type == 0 && o.ID == id {
				allow, deny = allow|o.Allow, deny|o.Deny
			}
		}
	}
	p = p&^deny | allow
	for _, o := range ows {
		if o.Type == 1 && o.ID == u.ID {
			p = p&^o.Deny | o.Allow
		}
	}
	return p
}

// overwrites returns a channel's permission overwrites as Discord lists
// them.
func overwrites(c *Channel) []Overwrite {
	var out []Overwrite
	if c.HiddenFromEveryone {
		out = append(out, Overwrite{ID: c.GuildID, Type: 0, Deny: PermView})
	}
	return append(out, c.Overwrites...)
}

func (f *Server) channelJSON(c *Channel) map[string]any {
	m := map[string]any{"id": c.ID, "type": c.Type, "name": c.Name}
	if c.GuildID != "" {
		m["guild_id"] = c.GuildID
		ows := []any{}
		for _, o := range overwrites(c) {
			ows = append(ows, map[string]any{"id": o.ID, "type": o.Type, "allow": itoa(o.Allow), "deny": itoa(o.Deny)})
		}
		m["permission_overwrites"] = ows
	}
	if c.Recipient != "" {
		m["recipients"] = []any{f.UserJSON(c.Recipient)}
	}
	return m
}

// UserJSON is a user object as Discord sends it: the unique username,
// the display name (global_name) and the id.
func (f *Server) UserJSON(id string) map[string]any {
	u := f.users[id]
	name, username := id, ""
	if u != nil {
		name, username = u.Name, u.Username
	}
	if username == "" {
		username = usernameOf(name, id)
	}
	return map[string]any{"id": id, "username": username, "global_name": name, "discriminator": "0", "avatar": nil}
}

// usernameOf derives a username Discord would allow from a display name:
// lower case a-z, 0-9, '_' and '.', 2 to 32 characters.
func usernameOf(name, id string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' || r == '.' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) < 2 {
		s = "user" + id
	}
	if len(s) > 32 {
		s = s[:32]
	}
	return s
}

// memberJSON is a guild member object as GET /guilds/{g}/members/{u}
// returns it (interactions add permissions). Callers hold f.mu.
func (f *Server) memberJSON(u *User) map[string]any {
	return map[string]any{
		"user": f.UserJSON(u.ID), "nick": nilIfEmpty(u.Nick), "roles": memberRoles(u), "avatar": nil,
		"joined_at": "2026-01-01T00:00:00Z", "premium_since": nil, "deaf": false, "mute": false, "flags": 0,
		"pending": false, "communication_disabled_until": nil,
	}
}

func (f *Server) messageJSON(m *Message) map[string]any {
	author := map[string]any{"id": f.botID, "username": "peerbot", "bot": true}
	if m.Author != "" {
		author = f.UserJSON(m.Author)
	}
	j := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "content": m.Content, "type": 0,
		"author":    author,
		"timestamp": "2026-01-01T00:00:00Z", "embeds": []any{}, "attachments": []any{}, "mentions": []any{},
	}
	if len(m.Components) > 0 {
		j["components"] = m.Components
	}
	if m.Ephemeral {
		j["flags"] = 64
	}
	return j
}

// record wraps every REST request: it checks the token, applies injected
// failures and rate limits, and keeps the request with its status.
func (f *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/ws/") {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rw := &statusWriter{ResponseWriter: w, status: 200}
		injected := f.serveREST(rw, r, next, body)
		f.mu.Lock()
		f.requests = append(f.requests, Request{Method: r.Method, Path: r.URL.Path, Body: body, Status: rw.status, At: time.Now(), Injected: injected})
		f.changed.Broadcast()
		f.mu.Unlock()
	})
}

// serveREST answers one request; it reports whether the answer was an
// injected failure.
func (f *Server) serveREST(w http.ResponseWriter, r *http.Request, next http.Handler, body []byte) bool {
	webhook := strings.HasPrefix(r.URL.Path, "/api/v9/webhooks/") || strings.HasPrefix(r.URL.Path, "/api/v9/interactions/")
	if !webhook && r.Header.Get("Authorization") != "Bot "+f.token {
		apiError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return false
	}
	if len(body) > 0 && !json.Valid(body) {
		apiError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return false
	}
	f.mu.Lock()
	for _, in := range f.injections {
		if in.left > 0 && in.method == r.Method && in.path.MatchString(r.URL.Path) {
			in.left--
			f.mu.Unlock()
			if in.status == http.StatusTooManyRequests {
				w.Header().Set("X-RateLimit-Limit", "5")
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset-After", "0.050")
				w.Header().Set("X-RateLimit-Scope", "user")
				w.Header().Set("Retry-After", "1")
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(in.status)
			io.WriteString(w, in.body)
			return true
		}
	}
	key, limit := f.bucketFor(r)
	b := f.buckets[key]
	now := time.Now()
	if b == nil || now.After(b.reset) {
		b = &bucket{limit: limit, remaining: limit, reset: now.Add(f.window)}
		f.buckets[key] = b
	}
	if b.remaining == 0 {
		after := b.reset.Sub(now).Seconds()
		f.mu.Unlock()
		setRateHeaders(w, b, now, key)
		w.Header().Set("X-RateLimit-Scope", "user")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		json.NewEncoder(w).Encode(map[string]any{"message": "You are being rate limited.", "retry_after": after, "global": false})
		return false
	}
	b.remaining--
	setRateHeaders(w, b, now, key)
	f.mu.Unlock()
	next.ServeHTTP(w, r)
	return false
}

// bucketFor names a request's rate-limit bucket the way Discord does
// (route and major parameter): 5 per window for messages in one channel,
// generous elsewhere.
func (f *Server) bucketFor(r *http.Request) (string, int) {
	p := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v9/"), "/")
	if len(p) >= 3 && p[0] == "channels" && p[2] == "messages" && (r.Method == http.MethodPost || r.Method == http.MethodPatch) {
		return r.Method + " channels/" + p[1] + "/messages", 5
	}
	return r.Method + " " + r.URL.Path, 50
}

func setRateHeaders(w http.ResponseWriter, b *bucket, now time.Time, key string) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(b.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(b.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(b.reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(b.reset.Sub(now).Seconds(), 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", strconv.FormatUint(uint64(len(key))*2654435761, 16))
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// formError writes Discord's 400 "Invalid Form Body" (50035) with the
// field at path and its error, the shape Discord uses:
// {"code": 50035, "errors": {"content": {"_errors": [{"code": …, "message": …}]}}, "message": "Invalid Form Body"}.
func formError(w http.ResponseWriter, path []string, code, msg string) {
	var errs any = map[string]any{"_errors": []any{map[string]any{"code": code, "message": msg}}}
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] != "_errors" { // "_errors" last: the error is the field's own
			errs = map[string]any{path[i]: errs}
		}
	}
	writeJSON(w, http.StatusBadRequest, map[string]any{"code": 50035, "errors": errs, "message": "Invalid Form Body"})
}

// apiError writes Discord's JSON error shape.
func apiError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"message": msg, "code": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Inject makes the next n requests matching method and path (a regular
// expression) fail with status and a Discord JSON body. A 429 body carries
// retry_after, as Discord's does.
func (f *Server) Inject(method, path string, status, n int) {
	body := `{"message": "Missing Access", "code": 50001}`
	switch status {
	case http.StatusTooManyRequests:
		body = `{"message": "You are being rate limited.", "retry_after": 0.05, "global": false}`
	case http.StatusForbidden:
		body = `{"message": "Cannot send messages to this user", "code": 50007}`
	case http.StatusInternalServerError:
		body = `{"message": "Internal Server Error", "code": 0}`
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.injections = append(f.injections, &injection{method: method, path: regexp.MustCompile(path), status: status, body: body, left: n})
}
