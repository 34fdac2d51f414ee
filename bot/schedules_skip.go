package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Schedules that allow a week off (issue 15): skip one occurrence, pause
// and resume, and an early note before a scheduled round opens for
// members who asked for one (!remind on 15m).

const dayLayout = "2006-01-02"

// scheduleOf finds schedule n of the call's group, or says there is none.
func (b *Bot) scheduleOf(c *call) (Schedule, *time.Location, error) {
	n, _ := c.cmd.Int("number")
	ss, err := c.st.Schedules(c.ctx, c.group)
	if err != nil {
		return Schedule{}, nil, fmt.Errorf("schedule: %w", err)
	}
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return Schedule{}, nil, err
	}
	for _, s := range ss {
		if s.ID == int64(n) {
			return s, b.zone(g), nil
		}
	}
	return Schedule{}, nil, Userf(textNoSuchSchedule(int64(n)))
}

// nextOpen is the next occurrence of s after t that is not skipped, or
// zero when there is none in the coming year.
func (b *Bot) nextOpen(c *call, s Schedule, zone *time.Location, t time.Time) (time.Time, error) {
	skipped, err := c.st.SkippedDays(c.ctx, s.ID, t.In(zone).Format(dayLayout))
	if err != nil {
		return time.Time{}, err
	}
	w := weekly(s, zone)
	for i := 0; i < 400; i++ {
		t = w.Next(t)
		if t.IsZero() {
			return t, nil
		}
		if !slices.Contains(skipped, t.In(zone).Format(dayLayout)) {
			return t, nil
		}
	}
	return time.Time{}, nil
}

// skipDate reads the date of !schedule skip: YYYY-MM-DD, or "next" for
// the next occurrence that is not skipped yet.
func (b *Bot) skipDate(c *call, s Schedule, zone *time.Location) (time.Time, error) {
	word := strings.ToLower(c.cmd.Text("date"))
	if word == "next" {
		next, err := b.nextOpen(c, s, zone, c.now)
		if err != nil {
			return time.Time{}, err
		}
		if next.IsZero() {
			return time.Time{}, Userf(textSkipNotADay(s.ID))
		}
		return next, nil
	}
	d, err := time.ParseInLocation(dayLayout, word, zone)
	if err != nil {
		return time.Time{}, Userf(textSkipBadDate())
	}
	if !slices.Contains(s.Days, d.Weekday()) {
		return time.Time{}, Userf(textSkipNotADay(s.ID))
	}
	occ := weekly(s, zone).Next(d.Add(-time.Minute))
	if occ.IsZero() || occ.In(zone).Format(dayLayout) != d.Format(dayLayout) {
		return time.Time{}, Userf(textSkipNotADay(s.ID))
	}
	if !occ.After(c.now) {
		return time.Time{}, Userf(textSkipPast())
	}
	return occ, nil
}

func (b *Bot) cmdScheduleSkip(c *call) error {
	s, zone, err := b.scheduleOf(c)
	if err != nil {
		return err
	}
	occ, err := b.skipDate(c, s, zone)
	if err != nil {
		return err
	}
	day := occ.In(zone).Format(dayLayout)
	first, err := c.st.SkipDay(c.ctx, s.ID, day)
	if err != nil {
		return fmt.Errorf("skip: %w", err)
	}
	if !first {
		return Userf(textSkippedAlready(s.ID, occ, zone))
	}
	next, err := b.nextOpen(c, s, zone, c.now)
	if err != nil {
		return fmt.Errorf("skip: %w", err)
	}
	c.private(textSkipped(s, occ, next, zone))
	return b.tellReminded(c, textSkipNote(occ, next, s.Paused, zone))
}

func (b *Bot) cmdSchedulePause(c *call) error  { return b.pauseSchedule(c, true) }
func (b *Bot) cmdScheduleResume(c *call) error { return b.pauseSchedule(c, false) }

func (b *Bot) pauseSchedule(c *call, pause bool) error {
	s, zone, err := b.scheduleOf(c)
	if err != nil {
		return err
	}
	if s.Paused == pause {
		next, err := b.nextOpen(c, s, zone, c.now)
		if err != nil {
			return err
		}
		return Userf(textPausedAlready(s.ID, pause, next, zone))
	}
	if err := c.st.PauseSchedule(c.ctx, c.group, s.ID, pause); err != nil {
		if errors.Is(err, ErrNotFound) {
			return Userf(textNoSuchSchedule(s.ID))
		}
		return fmt.Errorf("pause schedule: %w", err)
	}
	if pause {
		c.private(textPaused(s.ID))
		return b.tellReminded(c, textPauseNote(s, zone))
	}
	// An occurrence that passed while paused is not "missed": mark it
	// dealt with, so resuming opens or reports nothing late.
	if occ := weekly(s, zone).Last(c.now); !occ.IsZero() {
		if _, err := c.st.ClaimOccurrence(c.ctx, s.ID, occ); err != nil {
			return fmt.Errorf("resume schedule: %w", err)
		}
	}
	next, err := b.nextOpen(c, s, zone, c.now)
	if err != nil {
		return fmt.Errorf("resume schedule: %w", err)
	}
	c.private(textResumed(s.ID, next, zone))
	return b.tellReminded(c, textResumeNote(s, next, zone))
}

// tellReminded sends t privately to the members of the call's group who
// asked for round reminders (not to the facilitator who acted).
func (b *Bot) tellReminded(c *call, t Text) error {
	ms, err := c.st.Reminded(c.ctx, c.group)
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	for _, m := range ms {
		if m.ID != c.ev.Member.ID {
			c.say(Reply{Visibility: Private, Group: c.group, To: m.ID, ToName: m.Name, Text: t})
		}
	}
	return nil
}

// scheduleNotes are the lines !schedule list adds for paused schedules and
// skipped days still to come.
func (b *Bot) scheduleNotes(c *call, ss []Schedule, zone *time.Location) (Text, error) {
	var t Text
	today := c.now.In(zone).Format(dayLayout)
	for _, s := range ss {
		if s.Paused {
			t = t.NL().Add(textScheduleIsPaused(s.ID))
		}
		days, err := c.st.SkippedDays(c.ctx, s.ID, today)
		if err != nil {
			return nil, err
		}
		var dates []time.Time
		for _, d := range days {
			if day, err := time.ParseInLocation(dayLayout, d, zone); err == nil {
				dates = append(dates, day)
			}
		}
		if len(dates) > 0 {
			t = t.NL().Add(textScheduleSkips(s.ID, dates, zone))
		}
	}
	return t, nil
}

// skippedNow reports whether the occurrence occ of s falls on a skipped
// day.
func (b *Bot) skippedNow(ctx context.Context, s Schedule, occ time.Time, zone *time.Location) (bool, error) {
	day := occ.In(zone).Format(dayLayout)
	days, err := b.store.SkippedDays(ctx, s.ID, day)
	if err != nil {
		return false, err
	}
	return len(days) > 0 && days[0] == day, nil
}

// earlyReminders sends the notes before the next occurrence of s to the
// members whose lead time has come, once per occurrence and lead.
// leads are the groups' reminder lead times read once per tick.
type leads map[GroupID][]Reminder

func (l leads) of(ctx context.Context, st Store, g GroupID) ([]Reminder, error) {
	if rs, ok := l[g]; ok {
		return rs, nil
	}
	rs, err := st.ReminderLeads(ctx, g)
	if err != nil {
		return nil, err
	}
	l[g] = rs
	return rs, nil
}

func (b *Bot) earlyReminders(ctx context.Context, s Schedule, zone *time.Location, now time.Time, known leads) error {
	next := weekly(s, zone).Next(now)
	if next.IsZero() || next.Sub(now) > maxMinutes*time.Minute {
		return nil
	}
	rs, err := known.of(ctx, b.store, s.Group)
	if err != nil || len(rs) == 0 {
		return err
	}
	byLead := map[time.Duration][]MemberRecord{}
	for _, r := range rs {
		if !now.Before(next.Add(-r.Lead)) {
			byLead[r.Lead] = append(byLead[r.Lead], r.Member)
		}
	}
	if len(byLead) == 0 {
		return nil
	}
	if skipped, err := b.skippedNow(ctx, s, next, zone); err != nil || skipped {
		return err
	}
	var out []Reply
	var names map[MemberID]string
	for lead, ms := range byLead {
		first, err := b.store.ClaimReminder(ctx, s.ID, next, lead)
		if err != nil {
			return err
		}
		if !first {
			continue
		}
		if names == nil {
			// Names only now that notes go out (the clock asks often).
			names = map[MemberID]string{}
			if rs, err := b.store.Reminded(ctx, s.Group); err == nil {
				for _, m := range rs {
					names[m.ID] = m.Name
				}
			}
		}
		for _, m := range ms {
			out = append(out, Reply{Visibility: Private, Group: s.Group, To: m.ID, ToName: names[m.ID], Text: textEarlyReminder(next, zone)})
		}
	}
	b.deliver(ctx, nil, out)
	return nil
}
