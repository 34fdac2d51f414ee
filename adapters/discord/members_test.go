package discord

import (
	"strings"
	"testing"
)

// TestWelcomeMembers ensures that with welcome_members on, the bot asks
// for the members intent, a member who joins gets one welcome by DM with
// an "I agree" button that works from the DM, and a member with closed
// DMs costs one refused request and nothing else.
func TestWelcomeMembers(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.WelcomeMembers = true })
	if _, _, intents := h.f.snapshot(); intents != 3 {
		t.Errorf("intents %d, want guilds and members (3)", intents)
	}
	h.f.addUser(fakeUser{ID: "400000000000000020", Name: "Eli", Perms: permView | permSend})
	h.f.dispatch("GUILD_MEMBER_ADD", map[string]any{
		"guild_id": guildID, "user": h.f.userJSON("400000000000000020"), "roles": []any{},
		"joined_at": "2026-11-26T18:00:00Z", "nick": nil, "deaf": false, "mute": false,
	})
	h.f.waitFor("the welcome", func() bool {
		u := h.f.users["400000000000000020"]
		if u.dmChannelID == "" {
			return false
		}
		for _, m := range h.f.messages {
			if m.ChannelID == u.dmChannelID {
				return true
			}
		}
		return false
	})
	dm := h.dmChannel("400000000000000020")
	welcome := h.f.channelMessages(dm)
	if len(welcome) != 1 || !strings.Contains(welcome[0].Content, "Welcome, Eli") || !contains(buttonIDs(welcome[0]), "pb:agree") {
		t.Fatalf("welcome DMs: %+v", welcome)
	}
	in := h.click("400000000000000020", welcome[0].ID, "pb:agree")
	if msgs := h.ephemeral(in); len(msgs) != 1 || !strings.Contains(msgs[0], "Eli") {
		t.Errorf("agree from DM: %q", msgs)
	}

	h.f.addUser(fakeUser{ID: "400000000000000021", Name: "Flo", Perms: permView | permSend, DMsClosed: true})
	h.f.dispatch("GUILD_MEMBER_ADD", map[string]any{
		"guild_id": guildID, "user": h.f.userJSON("400000000000000021"), "roles": []any{},
		"joined_at": "2026-11-26T18:01:00Z", "nick": nil, "deaf": false, "mute": false,
	})
	h.f.waitFor("the refused welcome", func() bool {
		for _, r := range h.f.requests {
			if r.Status == 403 {
				return true
			}
		}
		return false
	})
	h.checkPayloads()
}
