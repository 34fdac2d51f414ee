package bot_test

import (
	"context"
	"testing"
	"time"
)

// Starting, showing and ending rounds, and the refusals that change nothing.
func TestRounds(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true

	out := h.say("kit", "!round start")
	mustHave(t, out, "dm kit", "That one is for facilitators")
	mustNot(t, out, "group", "Check-in round")

	out = h.dm("dana", "!round start")
	mustHave(t, out, "dm dana", "Rounds are started in the group's channel")

	out = h.say("dana", "!round start 0")
	mustHave(t, out, "dm dana", "from 1 to 1440 minutes")
	if _, err := h.st.OpenRound(context.Background(), channel); err == nil {
		t.Fatal("a refused start opened a round")
	}

	out = h.say("dana", "!round start 20 Three words for today")
	mustHave(t, out, "group", "Check-in round: Three words for today")
	mustHave(t, out, "group", "Open until 18:20 (Europe/London)")

	out = h.say("dana", "!round start")
	mustHave(t, out, "dm dana", "already open")

	out = h.say("kit", "!round")
	mustHave(t, out, "dm kit", "Three words for today")

	h.say("kit", "!checkin green")
	out = h.say("dana", "!checkin end") // the hidden alias of round end
	mustHave(t, out, "group", "The round has closed. 1 person checked in")
	if out := h.advance(time.Hour); out != "" {
		t.Errorf("an ended round closed again:\n%s", out)
	}
	out = h.say("dana", "!round end")
	mustHave(t, out, "dm dana", "no round open")
}
