package matrix

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// openDM has cli create a direct chat inviting the bot and the others.
func openDM(t *testing.T, cli *mautrix.Client, invite ...id.UserID) id.RoomID {
	t.Helper()
	var resp *mautrix.RespCreateRoom
	err := retry(func() (err error) {
		resp, err = cli.CreateRoom(context.Background(), &mautrix.ReqCreateRoom{Preset: "trusted_private_chat", IsDirect: true, Invite: invite})
		return err
	})
	if err != nil {
		t.Fatalf("create direct chat: %v", err)
	}
	return resp.RoomID
}

// waitMembership waits until user's membership in room is want, as cli
// reads the room's state.
func waitMembership(t *testing.T, cli *mautrix.Client, room id.RoomID, user id.UserID, want event.Membership) {
	t.Helper()
	waitFor(t, user.String()+" "+string(want)+" in "+room.String(), func() bool {
		var m event.MemberEventContent
		err := cli.StateEvent(context.Background(), room, event.StateMember, user.String(), &m)
		return err == nil && m.Membership == want
	})
}

// TestDMInvites ensures a direct chat is accepted only from someone joined
// in a group room of the bot's, not from someone who left, was banned or is
// only invited; that a room is a member's direct chat only while nobody
// else is in it (the bot leaves it when a third person is invited, or was
// from the start); and that a private answer then goes to a new direct
// chat, never to the room the third person reads.
func TestDMInvites(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	alice, bob, carl := newPerson(t, "alice", false), newPerson(t, "bob", false), newPerson(t, "carl", false)
	var a *Adapter
	a = startBot(t, botConfig(botAcc, false), openDB(t, filepath.Join(t.TempDir(), "i.db")), pingCore(&a)).a
	fran, room := groupWith(t, me, false, alice, bob, carl)

	// dave is invited but never joins (a bare client, not a person).
	daveAcc := register(t, "dave")
	dave, err := mautrix.NewClient(hs.URL, daveAcc.UserID, daveAcc.Token)
	if err != nil {
		t.Fatal(err)
	}
	fran.invite(room, daveAcc.UserID)
	if _, err := bob.cli.LeaveRoom(ctx, room); err != nil {
		t.Fatal(err)
	}
	if _, err := fran.cli.BanUser(ctx, room, &mautrix.ReqBanUser{UserID: carl.acc.UserID}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the bot to see bob leave, carl banned and dave invited", func() bool {
		return a.state.IsMembership(ctx, room, bob.acc.UserID, event.MembershipLeave) &&
			a.state.IsMembership(ctx, room, carl.acc.UserID, event.MembershipBan) &&
			a.state.IsMembership(ctx, room, daveAcc.UserID, event.MembershipInvite)
	})
	for _, cli := range []*mautrix.Client{bob.cli, carl.cli, dave} {
		dm := openDM(t, cli, me)
		waitMembership(t, cli, dm, me, event.MembershipLeave)
		if u, _ := a.t.dmMember(ctx, dm); u != "" {
			t.Errorf("a direct chat from %s was recorded", cli.UserID)
		}
	}

	// A direct chat with a third person from the start is left.
	crowded := openDM(t, alice.cli, me, fran.acc.UserID)
	waitMembership(t, alice.cli, crowded, me, event.MembershipLeave)

	// alice's own direct chat works, until she invites bob into it.
	dm := openDM(t, alice.cli, me)
	alice.waitJoined(dm, me)
	alice.say(dm, "!secret")
	alice.waitNotice(dm, me, "only for you")
	alice.invite(dm, bob.acc.UserID)
	bob.waitJoined(dm, bob.acc.UserID)
	waitMembership(t, alice.cli, dm, me, event.MembershipLeave)
	if u, _ := a.t.dmMember(ctx, dm); u != "" {
		t.Errorf("the room with bob in it is still alice's direct chat")
	}
	if _, err := a.Deliver(ctx, bot.Reply{Visibility: bot.Private, To: memberID(alice.acc.UserID), Text: bot.T("second private answer")}); err != nil {
		t.Fatal(err)
	}
	fresh := alice.dmFrom(me)
	if fresh == dm {
		t.Fatal("the private answer went to the room bob is in")
	}
	alice.waitNotice(fresh, me, "second private answer")
	for _, m := range bob.timeline(dm) {
		if strings.Contains(m.Body, "second private answer") {
			t.Errorf("bob read alice's private answer: %q", m.Body)
		}
	}
}

// TestOpenRegistration ensures the bot refuses to start with the default
// allowed_inviters (its whole server) on a homeserver where anyone can
// register, naming the key; the test Dendrite's registration is open.
func TestOpenRegistration(t *testing.T) {
	acc := register(t, "peerbot")
	cfg := botConfig(acc, false)
	cfg.AllowedInviters = nil
	a, err := New(cfg, openDB(t, filepath.Join(t.TempDir(), "r.db")), testLogger())
	if err != nil {
		t.Fatal(err)
	}
	err = a.Run(context.Background(), newFakeCore(nil))
	if err == nil || !strings.HasPrefix(err.Error(), "matrix.allowed_inviters:") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Run = %v, want one line starting with matrix.allowed_inviters:", err)
	}
}

// TestRegistrationState ensures the homeserver's answer to an empty
// registration decides: open refuses the default inviters, closed and
// unknown start (unknown with a warning), and a listed inviter always
// starts.
func TestRegistrationState(t *testing.T) {
	for _, tt := range []struct {
		status int
		listed bool
		fails  bool
	}{
		{http.StatusUnauthorized, false, true},
		{http.StatusForbidden, false, false},
		{http.StatusNotFound, false, false},
		{http.StatusUnauthorized, true, false},
	} {
		var sawToken bool
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sawToken = sawToken || r.Header.Get("Authorization") != ""
			if r.URL.Path != "/_matrix/client/v3/register" || r.Method != http.MethodPost {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(tt.status)
			_, _ = w.Write([]byte(`{}`))
		}))
		cfg := Config{Homeserver: srv.URL, UserID: "@bot:example.org", AccessToken: "tok", PickleKey: "0123456789abcdef0123"}
		if tt.listed {
			cfg.AllowedInviters = []string{"@fran:example.org"}
		}
		a, err := New(cfg, openDB(t, filepath.Join(t.TempDir(), "s.db")), testLogger())
		if err != nil {
			t.Fatal(err)
		}
		err = a.checkInviters(context.Background())
		if (err != nil) != tt.fails || (err != nil && !strings.HasPrefix(err.Error(), "matrix.allowed_inviters:")) {
			t.Errorf("registration answered %d, inviters listed %v: checkInviters = %v, want failure %v", tt.status, tt.listed, err, tt.fails)
		}
		if sawToken {
			t.Error("the registration check sent the bot's access token")
		}
		srv.Close()
	}
}
