package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/bot/bottest"
)

// The core runs its own clock: Start closes what became due while it was
// not running before it returns, and a moved clock is acted on before the
// move returns, with no adapter ticking.
func TestStartRunsTheClock(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start 10")
	h.clock.Advance(11 * time.Minute) // nobody is ticking yet
	if out := bottest.Transcript(h.p.Take()); out != "" {
		t.Fatalf("something happened without the loop:\n%s", out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	wait := h.b.Start(ctx)
	out := bottest.Transcript(h.p.Take())
	if !strings.Contains(out, "The round has closed.") {
		t.Fatalf("Start did not close the round that ran out meanwhile:\n%s", out)
	}

	h.say("dana", "!round start 5")
	h.clock.Advance(5 * time.Minute)
	if out := bottest.Transcript(h.p.Take()); !strings.Contains(out, "The round has closed.") {
		t.Fatalf("moving the clock did not close the round at once:\n%s", out)
	}
	cancel()
	wait()

	// After the loop ended, moving the clock does nothing.
	h.say("dana", "!round start 5")
	h.clock.Advance(time.Hour)
	if out := bottest.Transcript(h.p.Take()); strings.Contains(out, "has closed") {
		t.Fatalf("a stopped loop still ticked:\n%s", out)
	}
}

// With the system clock the loop ticks by itself, every TickEvery: a
// debounced status edit goes out with nobody calling Tick.
func TestStartTicksPeriodically(t *testing.T) {
	p := &bottest.Platform{}
	h := newHarness(t)
	b, err := bot.New(bot.Options{Store: h.st, Platform: p, TickEvery: 10 * time.Millisecond, StatusDelay: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wait := b.Start(ctx)
	for i, l := range []string{"round start 5", "checkin green"} {
		cmd, _ := b.Commands().ParseLine(l)
		ev := bot.Event{ID: l, Kind: bot.EventCommand, Group: group, Channel: channel,
			Member: bot.Member{ID: bot.MemberID("test:m" + l[:1]), Name: []string{"dana", "kit"}[i], Facilitator: i == 0}, Command: cmd}
		if o := b.Handle(context.Background(), ev); o != bot.Done {
			t.Fatal(l, o)
		}
	}
	edited := func() bool { return strings.Contains(bottest.Transcript(p.Sent()), "[group edit] • kit: 🟢 green") }
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !edited(); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	wait()
	if !edited() {
		t.Errorf("the status edit never went out:\n%s", bottest.Transcript(p.Sent()))
	}
}
