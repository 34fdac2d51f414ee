package console

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// The cases of issue #9 ("no dead ends") as a member types them on the
// console, through the real core on a real SQLite file.
func TestNoDeadEndsOnTheConsole(t *testing.T) {
	start := time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC)
	long := strings.Repeat("it has been a very long night ", 20) // 599 characters after the last space
	out := session(t, filepath.Join(t.TempDir(), "peerbot.db"), store.GenerateKey(), start, strings.Join([]string{
		"kit: !checkin red I can't keep myself safe tonight", // no round open
		"alice: !round start 30",
		"lee: !checkin red " + long,
		"/dm mo hello",                           // mo is not in the group yet: the pointer still has lines
		"/dm mo I want to die",                   // a private message that is no command
		"/dm kit !checkin red",                   // sent privately: the group sees no colour
		"/dm kit !support",                       // the first request
		"/dm kit !support I took some pills",     // new words within ten minutes
		"/dm kit !support",                       // a repeat without words
		"ned: !checkin private amber a hard day", // typed in public
		"/dm kit !safer",
		"alice: !signpost",
	}, "\n")+"\n")
	want := []string{
		// Red with no round: the red note, nothing stored.
		"[dm kit] There's no check-in round open in your group right now, so I haven't saved a check-in.",
		"[dm kit] If you'd like a facilitator to reach out to you, send me !support",
		// Long words on a red check-in: kept cut, and said so.
		"[dm lee] Thanks, lee. Your check-in is in: 🔴 red. The group sees your colour. The round status doesn't show your words. Your words were 599 characters, longer than the 500 I can keep, so I kept the first 500.",
		// Private messages: the pointer, with lines.
		"[dm mo] I'm a bot, so I can only answer commands",
		"[dm mo] If you need someone now:",
		"[dm mo] • Find a helpline in your country: findahelpline.com",
		// Sent privately: no colour in public, and the answer says so.
		"[dm kit] Thanks, kit. Your check-in is in: 🔴 red. You sent it privately, so the group sees that you checked in, not your colour.",
		"[group edit] • kit: checked in",
		// Support: forwarded, then new words forwarded again, then a repeat not sent.
		"[facilitators] kit would like someone to reach out to them. They were shown crisis lines.",
		"[facilitators] [cw: a member's own words] I took some pills",
		"[dm kit] Your request reached the facilitators a few minutes ago.",
		// Typed in public: a truthful answer.
		"[dm ned] Thanks, ned. Your check-in is in: 🟠 amber. Your words and colour went only to the facilitators.",
		"[dm ned] You typed this in the group's channel, so people there can see what you typed.",
		// Things eased: the facilitators hear it.
		"[facilitators] kit says things feel a bit safer now.",
		// A signpost naming nobody, and the standing line in the status.
		"[group] If anyone needs support right now: !crisis shows lines you can reach",
		"[group] Need help now? !crisis — only you see the answer.",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("missing %q in:\n%s", w, out)
		}
	}
	if _, n := lineOf(out, "[facilitators] kit would like someone to reach out"); n != 2 {
		t.Errorf("kit's support went to the facilitators %d times, want 2 (first, then new words)", n)
	}
	if strings.Contains(out, "[group edit] • kit: 🔴") || strings.Contains(out, "[group] I want") {
		t.Errorf("something private reached the group:\n%s", out)
	}
	if _, n := lineOf(out, "[facilitators] Look after yourselves too"); n != 1 {
		t.Errorf("the self-care line came %d times in one round, want 1", n)
	}
}

// brokenStore fails every transaction, as a full disk or a database locked
// by another process would.
type brokenStore struct{ bot.Store }

func (brokenStore) InTx(context.Context, func(bot.Store) error) error {
	return errors.New("database is locked")
}

// With the database failing, !crisis and a red check-in still answer with
// crisis lines: they are built in.
func TestHelpWithoutTheDatabase(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "peerbot.db"), store.WithKey(store.GenerateKey()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out bytes.Buffer
	a := New(Options{Start: time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC), Out: &out})
	core, err := bot.New(bot.Options{Store: brokenStore{st}, Platform: bot.Router{"console": a}, Clock: a.Clock(), DefaultCountry: "IE"})
	if err != nil {
		t.Fatal(err)
	}
	_ = a.Run(ctx, core, strings.NewReader("/dm kit !crisis\nkit: !checkin red\n")) // the lines failed: Run says so
	got := out.String()
	for _, w := range []string{"[dm kit] Sorry, something went wrong on my side", "Samaritans", "[dm kit] If you'd like a facilitator to reach out to you, send me !support"} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	if _, n := lineOf(got, "[dm kit] Sorry, something went wrong"); n != 2 {
		t.Errorf("want both inputs answered with the lines:\n%s", got)
	}
}
