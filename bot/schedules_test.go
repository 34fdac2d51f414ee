package bot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// A scheduled round opens on time in the group's zone, exactly once, even
// across a restart at that minute; members who opted in get a private note.
func TestScheduledRoundOpensOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, db string) {
		h := newHarnessIn(t, db) // Thursday 26 Nov 2026, 18:00 UTC = 18:00 London
		h.facil["dana"] = true
		out := h.say("alice", "!timezone")
		mustHave(t, out, "dm alice", "This group's time zone is Europe/London.")
		out = h.say("alice", "!timezone Asia/Tokyo")
		mustHave(t, out, "dm alice", "That one is for facilitators")
		out = h.say("dana", "!timezone Mars/Olympus")
		mustHave(t, out, "dm dana", "I don't know that time zone.")
		out = h.say("dana", "!timezone America/New_York")
		mustHave(t, out, "dm dana", "This group's time zone is now America/New_York.")

		out = h.say("dana", "!schedule round thu 14:00 45 How are you arriving?")
		mustHave(t, out, "dm dana", "Scheduled (number 1): a 45-minute round here. Thu at 14:00 (America/New_York). The next one opens Thu 26 Nov 14:00 (America/New_York).")
		out = h.say("alice", "!schedule round thu 14:00")
		mustHave(t, out, "dm alice", "That one is for facilitators")
		for _, bad := range []string{"!schedule round thu", "!schedule round someday 14:00", "!schedule round thu 25:00", "!schedule round thu 14:00 2000"} {
			out = h.say("dana", bad)
			if len(lines(out, "dm dana")) == 0 || has(out, "dm dana", "Scheduled (") {
				t.Fatalf("%q: want a kind refusal, got:\n%s", bad, out)
			}
		}
		out = h.say("dana", "!schedule list")
		mustHave(t, out, "dm dana", "1. Thu at 14:00 (America/New_York), 45 minutes: How are you arriving?")

		out = h.say("bob", "!remind on")
		mustHave(t, out, "dm bob", "I'll send you a private note when a round opens")

		// 18:59 UTC is 13:59 in New York: nothing yet.
		if out = h.advance(59 * time.Minute); out != "" {
			t.Fatalf("opened early:\n%s", out)
		}
		out = h.advance(time.Minute)
		mustHave(t, out, "group", "Check-in round: How are you arriving?")
		mustHave(t, out, "group", "Open until 14:45 (America/New_York).")
		mustHave(t, out, "dm bob", "A check-in round has opened in your group, until 14:45 (America/New_York).")
		mustNot(t, out, "dm alice", "")

		// A restart at the same minute does not open it again.
		h.restart()
		if out = h.advance(10 * time.Second); out != "" {
			t.Fatalf("opened twice after restart:\n%s", out)
		}
		out = h.advance(45 * time.Minute)
		mustHave(t, out, "group", "The round has closed.")

		// Next week, same local time.
		out = h.advance(7*24*time.Hour - 45*time.Minute - 10*time.Second)
		mustHave(t, out, "group", "Check-in round: How are you arriving?")

		out = h.say("dana", "!schedule remove 7")
		mustHave(t, out, "dm dana", "There's no schedule number 7 in this group.")
		out = h.say("dana", "!schedule remove 1")
		mustHave(t, out, "dm dana", "Removed schedule 1.")
		out = h.say("dana", "!schedule")
		mustHave(t, out, "dm dana", "No rounds are scheduled.")
	})
}

// A 19:00 London meeting stays 19:00 London when the clocks change.
func TestScheduleAcrossDST(t *testing.T) {
	eachStore(t, func(t *testing.T, db string) {
		h := newHarnessIn(t, db)
		h.clock.Set(time.Date(2027, 3, 22, 12, 0, 0, 0, time.UTC)) // Monday, GMT
		h.facil["dana"] = true
		h.say("dana", "!schedule round mon 19:00 30")
		out := h.advance(7 * time.Hour) // 19:00 GMT
		mustHave(t, out, "group", "Open until 19:30 (Europe/London).")
		h.advance(30 * time.Minute)
		// 28 March 2027: clocks go forward. The next Monday's 19:00 BST is 18:00 UTC.
		h.clock.Set(time.Date(2027, 3, 29, 17, 59, 0, 0, time.UTC))
		if out = h.advance(0); out != "" {
			t.Fatalf("opened early:\n%s", out)
		}
		out = h.advance(time.Minute)
		mustHave(t, out, "group", "Open until 19:30 (Europe/London).")
	})
}

// An occurrence missed while the bot was down: skipped (facilitators told
// once) when its window has passed, opened late for the rest of it when not.
func TestMissedScheduledRound(t *testing.T) {
	eachStore(t, func(t *testing.T, db string) {
		h := newHarnessIn(t, db) // Thu 26 Nov 2026 18:00 London
		h.facil["dana"] = true
		h.say("dana", "!schedule round fri 10:00 30")
		h.clock.Set(time.Date(2026, 11, 27, 10, 40, 0, 0, time.UTC))
		out := h.advance(0)
		mustHave(t, out, "facilitators", "The round scheduled for Fri 27 Nov 10:00 (Europe/London) didn't open")
		mustNot(t, out, "group", "")
		if out = h.advance(time.Minute); out != "" {
			t.Fatalf("told twice:\n%s", out)
		}
		h.clock.Set(time.Date(2026, 12, 4, 10, 10, 0, 0, time.UTC))
		out = h.advance(0)
		mustHave(t, out, "group", "Open until 10:30 (Europe/London).")
		out = h.advance(20 * time.Minute)
		mustHave(t, out, "group", "The round has closed.")
	})
}

// Two processes ticking at the same moment open the round once.
func TestScheduleRace(t *testing.T) {
	eachStore(t, func(t *testing.T, db string) {
		h := newHarnessIn(t, db)
		h.facil["dana"] = true
		h.say("dana", "!schedule round thu 18:30")
		h.clock.Advance(30 * time.Minute)
		// The other bot has a Store of its own on the same database, as a
		// second process would.
		st2, err := store.OpenURL(context.Background(), db, store.WithKey(h.key))
		if err != nil {
			t.Fatal(err)
		}
		defer st2.Close()
		other, err := bot.New(bot.Options{Store: st2, Platform: h.p, Clock: h.clock, DefaultTimezone: "Europe/London"})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, b := range []*bot.Bot{h.b, other, h.b, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := b.Tick(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		opened := 0
		for _, m := range h.p.Take() {
			if m.Reply.Visibility == bot.Public && m.Reply.Edit == "" {
				opened++
			}
		}
		if opened != 1 {
			t.Fatalf("round opened %d times, want 1", opened)
		}
	})
}

// Changing the time zone reports no "missed" round and opens nothing; the
// same round cannot be scheduled twice.
func TestTimezoneChangeIsNotAMiss(t *testing.T) {
	eachStore(t, func(t *testing.T, db string) {
		h := newHarnessIn(t, db) // Thu 26 Nov 2026 18:00 UTC
		h.facil["dana"] = true
		h.say("dana", "!schedule round daily 19:00")
		out := h.say("dana", "!schedule round daily 19:00")
		mustHave(t, out, "dm dana", "That round is already scheduled here (number 1).")
		// 19:00 in Tokyo was hours ago.
		out = h.say("dana", "!timezone Asia/Tokyo")
		mustHave(t, out, "dm dana", "This group's time zone is now Asia/Tokyo.")
		if out = h.advance(time.Second); out != "" {
			t.Fatalf("a zone change opened or reported a round:\n%s", out)
		}
		// The next 19:00 Tokyo (10:00 UTC tomorrow) opens.
		out = h.advance(16 * time.Hour)
		mustHave(t, out, "group", "Open until 19:30 (Asia/Tokyo).")
	})
}
