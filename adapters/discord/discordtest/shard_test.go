package discordtest

import (
	"slices"
	"strconv"
	"testing"
)

// shardWorld has a server on each of 2 shards, a channel in each, a
// member, and /help registered globally (servers and DMs).
func shardWorld(t *testing.T) (f *Server, g0, g1 string) {
	f = New(t)
	g0 = f.GuildOnShard("Monday group", 0, 2)
	g1 = f.GuildOnShard("Tuesday group", 1, 2)
	f.AddChannel(Channel{ID: "10", GuildID: g0, Name: "meeting"})
	f.AddChannel(Channel{ID: "11", GuildID: g1, Name: "meeting"})
	f.AddUser(User{ID: "20", Name: "Ana"})
	f.mu.Lock()
	f.commands[""] = []map[string]any{{"name": "help", "id": "5"}}
	f.mu.Unlock()
	return f, g0, g1
}

// TestGuildOnShard ensures the ids GuildOnShard makes are on the shard
// asked for by Discord's formula, computed here from the id itself, and
// never repeat.
func TestGuildOnShard(t *testing.T) {
	f := New(t)
	seen := map[string]bool{}
	for _, count := range []int{1, 2, 3, 16} {
		for shard := range count {
			id := f.GuildOnShard("g", shard, count)
			n, err := strconv.ParseUint(id, 10, 64)
			if err != nil || int((n>>22)%uint64(count)) != shard || ShardOf(id, count) != shard {
				t.Errorf("GuildOnShard(%d of %d) = %s: on shard %d", shard, count, id, (n>>22)%uint64(count))
			}
			if seen[id] {
				t.Errorf("id %s made twice", id)
			}
			seen[id] = true
		}
	}
	// Discord's own example (serenity's docs): 81384788765712384 is on
	// shard 7 of 17.
	if got := ShardOf("81384788765712384", 17); got != 7 {
		t.Errorf("ShardOf(81384788765712384, 17) = %d, want 7", got)
	}
}

// TestShardRouting ensures two sessions, shards 0 and 1 of 2, each get
// READY and GUILD_CREATE for their own server only, the events of a server
// go to its shard's session only (interactions, roles, members, server
// updates), and DMs (a message, a command) to shard 0 only.
func TestShardRouting(t *testing.T) {
	f, g0, g1 := shardWorld(t)
	const intents = intentDirectMessages | intentGuildMembers
	a, b := dial(t, f), dial(t, f)
	ra := a.identify(intents, &[2]int{0, 2})
	rb := b.identify(intents, &[2]int{1, 2})
	for _, tc := range []struct {
		c     *wsClient
		ready map[string]any
		shard int
		guild string
	}{{a, ra, 0, g0}, {b, rb, 1, g1}} {
		gs, _ := tc.ready["guilds"].([]any)
		if g, _ := gs[0].(map[string]any); len(gs) != 1 || g["id"] != tc.guild || g["unavailable"] != true {
			t.Errorf("shard %d: READY lists %v, want only %s", tc.shard, gs, tc.guild)
		}
		if sh, _ := tc.ready["shard"].([]any); len(sh) != 2 || sh[0] != float64(tc.shard) || sh[1] != 2.0 {
			t.Errorf("shard %d: READY's shard %v", tc.shard, tc.ready["shard"])
		}
		if name, d, _ := tc.c.next(); name != "GUILD_CREATE" || d["id"] != tc.guild {
			t.Errorf("shard %d: after READY %s %v, want GUILD_CREATE of %s", tc.shard, name, d["id"], tc.guild)
		}
	}

	in0 := f.Slash("20", "10", "help", "")
	in1 := f.Slash("20", "11", "help", "")
	if got := f.ShardsGot("INTERACTION_CREATE", in0); !slices.Equal(got, []int{0}) {
		t.Errorf("a command in shard 0's server reached shards %v", got)
	}
	if got := f.ShardsGot("INTERACTION_CREATE", in1); !slices.Equal(got, []int{1}) {
		t.Errorf("a command in shard 1's server reached shards %v", got)
	}
	// On the wire too: each socket carries its own.
	if name, d, _ := a.next(); name != "INTERACTION_CREATE" || d["id"] != in0 {
		t.Errorf("shard 0's socket: %s %v, want interaction %s", name, d["id"], in0)
	}
	if name, d, _ := b.next(); name != "INTERACTION_CREATE" || d["id"] != in1 {
		t.Errorf("shard 1's socket: %s %v, want interaction %s", name, d["id"], in1)
	}

	dm := f.DM("20", "hello?")
	if got := f.ShardsGot("MESSAGE_CREATE", dm); !slices.Equal(got, []int{0}) {
		t.Errorf("a DM reached shards %v, want [0]", got)
	}
	inDM := f.Slash("20", f.DMChannel("20"), "help", "")
	if got := f.ShardsGot("INTERACTION_CREATE", inDM); !slices.Equal(got, []int{0}) {
		t.Errorf("a command in a DM reached shards %v, want [0]", got)
	}

	f.AddRole(g1, Role{ID: "30", Name: "Facilitators", Perms: PermManageMessages})
	f.SetRoles("20", "30")
	f.SetSystemChannel(g1, "11")
	f.RemoveMember(g0, "20")
	sa, sb := sessionOf(ra), sessionOf(rb)
	for _, tc := range []struct {
		name, session, guild string
		n                    int
	}{
		{"GUILD_ROLE_CREATE", sa, "", 0},
		{"GUILD_ROLE_CREATE", sb, g1, 1},
		{"GUILD_MEMBER_UPDATE", sa, g0, 1},
		{"GUILD_MEMBER_UPDATE", sb, g1, 1},
		{"GUILD_UPDATE", sa, "", 0},
		{"GUILD_UPDATE", sb, g1, 1},
		{"GUILD_MEMBER_REMOVE", sa, g0, 1},
		{"GUILD_MEMBER_REMOVE", sb, "", 0},
	} {
		got := received(f, tc.session, tc.name)
		if len(got) != tc.n {
			t.Errorf("%s got %d %s, want %d", tc.session, len(got), tc.name, tc.n)
			continue
		}
		for _, d := range got {
			g := d["guild_id"]
			if tc.name == "GUILD_UPDATE" {
				g = d["id"]
			}
			if g != tc.guild {
				t.Errorf("%s got %s of server %v, want %s", tc.session, tc.name, g, tc.guild)
			}
		}
	}

	ss := f.Sessions()
	if len(ss) != 2 || ss[0].Shard != [2]int{0, 2} || !ss[0].Sharded || ss[1].Shard != [2]int{1, 2} ||
		!slices.Equal(ss[0].Guilds, []string{g0}) || !slices.Equal(ss[1].Guilds, []string{g1}) || !ss[0].Connected || ss[1].Intents != intents {
		t.Errorf("sessions: %+v", ss)
	}
	if f.ShardConnects(0) != 1 || f.ShardConnects(1) != 1 {
		t.Errorf("connects per shard: %d, %d; want 1, 1", f.ShardConnects(0), f.ShardConnects(1))
	}
	if sh := f.Shard(); sh == nil || *sh != [2]int{1, 2} {
		t.Errorf("last IDENTIFY's shard %v", sh)
	}
}

// TestUnshardedSession ensures an IDENTIFY without a shard is shard [0, 1]:
// every server and every DM, beside sharded sessions.
func TestUnshardedSession(t *testing.T) {
	f, g0, g1 := shardWorld(t)
	one := sessionOf(dial(t, f).identify(intentDirectMessages, nil))
	dial(t, f).identify(intentDirectMessages, &[2]int{1, 2})
	in1 := f.Slash("20", "11", "help", "")
	dm := f.DM("20", "hello?")
	ss := f.Sessions()
	if ss[0].Shard != [2]int{0, 1} || ss[0].Sharded || !slices.Equal(ss[0].Guilds, []string{g0, g1}) {
		t.Errorf("unsharded session: %+v", ss[0])
	}
	if got := f.SessionsGot("INTERACTION_CREATE", in1); len(got) != 2 {
		t.Errorf("shard 1's command reached %d sessions, want 2 (the unsharded one and shard 1)", len(got))
	}
	if got := f.SessionsGot("MESSAGE_CREATE", dm); len(got) != 1 || got[0].ID != one {
		t.Errorf("a DM reached %+v, want only the unsharded session", got)
	}
	if got := len(received(f, one, "GUILD_CREATE")); got != 2 {
		t.Errorf("unsharded session got %d GUILD_CREATE, want 2", got)
	}
}

// TestShardCountsDiffer ensures sessions with different num_shards are
// each served by their own formula, as Discord does (it does not refuse
// them: that is how a bot moves to more shards): a server that is on shard
// 0 of 2 and on shard 1 of 3 reaches both, one on shard 1 of 2 and 2 of 3
// neither. This is why every process must be given the same shard_count.
func TestShardCountsDiffer(t *testing.T) {
	f := New(t)
	both := f.GuildOnShard("both", 4, 6)    // 4 % 2 == 0, 4 % 3 == 1
	neither := f.GuildOnShard("none", 5, 6) // 5 % 2 == 1, 5 % 3 == 2
	f.AddChannel(Channel{ID: "10", GuildID: both, Name: "a"})
	f.AddChannel(Channel{ID: "11", GuildID: neither, Name: "b"})
	f.AddUser(User{ID: "20", Name: "Ana"})
	f.mu.Lock()
	f.commands[""] = []map[string]any{{"name": "help", "id": "5"}}
	f.mu.Unlock()
	dial(t, f).identify(0, &[2]int{0, 2})
	dial(t, f).identify(0, &[2]int{1, 3})
	if got := f.ShardsGot("INTERACTION_CREATE", f.Slash("20", "10", "help", "")); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("reached shards %v, want [0 1]: both formulas", got)
	}
	if got := f.ShardsGot("INTERACTION_CREATE", f.Slash("20", "11", "help", "")); len(got) != 0 {
		t.Errorf("reached shards %v, want none", got)
	}
}

// TestShardCloseCodes ensures an IDENTIFY Discord refuses is closed with
// its code: 4010 Invalid shard for a shard_id outside [0, num_shards),
// 4011 Sharding required when the session would handle more servers than
// one may (2500 at Discord; 1 here), 4004 for a bad token; and that GET
// /gateway/bot recommends the shard count.
func TestShardCloseCodes(t *testing.T) {
	f, _, _ := shardWorld(t)
	for _, sh := range [][2]int{{2, 2}, {-1, 2}, {0, 0}, {3, 1}} {
		if code := dial(t, f).refused(sh); code != CloseInvalidShard {
			t.Errorf("shard %v: closed with %d, want 4010", sh, code)
		}
	}
	c := dial(t, f)
	c.send(opIdentify, map[string]any{"token": "Bot wrong", "intents": 0})
	if _, err := c.read(); err == nil || !isClose(err, CloseAuthenticationFailed) {
		t.Errorf("bad token: %v, want close 4004", err)
	}
	if _, m, _ := call(t, f, "GET", "/gateway/bot", ""); m["shards"] != 1.0 || m["url"] == nil {
		t.Errorf("GET /gateway/bot with 2 servers: %v, want 1 shard", m)
	}

	f.SetMaxGuildsPerShard(1)
	if code := dial(t, f).refused([2]int{0, 1}); code != CloseShardingRequired {
		t.Errorf("2 servers on one session of at most 1: closed with %d, want 4011", code)
	}
	if _, m, _ := call(t, f, "GET", "/gateway/bot", ""); m["shards"] != 2.0 {
		t.Errorf("GET /gateway/bot: %v, want 2 shards", m)
	}
	if _, m, _ := call(t, f, "GET", "/gateway", ""); m["shards"] != nil || m["url"] == nil {
		t.Errorf("GET /gateway: %v, want only the url", m)
	}
	dial(t, f).identify(0, &[2]int{0, 2}) // one server each: accepted
	dial(t, f).identify(0, &[2]int{1, 2})
	f.SetRecommendedShards(16)
	if _, m, _ := call(t, f, "GET", "/gateway/bot", ""); m["shards"] != 16.0 {
		t.Errorf("GET /gateway/bot after SetRecommendedShards(16): %v", m)
	}
	if ids, _, _ := f.GatewayStats(); ids != 8 || len(f.Sessions()) != 2 {
		t.Errorf("%d IDENTIFYs, %d sessions; want 8 received, 2 started", ids, len(f.Sessions()))
	}
}

// TestShardResume ensures each session resumes on its own: shard 1's
// socket drops, an event of its server is kept and replayed on RESUME
// while shard 0 goes on undisturbed; a session closed with 1000 cannot be
// resumed, nor can one that never was.
func TestShardResume(t *testing.T) {
	f, _, _ := shardWorld(t)
	a, b := dial(t, f), dial(t, f)
	sa := sessionOf(a.identify(0, &[2]int{0, 2}))
	sb := sessionOf(b.identify(0, &[2]int{1, 2}))
	_, _, seq := b.next() // its GUILD_CREATE
	a.next()

	f.DropShard(1)
	f.waitGateway(func() bool { return !f.gw.sessions[1].connected() }, "shard 1's socket did not close")
	in1 := f.Slash("20", "11", "help", "") // while shard 1 is down
	in0 := f.Slash("20", "10", "help", "")
	if name, d, _ := a.next(); name != "INTERACTION_CREATE" || d["id"] != in0 {
		t.Errorf("shard 0 while shard 1 is down: %s %v", name, d["id"])
	}
	if ss := f.Sessions(); !ss[0].Connected || ss[1].Connected || ss[1].Ended {
		t.Errorf("after DropShard(1): %+v", ss)
	}

	b2 := dial(t, f)
	b2.send(opResume, map[string]any{"token": "Bot " + Token, "session_id": sb, "seq": seq})
	if name, d, _ := b2.next(); name != "INTERACTION_CREATE" || d["id"] != in1 {
		t.Errorf("replayed on resume: %s %v, want interaction %s", name, d["id"], in1)
	}
	if name, _, _ := b2.next(); name != "RESUMED" {
		t.Errorf("after the replay: %s, want RESUMED", name)
	}
	// The fake counts a connect just after writing RESUMED: wait for it.
	f.WaitShardConnects(1, 2)
	if f.ShardConnects(1) != 2 || f.ShardConnects(0) != 1 {
		t.Errorf("connects: shard 0 %d, shard 1 %d; want 1, 2", f.ShardConnects(0), f.ShardConnects(1))
	}

	// A clean close (1000) ends the session.
	a.ws.WriteMessage(websocketClose(1000))
	f.waitGateway(func() bool { return f.gw.sessions[0].ended }, "shard 0's session did not end")
	in0 = f.Slash("20", "10", "help", "")
	if got := f.SessionsGot("INTERACTION_CREATE", in0); len(got) != 0 {
		t.Errorf("an ended session got %+v", got)
	}
	for _, id := range []string{sa, "session-99"} {
		c := dial(t, f)
		c.send(opResume, map[string]any{"token": "Bot " + Token, "session_id": id, "seq": 1})
		if fr, err := c.read(); err != nil || fr.Op != opInvalidSession || string(fr.D) != "false" {
			t.Errorf("resume of %s: %+v %v, want INVALID_SESSION false", id, fr, err)
		}
	}
}
