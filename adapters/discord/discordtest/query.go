package discordtest

import (
	"encoding/json"
	"regexp"
	"strconv"
	"time"
)

// Queries on the fake's world, for tests' assertions.

// RequestsTo returns the recorded requests whose method matches and whose
// path matches the regular expression.
func (f *Server) RequestsTo(method, path string) []Request {
	re := regexp.MustCompile(path)
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Request
	for _, r := range f.requests {
		if (method == "" || r.Method == method) && re.MatchString(r.Path) {
			out = append(out, r)
		}
	}
	return out
}

// WaitFor blocks until cond is true, re-checking it after every request
// the server receives, or fails the test after a generous safety limit.
// cond is called without the server's lock, so it may use its queries.
func (f *Server) WaitFor(what string, cond func() bool) {
	f.t.Helper()
	expired := false
	deadline := time.AfterFunc(30*time.Second, func() {
		f.mu.Lock()
		expired = true
		f.changed.Broadcast()
		f.mu.Unlock()
	})
	defer deadline.Stop()
	for {
		f.mu.Lock()
		gen := len(f.requests)
		f.mu.Unlock()
		if cond() {
			return
		}
		f.mu.Lock()
		for len(f.requests) == gen && !expired {
			f.changed.Wait()
		}
		exp := expired
		f.mu.Unlock()
		if exp {
			f.t.Fatalf("fake discord: gave up waiting for %s", what)
		}
	}
}

// Pins returns every pin made, in order.
func (f *Server) Pins() []Pin {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Pin(nil), f.pins...)
}

// RoleAdds returns every role granted, in order.
func (f *Server) RoleAdds() []RoleAdd {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]RoleAdd(nil), f.roleAdds...)
}

// Intents returns the gateway intents of the last IDENTIFY (each session's
// are in Sessions).
func (f *Server) Intents() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.intents
}

// Shard returns the [shard_id, shard_count] of the last IDENTIFY, or nil
// when it sent none (one shard). Each session's is in Sessions.
func (f *Server) Shard() *[2]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.shard
}

// Session is what the fake knows of one gateway session.
type Session struct {
	ID string
	// Shard is the [shard_id, num_shards] of its IDENTIFY; [0, 1] when
	// the IDENTIFY named none (Sharded false).
	Shard   [2]int
	Sharded bool
	Intents int64
	// Guilds are the servers its READY listed.
	Guilds []string
	// Connects counts the READY and RESUMED it was sent.
	Connects int
	// Connected reports whether its socket is up; Ended whether it is
	// over (closed with 1000 or 1001, invalidated, or replaced by a new
	// IDENTIFY): it gets nothing more and cannot be resumed.
	Connected, Ended bool
}

// Sessions returns every gateway session since the start, in the order of
// their IDENTIFY.
func (f *Server) Sessions() []Session {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	var out []Session
	for _, s := range f.gw.sessions {
		out = append(out, Session{ID: s.id, Shard: s.shard, Sharded: s.sharded, Intents: s.intents,
			Guilds: append([]string(nil), s.guilds...), Connects: s.connect, Connected: s.conn != nil && !s.ended, Ended: s.ended})
	}
	return out
}

// ShardConnects counts the READY and RESUMED sent to sessions of shard
// (their shard_id), all of them together.
func (f *Server) ShardConnects(shard int) int {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	return f.shardConnects(shard)
}

// Event is one dispatch a session got (or kept for its resume).
type Event struct {
	Seq  int64
	Name string
	Data map[string]any
}

// Events returns the dispatches session got, in order, of name ("": all).
func (f *Server) Events(session, name string) []Event {
	f.gw.mu.Lock()
	var log []gwDispatch
	for _, s := range f.gw.sessions {
		if s.id == session {
			log = append(log, s.log...)
		}
	}
	f.gw.mu.Unlock()
	var out []Event
	for _, d := range log {
		if name == "" || d.name == name {
			e := Event{Seq: d.seq, Name: d.name}
			_ = json.Unmarshal(d.data, &e.Data)
			out = append(out, e)
		}
	}
	return out
}

// SessionsGot returns the sessions that got dispatch name whose payload's
// id is id (an interaction's, a message's, a server's for GUILD_CREATE).
func (f *Server) SessionsGot(name, id string) []Session {
	var out []Session
	for _, s := range f.Sessions() {
		for _, e := range f.Events(s.ID, name) {
			if e.Data["id"] == id {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// ShardsGot returns the shard ids of the sessions that got dispatch name
// with payload id id (see SessionsGot), one per session.
func (f *Server) ShardsGot(name, id string) []int {
	var out []int
	for _, s := range f.SessionsGot(name, id) {
		out = append(out, s.Shard[0])
	}
	return out
}

// GatewayStats counts the IDENTIFYs, RESUMEs and heartbeats received.
func (f *Server) GatewayStats() (identifies, resumes, heartbeats int) {
	f.gw.mu.Lock()
	defer f.gw.mu.Unlock()
	return f.gw.identifies, f.gw.resumes, f.gw.heartbeats
}

// DMChannel returns the DM channel the bot opened with user, or "".
func (f *Server) DMChannel(user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if u := f.users[user]; u != nil {
		return u.dmChannelID
	}
	return ""
}

// DeleteMessage deletes a message, as a moderator might.
func (f *Server) DeleteMessage(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.messages, id)
}

// SetRoles replaces a member's roles (their own role, if any, stays).
// Discord tells the bot with GUILD_MEMBER_UPDATE only when it has the
// privileged server members intent.
func (f *Server) SetRoles(user string, roles ...string) {
	f.mu.Lock()
	u := f.users[user]
	u.Roles = append([]string(nil), roles...)
	var events []event
	for _, g := range f.guildOrder {
		if !f.guilds[g].left[user] {
			ev := f.memberJSON(u)
			ev["guild_id"] = g
			events = append(events, event{name: "GUILD_MEMBER_UPDATE", guild: g, need: intentGuildMembers, data: ev})
		}
	}
	f.mu.Unlock()
	for _, ev := range events {
		f.send(ev)
	}
}

// RemoveMember has user leave the server (or be kicked or banned): they
// are no longer its member (GET member answers 404 Unknown Member) and can
// no longer use its commands. Discord tells the bot with
// GUILD_MEMBER_REMOVE only when it has the privileged server members
// intent.
func (f *Server) RemoveMember(guildID, user string) {
	f.mu.Lock()
	f.guilds[guildID].left[user] = true
	ev := map[string]any{"guild_id": guildID, "user": f.UserJSON(user)}
	f.mu.Unlock()
	f.send(event{name: "GUILD_MEMBER_REMOVE", guild: guildID, need: intentGuildMembers, data: ev})
}

// Command is a registered command as Discord keeps it.
type Command struct {
	Name string
	// DefaultMemberPermissions is nil when everyone may use the command,
	// else the permissions a member needs (0: administrators only).
	DefaultMemberPermissions *int64
	// Contexts are the interaction contexts (0 server, 1 bot DM); nil
	// means all.
	Contexts []int
	// JSON is the registration as sent.
	JSON map[string]any
}

// Command returns the command registered as name for guild ("": global).
func (f *Server) Command(guild, name string) (Command, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.commands[guild] {
		if c["name"] != name {
			continue
		}
		out := Command{Name: name, JSON: c}
		if p, ok := c["default_member_permissions"].(string); ok {
			n, _ := strconv.ParseInt(p, 10, 64)
			out.DefaultMemberPermissions = &n
		}
		if ctx, ok := c["contexts"].([]any); ok {
			out.Contexts = []int{}
			for _, x := range ctx {
				n, _ := x.(float64)
				out.Contexts = append(out.Contexts, int(n))
			}
		}
		return out, true
	}
	return Command{}, false
}

// URL is the server's base URL: discord.api_url for a bot under test.
func (f *Server) URL() string { return f.srv.URL }

// Requests returns a copy of every recorded REST request.
func (f *Server) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// Message returns a copy of a message as the fake holds it now.
func (f *Server) Message(id string) (Message, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.messages[id]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// ChannelMessages lists the bot's messages in a channel, oldest first
// (members' own messages, sent with DM or Post, are not among them).
func (f *Server) ChannelMessages(ch string) []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Message
	for _, m := range f.messages {
		if m.ChannelID == ch && m.Interaction == "" && m.Author == "" {
			out = append(out, *m)
		}
	}
	sortMessages(out)
	return out
}

func sortMessages(ms []Message) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && idLess(ms[j].ID, ms[j-1].ID); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

func idLess(a, b string) bool {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return x < y
}

// Interaction returns a copy of what the fake knows about an interaction.
func (f *Server) Interaction(id string) Interaction {
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.interactions[id]
	if in == nil {
		f.t.Fatalf("fake discord: no interaction %s", id)
	}
	c := *in
	if in.Original != nil {
		o := *in.Original
		c.Original = &o
	}
	c.Followups = nil
	for _, m := range in.Followups {
		mm := *m
		c.Followups = append(c.Followups, &mm)
	}
	return c
}

// SetSystemChannel sets a server's system channel (where Discord posts
// "X joined") and tells the bot with GUILD_UPDATE, as Discord does.
func (f *Server) SetSystemChannel(guildID, channel string) {
	f.mu.Lock()
	f.guilds[guildID].SystemChannelID = channel
	g := f.guildJSON(guildID)
	f.mu.Unlock()
	f.Dispatch("GUILD_UPDATE", g)
}

// Expire lets an interaction's 3 seconds for a first response run out, as
// if the bot had been too slow.
func (f *Server) Expire(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.interactions[id].Created = time.Now().Add(-4 * time.Second)
}
