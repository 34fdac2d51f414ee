package discord

import (
	"strings"
	"testing"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

// TestWelcomeMembers ensures that with welcome_members on, the bot asks
// for the members intent, a member who joins gets one welcome by DM with
// an "I agree" button that works from the DM for that server (granting
// the agreed role there), and a member with closed
// DMs costs one refused request and nothing else.
func TestWelcomeMembers(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.WelcomeMembers, c.AgreedRole = true, roleOK })
	if intents := h.f.Intents(); intents != 3 {
		t.Errorf("intents %d, want guilds and members (3)", intents)
	}
	h.f.AddUser(dt.User{ID: "400000000000000020", Name: "Eli", Perms: dt.PermView | dt.PermSend})
	h.f.Dispatch("GUILD_MEMBER_ADD", map[string]any{
		"guild_id": guildID, "user": h.f.UserJSON("400000000000000020"), "roles": []any{},
		"joined_at": "2026-11-26T18:00:00Z", "nick": nil, "deaf": false, "mute": false,
	})
	h.f.WaitFor("the welcome", func() bool {
		dm := h.f.DMChannel("400000000000000020")
		return dm != "" && len(h.f.ChannelMessages(dm)) > 0
	})
	dm := h.f.DMChannel("400000000000000020")
	welcome := h.f.ChannelMessages(dm)
	if len(welcome) != 1 || !strings.Contains(welcome[0].Content, "Welcome, Eli") || !contains(buttonIDs(welcome[0]), "pbg:"+guildID+":agree") {
		t.Fatalf("welcome DMs: %+v", welcome)
	}
	in := h.click("400000000000000020", welcome[0].ID, "pbg:"+guildID+":agree")
	if msgs := h.ephemeral(in); len(msgs) != 1 || !strings.Contains(msgs[0], "Eli") {
		t.Errorf("agree from DM: %q", msgs)
	}
	if adds := h.f.RoleAdds(); len(adds) != 1 || adds[0] != (dt.RoleAdd{Guild: guildID, User: "400000000000000020", Role: roleOK}) {
		t.Errorf("role adds after agreeing from the DM: %+v", adds)
	}

	h.f.AddUser(dt.User{ID: "400000000000000021", Name: "Flo", Perms: dt.PermView | dt.PermSend, DMsClosed: true})
	h.f.Dispatch("GUILD_MEMBER_ADD", map[string]any{
		"guild_id": guildID, "user": h.f.UserJSON("400000000000000021"), "roles": []any{},
		"joined_at": "2026-11-26T18:01:00Z", "nick": nil, "deaf": false, "mute": false,
	})
	h.f.WaitFor("the refused welcome", func() bool {
		for _, r := range h.f.Requests() {
			if r.Status == 403 {
				return true
			}
		}
		return false
	})
	h.checkPayloads()
}

// TestWelcomeUnreachable ensures that when a new member's DMs are closed,
// the welcome costs one refused request, and the core's note that they
// could not be reached (never the welcome itself) appears in the server's
// system channel, where Discord announces joins.
func TestWelcomeUnreachable(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.WelcomeMembers = true })
	h.f.SetSystemChannel(guildID, openCh)
	waitUntil(t, "the system channel to be known", func() bool { return h.a.guild(guildID).systemChannel == openCh })
	h.f.AddUser(dt.User{ID: "400000000000000021", Name: "Flo", Perms: dt.PermView | dt.PermSend, DMsClosed: true})
	h.f.Dispatch("GUILD_MEMBER_ADD", map[string]any{
		"guild_id": guildID, "user": h.f.UserJSON("400000000000000021"), "roles": []any{},
		"joined_at": "2026-11-26T18:01:00Z", "nick": nil, "deaf": false, "mute": false,
	})
	h.f.WaitFor("the note in the system channel", func() bool { return len(h.f.ChannelMessages(openCh)) > 0 })
	notes := h.f.ChannelMessages(openCh)
	if len(notes) != 1 || !strings.Contains(notes[0].Content, "Flo") || strings.Contains(notes[0].Content, "Welcome") {
		t.Errorf("system channel: %+v; want one note naming Flo, without the welcome", notes)
	}
	refused := 0
	for _, r := range h.f.Requests() {
		if r.Status == 403 {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("%d refused requests, want the one welcome", refused)
	}
	h.checkPayloads()
}
