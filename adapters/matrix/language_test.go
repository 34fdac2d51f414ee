package matrix

import (
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// TestGroupLanguageGerman ensures a Matrix group set to German gets its
// welcome, agreement, round (with the reaction hint), red note, crisis
// lines and help in German, commands staying English.
func TestGroupLanguageGerman(t *testing.T) {
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	fran := newPerson(t, "fran", false)
	alice := newPerson(t, "alice", false)
	clock := bot.NewManualClock(time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC))
	startPeerbot(t, botConfig(botAcc, false), clock)

	room := fran.createRoom(false, map[id.UserID]int{me: 50}, me)
	fran.waitJoined(room, me)
	fran.say(room, "!language de")
	franDM := fran.dmFrom(me)
	fran.waitNotice(franDM, me, "Die Sprache dieser Gruppe ist jetzt Deutsch (de).")

	fran.invite(room, alice.acc.UserID)
	alice.waitJoined(room, me)
	aliceDM := alice.dmFrom(me)
	welcome := msgOf(alice.waitNotice(aliceDM, me, "Willkommen")).Body
	for _, want := range []string{"Unsere Gruppenvereinbarung", "Du kannst immer passen.", "!agree", "Reagiere mit ✅ für !agree"} {
		if !strings.Contains(welcome, want) {
			t.Errorf("welcome lacks %q: %q", want, welcome)
		}
	}

	fran.say(room, "!round start 30")
	status := msgOf(alice.waitNotice(room, me, "Check-in-Runde")).Body
	for _, want := range []string{"Wie kommst du heute an?", "!checkin green, amber oder red", "Reagiere mit 🟢 für !checkin green"} {
		if !strings.Contains(status, want) {
			t.Errorf("round status lacks %q: %q", want, status)
		}
	}

	alice.say(room, "!checkin red")
	red := msgOf(alice.waitNotice(aliceDM, me, "Danke, dass du es mir sagst.")).Body
	for _, want := range []string{"Du musst das nicht allein tragen.", "Hilfe, die du jetzt erreichst, Vereinigtes Königreich", "Samaritans", "rund um die Uhr", "!support"} {
		if !strings.Contains(red, want) {
			t.Errorf("red note lacks %q: %q", want, red)
		}
	}

	asked := alice.say(aliceDM, "crisis")
	crisis := msgOf(alice.waitNoticeAfter(aliceDM, me, "Hilfe, die du jetzt erreichst", asked)).Body
	if !strings.Contains(crisis, "Dort hört man dir zu.") {
		t.Errorf("crisis answer: %q", crisis)
	}
	asked = alice.say(aliceDM, "help")
	alice.waitNoticeAfter(aliceDM, me, "Was ich kann", asked)
}
