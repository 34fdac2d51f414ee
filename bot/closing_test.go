package bot_test

import (
	"strings"
	"testing"
	"time"
)

// A closing round asks for one word, takes words only, keeps no colour
// (a red one still brings the private note), and its summary counts
// without repeating anyone's words.
func TestClosingRound(t *testing.T) { eachStore(t, testClosingRound) }

func testClosingRound(t *testing.T, db string) {
	h := newHarnessIn(t, db)
	h.facil["dana"] = true
	out := h.say("alice", "!round closing")
	mustHave(t, out, "dm alice", "That one is for facilitators")

	out = h.say("dana", "!round closing")
	mustHave(t, out, "group", "Closing round: One word for how you're leaving")
	mustHave(t, out, "group", "Share a word with !checkin your word, or !pass. Passing is fine. Words only, no colours.")
	mustNot(t, out, "group", "green")
	mustHave(t, out, "group", "Open until 18:15 (Europe/London).")

	out = h.say("alice", "!checkin hopeful")
	mustHave(t, out, "dm alice", "Thanks, alice. Your check-in is in.")
	mustHave(t, out, "group edit", "• alice: checked in")

	out = h.say("bob", "!checkin green lighter")
	mustHave(t, out, "dm bob", "This round is words only, so I haven't kept a colour.")
	mustNot(t, out, "group edit", "🟢")

	out = h.say("cara", "!checkin red")
	mustHave(t, out, "dm cara", "This round is words only")
	mustHave(t, out, "dm cara", "You don't have to hold this alone.")
	mustNot(t, out, "group edit", "🔴")

	out = h.say("eve", "!pass")
	mustHave(t, out, "dm eve", "You've passed. That's always fine.")

	out = h.say("dana", "!round end")
	mustHave(t, out, "group", "The closing round has closed. 3 people shared a word, 1 passed.")
	mustHave(t, out, "group", "Thank you for today")
	for _, w := range []string{"hopeful", "lighter", "green", "amber", "🟢", "🔴"} {
		if strings.Contains(out, w) {
			t.Fatalf("the closing summary repeats %q:\n%s", w, out)
		}
	}

	// A prompt of the facilitator's own, and minutes.
	out = h.say("dana", "!round closing 5 One word for the week ahead")
	mustHave(t, out, "group", "Closing round: One word for the week ahead")
	mustHave(t, out, "group", "Open until 18:05 (Europe/London).")
	out = h.advance(5 * time.Minute)
	mustHave(t, out, "group", "The closing round has closed. 0 people shared a word, 0 passed.")

	// A check-in round afterwards has its colours again.
	out = h.say("dana", "!round start")
	mustHave(t, out, "group", "Check-in round: How are you arriving today?")
	out = h.say("alice", "!checkin green")
	mustHave(t, out, "group edit", "alice: 🟢 green")
}

// Members who turned reminders on hear that a closing round opened.
func TestClosingRoundReminder(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("bob", "!remind on")
	out := h.say("dana", "!round closing")
	mustHave(t, out, "dm bob", "A closing round has opened in your group, until 18:15 (Europe/London).")
}
