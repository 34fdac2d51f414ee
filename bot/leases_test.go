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
)

// process is one of several peerbot processes sharing a database: its own
// store handle, platform connection and core, with shared leases.
type process struct {
	t   *testing.T
	st  *store.Store
	p   *bottest.Platform
	b   *bot.Bot
	seq *int
}

func newProcess(t *testing.T, path string, key []byte, clock *bot.ManualClock, holder string, seq *int) *process {
	t.Helper()
	st, err := store.Open(context.Background(), path, store.WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pr := &process{t: t, st: st, p: &bottest.Platform{}, seq: seq}
	pr.b, err = bot.New(bot.Options{Store: st, Platform: pr.p, Clock: clock, DefaultTimezone: "Europe/London",
		StatusDelay: 2 * time.Second, Leases: st, Holder: holder})
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

func (pr *process) say(name, text string, facilitator bool) string {
	pr.t.Helper()
	*pr.seq++
	cmd, ok := pr.b.Commands().ParseText("!", text)
	if !ok {
		pr.t.Fatalf("not a command: %q", text)
	}
	ev := bot.Event{ID: fmt.Sprintf("ev%d", *pr.seq), Kind: bot.EventCommand, Group: group, Channel: channel,
		Member: bot.Member{ID: bot.MemberID("test:" + name), Name: name, Facilitator: facilitator}, Command: cmd}
	if o := pr.b.Handle(context.Background(), ev); o != bot.Done {
		pr.t.Fatalf("handle %q: %v", text, o)
	}
	return bottest.Transcript(pr.p.Take())
}

func (pr *process) tick() string {
	pr.t.Helper()
	if err := pr.b.Tick(context.Background()); err != nil {
		pr.t.Fatal(err)
	}
	return bottest.Transcript(pr.p.Take())
}

// run advances the clock by d in steps of a second, ticking the live
// processes at each (as their loops would), and returns what each delivered.
func run(clock *bot.ManualClock, d time.Duration, live ...*process) []string {
	out := make([]string, len(live))
	for step := time.Duration(0); step < d; step += time.Second {
		clock.Advance(time.Second)
		for i, pr := range live {
			out[i] += pr.tick()
		}
	}
	return out
}

// Two processes on one database: the group's timed work — the scheduled
// round, the status edit after a check-in taken by the other process, the
// round's closing — is done exactly once, by the lease holder; when the
// holder dies, the other takes the group over once its lease has run out.
func TestSharedLeasesOwnTimedWork(t *testing.T) {
	path, key := filepath.Join(t.TempDir(), "peerbot.db"), store.GenerateKey()
	clock := bot.NewManualClock(time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)) // Thursday, 18:00 London
	var seq int
	a := newProcess(t, path, key, clock, "a", &seq)
	b := newProcess(t, path, key, clock, "b", &seq)

	// The facilitator's command reaches process b (its shard).
	out := b.say("dana", "!schedule round thu 18:05 45 How are you arriving?", true)
	mustHave(t, out, "dm dana", "Scheduled (number 1)")

	// a ticks first and takes the group; b holds nothing.
	a.tick()
	b.tick()
	if !a.b.Holds(group) || b.b.Holds(group) {
		t.Fatalf("holds: a %v, b %v; want a only", a.b.Holds(group), b.b.Holds(group))
	}
	if !a.b.Holds(bot.RetentionKey) || b.b.Holds(bot.RetentionKey) {
		t.Fatal("want a to hold the retention job and b not")
	}

	// The scheduled round opens once, from a.
	o := run(clock, 5*time.Minute, b, a)
	outB, outA := o[0], o[1]
	mustHave(t, outA, "group", "Check-in round: How are you arriving?")
	if outB != "" {
		t.Fatalf("b, not holding the group, did timed work:\n%s", outB)
	}
	if outA, outB = a.tick(), b.tick(); outA+outB != "" {
		t.Fatalf("opened twice:\n%s%s", outA, outB)
	}

	// alice checks in through b; the status edit is a's.
	out = b.say("alice", "!checkin green", false)
	if strings.Contains(out, "[group edit]") {
		t.Fatalf("b edited the status at once:\n%s", out)
	}
	o = run(clock, 2*time.Second, b, a)
	outB, outA = o[0], o[1]
	if outB != "" {
		t.Fatalf("b edited the status of a group it does not hold:\n%s", outB)
	}
	mustHave(t, outA, "group edit", "alice: 🟢 green")
	if outA = a.tick(); outA != "" {
		t.Fatalf("edited twice:\n%s", outA)
	}

	// a dies without releasing its leases. Until they run out nobody does
	// the group's timed work; then b takes over within the lease time.
	if out = b.say("bob", "!checkin amber", false); strings.Contains(out, "[group edit]") {
		t.Fatalf("b edited the status at once:\n%s", out)
	}
	if out = run(clock, 20*time.Second, b)[0]; out != "" || b.b.Holds(group) {
		t.Fatalf("b took over a live lease:\n%s", out)
	}
	out = run(clock, 20*time.Second, b)[0] // 40 s after a's last renewal
	if !b.b.Holds(group) {
		t.Fatal("b did not take the group over after a's lease ran out")
	}
	mustHave(t, out, "group edit", "bob: 🟠 amber")

	// The round closes once, from b.
	out = run(clock, 45*time.Minute, b)[0]
	mustHave(t, out, "group", "The round has closed.")
	if out = b.tick(); out != "" {
		t.Fatalf("closed twice:\n%s", out)
	}
}

// A process that stops cleanly hands its groups over at once.
func TestSharedLeasesReleasedOnStop(t *testing.T) {
	path, key := filepath.Join(t.TempDir(), "peerbot.db"), store.GenerateKey()
	clock := bot.NewManualClock(time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC))
	var seq int
	a := newProcess(t, path, key, clock, "a", &seq)
	b := newProcess(t, path, key, clock, "b", &seq)
	a.say("dana", "!round start 30 Arriving", true)

	ctx, cancel := context.WithCancel(context.Background())
	wait := a.b.Start(ctx)
	if !a.b.Holds(group) {
		t.Fatal("a does not hold the group after its first tick")
	}
	cancel()
	wait()
	b.tick()
	if !b.b.Holds(group) {
		t.Fatal("b did not take the group at once after a stopped cleanly")
	}
}
