package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// !crisis answers privately, in care.md's order, for the country asked,
// then the saved country, then the group default, then the configured one,
// and says which it used and how to change it.
func TestCrisisCountries(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true

	out := h.say("alice", "!crisis")
	mustNot(t, out, "group", "")
	mustHave(t, out, "dm alice", "Help you can reach now, United Kingdom")
	mustHave(t, out, "dm alice", "In danger right now: call 999 / 112")
	mustHave(t, out, "dm alice", "Samaritans: 116 123 (24/7, free). Languages: English.")
	mustHave(t, out, "dm alice", "Shout 85258: Text SHOUT to 85258 (text, 24/7)")
	mustHave(t, out, "dm alice", "Find a helpline anywhere: findahelpline.com")
	mustHave(t, out, "dm alice", "This bot's default country: United Kingdom. Another country: !crisis <country>. To save yours: !crisis country <country>.")
	checkOrder(t, out, "999 / 112", "Samaritans", "Shout", "findahelpline", "This bot's default country")

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
	out = h.dm("alice", "!crisis japan")
	mustHave(t, out, "dm alice", "Country you asked for: Japan. To save yours: !crisis country <country>.")

	// What the member typed is never repeated back: it may be painful.
	out = h.dm("alice", "!crisis please help me I hurt myself again")
	mustHave(t, out, "dm alice", "I couldn't match that to a country.")
	mustHave(t, out, "dm alice", "Help you can reach now, United Kingdom")
	mustNot(t, out, "dm alice", "Did you mean")
	if strings.Contains(out, "hurt") {
		t.Fatalf("the member's words were echoed:\n%s", out)
	}

	out = h.dm("alice", "!crisis peru")
	mustHave(t, out, "dm alice", "I don't have crisis lines for Peru yet.")

	out = h.dm("alice", "!crisis country ireland")
	mustHave(t, out, "dm alice", "Saved: Ireland.")
	out = h.say("alice", "!crisis")
	mustHave(t, out, "dm alice", "Help you can reach now, Ireland")
	mustHave(t, out, "dm alice", "Your saved country: Ireland. Another country: !crisis <country>. To change yours: !crisis country <country>.")

	out = h.say("bob", "!crisis default au")
	mustHave(t, out, "dm bob", "That one is for facilitators")
	out = h.say("dana", "!crisis default au")
	mustHave(t, out, "dm dana", "Members who haven't saved a country will see crisis lines for Australia.")
	out = h.say("bob", "!crisis")
	mustHave(t, out, "dm bob", "Help you can reach now, Australia")
	mustHave(t, out, "dm bob", "Your group's country: Australia. Another country: !crisis <country>. To save yours: !crisis country <country>.")
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

// Each line shows its languages, and "free" and "confidential" where the
// source says so; a line the source says neither of shows neither.
func TestCrisisLanguagesFreeConfidential(t *testing.T) {
	h := newHarness(t)
	out := h.dm("alice", "!crisis de")
	mustHave(t, out, "dm alice", "TelefonSeelsorge: 0800 111 0 111 (24/7, free, confidential). Languages: German.")
	mustHave(t, out, "dm alice", "TelefonSeelsorge: 0800 111 0 222 (24/7, free). Languages: German.")
	out = h.dm("alice", "!crisis ch")
	mustHave(t, out, "dm alice", "Languages: German, French, Italian.")
	out = h.dm("alice", "!crisis gr")
	mustHave(t, out, "dm alice", "Klimaka Suicide Intervention Line: 1018 (24/7). Languages: Greek.")
}

// The full answer gives every line with its hours, and "hours unknown"
// where the directory has none.
func TestCrisisHoursUnknown(t *testing.T) {
	h := newHarness(t)
	out := h.dm("alice", "!crisis taiwan")
	mustHave(t, out, "dm alice", "MOHW 1925 Anxin Line (安心專線): 1925 (24/7, free). Languages: Mandarin.")
	mustHave(t, out, "dm alice", "Lifeline Taiwan (生命線): 1995 (hours unknown). Languages: Mandarin.")
	mustHave(t, out, "dm alice", "MOHW Men's Care Line: 0800-013-999 (hours unknown, for men)")
}

// The short list after a red check-in prefers lines open around the clock
// (Austria: both 24/7 phone lines, not the chat open 16:00 to 23:00), shows
// the hours or "hours unknown", keeps care.md's order and says how to see
// another country or save one's own.
func TestCrisisShortList(t *testing.T) {
	h := newHarness(t)
	h.join("alice")
	h.dm("alice", "!crisis country at")
	out := h.say("alice", "!checkin red")
	mustHave(t, out, "dm alice", "Help you can reach now, Austria")
	mustHave(t, out, "dm alice", "TelefonSeelsorge: 142 (24/7, free, confidential). Languages: German.")
	mustHave(t, out, "dm alice", "Rat auf Draht: 147 (24/7, for children, young people and carers)")
	mustNot(t, out, "dm alice", "chat.onlineberatung")
	mustHave(t, out, "dm alice", "Another country: !crisis <country>. To save or change yours: !crisis country <country>.")
	checkOrder(t, out, "112 (ambulance 144)", "142", "147", "findahelpline", "Another country")
	mustNot(t, out, "group", "142")

	// A text option open around the clock comes right after the main line.
	h.dm("alice", "!crisis country nz")
	out = h.say("alice", "!checkin red")
	mustHave(t, out, "dm alice", "1737 Need to Talk?: 1737 (24/7, free)")
	mustHave(t, out, "dm alice", "1737 Need to Talk? (text): Text 1737 (text, 24/7, free)")
	mustNot(t, out, "dm alice", "Lifeline Aotearoa")

	// Where only one line is 24/7, the next one shows that its hours are
	// not known.
	h.dm("alice", "!crisis country tw")
	out = h.say("alice", "!checkin red")
	mustHave(t, out, "dm alice", "MOHW 1925 Anxin Line (安心專線): 1925 (24/7, free)")
	mustHave(t, out, "dm alice", "Lifeline Taiwan (生命線): 1995 (hours unknown)")
	mustNot(t, out, "dm alice", "Teacher Chang")
}

// A misspelled country gets "did you mean", naming only the country it
// most likely meant, with the command to send; text that is close to no
// country gets no guess. What the member typed is never repeated.
func TestCrisisDidYouMean(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.join("alice")

	out := h.dm("alice", "!crisis germny")
	mustHave(t, out, "dm alice", "I couldn't match that to a country. Did you mean Germany? Send !crisis de.")
	mustHave(t, out, "dm alice", "Help you can reach now, United Kingdom")
	mustNot(t, out, "dm alice", "germny")

	out = h.dm("alice", "!crisis new zeland")
	mustHave(t, out, "dm alice", "Did you mean New Zealand? Send !crisis nz.")
	mustNot(t, out, "dm alice", "zeland")

	out = h.dm("alice", "!crisis irak")
	mustHave(t, out, "dm alice", "Did you mean Iran or Iraq? Send !crisis ir or !crisis iq.")
	mustNot(t, out, "dm alice", "irak")

	out = h.dm("alice", "!crisis country new zeland")
	mustHave(t, out, "dm alice", "I couldn't match that to a country. Did you mean New Zealand? Send !crisis country nz.")
	mustNot(t, out, "dm alice", "zeland")
	mustNot(t, out, "dm alice", "Saved")

	out = h.say("dana", "!crisis default germny")
	mustHave(t, out, "dm dana", "Did you mean Germany? Send !crisis default de.")
	mustNot(t, out, "dm dana", "Done")

	for _, gibberish := range []string{"xqzt", "asdfgh", "narnia", "Atlantis"} {
		out = h.dm("alice", "!crisis "+gibberish)
		mustHave(t, out, "dm alice", "I couldn't match that to a country.")
		mustNot(t, out, "dm alice", "Did you mean")
		mustHave(t, out, "dm alice", "Help you can reach now, United Kingdom")
		if strings.Contains(strings.ToLower(out), strings.ToLower(gibberish)) {
			t.Fatalf("%q was echoed:\n%s", gibberish, out)
		}
		out = h.dm("alice", "!crisis country "+gibberish)
		mustHave(t, out, "dm alice", "Please use a two-letter code or the country's English name, for example !crisis country ie.")
		mustNot(t, out, "dm alice", "Did you mean")
	}
}

// A saved country the directory has no lines for is still the member's
// country: the answer names it and gives the international directories,
// never another country's emergency number.
func TestCrisisSavedCountryWithoutLines(t *testing.T) {
	h := newHarness(t)
	h.join("alice")
	h.dm("alice", "!crisis country peru")
	out := h.dm("alice", "!crisis")
	mustHave(t, out, "dm alice", "I don't have crisis lines for Peru yet. The directories below can find one near you.")
	mustHave(t, out, "dm alice", "Help you can reach now, Peru")
	mustHave(t, out, "dm alice", "In danger right now: call your local emergency number.")
	mustHave(t, out, "dm alice", "Find a helpline in your country: findahelpline.com")
	mustHave(t, out, "dm alice", "Your saved country: Peru.")
	mustNot(t, out, "dm alice", "999")
	mustNot(t, out, "dm alice", "Samaritans")

	out = h.say("alice", "!checkin red")
	mustHave(t, out, "dm alice", "Help you can reach now, Peru")
	mustHave(t, out, "dm alice", "Find a helpline in your country: findahelpline.com")
	mustNot(t, out, "dm alice", "999")
}

// With no country asked, saved or configured, the answer gives the local
// emergency number, the international directories and how to save a
// country.
func TestCrisisNoCountryKnown(t *testing.T) {
	h := newHarness(t)
	b, err := bot.New(bot.Options{Store: h.st, Platform: h.p, Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	h.b = b
	out := h.dm("alice", "!crisis")
	mustHave(t, out, "dm alice", "Help you can reach now")
	mustHave(t, out, "dm alice", "In danger right now: call your local emergency number.")
	mustHave(t, out, "dm alice", "Find a helpline in your country: findahelpline.com (https://findahelpline.com) · befrienders.org")
	mustHave(t, out, "dm alice", "I don't know your country yet. To save it: !crisis country <country>. To see a country's lines: !crisis <country>.")
	checkOrder(t, out, "local emergency number", "findahelpline", "I don't know your country yet")

	out = h.dm("alice", "!crisis germny")
	mustHave(t, out, "dm alice", "Did you mean Germany? Send !crisis de.")
	mustHave(t, out, "dm alice", "I don't know your country yet.")
}
