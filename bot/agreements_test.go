package bot_test

import (
	"strings"
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// The agreement: the built-in template, a facilitator's new version, agreeing,
// being asked again after a change, who has agreed, restoring the default,
// posting with a pin, and refusals for non-facilitators.
func TestAgreementLifecycle(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true

	out := h.say("alice", "!agreement")
	mustHave(t, out, "group", "Our group agreement")
	mustHave(t, out, "group", "No graphic detail")
	mustHave(t, out, "group", "You can always pass.")
	mustHave(t, out, "group", "This group is not a crisis service. If you need help now, send !crisis to the bot privately")
	mustHave(t, out, "group", "(buttons: I agree)")

	out = h.say("alice", "!agree")
	mustHave(t, out, "dm alice", "Thank you, alice. You've agreed to the group agreement.")

	out = h.say("alice", "!agreement set We are kind.")
	mustHave(t, out, "dm alice", "That one is for facilitators")
	mustNot(t, out, "group", "We are kind")

	out = h.say("dana", "!agreement set")
	mustHave(t, out, "dm dana", "Please add the new agreement after the command")

	out = h.say("dana", "!agreement set We are kind.\nWhat is shared here stays here.\n<b>@room</b>")
	mustHave(t, out, "dm dana", "Saved as version 1.")
	mustHave(t, out, "group", "The group agreement has changed.")
	mustHave(t, out, "group", "We are kind.")
	mustHave(t, out, "group", "What is shared here stays here.")

	out = h.say("dana", "!agreement who")
	mustHave(t, out, "dm dana", "Agreement version 1.")
	mustHave(t, out, "dm dana", "Agreed (0): nobody")
	mustHave(t, out, "dm dana", "Not yet (2): alice, dana")
	mustNot(t, out, "group", "Agreed")

	h.say("alice", "!agree")
	out = h.say("dana", "!agreement who")
	mustHave(t, out, "dm dana", "Agreed (1): alice")
	mustHave(t, out, "dm dana", "Not yet (1): dana")

	out = h.say("bob", "!agreement who")
	mustHave(t, out, "dm bob", "That one is for facilitators")

	out = h.say("dana", "!agreement default")
	mustHave(t, out, "dm dana", "Saved as version 2.")
	mustHave(t, out, "group", "No graphic detail")
	out = h.say("dana", "!agreement who")
	mustHave(t, out, "dm dana", "Agreed (0): nobody")

	out = h.say("dana", "!agreement post")
	mustHave(t, out, "group", "Our group agreement (version 2)")
	if len(h.p.Pinned()) != 1 {
		t.Fatalf("want the posted agreement pinned once, got %v", h.p.Pinned())
	}
}

// The agreement text a facilitator writes reaches adapters as member text,
// so it can never turn into markup or mentions.
func TestAgreementTextIsUserText(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!agreement set <b>@room</b> [x](http://evil)")
	h.say("bob", "!agreement")
	all := h.p.Sent()
	ms := all[len(all)-1:]
	if ms[0].Reply.To != "" || ms[0].Reply.Visibility != bot.Public {
		t.Fatalf("want the agreement shown in the group, got %+v", ms[0].Reply)
	}
	found := false
	for _, s := range ms[0].Reply.Text {
		if strings.Contains(s.Text, "@room") {
			found = true
			if s.Style != bot.User {
				t.Fatalf("agreement text in style %d, want User", s.Style)
			}
		}
	}
	if !found {
		t.Fatal("agreement text missing")
	}
}

// A member who joins is welcomed privately with the agreement, once.
func TestJoinWelcome(t *testing.T) {
	h := newHarness(t)
	out := h.join("zoe")
	mustHave(t, out, "dm zoe", "Welcome, zoe. This is a peer-support group")
	mustHave(t, out, "dm zoe", "Our group agreement")
	mustHave(t, out, "dm zoe", "(buttons: I agree)")
	mustNot(t, out, "group", "zoe")
	if again := h.join("zoe"); again != "" {
		t.Fatalf("welcomed twice:\n%s", again)
	}
}
