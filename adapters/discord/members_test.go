package discord

import (
	"fmt"
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
	if intents := h.f.Intents(); intents != 4099 {
		t.Errorf("intents %d, want guilds, members and direct messages (4099)", intents)
	}
	h.f.AddUser(dt.User{ID: "400000000000000020", Name: "Eli"})
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

	h.f.AddUser(dt.User{ID: "400000000000000021", Name: "Flo", DMsClosed: true})
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

// TestWelcomeUnreachable ensures that when new members' DMs are closed,
// each welcome costs one refused request, and the server's system channel
// (where Discord announces joins) gets at most one neutral note that names
// nobody and points to a DM with the bot: never a welcome, never a name,
// however many could not be reached.
func TestWelcomeUnreachable(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.WelcomeMembers = true })
	h.f.SetSystemChannel(guildID, openCh)
	waitUntil(t, "the system channel to be known", func() bool { return h.a.guild(guildID).systemChannel == openCh })
	joiners := map[string]string{"400000000000000021": "Flo", "400000000000000022": "Gus"}
	n := 0
	for id, name := range joiners {
		h.f.AddUser(dt.User{ID: id, Name: name, DMsClosed: true})
		h.f.Dispatch("GUILD_MEMBER_ADD", map[string]any{
			"guild_id": guildID, "user": h.f.UserJSON(id), "roles": []any{},
			"joined_at": fmt.Sprintf("2026-11-26T18:0%d:00Z", n), "nick": nil, "deaf": false, "mute": false,
		})
		n++
		h.waitEvent("join:" + id)
	}
	notes := h.f.ChannelMessages(openCh)
	if len(notes) != 1 {
		t.Fatalf("system channel: %+v; want one note", notes)
	}
	note := notes[0].Content
	for _, name := range joiners {
		if strings.Contains(note, name) {
			t.Errorf("the note names %s: %q", name, note)
		}
	}
	if strings.Contains(note, "Welcome") || !strings.Contains(note, "couldn't send some private replies") || !strings.Contains(note, "`/help`") {
		t.Errorf("note %q; want the neutral note pointing to a DM with /help, without the welcome", note)
	}
	if len(buttonIDs(notes[0])) != 0 {
		t.Errorf("the note has buttons %v", buttonIDs(notes[0]))
	}
	if got := refused(h.f); got != 2 {
		t.Errorf("%d refused requests, want the two welcomes", got)
	}
	h.checkPayloads()
}

// refused counts the requests the fake refused with 403 (closed DMs).
func refused(f *dt.Server) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Status == 403 {
			n++
		}
	}
	return n
}
