package matrix

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// pingCore answers !ping publicly and !secret privately.
func pingCore(a **Adapter) *fakeCore {
	fc := newFakeCore(nil)
	fc.answer = func(ctx context.Context, ev bot.Event) error {
		var r bot.Reply
		switch ev.Command.Name {
		case "ping":
			r = bot.Reply{Visibility: bot.Public, Group: ev.Group, Channel: ev.Channel, Text: bot.T("pong")}
		case "secret":
			r = bot.Reply{Visibility: bot.Private, Group: ev.Group, To: ev.Member.ID, Text: bot.T("only for you")}
		default:
			return nil
		}
		_, err := (*a).Deliver(ctx, r)
		return err
	}
	return fc
}

// groupWith makes a room owned by a new facilitator with the bot (power
// 50) and the given members joined, everyone having seen everyone join.
func groupWith(t *testing.T, botID id.UserID, enc bool, members ...*person) (*person, id.RoomID) {
	t.Helper()
	fran := newPerson(t, "fran", enc)
	room := fran.createRoom(enc, map[id.UserID]int{botID: 50}, botID)
	fran.waitJoined(room, botID)
	for _, m := range members {
		fran.invite(room, m.acc.UserID)
		m.waitJoined(room, botID)
	}
	return fran, room
}

// TestFirstSyncBacklog ensures a bot starting on a fresh store does not
// answer what was said before it started, and answers what comes after.
func TestFirstSyncBacklog(t *testing.T) {
	botAcc := register(t, "peerbot")
	alice := newPerson(t, "alice", false)
	var a *Adapter
	fc := pingCore(&a)
	first := startBot(t, botConfig(botAcc, false), openDB(t, filepath.Join(t.TempDir(), "one.db")), fc)
	a = first.a
	_, room := groupWith(t, botAcc.UserID, false, alice)
	first.stopBot(t)

	alice.say(room, "!ping backlog")
	fc2 := pingCore(&a)
	second := startBot(t, botConfig(botAcc, false), openDB(t, filepath.Join(t.TempDir(), "two.db")), fc2)
	a = second.a
	// The first sync is done once a later message gets through.
	alice.say(room, "!ping fresh")
	fc2.waitEvent(t, "the fresh ping", func(e bot.Event) bool { return e.Command.Raw == "fresh" })
	if n := fc2.count(func(e bot.Event) bool { return e.Command.Raw == "backlog" }); n != 0 {
		t.Errorf("the backlog ping was handled %d times, want 0", n)
	}
}

// TestBadToken ensures Run fails at once with one line naming the key when
// the homeserver rejects the access token.
func TestBadToken(t *testing.T) {
	acc := register(t, "peerbot")
	cfg := botConfig(acc, false)
	cfg.AccessToken = "not-a-token"
	a, err := New(cfg, openDB(t, filepath.Join(t.TempDir(), "b.db")), testLogger())
	if err != nil {
		t.Fatal(err)
	}
	err = a.run(context.Background(), newFakeCore(nil))
	if err == nil || !strings.HasPrefix(err.Error(), "matrix.access_token:") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Run = %v, want one line starting with matrix.access_token:", err)
	}
}

// TestDeclinedDM ensures that when a member left their DM room, a private
// reply is not sent anywhere: the group only hears that the bot could not
// reach them privately.
func TestDeclinedDM(t *testing.T) {
	botAcc := register(t, "peerbot")
	alice := newPerson(t, "alice", false)
	var a *Adapter
	fc := pingCore(&a)
	a = startBot(t, botConfig(botAcc, false), openDB(t, filepath.Join(t.TempDir(), "d.db")), fc).a
	_, room := groupWith(t, botAcc.UserID, false, alice)

	alice.say(room, "!secret")
	dm := alice.dmFrom(botAcc.UserID)
	alice.waitNotice(dm, botAcc.UserID, "only for you")
	if _, err := alice.cli.LeaveRoom(context.Background(), dm); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitLimit)
	for {
		_, declined, err := a.t.dm(context.Background(), alice.acc.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if declined {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the bot never noticed alice left her DM room")
		}
		time.Sleep(100 * time.Millisecond)
	}
	alice.say(room, "!secret")
	alice.waitNotice(room, botAcc.UserID, "couldn't reach")
	for _, m := range alice.timeline(room) {
		if strings.Contains(m.Body, "only for you") {
			t.Errorf("private content reached the room: %q", m.Body)
		}
	}
}

// TestFacilitatorsRoom ensures a facilitators' room is accepted only while
// everyone in it reaches the threshold, and that facilitator messages go
// there; without one they go by DM to each facilitator.
func TestFacilitatorsRoom(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	alice := newPerson(t, "alice", false)
	a := startBot(t, botConfig(botAcc, false), openDB(t, filepath.Join(t.TempDir(), "f.db")), newFakeCore(nil)).a
	fran, room := groupWith(t, botAcc.UserID, false, alice)
	g := groupID(room)

	// No facilitators' room yet: each facilitator gets a DM, members don't.
	if _, err := a.Deliver(ctx, bot.Reply{Visibility: bot.Facilitators, Group: g, Text: bot.T("for facilitators")}); err != nil {
		t.Fatal(err)
	}
	franDM := fran.dmFrom(botAcc.UserID)
	fran.waitNotice(franDM, botAcc.UserID, "for facilitators")

	team := fran.createRoom(false, map[id.UserID]int{botAcc.UserID: 50}, botAcc.UserID)
	fran.waitJoined(team, botAcc.UserID)
	waitFor(t, "the bot to see itself in the team room", func() bool {
		return a.state.IsMembership(ctx, team, botAcc.UserID, event.MembershipJoin)
	})
	ch, err := a.ResolveChannel(ctx, g, team.String())
	if err != nil || ch != channelID(team) {
		t.Fatalf("ResolveChannel = %q, %v; want the team room", ch, err)
	}
	if _, err := a.Deliver(ctx, bot.Reply{Visibility: bot.Facilitators, Group: g, Channel: ch, Text: bot.T("in the team room")}); err != nil {
		t.Fatal(err)
	}
	fran.waitNotice(team, botAcc.UserID, "in the team room")

	fran.invite(team, alice.acc.UserID)
	alice.waitJoined(team, botAcc.UserID)
	waitFor(t, "the bot to see alice in the team room", func() bool {
		return a.state.IsMembership(ctx, team, alice.acc.UserID, event.MembershipJoin)
	})
	_, err = a.ResolveChannel(ctx, g, team.String())
	var ue *bot.UserError
	if !errors.As(err, &ue) || !strings.Contains(ue.Text.String(), "not facilitators") {
		t.Errorf("ResolveChannel with a member inside = %v, want a refusal saying some are not facilitators", err)
	}
	if _, err := a.ResolveChannel(ctx, g, "#nowhere:localhost"); !errors.As(err, &ue) {
		t.Errorf("ResolveChannel of an unknown alias = %v, want a UserError", err)
	}
}

// waitFor polls cond until it holds, failing the test after waitLimit.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWithoutPower ensures that a bot without power in the room tells the
// facilitators privately what level it needs to pin, and, once, to remove
// private commands typed in the room; the command itself stays answered
// privately.
func TestWithoutPower(t *testing.T) {
	botAcc := register(t, "peerbot")
	alice := newPerson(t, "alice", false)
	var a *Adapter
	fc := pingCore(&a)
	inner := fc.answer
	fc.answer = func(ctx context.Context, ev bot.Event) error {
		if ev.Command.Name == "crisis" {
			_, err := a.Deliver(ctx, bot.Reply{Visibility: bot.Private, Group: ev.Group, To: ev.Member.ID, Text: bot.T("lines for you")})
			return err
		}
		if ev.Command.Name == "post" {
			_, err := a.Deliver(ctx, bot.Reply{Visibility: bot.Public, Group: ev.Group, Channel: ev.Channel, Text: bot.T("pin me"), Pin: true})
			return err
		}
		return inner(ctx, ev)
	}
	a = startBot(t, botConfig(botAcc, false), openDB(t, filepath.Join(t.TempDir(), "p.db")), fc).a
	fran := newPerson(t, "fran", false)
	room := fran.createRoom(false, nil, botAcc.UserID) // the bot keeps power 0
	fran.waitJoined(room, botAcc.UserID)
	fran.invite(room, alice.acc.UserID)
	alice.waitJoined(room, botAcc.UserID)

	fran.say(room, "!post")
	franDM := fran.dmFrom(botAcc.UserID)
	fran.waitNotice(franDM, botAcc.UserID, "couldn't pin the agreement")
	fran.waitNotice(franDM, botAcc.UserID, "power level 50")

	first := alice.say(room, "!crisis")
	alice.waitNotice(alice.dmFrom(botAcc.UserID), botAcc.UserID, "lines for you")
	fran.waitNotice(franDM, botAcc.UserID, "couldn't remove it")
	alice.say(room, "!crisis")
	fc.waitEvent(t, "the second !crisis", func(e bot.Event) bool {
		return e.Command.Name == "crisis" && e.ID != first.String()
	})
	alice.say(room, "!ping")
	alice.waitNotice(room, botAcc.UserID, "pong")
	// Sync is ordered across rooms: once fran sees the pong she has seen
	// every note sent before it.
	fran.waitNotice(room, botAcc.UserID, "pong")
	if n := len(fran.seen(func(e *event.Event) bool {
		return e.RoomID == franDM && strings.Contains(msgOf(e).Body, "couldn't remove it")
	})); n != 1 {
		t.Errorf("facilitator told %d times about redaction power, want once", n)
	}
	if n := len(alice.seen(func(e *event.Event) bool { return e.Type == event.EventRedaction })); n != 0 {
		t.Errorf("%d redactions without power, want none", n)
	}
}

// TestMemberOpensDM ensures a member of a group can open a direct chat with
// the bot, and that commands there are private and carry no group.
func TestMemberOpensDM(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	alice := newPerson(t, "alice", true)
	fc := newFakeCore(nil)
	startBot(t, botConfig(botAcc, true), openDB(t, filepath.Join(t.TempDir(), "m.db")), fc)
	groupWith(t, botAcc.UserID, true, alice)

	resp, err := alice.cli.CreateRoom(ctx, &mautrix.ReqCreateRoom{
		Preset: "trusted_private_chat", IsDirect: true, Invite: []id.UserID{botAcc.UserID},
		InitialState: []*event.Event{{Type: event.StateEncryption, Content: event.Content{Parsed: &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	alice.waitJoined(resp.RoomID, botAcc.UserID)
	alice.say(resp.RoomID, "!support I'd like to talk")
	ev := fc.waitEvent(t, "the DM command", func(e bot.Event) bool { return e.Command.Name == "support" })
	if !ev.Private || ev.Group != "" || ev.Member.ID != memberID(alice.acc.UserID) || ev.Command.Raw != "I'd like to talk" {
		t.Errorf("event = %+v, want a private command from alice with its words and no group", ev)
	}
}

// TestUndecryptable ensures a member whose message the bot cannot decrypt
// is asked privately, once, to send it again.
func TestUndecryptable(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	alice := newPerson(t, "alice", true)
	var a *Adapter
	fc := pingCore(&a)
	a = startBot(t, botConfig(botAcc, true), openDB(t, filepath.Join(t.TempDir(), "u.db")), fc).a
	_, room := groupWith(t, botAcc.UserID, true, alice)

	// An encrypted event from a Megolm session the bot never received.
	bogus := &event.EncryptedEventContent{
		Algorithm: id.AlgorithmMegolmV1, SenderKey: "c2VuZGVya2V5c2VuZGVya2V5c2VuZGVya2V5c2VuZGVy",
		SessionID:        "c2Vzc2lvbnNlc3Npb25zZXNzaW9uc2Vzc2lvbnNlc3Npbw",
		MegolmCiphertext: []byte("AwgAEhAbogusbogusbogusbogusbogusbogus"),
	}
	for range 2 {
		if _, err := alice.cli.SendMessageEvent(ctx, room, event.EventEncrypted, bogus, mautrix.ReqSendEvent{DontEncrypt: true}); err != nil {
			t.Fatal(err)
		}
	}
	dm := alice.dmFrom(botAcc.UserID)
	alice.waitNotice(dm, botAcc.UserID, "Could you send it again?")
	// A later message: once its answer is in, both were dealt with.
	alice.say(room, "!ping")
	alice.waitNotice(room, botAcc.UserID, "pong")
	if n := len(alice.seen(func(e *event.Event) bool {
		return e.RoomID == dm && strings.Contains(msgOf(e).Body, "send it again")
	})); n != 1 {
		t.Errorf("asked %d times to resend, want once", n)
	}
}
