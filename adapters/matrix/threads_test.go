package matrix

import (
	"strings"
	"testing"
)

// TestThreadThroughTheBot answers a support request on Matrix: the
// facilitators' room gets the reference and the command; a facilitator
// answers there (a room of its own: the bot asks the group room's power
// levels), and the words reach only the member's DM with the bot, naming
// the facilitator; the member's !reply in the DM reaches the facilitators'
// room; another member's !reply naming the reference reaches nobody.
func TestThreadThroughTheBot(t *testing.T) {
	g := newFacilitatedGroup(t)
	me, fran, alice, bob := g.me, g.fran, g.alice, g.bob
	room, team, aliceDM, bobDM, franDM := g.room, g.team, g.aliceDM, g.bobDM, g.franDM

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
