package bot_test

import (
	"context"
	"strings"
	"testing"
)

// !crisis answers privately, in care.md's order, for the country asked,
// then the saved country, then the group default, then the configured one.
func TestCrisisCountries(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true

	out := h.say("alice", "!crisis")
	mustNot(t, out, "group", "")
	mustHave(t, out, "dm alice", "Help you can reach now, United Kingdom")
	mustHave(t, out, "dm alice", "In danger right now: call 999 / 112")
	mustHave(t, out, "dm alice", "Samaritans: 116 123 (24/7, free)")
	mustHave(t, out, "dm alice", "findahelpline.com")
	checkOrder(t, out, "999 / 112", "Samaritans", "Shout", "findahelpline")

	cases := []struct{ ask, want string }{
		{"us", "988 Suicide & Crisis Lifeline: 988"},
		{"United States", "988"},
		{"IE", "Samaritans Ireland: 116 123"},
		{"australia", "Lifeline Australia: 13 11 14"},
		{"de", "TelefonSeelsorge: 0800 111 0 111"},
		{"japan", "Help you can reach now, Japan"},
	}
	for _, c := range cases {
		out := h.dm("alice", "!crisis "+c.ask)
		mustHave(t, out, "dm alice", c.want)
		mustNot(t, out, "group", "")
	}

	// What the member typed is never repeated back: it may be painful.
	out = h.dm("alice", "!crisis please help me I hurt myself again")
	mustHave(t, out, "dm alice", "I couldn't match that to a country.")
	mustHave(t, out, "dm alice", "Help you can reach now, United Kingdom")
	if strings.Contains(out, "hurt") {
		t.Fatalf("the member's words were echoed:\n%s", out)
	}

	out = h.dm("alice", "!crisis peru")
	mustHave(t, out, "dm alice", "I don't have crisis lines for Peru yet.")

	out = h.dm("alice", "!crisis country ireland")
	mustHave(t, out, "dm alice", "Saved: Ireland.")
	out = h.say("alice", "!crisis")
	mustHave(t, out, "dm alice", "Help you can reach now, Ireland")

	out = h.say("bob", "!crisis default au")
	mustHave(t, out, "dm bob", "That one is for facilitators")
	out = h.say("dana", "!crisis default au")
	mustHave(t, out, "dm dana", "Members who haven't saved a country will see crisis lines for Australia.")
	out = h.say("bob", "!crisis")
	mustHave(t, out, "dm bob", "Help you can reach now, Australia")
	out = h.say("alice", "!crisis")
	mustHave(t, out, "dm alice", "Help you can reach now, Ireland")

	out = h.say("dana", "!crisis default narnia")
	mustHave(t, out, "dm dana", "I couldn't match that to a country. Please use a two-letter code")
	mustNot(t, out, "dm dana", "narnia")
	out = h.say("bob", "!crisis")
	mustHave(t, out, "dm bob", "Australia")
}

func checkOrder(t *testing.T, out string, parts ...string) {
	t.Helper()
	last := -1
	for _, p := range parts {
		i := strings.Index(out, p)
		if i < 0 || i < last {
			t.Fatalf("want %q in order; transcript:\n%s", parts, out)
		}
		last = i
	}
}

// A private !crisis from someone the bot knows from no group stores
// nothing about them.
func TestCrisisStoresNothing(t *testing.T) {
	h := newHarness(t)
	out := h.dm("stranger", "!crisis ie")
	mustHave(t, out, "dm stranger", "Samaritans Ireland")
	if _, err := h.st.Member(context.Background(), "test:stranger"); err == nil {
		t.Fatal("a member record was stored for a private !crisis")
	}
}
