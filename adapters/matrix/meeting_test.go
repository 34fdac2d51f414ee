package matrix

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// peerbot is the real thing: the core and its SQLite store behind the
// Matrix adapter, restartable on the same database file.
type peerbot struct {
	t     testing.TB
	cfg   Config
	path  string
	key   []byte
	clock *bot.ManualClock
	st    *store.Store
	run   *botUnderTest
	// stopCore ends the core's loop and waits for it.
	stopCore func()
	// broken, while set, fails the core's store (see flakyStore).
	broken atomic.Bool
}

// errDiskFull is what the core's store answers while it is broken.
var errDiskFull = errors.New("database or disk is full")

// flakyStore is the store as the core sees it. While broken is set, every
// transaction and every read of a member or a group fails, as with a full
// disk or a database another process holds; the adapter's own tables in
// the same file go on working.
type flakyStore struct {
	bot.Store
	broken *atomic.Bool
}

func (s flakyStore) InTx(ctx context.Context, fn func(bot.Store) error) error {
	if s.broken.Load() {
		return errDiskFull
	}
	return s.Store.InTx(ctx, fn)
}

func (s flakyStore) Member(ctx context.Context, m bot.MemberID) (bot.MemberRecord, error) {
	if s.broken.Load() {
		return bot.MemberRecord{}, errDiskFull
	}
	return s.Store.Member(ctx, m)
}

func (s flakyStore) Group(ctx context.Context, g bot.GroupID) (bot.Group, error) {
	if s.broken.Load() {
		return bot.Group{}, errDiskFull
	}
	return s.Store.Group(ctx, g)
}

func startPeerbot(t testing.TB, cfg Config, clock *bot.ManualClock) *peerbot {
	p := &peerbot{t: t, cfg: cfg, path: filepath.Join(t.TempDir(), "peerbot.db"), key: store.GenerateKey(), clock: clock}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *peerbot) start() {
	p.t.Helper()
	st, err := store.Open(context.Background(), p.path, store.WithKey(p.key))
	if err != nil {
		p.t.Fatalf("open store: %v", err)
	}
	p.st = st
	a, err := New(p.cfg, st.DB(), testLogger())
	if err != nil {
		p.t.Fatalf("New: %v", err)
	}
	log := testLogger()
	core, err := bot.New(bot.Options{Store: flakyStore{Store: st, broken: &p.broken}, Platform: bot.Router{"matrix": a}, Clock: p.clock, DefaultCountry: "GB", DefaultTimezone: "Europe/London", Log: &log})
	if err != nil {
		p.t.Fatalf("bot.New: %v", err)
	}
	p.run = runAdapter(p.t, a, core)
	// The adapter never ticks: the core's own loop closes rounds when the
	// clock moves, as cmd/peerbot starts it.
	ctx, cancel := context.WithCancel(context.Background())
	wait := core.Start(ctx)
	p.stopCore = func() { cancel(); wait() }
}

func (p *peerbot) stop() {
	if p.run == nil {
		return
	}
	p.stopCore()
	p.run.stopBot(p.t)
	if err := p.st.Close(); err != nil {
		p.t.Errorf("close store: %v", err)
	}
	p.run = nil
}

// TestMeeting drives a whole meeting through real Matrix clients, in an
// unencrypted and in an encrypted room: invite, welcome, agreement set,
// post, pin and agree (also by reaction), a check-in round with one status
// message edited in place, a private red check-in whose words never reach
// the room, !crisis answered only in a DM, a refused non-facilitator,
// injection attempts shown inert, a restart of peerbot mid-round, and a
// restart of Dendrite that the bot recovers from by itself.
func TestMeeting(t *testing.T) {
	for _, enc := range []bool{false, true} {
		name := "unencrypted"
		if enc {
			name = "encrypted"
		}
		t.Run(name, func(t *testing.T) { testMeeting(t, enc) })
	}
}

func testMeeting(t *testing.T, enc bool) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	fran := newPerson(t, "fran", enc)
	alice := newPerson(t, "alice", enc)
	bob := newPerson(t, "bob", enc)
	// A display name trying to inject HTML and a room mention.
	if err := bob.cli.SetDisplayName(ctx, "<b>Bob</b> @room"); err != nil {
		t.Fatal(err)
	}
	clock := bot.NewManualClock(time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC))
	pb := startPeerbot(t, botConfig(botAcc, enc), clock)

	// Invite → join → welcome, privately.
	room := fran.createRoom(enc, map[id.UserID]int{me: 50}, me)
	fran.waitJoined(room, me)
	fran.invite(room, alice.acc.UserID)
	fran.invite(room, bob.acc.UserID)
	alice.waitJoined(room, me)
	bob.waitJoined(room, me)
	aliceDM := alice.dmFrom(me)
	alice.waitNotice(aliceDM, me, "Welcome")
	bobDM := bob.dmFrom(me)
	bob.waitNotice(bobDM, me, "Welcome")

	// Agreement: set, post (pinned, with ✅), agree by reaction and by text.
	fran.say(room, "!agreement set Be kind. <b>bold</b> [x](http://evil.example) @room")
	franDM := fran.dmFrom(me)
	fran.waitNotice(franDM, me, "Saved as version 1")
	// The group is told it changed (after fran is told it was saved, so
	// wait: that notice quotes the agreement too).
	alice.waitNotice(room, me, "The group agreement has changed")
	post := fran.say(room, "!agreement post")
	posted := alice.waitNoticeAfter(room, me, "Our group agreement", post)
	if strings.Contains(msgOf(posted).Body, "has changed") {
		t.Fatalf("the post after !agreement post is the change notice: %q", msgOf(posted).Body)
	}
	html := msgOf(posted).FormattedBody
	for _, bad := range []string{"<b>bold", "<a href=\"http://evil", "@room"} {
		if strings.Contains(html, bad) {
			t.Errorf("agreement formatted body %q contains %q", html, bad)
		}
	}
	if m := msgOf(posted).Mentions; m == nil || m.Room || len(m.UserIDs) > 0 {
		t.Errorf("agreement mentions = %+v, want explicit and empty", m)
	}
	// The room's pinned events as the server has them: a client's sync can
	// carry a state change in its state section, which not every client
	// passes on as an event.
	var pinned event.PinnedEventsEventContent
	var pinErr error
	deadline := time.Now().Add(waitLimit)
	for {
		pinned = event.PinnedEventsEventContent{}
		pinErr = fran.cli.StateEvent(ctx, room, event.StatePinnedEvents, "", &pinned)
		if pinErr == nil && slices.Contains(pinned.Pinned, posted.ID) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for the agreement %s pinned: the room's pinned events are %v (%v)", posted.ID, pinned.Pinned, pinErr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	alice.waitEvent("the bot's ✅ on the agreement", func(e *event.Event) bool {
		return e.Type == event.EventReaction && e.Sender == me && e.Content.AsReaction().RelatesTo.EventID == posted.ID
	})
	alice.react(room, posted.ID, "✅")
	alice.waitNotice(aliceDM, me, "You've agreed to the group agreement")
	bob.say(room, "!agree")
	bob.waitNotice(bobDM, me, "You've agreed to the group agreement")

	// A non-facilitator is refused, privately, and nothing starts.
	alice.say(room, "!round start")
	alice.waitNotice(aliceDM, me, "for facilitators")

	// The round: one status message, edited as people check in.
	fran.say(room, "!round start 30 How are you arriving today?")
	status := alice.waitNotice(room, me, "Check-in round: How are you arriving today?")
	alice.say(room, "!checkin green had a good week")
	alice.waitNotice(aliceDM, me, "Your check-in is in: 🟢 green")
	edit := alice.waitEvent("the status edited with alice", func(e *event.Event) bool {
		m := msgOf(e)
		return m.NewContent != nil && m.RelatesTo.GetReplaceID() == status.ID && strings.Contains(m.NewContent.Body, "🟢 green")
	})
	_ = edit
	// A private red check-in, sent in the DM: words only to facilitators,
	// support info only to bob.
	bob.say(bobDM, "!checkin private red my secret words")
	bob.waitNotice(bobDM, me, "Your words and colour went only to the facilitators")
	bob.waitNotice(bobDM, me, "Samaritans")
	// Behind a spoiler, and out of the plain body that notifications show.
	words := msgOf(fran.waitNotice(franDM, me, "checked in privately"))
	if !strings.Contains(words.FormattedBody, `<span data-mx-spoiler="a member&#39;s own words">my secret words</span>`) ||
		strings.Contains(words.Body, "my secret words") {
		t.Errorf("facilitators' copy = %q / %q, want the words behind a spoiler only", words.Body, words.FormattedBody)
	}
	bobEdit := alice.waitEvent("the status edited with bob", func(e *event.Event) bool {
		m := msgOf(e)
		return m.NewContent != nil && m.RelatesTo.GetReplaceID() == status.ID && strings.Contains(m.NewContent.Body, "Bob") &&
			strings.Contains(m.NewContent.Body, "checked in")
	})
	nc := msgOf(bobEdit).NewContent
	if strings.Contains(nc.FormattedBody, "<b>Bob") || strings.Contains(nc.FormattedBody, "@room") {
		t.Errorf("status shows bob's name unescaped: %q", nc.FormattedBody)
	}
	for _, line := range strings.Split(nc.Body, "\n") {
		if strings.Contains(line, "Bob") && (strings.Contains(line, "🔴") || strings.Contains(line, "red")) {
			t.Errorf("status shows bob's private colour: %q", line)
		}
	}

	// !crisis typed in the room: removed there, answered in the DM only.
	crisis := alice.say(room, "!crisis")
	alice.waitEvent("the redaction of !crisis", func(e *event.Event) bool {
		return e.Type == event.EventRedaction && e.Redacts == crisis
	})
	alice.waitNotice(aliceDM, me, "116 123")

	// Restart peerbot mid-round; bob checks in again while it is down.
	pb.stop()
	bob.say(room, "!checkin amber")
	pb.start()
	bob.waitNotice(bobDM, me, "I've updated your check-in")
	alice.waitEvent("the status edited after the restart", func(e *event.Event) bool {
		m := msgOf(e)
		return m.NewContent != nil && m.RelatesTo.GetReplaceID() == status.ID && strings.Contains(m.NewContent.Body, "🟠 amber")
	})

	// Restart Dendrite; the bot recovers by itself and closes the round
	// when its time is up.
	hs.restart(t)
	clock.Advance(31 * time.Minute)
	alice.waitNotice(room, me, "The round has closed. 2 people checked in")

	// Nothing was answered twice, and nothing private reached the room.
	if n := len(alice.seen(func(e *event.Event) bool {
		return e.RoomID == aliceDM && e.Sender == me && strings.Contains(msgOf(e).Body, "Your check-in is in")
	})); n != 1 {
		t.Errorf("alice got %d check-in confirmations, want 1", n)
	}
	for _, m := range alice.timeline(room) {
		for _, secret := range []string{"my secret words", "Samaritans", "116 123"} {
			if strings.Contains(m.Body, secret) {
				t.Errorf("%q reached the room timeline: %q", secret, m.Body)
			}
		}
		// Alice said these words in the room herself; the bot never repeats them.
		if m.Sender == me && strings.Contains(m.Body, "had a good week") {
			t.Errorf("the bot repeated check-in words in the room: %q", m.Body)
		}
	}
}
