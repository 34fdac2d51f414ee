package matrix

import (
	"context"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// setLevel sets user's power level in room, as p.
func (p *person) setLevel(room id.RoomID, user id.UserID, level int) {
	p.t.Helper()
	ctx := context.Background()
	err := retry(func() error {
		var pl event.PowerLevelsEventContent
		if err := p.cli.StateEvent(ctx, room, event.StatePowerLevels, "", &pl); err != nil {
			return err
		}
		pl.SetUserLevel(user, level)
		_, err := p.cli.SendStateEvent(ctx, room, event.StatePowerLevels, "", &pl)
		return err
	})
	if err != nil {
		p.t.Fatalf("set power level: %v", err)
	}
}

// waitWords waits for a message from the bot in room whose plain or
// formatted body holds words (a member's words sit behind a spoiler, so in
// the formatted body only).
func (p *person) waitWords(room id.RoomID, bot id.UserID, words string) *event.Event {
	p.t.Helper()
	return p.waitEvent("a message holding "+words, func(e *event.Event) bool {
		m := msgOf(e)
		return e.RoomID == room && e.Sender == bot && e.Type == event.EventMessage &&
			strings.Contains(m.Body+"\n"+m.FormattedBody, words)
	})
}

// dmHas reads p's DM room with the bot and reports whether any message in
// it holds words.
func (p *person) dmHas(dm id.RoomID, words string) bool {
	p.t.Helper()
	for _, m := range p.timeline(dm) {
		if strings.Contains(m.Body, words) {
			return true
		}
	}
	return false
}

// TestExactFacilitators ensures, with the real core, that private words
// reach exactly the room's facilitators now. In a room whose users_default
// reaches the kick level nobody is a facilitator, so nobody gets a member's
// private words. In a sound room a facilitator who is demoted, kicked or
// leaves gets no more of them (and a demoted fallback facilitator is
// dropped), while the others still do; and a member's spoofed display name
// (zero-width, bidi override, line break) reaches them cleaned, next to the
// member's real user id.
func TestExactFacilitators(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	pb := startPeerbot(t, botConfig(botAcc, false), bot.NewManualClock(time.Now()))
	a := pb.run.a
	fran := newPerson(t, "fran", false)

	// A room where everyone is a facilitator by default: nobody is one.
	ash := newPerson(t, "ash", false)
	flat := fran.createRoomWith(&event.PowerLevelsEventContent{UsersDefault: 50,
		Users: map[id.UserID]int{fran.acc.UserID: 100, me: 50}}, me)
	fran.waitJoined(flat, me)
	fran.invite(flat, ash.acc.UserID)
	ash.waitJoined(flat, me)
	ashDM := ash.dmFrom(me)
	ash.waitNotice(ashDM, me, "Welcome")
	for _, u := range []id.UserID{fran.acc.UserID, ash.acc.UserID} {
		if ok, err := a.IsFacilitator(ctx, groupID(flat), memberID(u)); ok || err != nil {
			t.Errorf("IsFacilitator(%s) in a room with users_default 50 = %v, %v; want false", u, ok, err)
		}
	}
	answered := ash.expect(ashDM, me, "")
	ash.say(ashDM, "!support ashwords please")
	answered()
	// The room's admins are told why, in the room, naming nobody.
	fran.waitNotice(flat, me, "Everyone in this room has, by default, the power level that makes someone a facilitator here")

	// A sound room: kick 50, users_default 0.
	dana, lee, max := newPerson(t, "dana", false), newPerson(t, "lee", false), newPerson(t, "max", false)
	kit := newPerson(t, "kit", false)
	spoofed := "d\u200bana\u202e\nforged line"
	if err := kit.cli.SetDisplayName(ctx, spoofed); err != nil {
		t.Fatal(err)
	}
	room := fran.createRoom(false, map[id.UserID]int{me: 50, dana.acc.UserID: 50, lee.acc.UserID: 50}, me)
	fran.waitJoined(room, me)
	g := groupID(room)
	dms := map[*person]id.RoomID{}
	for _, p := range []*person{dana, lee, max, kit} {
		fran.invite(room, p.acc.UserID)
		p.waitJoined(room, me)
		dms[p] = p.dmFrom(me)
		p.waitNotice(dms[p], me, "Welcome")
	}
	// Promoted: max is a facilitator now.
	fran.setLevel(room, max.acc.UserID, 50)
	waitFor(t, "the bot to see max promoted", func() bool {
		ok, err := a.IsFacilitator(ctx, g, memberID(max.acc.UserID))
		return err == nil && ok
	})
	// dana acts as facilitator: she becomes the group's fallback.
	dana.say(room, "!round start 60 Exact")
	kit.waitNotice(room, me, "Check-in round: Exact")
	waitFor(t, "dana to be the fallback facilitator", func() bool {
		grp, err := pb.st.Group(ctx, g)
		return err == nil && grp.LastFacilitator == memberID(dana.acc.UserID)
	})

	var franDM id.RoomID
	checkIn := func(words string, to ...*person) {
		t.Helper()
		kit.say(dms[kit], "!checkin private red "+words)
		if franDM == "" {
			franDM = fran.dmFrom(me)
		}
		fran.waitWords(franDM, me, words)
		for _, p := range to {
			p.waitWords(dms[p], me, words)
		}
	}
	checkIn("firstwords", dana, lee, max)
	got := fran.waitWords(franDM, me, "firstwords")
	body := strings.ReplaceAll(msgOf(got).Body, zwsp, "")
	if !strings.Contains(body, "dana forged line") || !strings.Contains(body, kit.acc.UserID.String()) {
		t.Errorf("facilitators' copy = %q, want the cleaned name and %s", body, kit.acc.UserID)
	}
	if strings.Contains(msgOf(got).Body, "d\u200bana") || strings.ContainsAny(body, "\u202e") || strings.Contains(body, "\nforged") {
		t.Errorf("facilitators' copy shows the spoofed name as it was: %q", msgOf(got).Body)
	}

	// Demoted: dana is no longer a facilitator, nor the fallback.
	fran.setLevel(room, dana.acc.UserID, 0)
	waitFor(t, "the core to drop dana as fallback facilitator", func() bool {
		grp, err := pb.st.Group(ctx, g)
		return err == nil && grp.LastFacilitator == ""
	})
	checkIn("secondwords", lee, max)

	// Kicked, and left.
	if _, err := fran.cli.KickUser(ctx, room, &mautrix.ReqKickUser{UserID: lee.acc.UserID}); err != nil {
		t.Fatal(err)
	}
	if _, err := max.cli.LeaveRoom(ctx, room); err != nil {
		t.Fatal(err)
	}
	for _, u := range []id.UserID{lee.acc.UserID, max.acc.UserID} {
		waitFor(t, "the bot to see "+u.String()+" gone", func() bool {
			ok, err := a.IsFacilitator(ctx, g, memberID(u))
			return err == nil && !ok
		})
	}
	checkIn("thirdwords")
	if ok, err := a.IsFacilitator(ctx, g, memberID(fran.acc.UserID)); !ok || err != nil {
		t.Errorf("IsFacilitator(fran) = %v, %v; want true", ok, err)
	}

	// The fallback path too: a reply naming dana gets nowhere now.
	if _, err := a.Deliver(ctx, bot.Reply{Visibility: bot.Facilitators, Group: groupID(flat), To: memberID(dana.acc.UserID), Text: bot.T("fallbackwords")}); err == nil {
		t.Error("a facilitators' reply in a room without facilitators was delivered to a fallback who is no facilitator there")
	}

	for _, c := range []struct {
		p     *person
		words []string
	}{
		{dana, []string{"secondwords", "thirdwords", "fallbackwords"}},
		{lee, []string{"thirdwords"}},
		{max, []string{"thirdwords"}},
		{fran, []string{"ashwords"}},
	} {
		dm := dms[c.p]
		if c.p == fran {
			dm = franDM
		}
		for _, w := range c.words {
			if c.p.dmHas(dm, w) {
				t.Errorf("%s got %q, which was not for them", c.p.acc.UserID, w)
			}
		}
	}
	for _, m := range ash.timeline(flat) {
		if strings.Contains(m.Body, "ashwords") && m.Sender == me {
			t.Errorf("ash's words reached the room: %q", m.Body)
		}
	}
}

// createRoomWith makes a group room owned by p with the given power levels
// and users invited.
func (p *person) createRoomWith(pl *event.PowerLevelsEventContent, invite ...id.UserID) id.RoomID {
	p.t.Helper()
	req := &mautrix.ReqCreateRoom{Preset: "private_chat", Name: "group", Invite: invite, PowerLevelOverride: pl}
	var resp *mautrix.RespCreateRoom
	if err := retry(func() (err error) { resp, err = p.cli.CreateRoom(context.Background(), req); return err }); err != nil {
		p.t.Fatalf("create room: %v", err)
	}
	return resp.RoomID
}
