package matrix

import (
	"context"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// TestThreadThroughTheBot answers a support request on Matrix: the
// facilitators' room gets the reference and the command; a facilitator
// answers there (a room of its own: the bot asks the group room's power
// levels), and the words reach only the member's DM with the bot, naming
// the facilitator; the member's !reply in the DM reaches the facilitators'
// room; another member's !reply naming the reference reaches nobody.
func TestThreadThroughTheBot(t *testing.T) {
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	fran := newPerson(t, "fran", false) // the facilitator
	alice := newPerson(t, "alice", false)
	bob := newPerson(t, "bob", false)
	clock := bot.NewManualClock(time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC))
	pb := startPeerbot(t, botConfig(botAcc, false), clock)

	room := fran.createRoom(false, map[id.UserID]int{me: 50}, me)
	fran.waitJoined(room, me)
	fran.invite(room, alice.acc.UserID)
	fran.invite(room, bob.acc.UserID)
	alice.waitJoined(room, me)
	bob.waitJoined(room, me)
	aliceDM := alice.dmFrom(me)
	alice.waitNotice(aliceDM, me, "Welcome")
	bobDM := bob.dmFrom(me)
	bob.waitNotice(bobDM, me, "Welcome")

	team := fran.createRoom(false, map[id.UserID]int{me: 50}, me)
	fran.waitJoined(team, me)
	waitFor(t, "the bot to see itself in the facilitators' room", func() bool {
		return pb.run.a.state.IsMembership(context.Background(), team, me, event.MembershipJoin)
	})
	fran.say(room, "!facilitators "+team.String())
	franDM := fran.dmFrom(me)
	fran.waitNotice(franDM, me, "now go to that channel")

	alice.say(aliceDM, "!support rough day")
	alice.waitNotice(aliceDM, me, "Your message reached the facilitators")
	req := fran.waitNotice(team, me, "Reference 1.")
	if body := msgOf(req).Body; !strings.Contains(body, "!reply 1 …") || !strings.Contains(body, "!done 1") {
		t.Errorf("the facilitators' message %q lacks the commands", body)
	}

	cmd := fran.say(team, "!reply 1 I'm here, alice. Want to talk tonight?")
	got := alice.waitNotice(aliceDM, me, "one of the facilitators, wrote to you privately through me")
	if body := msgOf(got).Body; !strings.Contains(body, "Want to talk tonight?") || !strings.Contains(body, "!reply") {
		t.Errorf("alice got %q", body)
	}
	sent := fran.waitNoticeAfter(franDM, me, "Sent to them privately (reference 1).", cmd)
	if body := msgOf(sent).Body; strings.Contains(body, "typed this in the group") {
		t.Errorf("an answer typed in the facilitators' room was called public: %q", body)
	}

	cmd = alice.say(aliceDM, "!reply yes, after eight")
	fran.waitNotice(team, me, "answered privately (reference 1).")
	alice.waitNoticeAfter(aliceDM, me, "Only the facilitators see it.", cmd)

	cmd = bob.say(bobDM, "!reply 1 what happened?")
	bob.waitNoticeAfter(bobDM, me, "There's no open conversation with the facilitators right now.", cmd)
	for _, m := range alice.timeline(aliceDM) {
		if strings.Contains(m.Body, "what happened") {
			t.Errorf("bob's words reached alice: %q", m.Body)
		}
	}
	for _, m := range alice.timeline(room) {
		if m.Sender == me && (strings.Contains(m.Body, "tonight") || strings.Contains(m.Body, "rough day") || strings.Contains(m.Body, "eight")) {
			t.Errorf("thread words in the group room: %q", m.Body)
		}
	}
}
