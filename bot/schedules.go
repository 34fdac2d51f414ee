package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot/schedule"
)

func weekly(s Schedule, zone *time.Location) schedule.Weekly {
	return schedule.Weekly{Days: s.Days, Hour: s.Hour, Minute: s.Minute, Zone: zone}
}

func (b *Bot) cmdTimezone(c *call) error {
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	name := c.cmd.Text("zone")
	if name == "" {
		c.private(textTimezone(b.zone(g)))
		return nil
	}
	if !c.ev.Member.Facilitator {
		return Userf(textFacilitatorsOnly())
	}
	loc, err := schedule.LoadZone(name)
	if err != nil {
		return Userf(textBadZone())
	}
	g.Timezone = loc.String()
	if err := c.st.SaveGroup(c.ctx, g); err != nil {
		return fmt.Errorf("set time zone: %w", err)
	}
	// Occurrences that lie in the past in the new zone are not "missed":
	// mark them dealt with, so changing the zone opens or reports nothing.
	ss, err := c.st.Schedules(c.ctx, c.group)
	if err != nil {
		return fmt.Errorf("set time zone: %w", err)
	}
	for _, s := range ss {
		if occ := weekly(s, loc).Last(c.now); !occ.IsZero() {
			if _, err := c.st.ClaimOccurrence(c.ctx, s.ID, occ); err != nil {
				return fmt.Errorf("set time zone: %w", err)
			}
		}
	}
	c.private(textTimezoneSet(loc))
	return nil
}

func (b *Bot) cmdScheduleRound(c *call) error {
	if c.ev.Channel == "" {
		return Userf(textRoundNeedsChannel())
	}
	days := c.cmd.Days("days")
	hour, minute, _ := c.cmd.Clock("time")
	minutes, prompt := roundStart(c.cmd)
	existing, err := c.st.Schedules(c.ctx, c.group)
	if err != nil {
		return fmt.Errorf("add schedule: %w", err)
	}
	for _, s := range existing {
		if s.Channel == c.ev.Channel && s.Hour == hour && s.Minute == minute && sameDays(s.Days, days) {
			return Userf(textScheduleExists(s.ID))
		}
	}
	s, err := c.st.AddSchedule(c.ctx, Schedule{Group: c.group, Channel: c.ev.Channel, Days: days, Hour: hour, Minute: minute,
		Minutes: minutes, Prompt: prompt, CreatedBy: c.ev.Member.ID, CreatedAt: c.now})
	if err != nil {
		return fmt.Errorf("add schedule: %w", err)
	}
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	zone := b.zone(g)
	c.private(textScheduled(s, zone, weekly(s, zone).Next(c.now)))
	return nil
}

func (b *Bot) cmdScheduleList(c *call) error {
	ss, err := c.st.Schedules(c.ctx, c.group)
	if err != nil {
		return fmt.Errorf("list schedules: %w", err)
	}
	if len(ss) == 0 {
		c.private(textNoSchedules())
		return nil
	}
	g, err := b.groupOf(c.ctx, c.st, c.group)
	if err != nil {
		return err
	}
	notes, err := b.scheduleNotes(c, ss, b.zone(g))
	if err != nil {
		return fmt.Errorf("list schedules: %w", err)
	}
	c.private(textSchedules(ss, b.zone(g)).Add(notes))
	return nil
}

func (b *Bot) cmdScheduleRemove(c *call) error {
	n, _ := c.cmd.Int("number")
	id := int64(n)
	if err := c.st.RemoveSchedule(c.ctx, c.group, id); errors.Is(err, ErrNotFound) {
		return Userf(textNoSuchSchedule(id))
	} else if err != nil {
		return fmt.Errorf("remove schedule: %w", err)
	}
	c.private(textScheduleRemoved(id))
	return nil
}

func (b *Bot) cmdRemind(c *call) error {
	on := c.cmd.Text("switch") == "on"
	if err := c.st.SetReminders(c.ctx, c.group, c.ev.Member.ID, on); err != nil {
		return fmt.Errorf("set reminders: %w", err)
	}
	lead, _ := c.cmd.Int("lead")
	if on {
		if err := c.st.SetReminderLead(c.ctx, c.group, c.ev.Member.ID, lead); err != nil {
			return fmt.Errorf("set reminders: %w", err)
		}
	}
	if on && lead > 0 {
		c.private(textRemindersLead(lead))
		return nil
	}
	c.private(textReminders(on))
	return nil
}

// runSchedules opens the rounds whose scheduled time has come. Each
// occurrence is claimed in the store first, so it opens once however often
// Tick runs, across restarts and processes. An occurrence missed while the
// bot was down opens late if its window is still open; else the
// facilitators are told once that it was skipped.
func (b *Bot) runSchedules(ctx context.Context, fail func(error, string)) {
	ss, err := b.store.Schedules(ctx, "")
	if err != nil {
		fail(err, "Listing schedules failed")
		return
	}
	now := b.now()
	known := leads{}
	for _, s := range ss {
		if !b.Holds(s.Group) {
			continue
		}
		g, err := b.groupOf(ctx, b.store, s.Group)
		if err != nil {
			fail(err, "Reading a scheduled group failed")
			continue
		}
		if s.Paused {
			continue
		}
		if err := b.earlyReminders(ctx, s, b.zone(g), now, known); err != nil {
			fail(err, "Sending early reminders failed")
		}
		occ := weekly(s, b.zone(g)).Last(now)
		if occ.IsZero() || !occ.After(s.CreatedAt) {
			continue
		}
		if skipped, err := b.skippedNow(ctx, s, occ, b.zone(g)); err != nil {
			fail(err, "Reading skipped days failed")
			continue
		} else if skipped {
			continue
		}
		if err := b.openScheduled(ctx, s, occ, now); err != nil {
			fail(err, "Opening a scheduled round failed")
		}
	}
}

func (b *Bot) openScheduled(ctx context.Context, s Schedule, occ, now time.Time) error {
	defer b.groupLocks.lock(s.Group)()
	closes := occ.Add(time.Duration(s.Minutes) * time.Minute)
	var out []Reply
	err := b.store.InTx(ctx, func(st Store) error {
		out = nil
		first, err := st.ClaimOccurrence(ctx, s.ID, occ)
		if err != nil || !first {
			return err
		}
		g, err := b.groupOf(ctx, st, s.Group)
		if err != nil {
			return err
		}
		fac := func(t Text) {
			out = append(out, Reply{Visibility: Facilitators, Group: s.Group, Channel: g.FacilitatorsChannel, To: g.LastFacilitator, Text: t})
		}
		zone := b.zone(g)
		if !now.Before(closes) {
			fac(textScheduleMissed(occ, zone))
			return nil
		}
		r, err := st.CreateRound(ctx, Round{Group: s.Group, Channel: s.Channel, Prompt: s.Prompt, OpenedBy: s.CreatedBy, OpenedAt: now, ClosesAt: closes})
		if errors.Is(err, ErrAlreadyExists) {
			fac(textScheduleBlocked(occ, zone))
			return nil
		} else if err != nil {
			return err
		}
		out = append(out, Reply{Visibility: Public, Group: s.Group, Channel: r.Channel, Key: statusKey(r.ID), Text: roundStatusText(r, nil, zone, b.textLimit(r.Group)), Actions: roundActions()})
		rs, err := b.reminders(ctx, st, r, zone, "")
		out = append(out, rs...)
		return err
	})
	if err != nil {
		return fmt.Errorf("scheduled round %d: %w", s.ID, err)
	}
	b.deliver(ctx, nil, out)
	return nil
}

func sameDays(a, b []time.Weekday) bool {
	var x, y [7]bool
	for _, d := range a {
		x[d] = true
	}
	for _, d := range b {
		y[d] = true
	}
	return x == y
}
