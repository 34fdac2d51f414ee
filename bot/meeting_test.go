package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// A whole meeting: a round with green, amber, red, pass, private and late
// check-ins; one status message edited in place; the summary on time.
func TestMeetingRound(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true

	out := h.say("dana", "!round start 45 One word for how you're arriving")
	mustHave(t, out, "group", "Check-in round: One word for how you're arriving")
	mustHave(t, out, "group", "Open until 18:45 (Europe/London)")
	mustHave(t, out, "group", "(buttons: Green · Amber · Red · Pass · Add words)")

	out = h.say("alice", "!checkin green had a good week")
	mustHave(t, out, "dm alice", "Thanks, alice. Your check-in is in: 🟢 green.")
	mustHave(t, out, "group edit", "• alice: 🟢 green")

	out = h.say("bob", "!checkin a")
	mustHave(t, out, "group edit", "• bob: 🟠 amber")

	out = h.say("erin", "!checkin a bit tired but here")
	mustHave(t, out, "group edit", "• erin: checked in")

	out = h.say("frank", "!pass")
	mustHave(t, out, "dm frank", "You've passed. That's always fine.")
	mustHave(t, out, "group edit", "• frank: passed")

	out = h.join("carol")
	mustHave(t, out, "dm carol", "Welcome, carol.")
	out = h.dm("carol", "!checkin private red my secret words")
	mustHave(t, out, "facilitators", "carol checked in privately: 🔴 red. They were shown crisis lines.")
	mustHave(t, out, "facilitators", "my secret words")
	mustHave(t, out, "dm carol", "Your words and colour went only to the facilitators.")
	mustHave(t, out, "dm carol", "Samaritans: 116 123")
	mustHave(t, out, "dm carol", "(buttons: Let a facilitator know · I'm feeling a bit safer now)")
	mustHave(t, out, "group edit", "• carol: checked in")
	mustNot(t, out, "group edit", "carol: 🔴")

	out = h.say("alice", "!checkin amber actually")
	mustHave(t, out, "dm alice", "I've updated your check-in: 🟠 amber.")
	mustHave(t, out, "group edit", "• alice: 🟠 amber")

	out = h.advance(44 * time.Minute)
	if out != "" {
		t.Fatalf("round closed early:\n%s", out)
	}
	out = h.advance(time.Minute)
	mustHave(t, out, "group edit", "This round has closed.")
	mustHave(t, out, "group", "The round has closed. 4 people checked in, 1 passed.")
	mustHave(t, out, "group", "🟢 green 0 · 🟠 amber 2 · 🔴 red 0 · no colour 1 · privately 1")

	out = h.say("gina", "!checkin green")
	mustHave(t, out, "dm gina", "This round has closed, so I haven't saved that.")
	if out2 := h.advance(time.Hour); out2 != "" {
		t.Fatalf("closed round closed again:\n%s", out2)
	}

	// Nothing private ever reached the group channel.
	all := h.p.Sent()
	pub := publicLines(all)
	for _, secret := range []string{"my secret words", "had a good week", "Samaritans"} {
		if strings.Contains(pub, secret) {
			t.Fatalf("%q reached the group channel:\n%s", secret, pub)
		}
	}
	// Exactly one status message: every status delivery after the first is
	// an edit of it.
	var edits, statusPosts int
	for _, m := range all {
		if strings.Contains(m.Reply.Key, "/status") {
			if m.Reply.Edit == "" {
				statusPosts++
			} else {
				edits++
			}
		}
	}
	if statusPosts != 1 || edits != 7 {
		t.Fatalf("want 1 status message and 7 edits of it, got %d and %d", statusPosts, edits)
	}
}

// One open round per channel; minutes out of range are refused and change
// nothing; only facilitators start rounds.
func TestRoundStartRules(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	for _, bad := range []string{"0", "1441", "-5", "1.5", "abc"} {
		out := h.say("dana", "!round start "+bad+" Prompt")
		if bad == "abc" {
			mustHave(t, out, "group", "Check-in round: abc Prompt")
			h.say("dana", "!round end")
			continue
		}
		mustHave(t, out, "dm dana", "A round can be open from 1 to 1440 minutes")
		mustNot(t, out, "group", "Check-in round")
	}
	out := h.say("alice", "!round start")
	mustHave(t, out, "dm alice", "That one is for facilitators, so I haven't changed anything.")
	mustNot(t, out, "group", "Check-in round")

	out = h.say("dana", "!checkin start")
	mustHave(t, out, "group", "Check-in round: How are you arriving today?")
	mustHave(t, out, "group", "Open until 18:30")
	out = h.say("dana", "!round start 10")
	mustHave(t, out, "dm dana", "A round is already open here")
	mustNot(t, out, "group", "Check-in round")
	out = h.say("dana", "!checkin end")
	mustHave(t, out, "group", "The round has closed. 0 people checked in, 0 passed.")
	out = h.say("dana", "!round end")
	mustHave(t, out, "dm dana", "There's no round open here to end.")
}

// Words beyond 500 characters get a kind error and nothing is stored.
func TestCheckInWordsLimit(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	out := h.say("alice", "!checkin amber "+strings.Repeat("x", 501))
	mustHave(t, out, "dm alice", "Words can be up to 500 characters, and these are 501.")
	mustNot(t, out, "group edit", "alice")
	out = h.say("alice", "!checkin amber "+strings.Repeat("y", 500))
	mustHave(t, out, "group edit", "• alice: 🟠 amber")
}

// A restarted bot (same database file) still accepts check-ins into the
// open round, edits the same status message and closes the round on time.
func TestRestartMidRound(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start 30")
	h.say("alice", "!checkin green")
	h.restart()
	out := h.say("bob", "!checkin red")
	mustHave(t, out, "group edit", "• alice: 🟢 green")
	mustHave(t, out, "group edit", "• bob: 🔴 red")
	h.restart()
	out = h.advance(31 * time.Minute)
	mustHave(t, out, "group", "The round has closed. 2 people checked in, 0 passed.")
}

// A redelivered event (same platform id) is not answered twice.
func TestRedeliveredEventIgnored(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	ev := h.event("alice", "!checkin green", false)
	first := h.handle(ev)
	mustHave(t, first, "dm alice", "Your check-in is in")
	h.restart()
	if again := h.handle(ev); again != "" {
		t.Fatalf("redelivered event answered again:\n%s", again)
	}
	bad := h.event("alice", "!round start", false)
	mustHave(t, h.handle(bad), "dm alice", "for facilitators")
	if again := h.handle(bad); again != "" {
		t.Fatalf("redelivered refused event answered again:\n%s", again)
	}
}

// Private ways in: a member in two groups is asked which one, and !group
// picks it.
func TestPrivateCommandInSeveralGroups(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!agreement") // dana is the facilitator the platform can reach
	h.say("alice", "!help")
	ev := h.event("alice", "!help", false)
	ev.Group, ev.Channel = "test:other", "test:other"
	h.handle(ev)
	out := h.dm("alice", "!support I'd like to talk")
	mustHave(t, out, "dm alice", "You're in more than one group. Which one do you mean?")
	mustHave(t, out, "dm alice", "1. test:group")
	mustNot(t, out, "facilitators", "talk")
	out = h.dm("alice", "!group 1")
	mustHave(t, out, "dm alice", "Commands you send me privately now act on test:group.")
	out = h.dm("alice", "!support I'd like to talk")
	mustHave(t, out, "facilitators", "alice would like someone to reach out to them.")
	mustHave(t, out, "facilitators", "I'd like to talk")
	mustHave(t, out, "dm alice", "Your message reached the facilitators")
	// Rate limit: a second request within ten minutes is not passed on again.
	out = h.dm("alice", "!support")
	mustHave(t, out, "dm alice", "Your request reached the facilitators a few minutes ago")
	mustHave(t, out, "dm alice", "Samaritans: 116 123")
	mustNot(t, out, "facilitators", "alice")
	h.clock.Advance(11 * time.Minute)
	out = h.dm("alice", "!support")
	mustHave(t, out, "facilitators", "alice would like someone to reach out to them.")
}

// With debounced status edits (Matrix, Discord), many check-ins cost one
// edit per delay, carrying the latest state; closing posts the final state
// at once.
func TestDebouncedStatus(t *testing.T) {
	h := newHarness(t)
	h.delay = 3 * time.Second
	h.start()
	h.facil["dana"] = true
	out := h.say("dana", "!round start")
	mustHave(t, out, "group", "Check-in round")
	for _, n := range []string{"amy", "ben", "cat"} {
		out = h.say(n, "!checkin green")
		mustHave(t, out, "dm "+n, "Your check-in is in")
		mustNot(t, out, "group edit", "")
	}
	out = h.advance(time.Second)
	edits := lines(out, "group edit")
	if len(edits) == 0 || !has(out, "group edit", "• cat: 🟢 green") || !has(out, "group edit", "• amy: 🟢 green") {
		t.Fatalf("want one edit with all three check-ins, got:\n%s", out)
	}
	out = h.say("dan", "!checkin amber")
	out += h.advance(time.Second)
	mustNot(t, out, "group edit", "dan")
	out = h.advance(2 * time.Second)
	mustHave(t, out, "group edit", "• dan: 🟠 amber")
	h.say("eve", "!pass")
	out = h.say("dana", "!round end")
	mustHave(t, out, "group edit", "• eve: passed")
	mustHave(t, out, "group", "The round has closed. 4 people checked in, 1 passed.")
	if out = h.advance(10 * time.Second); out != "" {
		t.Fatalf("edit after the round closed:\n%s", out)
	}
}

// A redelivered private message the bot had to answer with a question
// (which group?) is not answered again.
func TestRedeliveredQuestionIgnored(t *testing.T) {
	h := newHarness(t)
	h.say("alice", "!help")
	other := h.event("alice", "!help", false)
	other.Group, other.Channel = "test:other", "test:other"
	h.handle(other)
	ev := h.event("alice", "!support", true)
	mustHave(t, h.handle(ev), "dm alice", "Which one do you mean?")
	h.restart()
	if again := h.handle(ev); again != "" {
		t.Fatalf("redelivered question answered again:\n%s", again)
	}
}

// Check-in words that start with "start" or "end" are a check-in, not the
// round commands (a facilitator's "end of my tether" must not close the
// round for everyone).
func TestCheckInWordsStartOrEnd(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	out := h.say("kit", "!checkin end of a long week")
	mustHave(t, out, "dm kit", "Your check-in is in.")
	out = h.say("dana", "!checkin end of my tether honestly")
	mustHave(t, out, "dm dana", "Your check-in is in.")
	mustNot(t, out, "group", "The round has closed")
	out = h.say("dana", "!checkin start of a better week")
	mustHave(t, out, "dm dana", "I've updated your check-in.")
	mustNot(t, out, "group", "Check-in round: of a better week")
	out = h.say("dana", "!checkin end")
	mustHave(t, out, "group", "The round has closed. 2 people checked in, 0 passed.")
	out = h.say("dana", "!checkin start 20 Welcome back")
	mustHave(t, out, "group", "Check-in round: Welcome back")
}

// When facilitator messages cannot be delivered (no facilitators' place and
// nobody the platform can name), the member is told so plainly, never that
// their words arrived; a support request can then be made again at once.
func TestFacilitatorsUnreachable(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	h.p.NoFacilitators = true
	out := h.say("kit", "!checkin private amber rough week")
	mustHave(t, out, "dm kit", "Your check-in is in: 🟠 amber. I couldn't reach the facilitators just now, so your words haven't reached them.")
	mustNot(t, out, "dm kit", "went only to the facilitators")
	out = h.dm("kit", "!support")
	mustHave(t, out, "dm kit", "I'm sorry, I couldn't reach the facilitators just now, so this didn't get through.")
	mustHave(t, out, "dm kit", "Samaritans")
	mustNot(t, out, "dm kit", "reached the facilitators")
	h.p.NoFacilitators = false
	out = h.dm("kit", "!support")
	mustHave(t, out, "facilitators", "kit would like someone to reach out to them.")
	mustHave(t, out, "dm kit", "Your message reached the facilitators")
}

// A check-in into a round whose time ran out before the clock ticked (a
// message that waited while the bot was down) is not stored: the round is
// closed then and there.
func TestCheckInAfterClosingTime(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start 30")
	h.say("amy", "!checkin green")
	h.clock.Advance(3 * time.Hour) // no tick
	out := h.say("sam", "!checkin amber")
	mustHave(t, out, "dm sam", "This round has closed, so I haven't saved that.")
	mustHave(t, out, "group", "The round has closed. 1 person checked in, 0 passed.")
	if out = h.advance(time.Second); out != "" {
		t.Fatalf("closed twice:\n%s", out)
	}
}

// A facilitator who is no longer one stops receiving private words.
func TestDemotedFacilitatorGetsNothing(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	h.facil["dana"] = false
	h.say("dana", "!checkin green")
	h.say("kit", "!checkin private red secret words")
	for _, m := range h.p.Sent() {
		if m.Reply.Visibility == bot.Facilitators && m.Reply.To == "test:dana" {
			t.Fatalf("private words still addressed to the demoted facilitator: %+v", m.Reply)
		}
	}
}

// After !forgetme confirm, the open round's status no longer shows them.
func TestForgetMeUpdatesStatus(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	h.say("kit", "!checkin red")
	out := h.dm("kit", "!forgetme confirm")
	mustHave(t, out, "group edit", "Check-in round")
	mustNot(t, out, "group edit", "kit")
}

// The note after a red check-in offers a text option, not only phone lines.
func TestRedNoteOffersText(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	h.dm("sam", "!crisis country us")
	out := h.say("sam", "!checkin red")
	mustHave(t, out, "dm sam", "988 Suicide & Crisis Lifeline: 988")
	if !has(out, "dm sam", "(text") {
		t.Fatalf("no text option in the red note:\n%s", out)
	}
	mustHave(t, out, "dm sam", "More lines: !crisis.")
	mustNot(t, out, "group", "988")
}
