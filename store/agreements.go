package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

// CurrentAgreement returns the newest version of g's agreement, or
// bot.ErrNotFound when none was ever set.
func (s *Store) CurrentAgreement(ctx context.Context, g bot.GroupID) (bot.Agreement, error) {
	row := s.queryRow(ctx, `
		SELECT group_id, version, text, set_by, sealed, set_at, is_default
		FROM agreements WHERE group_id = ? ORDER BY version DESC LIMIT 1`, g)
	var a bot.Agreement
	var sealed []byte
	var at sql.NullInt64
	if err := row.Scan(&a.Group, &a.Version, &a.Text, &a.SetBy, &sealed, &at, &a.Default); err != nil {
		return bot.Agreement{}, fmt.Errorf("get current agreement: %w", translate(err))
	}
	a.SetAt = fromMillis(at)
	if sealed == nil {
		return a, nil // who set it was forgotten (ForgetMember)
	}
	var err error
	if a.SetName, err = s.box.openName(agreementColumn, int64(a.Version), string(a.Group), sealed); err != nil {
		return bot.Agreement{}, fmt.Errorf("get current agreement: %w", err)
	}
	return a, nil
}

// AddAgreement stores a new version of a.Group's agreement. The version is
// assigned (the previous one + 1, starting at 1) inside one transaction, so
// two concurrent calls cannot get the same number; a.Version is ignored. It
// returns the agreement as stored. The name of who set it is stored
// encrypted, bound to the group and version.
func (s *Store) AddAgreement(ctx context.Context, a bot.Agreement) (bot.Agreement, error) {
	err := s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM agreements WHERE group_id = ?`,
			a.Group).Scan(&a.Version); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `
			INSERT INTO agreements (group_id, version, text, set_by, sealed, set_at, is_default)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.Group, a.Version, a.Text, a.SetBy, tx.box.sealName(agreementColumn, int64(a.Version), string(a.Group), a.SetName),
			millis(a.SetAt), a.Default)
		return err
	})
	if err != nil {
		return bot.Agreement{}, fmt.Errorf("add agreement: %w", translate(err))
	}
	a.SetAt = stored(a.SetAt)
	return a, nil
}

// Agree records that a.Member accepted a.Version of a.Group's agreement.
// Idempotent: agreeing again keeps the first time.
func (s *Store) Agree(ctx context.Context, a bot.Acceptance) error {
	_, err := s.exec(ctx, `
		INSERT INTO acceptances (group_id, member_id, version, accepted_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id, version, member_id) DO NOTHING`,
		a.Group, a.Member, a.Version, millis(a.At))
	if err != nil {
		return fmt.Errorf("agree: %w", translate(err))
	}
	return nil
}

// Acceptances lists the acceptances of g's given version, oldest first.
func (s *Store) Acceptances(ctx context.Context, g bot.GroupID, version int) ([]bot.Acceptance, error) {
	as, err := s.acceptances(ctx, `WHERE group_id = ? AND version = ?`, g, version)
	if err != nil {
		return nil, fmt.Errorf("list acceptances: %w", err)
	}
	return as, nil
}

// acceptances lists the acceptances matching where, oldest first.
func (s *Store) acceptances(ctx context.Context, where string, args ...any) ([]bot.Acceptance, error) {
	rows, err := s.query(ctx, `
		SELECT group_id, member_id, version, accepted_at FROM acceptances `+where+`
		ORDER BY accepted_at, rowid`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var as []bot.Acceptance
	for rows.Next() {
		var a bot.Acceptance
		var at sql.NullInt64
		if err := rows.Scan(&a.Group, &a.Member, &a.Version, &at); err != nil {
			return nil, err
		}
		a.At = fromMillis(at)
		as = append(as, a)
	}
	return as, rows.Err()
}
