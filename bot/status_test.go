package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/bot/bottest"
	"github.com/peerbot/peerbot/store/storetest"
)

// A round with 1,000 members keeps its status within the platform's limit:
// the list ends with "…and N more", and the counts stay whole.
func TestBigRoundStatus(t *testing.T) {
	h := newHarness(t)
	const g, ch = bot.GroupID("test:big"), bot.ChannelID("test:big")
	round, _ := storetest.SeedRound(t, h.st, g, ch, 1000)
	h.clock.Set(round.OpenedAt.Add(time.Minute))
	h.p.Limit = 2000 // Discord's message size
	cmd, _ := h.b.Commands().ParseLine("checkin amber")
	ev := bot.Event{ID: "late", Kind: bot.EventCommand, Group: g, Channel: ch, Member: bot.Member{ID: "test:zoe", Name: "zoe"}, Command: cmd}
	if o := h.b.Handle(context.Background(), ev); o != bot.Done {
		t.Fatalf("check-in = %v:\n%s", o, bottest.Transcript(h.p.Take()))
	}
	var status string
	for _, m := range h.p.Sent() {
		if strings.HasSuffix(m.Reply.Key, "/status") {
			status = m.Reply.Text.String()
		}
	}
	if n := utf8.RuneCountInString(status); n == 0 || n > 2000 {
		t.Fatalf("status is %d characters, want 1–2000", n)
	}
	if !strings.Contains(status, "more (1001 in this round so far; 0 of them passed).") || !strings.Contains(status, "• Seed 0: 🟢 green") {
		t.Errorf("status does not end with the rest counted:\n%s", status)
	}
	// The summary's counts are whole however long the list.
	h.clock.Advance(2 * time.Hour)
	if err := h.b.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := bottest.Transcript(h.p.Take())
	if !strings.Contains(out, "1001 people checked in") || !strings.Contains(out, "🟢 green 1000 · 🟠 amber 1") {
		t.Errorf("summary:\n%s", out)
	}
}
