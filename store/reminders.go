package store

import (
	"context"
	"fmt"

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

// Reminded lists the members of g who asked for round reminders, by name.
func (s *Store) Reminded(ctx context.Context, g bot.GroupID) ([]bot.MemberRecord, error) {
	rows, err := s.query(ctx, `
		SELECT r.member_id, COALESCE(m.name, '') FROM reminders r
		LEFT JOIN members m ON m.id = r.member_id
		WHERE r.group_id = ? ORDER BY m.name, r.member_id`, g)
	if err != nil {
		return nil, fmt.Errorf("list reminded: %w", translate(err))
	}
	defer rows.Close()
	var out []bot.MemberRecord
	for rows.Next() {
		var m bot.MemberRecord
		if err := rows.Scan(&m.ID, &m.Name); err != nil {
			return nil, fmt.Errorf("list reminded: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
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
