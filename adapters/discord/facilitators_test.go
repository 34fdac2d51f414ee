package discord

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/rs/zerolog"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
)

// Issue #10, "Facilitators are exactly who the group says, now", on
// Discord: the cases of its "Why" through the fake, as members and
// facilitators see them.

// checkInPrivately has user check in privately with words and returns
// what they were told.
func (h *harness) checkInPrivately(user, words string) string {
	h.t.Helper()
	return h.said(h.slash(user, groupCh, "checkin", "", dt.O("private", true), dt.O("colour", "amber"), dt.O("words", words)))
}

// dmed reports whether words reached user by DM.
func (h *harness) dmed(user, words string) bool {
	for _, m := range h.dmsOf(user) {
		if strings.Contains(m, words) {
			return true
		}
	}
	return false
}

// onlyDMedTo asserts that words went nowhere but to the DMs of the users
// given (none: nowhere at all).
func (h *harness) onlyDMedTo(words string, users ...string) {
	h.t.Helper()
	h.wordsSentOnlyTo(words, func(r dt.Request) bool {
		for _, u := range users {
			if ch := h.f.DMChannel(u); ch != "" && strings.HasPrefix(r.Path, "/api/v9/channels/"+ch+"/") {
				return true
			}
		}
		return false
	})
}

// TestChannelModeratorIsNoFacilitator is the first case: Mo has
// Manage Messages as an overwrite in #general only. Discord shows him
// /facilitator there, but he cannot change the agreement, the schedules,
// the time zone or the crisis default, nor choose where facilitator
// messages go; and members' private words never go to him, however
// recently he acted.
func TestChannelModeratorIsNoFacilitator(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, facilitatorCommand, "round start")) // Fran is the facilitator to tell
	refusal := "That one is for facilitators, so I haven't changed anything."
	open := h.slash(mod, openCh, facilitatorCommand, "agreement set")
	if open.Response != 9 {
		t.Fatalf("/facilitator agreement set: response %d, want the modal Discord shows anyone it offers the command", open.Response)
	}
	if got := h.said(h.submit(mod, open.ID, "Mo's rules")); !strings.Contains(got, refusal) {
		t.Errorf("agreement set: Mo was told %q", got)
	}
	for _, try := range []struct {
		sub  string
		opts []dt.Opt
	}{
		{"agreement default", nil},
		{"agreement post", nil},
		{"schedule round", []dt.Opt{dt.O("days", "tue"), dt.O("time", "19:00")}},
		{"schedule remove", []dt.Opt{dt.O("number", 1)}},
		{"schedule list", nil},
		{"timezone", []dt.Opt{dt.O("zone", "Pacific/Auckland")}},
		{"crisis default", []dt.Opt{dt.O("country", "ie")}},
		{"facilitators", []dt.Opt{dt.O("channel", "here")}},
		{"round end", nil},
	} {
		if got := h.said(h.slash(mod, openCh, facilitatorCommand, try.sub, try.opts...)); !strings.Contains(got, refusal) {
			t.Errorf("/facilitator %s: Mo was told %q", try.sub, got)
		}
	}
	// Nothing changed, as members see it.
	if got := h.said(h.slash(ana, groupCh, "agreement", "show")); strings.Contains(got, "Mo's rules") {
		t.Errorf("the agreement changed: %q", got)
	}
	if got := h.said(h.slash(ana, groupCh, "timezone", "")); !strings.Contains(got, "time zone is UTC") {
		t.Errorf("the time zone changed: %q", got)
	}
	if got := h.said(h.slash(fac, groupCh, facilitatorCommand, "schedule list")); !strings.Contains(got, "No rounds are scheduled.") {
		t.Errorf("a schedule was added: %q", got)
	}
	if n := len(h.f.ChannelMessages(openCh)); n != 0 {
		t.Errorf("%d messages posted in #general", n)
	}

	// Mo acts last, as a member would; Ana's private words go to Fran.
	h.said(h.slash(mod, openCh, "help", ""))
	h.checkInPrivately(ana, "wordsforfran")
	if !h.dmed(fac, "wordsforfran") {
		t.Errorf("Fran did not get Ana's words: %q", h.dmsOf(fac))
	}
	h.onlyDMedTo("wordsforfran", fac)
	h.checkPayloads()
}

// TestStaleFacilitatorAfterLeaving ensures that once the facilitator who
// would be told has left the server (or was kicked or banned), a member's
// private words are not DMed to them: without the privileged members
// intent Discord does not tell the bot, and the core's re-check asks
// Discord (404 Unknown Member); with it, GUILD_MEMBER_REMOVE drops them at
// once.
func TestStaleFacilitatorAfterLeaving(t *testing.T) {
	for _, intent := range []bool{false, true} {
		name := "without the members intent"
		if intent {
			name = "with the members intent"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.WelcomeMembers = intent })
			h.ephemeral(h.slash(fac, groupCh, facilitatorCommand, "round start"))
			h.f.RemoveMember(guildID, fac)
			if intent {
				h.waitEvent("leave:" + fac)
			}
			h.checkInPrivately(ana, "afterfranleft")
			if h.dmed(fac, "afterfranleft") {
				t.Error("Ana's words were DMed to Fran, who left")
			}
			h.onlyDMedTo("afterfranleft")
			if !intent && len(h.f.RequestsTo("GET", `/guilds/`+guildID+`/members/`+fac+`$`)) == 0 {
				t.Error("the core did not ask Discord whether Fran is still a facilitator")
			}
		})
	}
}

// TestStaleFacilitatorAfterDemotion ensures that a facilitator whose role
// was taken away, or whose role lost its permission, gets no more private
// words once the core's minute-long cache of the answer has passed (with
// the members intent, at once; and the role changes of members who never
// acted as facilitators are not passed on).
func TestStaleFacilitatorAfterDemotion(t *testing.T) {
	demote := map[string]func(h *harness){
		"role removed": func(h *harness) { h.f.SetRoles(fac) },
		"role's permission removed": func(h *harness) {
			h.f.UpdateRole(guildID, roleFac, 0)
			waitUntil(h.t.(*testing.T), "the role update", func() bool {
				p, ok := h.a.guild(guildID).roles[roleFac]
				return ok && p == 0
			})
		},
	}
	for name, demote := range demote {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.ephemeral(h.slash(fac, groupCh, facilitatorCommand, "round start"))
			h.checkInPrivately(ana, "beforedemotion")
			if !h.dmed(fac, "beforedemotion") {
				t.Fatalf("Fran did not get Ana's words while a facilitator: %q", h.dmsOf(fac))
			}
			demote(h)
			h.clock.Advance(time.Minute + time.Second)
			h.checkInPrivately(ben, "afterdemotion")
			if h.dmed(fac, "afterdemotion") {
				t.Error("Ben's words were DMed to Fran after her demotion")
			}
			h.onlyDMedTo("afterdemotion")
		})
	}
	t.Run("with the members intent", func(t *testing.T) {
		h := newHarness(t, func(c *Config) { c.WelcomeMembers = true })
		h.ephemeral(h.slash(fac, groupCh, facilitatorCommand, "round start"))
		h.checkInPrivately(ana, "beforedemotion")
		h.f.SetRoles(fac)
		h.waitEvent("roles:" + fac)
		h.checkInPrivately(ben, "afterdemotion") // within the minute
		if h.dmed(fac, "afterdemotion") {
			t.Error("Ben's words were DMed to Fran after GUILD_MEMBER_UPDATE demoted her")
		}
		// Someone who never used the bot gets a role: the core hears
		// nothing, and keeps nothing about them.
		h.f.SetRoles(dee, roleOK)
		h.waitEvent("roles:" + dee)
		if _, err := h.st.Member(context.Background(), "discord:"+dee); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("the core stored Dee after a role change: %v", err)
		}
	})
}

// TestIsFacilitator ensures the re-check reads the member from Discord
// and decides by server-level rights: Fran (a facilitators' role) yes,
// even after a 429 (waited out); Ana and Mo (a channel's overwrite) no;
// someone who left, or another server, no, without an error.
func TestIsFacilitator(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	g := bot.GroupID("discord:" + guildID)
	h.f.Inject("GET", `/guilds/`+guildID+`/members/`+fac+`$`, 429, 1)
	for _, tc := range []struct {
		group bot.GroupID
		user  string
		want  bool
	}{
		{g, fac, true}, {g, ana, false}, {g, mod, false},
		{"discord:399999999999999999", fac, false}, {"matrix:!room", fac, false},
	} {
		got, err := h.a.IsFacilitator(ctx, tc.group, bot.MemberID("discord:"+tc.user))
		if err != nil || got != tc.want {
			t.Errorf("IsFacilitator(%s, %s) = %v, %v; want %v", tc.group, tc.user, got, err, tc.want)
		}
	}
	if reqs := h.f.RequestsTo("GET", `/guilds/`+guildID+`/members/`+fac+`$`); len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 200 {
		t.Errorf("requests for Fran: %+v; want a 429 waited out, then the answer", reqs)
	}
	h.f.RemoveMember(guildID, fac)
	if got, err := h.a.IsFacilitator(ctx, g, bot.MemberID("discord:"+fac)); got || err != nil {
		t.Errorf("after leaving: %v, %v; want false and no error", got, err)
	}
	if reqs := h.f.RequestsTo("GET", `/guilds/`+guildID+`/members/`+fac+`$`); reqs[len(reqs)-1].Status != 404 {
		t.Errorf("the last request for Fran: %+v, want 404", reqs[len(reqs)-1])
	}
}

// TestFacilitatorRule ensures who counts as a facilitator, from the roles'
// server-wide permissions alone: with facilitator_roles, holders of those
// roles only; otherwise the owner, and Manage Server, Manage Messages or
// Administrator from a role; nobody by permission when @everyone has one
// of those (everyone would be a facilitator).
func TestFacilitatorRule(t *testing.T) {
	const gid, owner, user = "1", "2", "3"
	roles := map[string]int64{
		gid: discordgo.PermissionViewChannel, "10": discordgo.PermissionManageMessages, "11": discordgo.PermissionManageGuild,
		"12": discordgo.PermissionAdministrator, "13": discordgo.PermissionKickMembers | discordgo.PermissionBanMembers, "14": 0,
	}
	everyoneMM := map[string]int64{gid: discordgo.PermissionManageMessages, "10": discordgo.PermissionManageMessages}
	for _, tc := range []struct {
		name       string
		configured []string
		roles      map[string]int64
		user       string
		has        []string
		want       bool
	}{
		{"a member", nil, roles, user, nil, false},
		{"Manage Messages", nil, roles, user, []string{"10"}, true},
		{"Manage Server", nil, roles, user, []string{"11"}, true},
		{"Administrator", nil, roles, user, []string{"12"}, true},
		{"kick and ban only", nil, roles, user, []string{"13", "14"}, false},
		{"a role not known", nil, roles, user, []string{"99"}, false},
		{"the owner", nil, roles, owner, nil, true},
		{"@everyone with Manage Messages", nil, everyoneMM, user, []string{"10"}, false},
		{"@everyone with Manage Messages, the owner", nil, everyoneMM, owner, nil, true},
		{"configured role", []string{"14"}, roles, user, []string{"14"}, true},
		{"configured, Manage Messages", []string{"14"}, roles, user, []string{"10"}, false},
		{"configured, the owner", []string{"14"}, roles, owner, nil, false},
		{"configured, Administrator", []string{"14"}, roles, user, []string{"12"}, false},
	} {
		a := &Adapter{cfg: Config{FacilitatorRoles: tc.configured}, log: zerolog.Nop()}
		if got := a.facilitator(guildInfo{owner: owner, roles: tc.roles}, gid, tc.user, tc.has); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestSpoofedNameShownWithHandle ensures a display name made to look like
// someone else's ("Fran" with a zero-width space, a bidi override and a
// line break) reaches the facilitators cleaned, and next to the member's
// real username and id, so they can tell who it is; the status shows it
// cleaned on one line.
func TestSpoofedNameShownWithHandle(t *testing.T) {
	h := newHarness(t)
	const eve = "400000000000000005"
	h.f.AddUser(dt.User{ID: eve, Name: "Fr\u200ban\u202e\nDana", Username: "eve_1"})
	h.ephemeral(h.slash(fac, groupCh, facilitatorCommand, "round start"))
	h.checkInPrivately(eve, "spooferwords")
	var copy string
	for _, m := range h.dmsOf(fac) {
		if strings.Contains(m, "spooferwords") {
			copy = m
		}
	}
	if !strings.HasPrefix(copy, "Fran Dana (eve\\_1, id "+eve+") checked in privately") {
		t.Errorf("the facilitator's copy: %q", copy)
	}
	for _, bad := range []string{"\u200b", "\u202e", "Fr\nan", "Dana\n"} {
		if strings.Contains(copy, bad) {
			t.Errorf("the copy keeps %q: %q", bad, copy)
		}
	}
	h.flush()
	status := h.lastMessage(groupCh).Content
	if !strings.Contains(status, "• Fran Dana: checked in") || strings.ContainsAny(status, "\u200b\u202e") {
		t.Errorf("status: %q", status)
	}

	// A nickname copying the facilitator's name is told apart by the
	// handle.
	h.f.AddUser(dt.User{ID: "400000000000000006", Name: "Zed", Username: "zed", Nick: "Fran"})
	h.checkInPrivately("400000000000000006", "nickwords")
	for _, m := range h.dmsOf(fac) {
		if strings.Contains(m, "nickwords") && !strings.HasPrefix(m, "Fran (zed, id 400000000000000006)") {
			t.Errorf("the copy of the nickname's check-in: %q", m)
		}
	}
}
