package bot_test

import (
	"context"
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// Check-ins: what the member, the group and the facilitators see, and what
// is stored, for each form of the command.
func TestCheckIn(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true

	out := h.say("kit", "!checkin green")
	mustHave(t, out, "dm kit", "no check-in round open")
	mustNot(t, out, "group", "kit")

	h.say("dana", "!round start 30")
	out = h.say("kit", "!checkin amber long day")
	mustHave(t, out, "dm kit", "Your check-in is in: 🟠 amber.")
	mustHave(t, out, "group edit", "• kit: 🟠 amber")
	mustNot(t, out, "group edit", "long day")

	out = h.say("kit", "!checkin green")
	mustHave(t, out, "dm kit", "I've updated your check-in: 🟢 green.")
	mustHave(t, out, "group edit", "• kit: 🟢 green")

	out = h.say("lee", "!checkin red")
	mustHave(t, out, "dm lee", "Samaritans: 116 123")
	mustHave(t, out, "dm lee", "(buttons: Let a facilitator know · I'm feeling a bit safer now)")
	mustNot(t, out, "group", "Samaritans")

	h.say("mo", "!round") // mo is in the group now
	out = h.dm("mo", "!checkin private amber only for you")
	mustHave(t, out, "facilitators", "only for you")
	mustHave(t, out, "dm mo", "went only to the facilitators")
	mustNot(t, out, "group edit", "only for you")

	d, err := h.st.MemberData(context.Background(), "test:kit")
	if err != nil || len(d.CheckIns) != 1 || d.CheckIns[0].Colour != bot.Green || d.CheckIns[0].Words != "" {
		t.Errorf("kit's stored check-ins = %+v, %v; want one, green, no words (the latest counts)", d.CheckIns, err)
	}
}
