package store

import (
	"context"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// SetReminders turns round reminders for member m in group g on or off.
func (s *Store) SetReminders(ctx context.Context, g bot.GroupID, m bot.MemberID, on bool) error {
	q := `DELETE FROM reminders WHERE group_id = ? AND member_id = ?`
	if on {
		q = `INSERT INTO reminders (group_id, member_id) VALUES (?, ?) ON CONFLICT DO NOTHING`
	}
	if _, err := s.exec(ctx, q, g, m); err != nil {
		return fmt.Errorf("set reminders: %w", translate(err))
	}
	return nil
}

// Reminded lists the members of g who asked for round reminders, by name
// (then id), with their IDs and names only. The names are encrypted, so the
// sorting is done here, not in SQL.
func (s *Store) Reminded(ctx context.Context, g bot.GroupID) ([]bot.MemberRecord, error) {
	rows, err := s.query(ctx, `
		SELECT r.member_id, m.sealed, m.id IS NOT NULL FROM reminders r
		LEFT JOIN members m ON m.id = r.member_id
		WHERE r.group_id = ?`, g)
	if err != nil {
		return nil, fmt.Errorf("list reminded: %w", translate(err))
	}
	defer rows.Close()
	var out []bot.MemberRecord
	for rows.Next() {
		var m bot.MemberRecord
		var sealed []byte
		var saved bool
		if err := rows.Scan(&m.ID, &sealed, &saved); err != nil {
			return nil, fmt.Errorf("list reminded: %w", err)
		}
		if saved {
			if err := s.box.openMember(&m, sealed); err != nil {
				return nil, fmt.Errorf("list reminded: %w", err)
			}
			m.Country, m.LastSupportAt = "", time.Time{}
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list reminded: %w", err)
	}
	sortByName(out, false)
	return out, nil
}

// reminderGroups lists the groups where m asked for reminders.
func (s *Store) reminderGroups(ctx context.Context, m bot.MemberID) ([]bot.GroupID, error) {
	rows, err := s.query(ctx, `SELECT group_id FROM reminders WHERE member_id = ? ORDER BY group_id`, m)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.GroupID
	for rows.Next() {
		var g bot.GroupID
		if err := rows.Scan(&g); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
