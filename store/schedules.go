package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// AddSchedule stores a new schedule and returns it with its ID.
func (s *Store) AddSchedule(ctx context.Context, sc bot.Schedule) (bot.Schedule, error) {
	err := s.queryRow(ctx, `
		INSERT INTO schedules (group_id, channel_id, days, hour, minute, minutes, prompt, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		sc.Group, sc.Channel, formatDays(sc.Days), sc.Hour, sc.Minute, sc.Minutes, sc.Prompt, sc.CreatedBy, millis(sc.CreatedAt)).Scan(&sc.ID)
	if err != nil {
		return bot.Schedule{}, fmt.Errorf("add schedule: %w", translate(err))
	}
	sc.CreatedAt = stored(sc.CreatedAt)
	return sc, nil
}

// Schedules lists the schedules of group g ("" = every group), oldest first.
func (s *Store) Schedules(ctx context.Context, g bot.GroupID) ([]bot.Schedule, error) {
	rows, err := s.query(ctx, `
		SELECT id, group_id, channel_id, days, hour, minute, minutes, prompt, created_by, created_at, paused
		FROM schedules WHERE ?1 = '' OR group_id = ?1 ORDER BY id`, g)
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", translate(err))
	}
	defer rows.Close()
	var out []bot.Schedule
	for rows.Next() {
		var sc bot.Schedule
		var days string
		var created sql.NullInt64
		var paused int64
		if err := rows.Scan(&sc.ID, &sc.Group, &sc.Channel, &days, &sc.Hour, &sc.Minute, &sc.Minutes, &sc.Prompt, &sc.CreatedBy, &created, &paused); err != nil {
			return nil, fmt.Errorf("list schedules: %w", err)
		}
		if sc.Days, err = parseDays(days); err != nil {
			return nil, fmt.Errorf("list schedules: schedule %d: %w", sc.ID, err)
		}
		sc.CreatedAt, sc.Paused = fromMillis(created), paused != 0
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	return out, nil
}

// RemoveSchedule deletes schedule id of group g, or returns bot.ErrNotFound.
func (s *Store) RemoveSchedule(ctx context.Context, g bot.GroupID, id int64) error {
	res, err := s.exec(ctx, `DELETE FROM schedules WHERE id = ? AND group_id = ?`, id, g)
	if err != nil {
		return fmt.Errorf("remove schedule: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("remove schedule: %w", err)
	} else if n == 0 {
		return fmt.Errorf("remove schedule %d: %w", id, bot.ErrNotFound)
	}
	return nil
}

// ClaimOccurrence records that an occurrence was dealt with. It returns
// false when it was claimed before. A claim for a removed schedule returns
// bot.ErrNotFound.
func (s *Store) ClaimOccurrence(ctx context.Context, id int64, at time.Time) (bool, error) {
	err := s.savepoint(ctx, func() error { // a second claim fails
		_, err := s.exec(ctx, `INSERT INTO schedule_runs (schedule_id, occurrence_at) VALUES (?, ?)`, id, millis(at))
		return err
	})
	if err == nil {
		return true, nil
	}
	if err = translate(err); errors.Is(err, bot.ErrAlreadyExists) {
		return false, nil
	}
	return false, fmt.Errorf("claim occurrence: %w", err)
}

func formatDays(days []time.Weekday) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(int(d))
	}
	return strings.Join(parts, ",")
}

func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 6 {
			return nil, fmt.Errorf("bad days %q", s)
		}
		out = append(out, time.Weekday(n))
	}
	return out, nil
}
