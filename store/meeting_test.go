package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// A closing round is stored as one: its kind survives reading it back.
func TestClosingRoundKind(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	r, err := s.CreateRound(ctx, bot.Round{Group: "g", Channel: "c", OpenedAt: t0, ClosesAt: t0.Add(time.Hour), Closing: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.OpenRound(ctx, "c")
	if err != nil || !got.Closing || got.ID != r.ID {
		t.Fatalf("open round %+v, %v; want the closing round %d", got, err, r.ID)
	}
	if err := s.CloseRound(ctx, r.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	r2, err := s.CreateRound(ctx, bot.Round{Group: "g", Channel: "c", OpenedAt: t0, ClosesAt: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.OpenRound(ctx, "c"); got.Closing || got.ID != r2.ID {
		t.Fatalf("a check-in round read back as %+v", got)
	}
}

// Pausing, skipping days and early reminders: each claim counts once, a
// removed schedule's skips go with it, and a member's lead goes with
// !forgetme.
func TestScheduleSkipsAndLeads(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	sc, err := s.AddSchedule(ctx, bot.Schedule{Group: "g", Channel: "c", Days: []time.Weekday{time.Thursday}, Hour: 19, Minutes: 30, CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PauseSchedule(ctx, "other", sc.ID, true); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("pausing another group's schedule: %v, want ErrNotFound", err)
	}
	if err := s.PauseSchedule(ctx, "g", sc.ID, true); err != nil {
		t.Fatal(err)
	}
	if ss, _ := s.Schedules(ctx, "g"); len(ss) != 1 || !ss[0].Paused {
		t.Fatalf("schedules after pause: %+v", ss)
	}
	if err := s.PauseSchedule(ctx, "g", sc.ID, false); err != nil {
		t.Fatal(err)
	}
	if ss, _ := s.Schedules(ctx, "g"); ss[0].Paused {
		t.Fatalf("still paused after resume")
	}

	for _, d := range []string{"2026-12-31", "2026-12-24", "2026-12-24"} {
		if _, err := s.SkipDay(ctx, sc.ID, d); err != nil {
			t.Fatal(err)
		}
	}
	if first, _ := s.SkipDay(ctx, sc.ID, "2026-12-31"); first {
		t.Error("a day skipped twice counted as new")
	}
	if days, _ := s.SkippedDays(ctx, sc.ID, "2026-12-25"); !slices.Equal(days, []string{"2026-12-31"}) {
		t.Errorf("skipped days from 25 Dec: %v", days)
	}
	if days, _ := s.SkippedDays(ctx, sc.ID, ""); !slices.Equal(days, []string{"2026-12-24", "2026-12-31"}) {
		t.Errorf("skipped days: %v", days)
	}

	if err := s.SaveMember(ctx, memberRec("m:bob", "Bob")); err != nil {
		t.Fatal(err)
	}
	if err := s.SetReminderLead(ctx, "g", "m:bob", 15); err != nil { // reminders off: nothing
		t.Fatal(err)
	}
	if rs, _ := s.ReminderLeads(ctx, "g"); len(rs) != 0 {
		t.Errorf("a lead without reminders on: %+v", rs)
	}
	if err := s.SetReminders(ctx, "g", "m:bob", true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetReminders(ctx, "g", "m:cara", true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetReminderLead(ctx, "g", "m:bob", 15); err != nil {
		t.Fatal(err)
	}
	rs, err := s.ReminderLeads(ctx, "g")
	if err != nil || len(rs) != 1 || rs[0].Member.ID != "m:bob" || rs[0].Lead != 15*time.Minute {
		t.Fatalf("reminder leads %+v, %v", rs, err)
	}
	occ := t0.Add(24 * time.Hour)
	if first, _ := s.ClaimReminder(ctx, sc.ID, occ, 15*time.Minute); !first {
		t.Error("first early reminder not claimed")
	}
	if first, _ := s.ClaimReminder(ctx, sc.ID, occ, 15*time.Minute); first {
		t.Error("an early reminder claimed twice")
	}
	if first, _ := s.ClaimReminder(ctx, sc.ID, occ, 30*time.Minute); !first {
		t.Error("another lead's reminder not claimed")
	}

	if err := s.ForgetMember(ctx, "m:bob"); err != nil {
		t.Fatal(err)
	}
	if rs, _ := s.ReminderLeads(ctx, "g"); len(rs) != 0 {
		t.Errorf("a forgotten member's lead is still there: %+v", rs)
	}

	if err := s.RemoveSchedule(ctx, "g", sc.ID); err != nil {
		t.Fatal(err)
	}
	if days, _ := s.SkippedDays(ctx, sc.ID, ""); len(days) != 0 {
		t.Errorf("a removed schedule's skips remain: %v", days)
	}
	if _, err := s.SkipDay(ctx, sc.ID, "2027-01-07"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("skipping a day of a removed schedule: %v, want ErrNotFound", err)
	}
}
