package bot_test

import (
	"context"
	"testing"

	"github.com/peerbot/peerbot/bot"
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
