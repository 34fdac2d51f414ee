package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/bot/bottest"
	"github.com/peerbot/peerbot/store"
	"github.com/peerbot/peerbot/store/pgtest"
)

const (
	group   = bot.GroupID("test:group")
	channel = bot.ChannelID("test:group")
)

// harness is one group with a real SQLite file, a manual clock and the
// recording platform.
type harness struct {
	t     testing.TB
	st    *store.Store
	clock *bot.ManualClock
	p     *bottest.Platform
	b     *bot.Bot
	facil map[string]bool
	seq   int
	path  string
	key   []byte
	delay time.Duration // Options.StatusDelay
}

func TestMain(m *testing.M) { pgtest.Main(m) }

// eachStore runs f as the subtests "sqlite" and "postgres", each given the
// path (or postgres:// URL) of a fresh database for newHarnessIn.
func eachStore(t *testing.T, f func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "peerbot.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, pgtest.URL(t)) })
}

func newHarness(t testing.TB) *harness {
	return newHarnessIn(t, filepath.Join(t.TempDir(), "peerbot.db"))
}

// newHarnessIn is newHarness on the database at db (a path or a URL).
func newHarnessIn(t testing.TB, db string) *harness {
	h := &harness{t: t, path: db, key: store.GenerateKey(), clock: bot.NewManualClock(time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)),
		p: &bottest.Platform{}, facil: map[string]bool{}}
	h.open()
	t.Cleanup(func() { h.st.Close() })
	h.start()
	return h
}

func (h *harness) open() {
	st, err := store.OpenURL(context.Background(), h.path, store.WithKey(h.key))
	if err != nil {
		h.t.Fatal(err)
	}
	h.st = st
}

// restart closes the database and starts a new bot on the same file, as a
// process restart would.
func (h *harness) restart() {
	if err := h.st.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.open()
	h.start()
}

// start (re)creates the bot on the harness's store, as a restart would.
func (h *harness) start() {
	b, err := bot.New(bot.Options{Store: h.st, Platform: h.p, Clock: h.clock, DefaultCountry: "GB", DefaultTimezone: "Europe/London", StatusDelay: h.delay})
	if err != nil {
		h.t.Fatal(err)
	}
	h.b = b
}

func (h *harness) member(name string) bot.Member {
	return bot.Member{ID: bot.MemberID("test:" + name), Name: name, Facilitator: h.facil[name]}
}

func (h *harness) event(name, text string, private bool) bot.Event {
	h.seq++
	cmd, ok := h.b.Commands().ParseText("!", text)
	if !ok {
		h.t.Fatalf("not a command: %q", text)
	}
	ev := bot.Event{ID: fmt.Sprintf("ev%d", h.seq), Kind: bot.EventCommand, Member: h.member(name), Command: cmd}
	if private {
		ev.Private = true
	} else {
		ev.Group, ev.Channel = group, channel
	}
	return ev
}

// say: member name types text in the group channel; returns the transcript
// of what the bot delivered.
func (h *harness) say(name, text string) string {
	h.t.Helper()
	return h.handle(h.event(name, text, false))
}

// dm: member name sends text to the bot privately.
func (h *harness) dm(name, text string) string {
	h.t.Helper()
	return h.handle(h.event(name, text, true))
}

func (h *harness) handle(ev bot.Event) string {
	h.t.Helper()
	if o := h.b.Handle(context.Background(), ev); o == bot.Failed {
		h.t.Fatalf("handle %q: %v", ev.Command.Name, o)
	}
	return bottest.Transcript(h.p.Take())
}

func (h *harness) join(name string) string {
	h.t.Helper()
	h.seq++
	return h.handle(bot.Event{ID: fmt.Sprintf("ev%d", h.seq), Kind: bot.EventJoin, Group: group, Channel: channel, Member: h.member(name)})
}

// advance moves the clock and runs what became due.
func (h *harness) advance(d time.Duration) string {
	h.t.Helper()
	h.clock.Advance(d)
	if err := h.b.Tick(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	return bottest.Transcript(h.p.Take())
}

// lines returns the transcript lines that start with the [where] prefix.
func lines(transcript, where string) []string {
	var out []string
	for _, l := range strings.Split(transcript, "\n") {
		if strings.HasPrefix(l, "["+where+"]") {
			out = append(out, strings.TrimSpace(strings.TrimPrefix(l, "["+where+"]")))
		}
	}
	return out
}

func has(transcript, where, substr string) bool {
	for _, l := range lines(transcript, where) {
		if strings.Contains(l, substr) {
			return true
		}
	}
	return false
}

func mustHave(t testing.TB, transcript, where, substr string) {
	t.Helper()
	if !has(transcript, where, substr) {
		t.Fatalf("want a [%s] line containing %q; transcript:\n%s", where, substr, transcript)
	}
}

func mustNot(t testing.TB, transcript, where, substr string) {
	t.Helper()
	if has(transcript, where, substr) {
		t.Fatalf("want no [%s] line containing %q; transcript:\n%s", where, substr, transcript)
	}
}

// publicLines: everything anyone in the channel could have seen.
func publicLines(ms []bottest.Message) string {
	var pub []bottest.Message
	for _, m := range ms {
		if m.Reply.Visibility == bot.Public {
			pub = append(pub, m)
		}
	}
	return bottest.Transcript(pub)
}
