package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Member returns what is stored about a member, or bot.ErrNotFound.
func (s *Store) Member(ctx context.Context, id bot.MemberID) (bot.MemberRecord, error) {
	row := s.queryRow(ctx, `
		SELECT id, name, country, last_support_at, dm_group, forget_asked_at
		FROM members WHERE id = ?`, id)
	var m bot.MemberRecord
	var support, forget sql.NullInt64
	if err := row.Scan(&m.ID, &m.Name, &m.Country, &support, &m.DMGroup, &forget); err != nil {
		return bot.MemberRecord{}, fmt.Errorf("get member: %w", translate(err))
	}
	m.LastSupportAt, m.ForgetAsked = fromMillis(support), fromMillis(forget)
	return m, nil
}

// SaveMember creates or replaces a member's record.
func (s *Store) SaveMember(ctx context.Context, m bot.MemberRecord) error {
	_, err := s.exec(ctx, `
		INSERT INTO members (id, name, country, last_support_at, dm_group, forget_asked_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			name = excluded.name,
			country = excluded.country,
			last_support_at = excluded.last_support_at,
			dm_group = excluded.dm_group,
			forget_asked_at = excluded.forget_asked_at`,
		m.ID, m.Name, m.Country, millis(m.LastSupportAt), m.DMGroup, millis(m.ForgetAsked))
	if err != nil {
		return fmt.Errorf("save member: %w", translate(err))
	}
	return nil
}

// AddMembership records that member m belongs to group g, joined at the
// given time. It reports whether m was not a member before; the first
// joining time is kept.
func (s *Store) AddMembership(ctx context.Context, g bot.GroupID, m bot.MemberID, at time.Time) (bool, error) {
	res, err := s.exec(ctx, `
		INSERT INTO memberships (group_id, member_id, joined_at) VALUES (?, ?, ?)
		ON CONFLICT (group_id, member_id) DO NOTHING`, g, m, at.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("add membership: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("add membership: %w", err)
	}
	return n == 1, nil
}

// RemoveMembership forgets that m belongs to g. Not an error if m was not a
// member.
func (s *Store) RemoveMembership(ctx context.Context, g bot.GroupID, m bot.MemberID) error {
	_, err := s.exec(ctx, `DELETE FROM memberships WHERE group_id = ? AND member_id = ?`, g, m)
	if err != nil {
		return fmt.Errorf("remove membership: %w", translate(err))
	}
	return nil
}

// GroupsOf lists the groups m belongs to, oldest membership first. A group
// whose settings were never saved is listed with only its ID.
func (s *Store) GroupsOf(ctx context.Context, m bot.MemberID) ([]bot.Group, error) {
	rows, err := s.query(ctx, `
		SELECT ms.group_id, COALESCE(g.name, ''), COALESCE(g.default_country, ''),
			COALESCE(g.facilitators_channel, ''), COALESCE(g.last_facilitator, ''), COALESCE(g.timezone, '')
		FROM memberships ms LEFT JOIN groups g ON g.id = ms.group_id
		WHERE ms.member_id = ?
		ORDER BY ms.joined_at, ms.rowid`, m)
	if err != nil {
		return nil, fmt.Errorf("list groups of member: %w", err)
	}
	defer rows.Close()
	var gs []bot.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("list groups of member: %w", err)
		}
		gs = append(gs, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list groups of member: %w", err)
	}
	return gs, nil
}

// GroupMembers lists the members of g, by name (case-insensitively, then by
// id). A member whose record was never saved is listed with only its ID.
func (s *Store) GroupMembers(ctx context.Context, g bot.GroupID) ([]bot.MemberRecord, error) {
	rows, err := s.query(ctx, `
		SELECT ms.member_id, COALESCE(m.name, ''), COALESCE(m.country, ''),
			m.last_support_at, COALESCE(m.dm_group, ''), m.forget_asked_at
		FROM memberships ms LEFT JOIN members m ON m.id = ms.member_id
		WHERE ms.group_id = ?
		ORDER BY COALESCE(m.name, '') COLLATE NOCASE, ms.member_id`, g)
	if err != nil {
		return nil, fmt.Errorf("list group members: %w", err)
	}
	defer rows.Close()
	var ms []bot.MemberRecord
	for rows.Next() {
		var m bot.MemberRecord
		var support, forget sql.NullInt64
		if err := rows.Scan(&m.ID, &m.Name, &m.Country, &support, &m.DMGroup, &forget); err != nil {
			return nil, fmt.Errorf("list group members: %w", err)
		}
		m.LastSupportAt, m.ForgetAsked = fromMillis(support), fromMillis(forget)
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list group members: %w", err)
	}
	return ms, nil
}
