package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Member returns what is stored about a member, or bot.ErrNotFound. Its
// sealed name, country and last support time that do not decrypt make it
// fail with an error wrapping ErrCannotDecrypt.
func (s *Store) Member(ctx context.Context, id bot.MemberID) (bot.MemberRecord, error) {
	row := s.queryRow(ctx, `SELECT `+memberColumns+` FROM members m WHERE m.id = ?`, id)
	m, err := s.scanMember(row)
	if err != nil {
		return bot.MemberRecord{}, fmt.Errorf("get member: %w", translate(err))
	}
	return m, nil
}

// memberColumns are what scanMember reads, from members m.
const memberColumns = `m.id, m.sealed, m.dm_group, m.forget_asked_at, m.language`

// scanMember reads a member's row and opens its sealed fields.
func (s *Store) scanMember(sc scanner) (bot.MemberRecord, error) {
	var m bot.MemberRecord
	var sealed []byte
	var forget sql.NullInt64
	if err := sc.Scan(&m.ID, &sealed, &m.DMGroup, &forget, &m.Language); err != nil {
		return bot.MemberRecord{}, err
	}
	m.ForgetAsked = fromMillis(forget)
	return m, s.box.openMember(&m, sealed)
}

// SaveMember creates or replaces a member's record. The name, country and
// last support time are stored encrypted, bound to the member.
func (s *Store) SaveMember(ctx context.Context, m bot.MemberRecord) error {
	_, err := s.exec(ctx, `
		INSERT INTO members (id, sealed, dm_group, forget_asked_at, language)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			sealed = excluded.sealed,
			dm_group = excluded.dm_group,
			forget_asked_at = excluded.forget_asked_at,
			language = excluded.language`,
		m.ID, s.box.sealMember(m), m.DMGroup, millis(m.ForgetAsked), m.Language)
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
		SELECT ms.group_id, g.sealed, COALESCE(g.default_country, ''),
			COALESCE(g.facilitators_channel, ''), COALESCE(g.last_facilitator, ''), COALESCE(g.timezone, ''),
			COALESCE(g.language, ''), g.id IS NOT NULL
		FROM memberships ms LEFT JOIN groups g ON g.id = ms.group_id
		WHERE ms.member_id = ?
		ORDER BY ms.joined_at, ms.rowid`, m)
	if err != nil {
		return nil, fmt.Errorf("list groups of member: %w", err)
	}
	defer rows.Close()
	var gs []bot.Group
	for rows.Next() {
		var g bot.Group
		var sealed []byte
		var saved bool
		if err := rows.Scan(&g.ID, &sealed, &g.DefaultCountry, &g.FacilitatorsChannel, &g.LastFacilitator, &g.Timezone, &g.Language, &saved); err != nil {
			return nil, fmt.Errorf("list groups of member: %w", err)
		}
		if saved {
			if g.Name, err = s.box.openName(groupColumn, 0, string(g.ID), sealed); err != nil {
				return nil, fmt.Errorf("list groups of member: %w", err)
			}
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
// The names are encrypted, so the sorting is done here, not in SQL.
func (s *Store) GroupMembers(ctx context.Context, g bot.GroupID) ([]bot.MemberRecord, error) {
	rows, err := s.query(ctx, `
		SELECT ms.member_id, m.sealed, COALESCE(m.dm_group, ''), m.forget_asked_at, COALESCE(m.language, ''), m.id IS NOT NULL
		FROM memberships ms LEFT JOIN members m ON m.id = ms.member_id
		WHERE ms.group_id = ?`, g)
	if err != nil {
		return nil, fmt.Errorf("list group members: %w", err)
	}
	defer rows.Close()
	var ms []bot.MemberRecord
	for rows.Next() {
		var m bot.MemberRecord
		var sealed []byte
		var forget sql.NullInt64
		var saved bool
		if err := rows.Scan(&m.ID, &sealed, &m.DMGroup, &forget, &m.Language, &saved); err != nil {
			return nil, fmt.Errorf("list group members: %w", err)
		}
		m.ForgetAsked = fromMillis(forget)
		if saved {
			if err := s.box.openMember(&m, sealed); err != nil {
				return nil, fmt.Errorf("list group members: %w", err)
			}
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list group members: %w", err)
	}
	sortByName(ms, true)
	return ms, nil
}

// sortByName sorts members by name, then id; foldCase compares names
// case-insensitively.
func sortByName(ms []bot.MemberRecord, foldCase bool) {
	type keyed struct {
		name string
		m    bot.MemberRecord
	}
	ks := make([]keyed, len(ms))
	for i, m := range ms {
		ks[i] = keyed{m.Name, m}
		if foldCase {
			ks[i].name = strings.ToLower(m.Name)
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(string(a.m.ID), string(b.m.ID)))
	})
	for i, k := range ks {
		ms[i] = k.m
	}
}
