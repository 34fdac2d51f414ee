package store

import (
	"context"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// The whole meeting (issue 15): paused and skipped schedules, and the
// early note before a scheduled round opens.

// PauseSchedule pauses (or resumes) schedule id of group g, or returns
// bot.ErrNotFound.
func (s *Store) PauseSchedule(ctx context.Context, g bot.GroupID, id int64, paused bool) error {
	flag := 0
	if paused {
		flag = 1
	}
	res, err := s.exec(ctx, `UPDATE schedules SET paused = ? WHERE id = ? AND group_id = ?`, flag, id, g)
	if err != nil {
		return fmt.Errorf("pause schedule: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("pause schedule: %w", err)
	} else if n == 0 {
		return fmt.Errorf("pause schedule %d: %w", id, bot.ErrNotFound)
	}
	return nil
}

// SkipDay records that schedule id opens nothing on day (YYYY-MM-DD in
// the group's time zone). It returns false, with no error, when the day
// was skipped before, and bot.ErrNotFound for a removed schedule.
func (s *Store) SkipDay(ctx context.Context, id int64, day string) (bool, error) {
	// ON CONFLICT, not a failed insert: on PostgreSQL a failed statement
	// would end the caller's transaction.
	res, err := s.exec(ctx, `INSERT INTO schedule_skips (schedule_id, day) VALUES (?, ?)
		ON CONFLICT (schedule_id, day) DO NOTHING`, id, day)
	if err != nil {
		return false, fmt.Errorf("skip day: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("skip day: %w", err)
	}
	return n == 1, nil
}

// SkippedDays lists the days schedule id skips from day from on
// (YYYY-MM-DD, compared as text), earliest first.
func (s *Store) SkippedDays(ctx context.Context, id int64, from string) ([]string, error) {
	rows, err := s.query(ctx, `SELECT day FROM schedule_skips WHERE schedule_id = ? AND day >= ? ORDER BY day`, id, from)
	if err != nil {
		return nil, fmt.Errorf("list skipped days: %w", translate(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("list skipped days: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list skipped days: %w", err)
	}
	return out, nil
}

// SetReminderLead sets how many minutes before a scheduled round opens
// member m of group g gets a note (0: none before, only when it opens).
// Reminders must be on (SetReminders); otherwise nothing changes.
func (s *Store) SetReminderLead(ctx context.Context, g bot.GroupID, m bot.MemberID, minutes int) error {
	if _, err := s.exec(ctx, `UPDATE reminders SET lead_minutes = ? WHERE group_id = ? AND member_id = ?`, minutes, g, m); err != nil {
		return fmt.Errorf("set reminder lead: %w", translate(err))
	}
	return nil
}

// ReminderLeads lists the members of g who asked for a note before a
// scheduled round opens, with their lead times, by member id. Only the
// ids are read (no names are decrypted): the clock asks often.
func (s *Store) ReminderLeads(ctx context.Context, g bot.GroupID) ([]bot.Reminder, error) {
	rows, err := s.query(ctx, `SELECT member_id, lead_minutes FROM reminders
		WHERE group_id = ? AND lead_minutes > 0 ORDER BY member_id`, g)
	if err != nil {
		return nil, fmt.Errorf("list reminder leads: %w", translate(err))
	}
	defer rows.Close()
	var out []bot.Reminder
	for rows.Next() {
		var r bot.Reminder
		var n int
		if err := rows.Scan(&r.Member.ID, &n); err != nil {
			return nil, fmt.Errorf("list reminder leads: %w", err)
		}
		r.Lead = time.Duration(n) * time.Minute
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list reminder leads: %w", err)
	}
	return out, nil
}

// ClaimReminder records that the early note with the given lead before
// the occurrence of schedule id at occ was sent. It returns false, with
// no error, when it was claimed before.
func (s *Store) ClaimReminder(ctx context.Context, id int64, occ time.Time, lead time.Duration) (bool, error) {
	res, err := s.exec(ctx, `INSERT INTO reminder_runs (schedule_id, occurrence_at, lead_minutes) VALUES (?, ?, ?)
		ON CONFLICT (schedule_id, occurrence_at, lead_minutes) DO NOTHING`,
		id, millis(occ), int(lead/time.Minute))
	if err != nil {
		return false, fmt.Errorf("claim reminder: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim reminder: %w", err)
	}
	return n == 1, nil
}
