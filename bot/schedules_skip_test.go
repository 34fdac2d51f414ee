package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// A facilitator skips one occurrence (members who turned reminders on are
// told privately), the round does not open that day and opens the week
// after; a paused schedule opens nothing, and resuming does not open a
// round that passed while paused.
func TestScheduleSkipPauseResume(t *testing.T) { eachStore(t, testScheduleSkipPauseResume) }

func testScheduleSkipPauseResume(t *testing.T, db string) {
	h := newHarnessIn(t, db) // Thursday 26 Nov 2026, 18:00 London
	h.facil["dana"] = true
	h.say("dana", "!schedule round thu 19:00 30")
	h.say("bob", "!remind on")

	out := h.say("alice", "!schedule skip 1 2026-12-03")
	mustHave(t, out, "dm alice", "That one is for facilitators")
	out = h.say("dana", "!schedule skip 1 2026-12-02")
	mustHave(t, out, "dm dana", "Schedule 1 doesn't open on that day, so there's nothing to skip.")
	out = h.say("dana", "!schedule skip 1 3 December")
	mustHave(t, out, "dm dana", "I didn't follow the end of that, so I haven't done anything.")
	out = h.say("dana", "!schedule skip 1 soon")
	mustHave(t, out, "dm dana", "I couldn't read the date. Please write it like 2026-12-24")
	out = h.say("dana", "!schedule skip 1 2026-11-19")
	mustHave(t, out, "dm dana", "That round's time has already come.")
	out = h.say("dana", "!schedule skip 9 2026-12-03")
	mustHave(t, out, "dm dana", "There's no schedule number 9 in this group.")

	out = h.say("dana", "!schedule skip 1 2026-12-03")
	mustHave(t, out, "dm dana", "Done. Schedule 1 won't open on 3 Dec 2026. The next one opens Thu 26 Nov 19:00 (Europe/London).")
	mustHave(t, out, "dm bob", "There's no round on 3 Dec 2026: the group is taking that one off. The next one opens Thu 26 Nov 19:00 (Europe/London). !remind off stops these notes.")
	mustNot(t, out, "group", "")
	out = h.say("dana", "!schedule skip 1 2026-12-03")
	mustHave(t, out, "dm dana", "Schedule 1 already skips 3 Dec 2026.")
	out = h.say("dana", "!schedule list")
	mustHave(t, out, "dm dana", "Schedule 1 skips 3 Dec 2026.")

	// Tonight's opens; next week's is skipped; the week after opens.
	out = h.advance(time.Hour)
	mustHave(t, out, "group", "Check-in round")
	h.advance(30 * time.Minute)
	out = h.advance(7 * 24 * time.Hour)
	mustNot(t, out, "group", "Check-in round")
	mustNot(t, out, "facilitators", "didn't open")
	h.advance(7*24*time.Hour - 31*time.Minute) // Thu 10 Dec 18:59
	out = h.advance(time.Minute)
	mustHave(t, out, "group", "Check-in round")
	h.advance(30 * time.Minute) // Thu 10 Dec, 19:30

	// "next" skips the next one still to come.
	out = h.say("dana", "!schedule skip 1 next")
	mustHave(t, out, "dm dana", "Done. Schedule 1 won't open on 17 Dec 2026. The next one opens Thu 24 Dec 19:00 (Europe/London).")

	out = h.say("dana", "!schedule pause 1")
	mustHave(t, out, "dm dana", "Done. Schedule 1 is paused and opens nothing until !schedule resume <number>.")
	mustHave(t, out, "dm bob", "The scheduled rounds (Thu at 19:00 (Europe/London)) are paused for now.")
	out = h.say("dana", "!schedule pause 1")
	mustHave(t, out, "dm dana", "Schedule 1 is already paused.")
	out = h.say("dana", "!schedule")
	mustHave(t, out, "dm dana", "Schedule 1 is paused.")
	out = h.advance(14 * 24 * time.Hour) // past 17 and 24 Dec
	mustNot(t, out, "group", "Check-in round")
	mustNot(t, out, "facilitators", "")

	// Thu 24 Dec 19:30: resuming opens nothing late.
	h.clock.Set(time.Date(2026, 12, 24, 19, 10, 0, 0, time.UTC))
	out = h.say("dana", "!schedule resume 1")
	mustHave(t, out, "dm dana", "Done. Schedule 1 is running again. The next one opens Thu 31 Dec 19:00 (Europe/London).")
	mustHave(t, out, "dm bob", "The scheduled rounds (Thu at 19:00 (Europe/London)) are back. The next one opens Thu 31 Dec 19:00 (Europe/London).")
	out = h.advance(time.Minute)
	mustNot(t, out, "group", "Check-in round")
	mustNot(t, out, "facilitators", "")
	out = h.say("dana", "!schedule resume 1")
	mustHave(t, out, "dm dana", "Schedule 1 isn't paused.")
	out = h.advance(7*24*time.Hour - 11*time.Minute)
	mustHave(t, out, "group", "Check-in round")
}

// !remind on 15m: a private note 15 minutes before a scheduled round
// opens, once, and none for a skipped day; !remind on alone keeps only
// the note when it opens.
func TestRemindLeadTime(t *testing.T) { eachStore(t, testRemindLeadTime) }

func testRemindLeadTime(t *testing.T, db string) {
	h := newHarnessIn(t, db) // Thursday 26 Nov 2026, 18:00 London
	h.facil["dana"] = true
	h.say("dana", "!schedule round thu 19:00 30")
	out := h.say("bob", "!remind on 15m")
	mustHave(t, out, "dm bob", "Done. I'll send you a private note 15 minutes before a scheduled round opens, and when a round opens.")
	h.say("cara", "!remind on")
	out = h.say("eve", "!remind on 2000")
	mustHave(t, out, "dm eve", "Please give the minutes as a whole number from 1 to 1440")

	out = h.advance(44 * time.Minute) // 18:44
	mustNot(t, out, "dm bob", "")
	out = h.advance(time.Minute) // 18:45
	mustHave(t, out, "dm bob", "A round opens in your group Thu 26 Nov 19:00 (Europe/London). Join in if you'd like; passing is fine too. !remind off stops these notes.")
	mustNot(t, out, "dm cara", "")
	out = h.advance(time.Minute)
	mustNot(t, out, "dm bob", "")
	h.restart()
	out = h.advance(time.Minute)
	mustNot(t, out, "dm bob", "")
	out = h.advance(13 * time.Minute) // 19:00
	mustHave(t, out, "dm bob", "A check-in round has opened")
	mustHave(t, out, "dm cara", "A check-in round has opened")
	h.advance(30 * time.Minute)

	// Next week is skipped: no early note.
	h.say("dana", "!schedule skip 1 next")
	out = h.advance(7*24*time.Hour - 45*time.Minute)
	mustNot(t, out, "dm bob", "A round opens")

	// remind on without minutes: the early note stops.
	h.say("bob", "!remind on")
	out = h.advance(7*24*time.Hour - time.Minute) // Thu 10 Dec 18:44
	out += h.advance(16 * time.Minute)
	mustNot(t, out, "dm bob", "A round opens")
	mustHave(t, out, "dm bob", "A check-in round has opened")
}

// BenchmarkTickSchedules: one clock tick over 50 weekly schedules, an
// hour before they open, with 20 members asking for a note 15 minutes
// before (none due yet): the cost the skip and early-note checks add to
// every tick.
func BenchmarkTickSchedules(b *testing.B) {
	h := newHarness(b) // Thursday 18:00 London
	h.facil["dana"] = true
	for i := 0; i < 50; i++ {
		h.say("dana", fmt.Sprintf("!schedule round thu 19:%02d 30", i))
	}
	for i := 0; i < 20; i++ {
		h.say(fmt.Sprintf("m%d", i), "!remind on 15m")
	}
	h.say("dana", "!schedule skip 1 next")
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := h.b.Tick(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
