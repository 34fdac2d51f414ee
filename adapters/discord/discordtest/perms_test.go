package discordtest

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// permsWorld is a server with a moderators' role, a member who holds it, a
// member who moderates one channel only (Manage Messages as a member
// overwrite there), and an administrator; a bot session without intents
// is connected (see dispatched).
func permsWorld(t *testing.T) *Server {
	f := newWorld(t)
	f.AddRole("1", Role{ID: "30", Name: "Mods", Perms: PermManageMessages})
	f.AddUser(User{ID: "21", Name: "Mo", Roles: []string{"30"}})
	f.AddUser(User{ID: "22", Name: "Chan"})
	f.AddUser(User{ID: "23", Name: "Ad", Perms: PermAdministrator})
	f.AddChannel(Channel{ID: "11", GuildID: "1", Name: "art", Overwrites: []Overwrite{{ID: "22", Type: 1, Allow: PermManageMessages}}})
	f.AddChannel(Channel{ID: "12", GuildID: "1", Name: "mods", HiddenFromEveryone: true, Overwrites: []Overwrite{{ID: "30", Type: 0, Allow: PermView}}})
	dial(t, f).identify(0, nil)
	return f
}

// dispatched returns the payloads of the dispatches name that the world's
// first session got.
func dispatched(f *Server, name string) []map[string]any {
	return received(f, f.Sessions()[0].ID, name)
}

// lastMember returns member.permissions and member.roles of the last
// INTERACTION_CREATE.
func lastMember(f *Server) (string, []any) {
	ins := dispatched(f, "INTERACTION_CREATE")
	m, _ := ins[len(ins)-1]["member"].(map[string]any)
	roles, _ := m["roles"].([]any)
	p, _ := m["permissions"].(string)
	return p, roles
}

// TestPermissionsAsDiscordComputes ensures member.permissions in an
// interaction are the member's permissions in that channel as Discord
// computes them: @everyone and roles, then the channel's overwrites (a
// member overwrite included), administrators everything; and that the
// roles listed are the member's, their own role (User.Perms) included.
func TestPermissionsAsDiscordComputes(t *testing.T) {
	f := permsWorld(t)
	f.mu.Lock()
	f.commands["1"] = []map[string]any{{"name": "help", "id": "5"}}
	f.mu.Unlock()
	member, mod := itoa(PermView|PermSend), itoa(PermView|PermSend|PermManageMessages)
	for _, tc := range []struct {
		user, channel, want string
	}{
		{"20", "10", member},
		{"22", "10", member},         // a channel moderator, elsewhere
		{"22", "11", mod},            // in the channel they moderate
		{"21", "10", mod},            // the moderators' role, server-wide
		{"21", "11", mod},            // not changed by Chan's overwrite
		{"21", "12", mod},            // the mods' channel, opened to their role
		{"20", "12", itoa(PermSend)}, // hidden from @everyone
		{"23", "12", itoa(PermAll)},  // an administrator
		{"23", "10", itoa(PermAll)},  // everywhere
	} {
		f.Slash(tc.user, tc.channel, "help", "")
		if got, _ := lastMember(f); got != tc.want {
			t.Errorf("%s in %s: permissions %s, want %s", tc.user, tc.channel, got, tc.want)
		}
	}
	f.Slash("23", "10", "help", "")
	if _, roles := lastMember(f); len(roles) != 1 {
		t.Errorf("the administrator's roles %v, want their own role", roles)
	}
	f.Slash("21", "10", "help", "")
	if _, roles := lastMember(f); !slices.Equal(roles, []any{"30"}) {
		t.Errorf("Mo's roles %v, want [30]", roles)
	}
}

// TestDefaultMemberPermissions ensures registration takes
// default_member_permissions as Discord does (null, or a decimal string;
// anything else is 400 Invalid Form Body naming the field), records it,
// and that a member who lacks those permissions in the channel is not
// offered the command and cannot run it (the bot gets nothing), while one
// who has them, an administrator, and anyone in a channel where an
// overwrite grants them, can.
func TestDefaultMemberPermissions(t *testing.T) {
	f := permsWorld(t)
	put := func(perm string) (int, map[string]any) {
		t.Helper()
		body := `[{"name":"fac","description":"d","default_member_permissions":` + perm + `,"contexts":[0]},{"name":"help","description":"d"}]`
		st, m, _ := call(t, f, "PUT", "/applications/"+AppID+"/guilds/1/commands", body)
		return st, m
	}
	for _, bad := range []string{`"abc"`, `"-8192"`, `8192`, `""`, `"0x2000"`, `true`} {
		st, m := put(bad)
		errs, _ := m["errors"].(map[string]any)
		first, _ := errs["0"].(map[string]any)
		if st != 400 || m["code"] != 50035.0 || first["default_member_permissions"] == nil {
			t.Errorf("default_member_permissions %s: %d %v, want 400 50035 naming the field", bad, st, m)
		}
	}
	if st, _ := put(`"8192"`); st != 200 {
		t.Fatalf("Manage Messages: %d", st)
	}
	c, ok := f.Command("1", "fac")
	if !ok || c.DefaultMemberPermissions == nil || *c.DefaultMemberPermissions != PermManageMessages || !slices.Equal(c.Contexts, []int{0}) {
		t.Errorf("recorded %+v", c)
	}
	if h, _ := f.Command("1", "help"); h.DefaultMemberPermissions != nil {
		t.Errorf("/help recorded with permissions %v, want none (everyone)", *h.DefaultMemberPermissions)
	}
	before := len(dispatched(f, "INTERACTION_CREATE"))
	for _, tc := range []struct {
		user, channel string
		offered       bool
	}{
		{"20", "10", false}, // a member
		{"22", "10", false}, // a channel moderator, elsewhere
		{"22", "11", true},  // a channel moderator, in their channel
		{"21", "10", true},  // a moderator
		{"23", "10", true},  // an administrator
	} {
		got := slices.Contains(f.Offered(tc.user, tc.channel), "fac")
		_, err := f.TrySlash(tc.user, tc.channel, "fac", "")
		if got != tc.offered || (err == nil) != tc.offered {
			t.Errorf("%s in %s: offered %v, run: %v; want offered %v", tc.user, tc.channel, got, err, tc.offered)
		}
		if err != nil && !errors.Is(err, ErrNotOffered) {
			t.Errorf("%s in %s: %v, want ErrNotOffered", tc.user, tc.channel, err)
		}
		if !slices.Contains(f.Offered(tc.user, tc.channel), "help") {
			t.Errorf("%s in %s: /help not offered", tc.user, tc.channel)
		}
	}
	if n := len(dispatched(f, "INTERACTION_CREATE")) - before; n != 3 {
		t.Errorf("%d interactions sent, want 3 (the refused ones never reach the bot)", n)
	}
	if st, _ := put(`"0"`); st != 200 {
		t.Fatal(`"0" refused`)
	}
	if _, err := f.TrySlash("21", "10", "fac", ""); err == nil {
		t.Error(`"0": a moderator may run it; Discord allows administrators only`)
	}
	if _, err := f.TrySlash("23", "10", "fac", ""); err != nil {
		t.Errorf(`"0": the administrator may not run it: %v`, err)
	}
	// Not in DMs: the commands are the server's, and /fac is for servers only.
	f.DM("20", "hi")
	if got := f.Offered("20", f.DMChannel("20")); len(got) != 0 {
		t.Errorf("offered in a DM: %v", got)
	}
}

// TestCommandShape ensures registration follows Discord's rules on
// subcommands and groups (not mixed with plain options; groups hold only
// subcommands and only at the top; unique names) and its 8000-character
// limit per command.
func TestCommandShape(t *testing.T) {
	f := newWorld(t)
	put := func(options string) int {
		t.Helper()
		st, _, _ := call(t, f, "PUT", "/applications/"+AppID+"/guilds/1/commands", `[{"name":"x","description":"d","options":`+options+`}]`)
		return st
	}
	sub := func(name, opts string) string {
		return `{"type":1,"name":"` + name + `","description":"d","options":[` + opts + `]}`
	}
	group := func(name, opts string) string {
		return `{"type":2,"name":"` + name + `","description":"d","options":[` + opts + `]}`
	}
	str := `{"type":3,"name":"s","description":"d"}`
	for options, want := range map[string]int{
		`[` + group("g", sub("a", str)+","+sub("b", "")) + `,` + sub("c", "") + `]`: 200,
		`[` + group("g", str) + `]`:                      400, // a group holds subcommands
		`[` + group("g", "") + `]`:                       400, // and at least one
		`[` + group("g", group("h", sub("a", ""))) + `]`: 400, // no group in a group
		`[` + sub("a", sub("b", "")) + `]`:               400, // no subcommand in a subcommand
		`[` + sub("a", "") + `,` + str + `]`:             400, // not mixed
		`[` + sub("a", "") + `,` + sub("a", "") + `]`:    400, // unique names
	} {
		if st := put(options); st != want {
			t.Errorf("options %s: %d, want %d", options, st, want)
		}
	}
	long := strings.Repeat("d", 100)
	var subs []string
	for i := range 25 {
		var opts []string
		for j := range 3 {
			opts = append(opts, `{"type":3,"name":"o`+itoa(int64(j))+`","description":"`+long+`"}`)
		}
		subs = append(subs, `{"type":1,"name":"s`+itoa(int64(i))+`","description":"`+long+`","options":[`+strings.Join(opts, ",")+`]}`)
	}
	if st := put(`[` + strings.Join(subs, ",") + `]`); st != 400 {
		t.Errorf("a command of about 10000 characters: %d, want 400", st)
	}
}

// TestMemberRoute ensures GET /guilds/{g}/members/{u} answers with
// Discord's member object, and with 404 Unknown Member (10007) once the
// member has left; GUILD_MEMBER_REMOVE reaches the bot only with the
// server members intent.
func TestMemberRoute(t *testing.T) {
	f := permsWorld(t)
	without := f.Sessions()[0].ID
	with := sessionOf(dial(t, f).identify(intentGuildMembers, nil))
	f.AddUser(User{ID: "24", Name: "D\u200bana", Username: "dana_99", Nick: "Dee"})
	st, m, _ := call(t, f, "GET", "/guilds/1/members/21", "")
	user, _ := m["user"].(map[string]any)
	if st != 200 || user["id"] != "21" || user["username"] != "mo" || !slices.Equal(m["roles"].([]any), []any{"30"}) || m["permissions"] != nil {
		t.Errorf("member: %d %v", st, m)
	}
	st, m, _ = call(t, f, "GET", "/guilds/1/members/24", "")
	user, _ = m["user"].(map[string]any)
	if st != 200 || m["nick"] != "Dee" || user["username"] != "dana_99" || user["global_name"] != "D\u200bana" {
		t.Errorf("member with nick: %d %v", st, m)
	}
	f.RemoveMember("1", "21")
	if st, m, _ := call(t, f, "GET", "/guilds/1/members/21", ""); st != 404 || m["code"] != 10007.0 {
		t.Errorf("after leaving: %d %v, want 404 10007", st, m)
	}
	if st, m, _ := call(t, f, "GET", "/guilds/9/members/20", ""); st != 404 || m["code"] != 10004.0 {
		t.Errorf("unknown guild: %d %v", st, m)
	}
	if got := received(f, without, "GUILD_MEMBER_REMOVE"); len(got) != 0 {
		t.Errorf("GUILD_MEMBER_REMOVE sent without the members intent: %v", got)
	}
	if got := received(f, with, "GUILD_MEMBER_REMOVE"); len(got) != 1 || got[0]["guild_id"] != "1" {
		t.Errorf("GUILD_MEMBER_REMOVE with the members intent: %v", got)
	}
	st, g, _ := call(t, f, "GET", "/guilds/1", "")
	if roles, _ := g["roles"].([]any); st != 200 || g["owner_id"] != ownerID || len(roles) != 3 {
		t.Errorf("guild: %d %v; want the owner and @everyone, Mods and Ad's own role", st, g)
	}
}
