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

// pingCore answers !ping publicly and !secret privately; other commands,
// known to the core or not, get no answer.
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

	alice.say(room, "!backlog")
	fc2 := pingCore(&a)
	second := startBot(t, botConfig(botAcc, false), openDB(t, filepath.Join(t.TempDir(), "two.db")), fc2)
	a = second.a
	// A message sent before the first sync is done is backlog too: wait
	// until that sync was processed (its token saved).
	waitFor(t, "the second bot's first sync", func() bool {
		token, err := a.sync.LoadNextBatch(context.Background(), botAcc.UserID)
		return err == nil && token != ""
	})
	alice.say(room, "!fresh")
	fc2.waitEvent(t, "the fresh command", func(e bot.Event) bool { return e.Command.Name == "fresh" })
	if n := fc2.count(func(e bot.Event) bool { return e.Command.Name == "backlog" }); n != 0 {
		t.Errorf("the backlog command was handled %d times, want 0", n)
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
	err = a.Run(context.Background(), newFakeCore(nil))
	if err == nil || !strings.HasPrefix(err.Error(), "matrix.access_token:") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Run = %v, want one line starting with matrix.access_token:", err)
	}
}

// TestDeclinedDM ensures, with the real core, that when a member left
// their DM room a private answer is not sent anywhere: right after the
// command, which was removed from the room, the group gets one neutral
// note that names nobody, and no more however often it happens that day.
// The note's advice works: a direct chat the member opens is used.
func TestDeclinedDM(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	alice := newPerson(t, "alice", false)
	pb := startPeerbot(t, botConfig(botAcc, false), bot.NewManualClock(time.Now()))
	fran, room := groupWith(t, me, false, alice)
	dm := alice.dmFrom(me)
	alice.waitNotice(dm, me, "Welcome")
	if _, err := alice.cli.LeaveRoom(ctx, dm); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the bot to notice alice left her DM room", func() bool {
		_, declined, err := pb.run.a.t.dm(ctx, alice.acc.UserID)
		return err == nil && declined
	})

	first := alice.say(room, "!crisis")
	alice.waitEvent("the redaction of !crisis", func(e *event.Event) bool {
		return e.Type == event.EventRedaction && e.Redacts == first
	})
	note := alice.waitNoticeAfter(room, me, "I couldn't send some private replies just now", first)
	for _, name := range []string{alice.acc.UserID.Localpart(), alice.acc.UserID.String(), "alice"} {
		if body := msgOf(note).Body + msgOf(note).FormattedBody; strings.Contains(body, name) {
			t.Errorf("the note in the room names %q: %q", name, body)
		}
	}
	second := alice.say(room, "!crisis")
	alice.waitEvent("the redaction of the second !crisis", func(e *event.Event) bool {
		return e.Type == event.EventRedaction && e.Redacts == second
	})
	// Events of one room are handled in order: once the round is posted,
	// the second !crisis was answered.
	fran.say(room, "!round start 30 Marker")
	alice.waitNoticeAfter(room, me, "Check-in round: Marker", second)
	if n := len(alice.seen(func(e *event.Event) bool {
		return e.RoomID == room && e.Sender == me && strings.Contains(msgOf(e).Body, "private replies")
	})); n != 1 {
		t.Errorf("%d notes about private replies in the room, want 1", n)
	}
	for _, m := range alice.timeline(room) {
		for _, secret := range []string{"116 123", "Samaritans"} {
			if strings.Contains(m.Body, secret) {
				t.Errorf("%q reached the room: %q", secret, m.Body)
			}
		}
		if m.Sender == alice.acc.UserID && strings.Contains(m.Body, "!crisis") {
			t.Errorf("alice's !crisis stayed in the room: %q", m.Body)
		}
	}

	// "Start a direct chat with me and send !help": it works.
	resp, err := alice.cli.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "trusted_private_chat", IsDirect: true, Invite: []id.UserID{me}})
	if err != nil {
		t.Fatal(err)
	}
	alice.waitJoined(resp.RoomID, me)
	alice.say(resp.RoomID, "!help")
	alice.waitNotice(resp.RoomID, me, "!crisis")
	alice.say(room, "!crisis")
	alice.waitNotice(resp.RoomID, me, "116 123")
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

	elsewhere := fran.createRoom(false, nil) // the bot was never invited
	if _, err := a.FacilitatorsOnly(ctx, g, channelID(elsewhere)); !isPlace(err, bot.PlaceBotAbsent) {
		t.Errorf("FacilitatorsOnly of a room without the bot = %v, want PlaceBotAbsent", err)
	}
	team := fran.createRoom(false, map[id.UserID]int{botAcc.UserID: 50}, botAcc.UserID)
	fran.waitJoined(team, botAcc.UserID)
	waitFor(t, "the bot to see itself in the team room", func() bool {
		return a.state.IsMembership(ctx, team, botAcc.UserID, event.MembershipJoin)
	})
	ch, err := a.ResolveChannel(ctx, g, team.String())
	if err != nil || ch != channelID(team) {
		t.Fatalf("ResolveChannel = %q, %v; want the team room", ch, err)
	}
	if ok, err := a.FacilitatorsOnly(ctx, g, ch); !ok || err != nil {
		t.Fatalf("FacilitatorsOnly(team) = %v, %v; want true", ok, err)
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
	ok, err := a.FacilitatorsOnly(ctx, g, ch)
	var pe *bot.PlaceError
	if ok || !errors.As(err, &pe) || pe.Problem != bot.PlaceOthersCanRead || pe.Need != 50 ||
		len(pe.Names) != 1 || pe.Names[0] != alice.acc.UserID.Localpart() {
		t.Errorf("FacilitatorsOnly with a member inside = %v, %+v; want PlaceOthersCanRead naming alice, need 50", ok, err)
	}
	for ref, want := range map[string]bot.PlaceProblem{
		"#nowhere:localhost": bot.PlaceNotFound,
		"the team room":      bot.PlaceBadReference,
		"#team":              bot.PlaceBadReference,
		"!":                  bot.PlaceBadReference,
	} {
		if _, err := a.ResolveChannel(ctx, g, ref); !isPlace(err, want) {
			t.Errorf("ResolveChannel(%q) = %v, want problem %d", ref, err, want)
		}
	}
}

// isPlace reports whether err is a *bot.PlaceError with problem p.
func isPlace(err error, p bot.PlaceProblem) bool {
	var pe *bot.PlaceError
	return errors.As(err, &pe) && pe.Problem == p
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

// TestWithoutPower ensures, with the real core, that a bot without power
// in the room has the facilitators told privately what level it needs to
// pin, and, once, to remove private commands typed in the room; the
// command itself is still answered privately, and the answer to a private
// check-in left in the room says people there can see it.
func TestWithoutPower(t *testing.T) {
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	alice := newPerson(t, "alice", false)
	startPeerbot(t, botConfig(botAcc, false), bot.NewManualClock(time.Now()))
	fran := newPerson(t, "fran", false)
	room := fran.createRoom(false, nil, me) // the bot keeps power 0
	fran.waitJoined(room, me)
	fran.invite(room, alice.acc.UserID)
	alice.waitJoined(room, me)
	aliceDM := alice.dmFrom(me)
	alice.waitNotice(aliceDM, me, "Welcome")

	fran.say(room, "!agreement set Be kind.")
	franDM := fran.dmFrom(me)
	fran.waitNotice(franDM, me, "Saved as version 1")
	fran.say(room, "!agreement post")
	fran.waitNotice(room, me, "Our group agreement")
	pinNote := fran.waitNotice(franDM, me, "couldn't pin the agreement")
	if body := msgOf(pinNote).Body; !strings.Contains(body, "power level 50") {
		t.Errorf("pin note = %q, want it to name power level 50", body)
	}

	first := alice.say(room, "!crisis")
	alice.waitNoticeAfter(aliceDM, me, "116 123", first)
	fran.waitNotice(franDM, me, "couldn't remove it")
	second := alice.say(room, "!crisis")
	alice.waitNoticeAfter(aliceDM, me, "116 123", second)
	fran.say(room, "!round start 30 Last one")
	// Sync is ordered across rooms: once fran sees the round she has seen
	// every note sent before it.
	fran.waitNotice(room, me, "Check-in round: Last one")
	if n := len(fran.seen(func(e *event.Event) bool {
		return e.RoomID == franDM && strings.Contains(msgOf(e).Body, "couldn't remove it")
	})); n != 1 {
		t.Errorf("facilitator told %d times about redaction power, want once", n)
	}
	// A private check-in typed here stays visible, and the answer says so.
	nextAck := alice.expect(aliceDM, me, "Your words and colour went only to the facilitators")
	alice.say(room, "!checkin private red my words here")
	fran.waitNotice(franDM, me, "checked in privately")
	if body := msgOf(nextAck()).Body; !strings.Contains(body, "people there can see what you typed") || strings.Contains(body, "removed") {
		t.Errorf("answer to a private check-in left in the room = %q, want it to say people can see it", body)
	}
	if n := len(alice.seen(func(e *event.Event) bool { return e.Type == event.EventRedaction })); n != 0 {
		t.Errorf("%d redactions without power, want none", n)
	}
	for _, m := range alice.timeline(room) {
		if strings.Contains(m.Body, "couldn't") {
			t.Errorf("a note for facilitators reached the room: %q", m.Body)
		}
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
	if !ev.Private || ev.Group != "" || ev.Member.ID != memberID(alice.acc.UserID) || ev.Command.Text("words") != "I'd like to talk" {
		t.Errorf("event = %+v, want a private command from alice with its words and no group", ev)
	}
}

// TestUndecryptable ensures, with the real core, that a member whose
// message the bot cannot decrypt is asked privately, once per session, to
// send it again.
func TestUndecryptable(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	alice := newPerson(t, "alice", true)
	startPeerbot(t, botConfig(botAcc, true), bot.NewManualClock(time.Now()))
	_, room := groupWith(t, me, true, alice)
	dm := alice.dmFrom(me)
	alice.waitNotice(dm, me, "Welcome")

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
	alice.waitNotice(dm, me, "Could you send it again?")
	// A later command: once its answer is in, both were dealt with.
	later := alice.say(room, "!crisis")
	alice.waitNoticeAfter(dm, me, "116 123", later)
	if n := len(alice.seen(func(e *event.Event) bool {
		return e.RoomID == dm && strings.Contains(msgOf(e).Body, "send it again")
	})); n != 1 {
		t.Errorf("asked %d times to resend, want once", n)
	}
}
