package bot_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/bot/bottest"
)

// !language shows the group's language; facilitators set it; members
// choose their own for private answers (!language me), which !mydata
// lists and !forgetme deletes. What the group sees follows the group.
func TestLanguageCommands(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true

	out := h.say("alice", "!language")
	mustHave(t, out, "dm alice", "This group's language is English (en) (the bot's default).")
	mustHave(t, out, "dm alice", "Languages: English (en), Deutsch (de), Español (es), Français (fr), Português (pt-BR).")

	out = h.say("alice", "!language de")
	mustHave(t, out, "dm alice", "That one is for facilitators, so I haven't changed anything.")
	out = h.say("dana", "!language klingon")
	mustHave(t, out, "dm dana", "I don't have that language yet.")

	out = h.say("dana", "!language DE")
	mustHave(t, out, "dm dana", "Die Sprache dieser Gruppe ist jetzt Deutsch (de).")
	out = h.say("dana", "!round start")
	mustHave(t, out, "group", "Check-in-Runde: Wie kommst du heute an?")

	// Alice reads her private answers in Spanish; the group stays German.
	out = h.dm("alice", "!language me es")
	mustHave(t, out, "dm alice", "Te responderé en privado en Español (es).")
	out = h.say("alice", "!checkin red")
	mustHave(t, out, "dm alice", "Gracias por contármelo. No tienes que cargar con esto a solas.")
	mustHave(t, out, "group edit", "alice: 🔴 rot")
	out = h.dm("alice", "!mydata")
	mustHave(t, out, "dm alice", "Idioma de tus respuestas privadas: Español (es)")

	out = h.dm("alice", "!language me auto")
	mustHave(t, out, "dm alice", "Deine privaten Antworten folgen wieder der Sprache deiner Gruppe")
	h.dm("alice", "!language me pt-br")
	m, err := h.st.Member(context.Background(), "test:alice")
	if err != nil || m.Language != "pt-BR" {
		t.Fatalf("stored member language %q, %v", m.Language, err)
	}
	out = h.dm("alice", "!forgetme confirm")
	mustHave(t, out, "dm alice", "Apaguei tudo o que eu guardava sobre você.")
	if m, err := h.st.Member(context.Background(), "test:alice"); err == nil && m.Language != "" {
		t.Errorf("language left after forgetme: %+v", m)
	}
	g, err := h.st.Group(context.Background(), group)
	if err != nil || g.Language != "de" {
		t.Errorf("stored group language %q, %v", g.Language, err)
	}
}

// defaults.language is the language of groups that chose none; an unknown
// one is refused at start.
func TestDefaultLanguage(t *testing.T) {
	h := newHarness(t)
	if _, err := bot.New(bot.Options{Store: h.st, Platform: h.p, DefaultLanguage: "xx"}); err == nil {
		t.Error("an unknown default language was accepted")
	}
	b, err := bot.New(bot.Options{Store: h.st, Platform: h.p, Clock: h.clock, DefaultLanguage: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	h.b = b
	out := h.say("alice", "!help")
	mustHave(t, out, "dm alice", "Ce que je peux faire")
}

// switchStore fails like brokenStore while broken is set.
type switchStore struct {
	bot.Store
	broken *atomic.Bool
}

func (s switchStore) InTx(ctx context.Context, fn func(bot.Store) error) error {
	if s.broken.Load() {
		return errBusy
	}
	return s.Store.InTx(ctx, fn)
}

func (s switchStore) Member(ctx context.Context, m bot.MemberID) (bot.MemberRecord, error) {
	if s.broken.Load() {
		return bot.MemberRecord{}, errBusy
	}
	return s.Store.Member(ctx, m)
}

func (s switchStore) Group(ctx context.Context, g bot.GroupID) (bot.Group, error) {
	if s.broken.Load() {
		return bot.Group{}, errBusy
	}
	return s.Store.Group(ctx, g)
}

// While the database fails, answers keep the language they had: a member
// in distress in a German group is answered in German.
func TestLanguageWhileDatabaseFails(t *testing.T) {
	h := newHarness(t)
	var broken atomic.Bool
	b, err := bot.New(bot.Options{Store: switchStore{h.st, &broken}, Platform: h.p, Clock: h.clock, DefaultCountry: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	h.b = b
	h.facil["dana"] = true
	h.say("dana", "!language de")
	h.say("kit", "!round")
	broken.Store(true)
	if o := h.b.Handle(context.Background(), h.event("kit", "!checkin red", false)); o != bot.Failed {
		t.Fatalf("outcome %v with the database failing", o)
	}
	out := bottest.Transcript(h.p.Take())
	mustHave(t, out, "dm kit", "Entschuldige, bei mir ist etwas schiefgegangen")
	mustHave(t, out, "dm kit", "Wenn du jetzt jemanden brauchst:")
	mustHave(t, out, "dm kit", "Samaritans: 116 123 (rund um die Uhr, kostenlos)")
}
