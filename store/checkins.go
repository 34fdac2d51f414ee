package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

// upsertCheckIn is the one statement a check-in writes. The row keeps its id
// (the order of first check-in) when it is replaced.
const upsertCheckIn = `
	INSERT INTO check_ins (round_id, member_id, sealed, words, at)
	VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (round_id, member_id) DO UPDATE SET
		sealed = excluded.sealed,
		words = excluded.words,
		at = excluded.at`

// PutCheckIn stores c as the member's check-in in round c.Round, replacing
// any earlier one. It returns bot.ErrNotFound when the round does not exist.
// It does not check that the round is open: the caller decides. The words,
// and the colour, flags and member name, are stored encrypted, bound to the
// round and member.
func (s *Store) PutCheckIn(ctx context.Context, c bot.CheckIn) error {
	sealed, words := s.box.sealCheckIn(c), s.box.sealWords(c.Round, c.Member, c.Words)
	if s.Postgres() {
		// No failing statement (it would abort the transaction, see
		// savepoint): an unknown round writes no row.
		res, err := s.exec(ctx, upsertCheckInIfRound, c.Round, c.Member, sealed, words, millis(c.At))
		if err != nil {
			return fmt.Errorf("put check-in: %w", translate(err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("put check-in: %w", err)
		} else if n == 0 {
			return fmt.Errorf("put check-in: round %d: %w", c.Round, bot.ErrNotFound)
		}
		return nil
	}
	if _, err := s.exec(ctx, upsertCheckIn, c.Round, c.Member, sealed, words, millis(c.At)); err != nil {
		return fmt.Errorf("put check-in: %w", translate(err))
	}
	return nil
}

// upsertCheckInIfRound is upsertCheckIn writing nothing when the round does
// not exist, for PostgreSQL.
const upsertCheckInIfRound = `
	INSERT INTO check_ins (round_id, member_id, sealed, words, at)
	SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM rounds WHERE id = ?1)
	ON CONFLICT (round_id, member_id) DO UPDATE SET
		sealed = excluded.sealed,
		words = excluded.words,
		at = excluded.at`

// CheckIns lists a round's check-ins, in the order members first checked
// in. An unknown round has none. Words or a check-in's sealed state that do
// not decrypt (damaged, or moved from another row) make it fail with an
// error wrapping ErrCannotDecrypt.
func (s *Store) CheckIns(ctx context.Context, round int64) ([]bot.CheckIn, error) {
	cs, err := s.checkIns(ctx, `WHERE round_id = ? ORDER BY id`, round)
	if err != nil {
		return nil, fmt.Errorf("list check-ins: %w", err)
	}
	return cs, nil
}

// checkIns lists the check-ins selected by the rest of the query.
func (s *Store) checkIns(ctx context.Context, rest string, args ...any) ([]bot.CheckIn, error) {
	rows, err := s.query(ctx, `
		SELECT round_id, member_id, sealed, words, words IS NULL, at
		FROM check_ins `+rest, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []bot.CheckIn
	for rows.Next() {
		var c bot.CheckIn
		var sealed, words []byte
		var null bool // the driver reads an empty BLOB as nil too
		var at sql.NullInt64
		if err := rows.Scan(&c.Round, &c.Member, &sealed, &words, &null, &at); err != nil {
			return nil, err
		}
		if !null && words == nil {
			words = []byte{}
		}
		if err := s.box.openCheckIn(&c, sealed); err != nil {
			return nil, err
		}
		var err error
		if c.Words, err = s.box.openWords(c.Round, c.Member, words); err != nil {
			return nil, err
		}
		c.At = fromMillis(at)
		cs = append(cs, c)
	}
	return cs, rows.Err()
}
