package bot_test

import (
	"context"
	"testing"
)

// !mydata shows a member everything kept about them, privately; !forgetme
// asks first and !forgetme confirm deletes it all.
func TestMyDataAndForgetMe(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	h.say("alice", "!agree")
	h.dm("alice", "!crisis country nz")
	h.say("alice", "!checkin amber long day at work")

	out := h.dm("alice", "!mydata")
	mustHave(t, out, "dm alice", "Everything I keep about you")
	mustHave(t, out, "dm alice", "Country for crisis lines: NZ")
	mustHave(t, out, "dm alice", "Agreements you agreed to: 1")
	mustHave(t, out, "dm alice", "🟠 amber, words: long day at work")
	mustNot(t, out, "group", "")

	out = h.say("alice", "!forgetme")
	mustHave(t, out, "dm alice", "To go ahead, send !forgetme confirm.")
	d, _ := h.st.MemberData(context.Background(), "test:alice")
	if len(d.CheckIns) != 1 {
		t.Fatalf("!forgetme without confirm deleted data")
	}
	out = h.dm("alice", "!forgetme confirm")
	mustHave(t, out, "dm alice", "I've deleted everything I kept about you.")
	d, err := h.st.MemberData(context.Background(), "test:alice")
	if err == nil && (len(d.CheckIns) > 0 || len(d.Acceptances) > 0 || d.Member.Country != "" || len(d.Groups) > 0) {
		t.Fatalf("data left after forgetme: %+v", d)
	}
	out = h.dm("alice", "!mydata")
	mustHave(t, out, "dm alice", "Check-ins: 0")
}

// !help lists what this member may run; facilitator commands only for
// facilitators; !help NAME details one.
func TestHelp(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	out := h.say("alice", "!help")
	mustHave(t, out, "dm alice", "!checkin — Check in")
	mustHave(t, out, "dm alice", "!crisis — Crisis lines")
	mustNot(t, out, "dm alice", "round start")
	mustNot(t, out, "group", "")
	out = h.say("dana", "!help")
	mustHave(t, out, "dm dana", "!round start — Open a check-in round in this channel. (facilitators)")
	out = h.say("alice", "!help checkin")
	mustHave(t, out, "dm alice", "Example: !checkin amber tired but here")
	out = h.say("alice", "!help nope")
	mustHave(t, out, "dm alice", "I don't know that command.")
	out = h.say("alice", "!nope")
	mustHave(t, out, "dm alice", "I don't know that command. !help lists what I can do.")
	mustNot(t, out, "dm alice", "nope")
	// Free text sent privately gets a warm pointer, never an echo.
	out = h.dm("alice", "!feeling awful tonight")
	mustHave(t, out, "dm alice", "I'm a bot, so I can only answer commands, but the people in your group are there to listen.")
	mustNot(t, out, "dm alice", "awful")
}
