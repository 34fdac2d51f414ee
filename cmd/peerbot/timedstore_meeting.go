package main

import (
	"context"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// The store methods of the whole meeting (issue 15), timed like the rest.

func (s timedStore) PauseSchedule(ctx context.Context, g bot.GroupID, id int64, paused bool) error {
	defer s.since("PauseSchedule", time.Now())
	return s.Store.PauseSchedule(ctx, g, id, paused)
}

func (s timedStore) SkipDay(ctx context.Context, id int64, day string) (bool, error) {
	defer s.since("SkipDay", time.Now())
	return s.Store.SkipDay(ctx, id, day)
}

func (s timedStore) SkippedDays(ctx context.Context, id int64, from string) ([]string, error) {
	defer s.since("SkippedDays", time.Now())
	return s.Store.SkippedDays(ctx, id, from)
}

func (s timedStore) SetReminderLead(ctx context.Context, g bot.GroupID, m bot.MemberID, minutes int) error {
	defer s.since("SetReminderLead", time.Now())
	return s.Store.SetReminderLead(ctx, g, m, minutes)
}

func (s timedStore) ReminderLeads(ctx context.Context, g bot.GroupID) ([]bot.Reminder, error) {
	defer s.since("ReminderLeads", time.Now())
	return s.Store.ReminderLeads(ctx, g)
}

func (s timedStore) ClaimReminder(ctx context.Context, id int64, occ time.Time, lead time.Duration) (bool, error) {
	defer s.since("ClaimReminder", time.Now())
	return s.Store.ClaimReminder(ctx, id, occ, lead)
}
