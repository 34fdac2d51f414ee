package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Retention.
//
// Members' words are kept only as long as needed: PurgeWords, run by the
// binary at start and daily with now minus the retention period (30 days by
// default), deletes them. What it keeps is what a closed round's summary
// says, as anonymous counts: round_aggregates holds, per round, how many
// checked in green, amber, red or without a colour, and how many passed
// (encrypted, like the colours they were counted from). No member id, name
// or words survive in it, so !forgetme has nothing there to forget. The rounds themselves (channel, prompt, times) are kept.
//
// secure_delete is on (see dsn), so deleted values are overwritten in the
// database file; PurgeWords then truncates the write-ahead log, so they do
// not linger there either.

// RoundCounts is what is known of a round's check-ins without naming
// anyone: the counts a round's summary shows. Each check-in counts once:
// as passed, or by its colour.
type RoundCounts struct {
	Green, Amber, Red, NoColour, Passed int
}

// Total is the number of check-ins counted.
func (c RoundCounts) Total() int { return c.Green + c.Amber + c.Red + c.NoColour + c.Passed }

// add counts one check-in: as passed, or by its colour.
func (c *RoundCounts) add(ci bot.CheckIn) {
	switch {
	case ci.Passed:
		c.Passed++
	case ci.Colour == bot.Green:
		c.Green++
	case ci.Colour == bot.Amber:
		c.Amber++
	case ci.Colour == bot.Red:
		c.Red++
	default:
		c.NoColour++
	}
}

// countCheckIns counts the check-ins selected by where, per round. Colours
// and flags are encrypted, so they are counted here, not in SQL. With
// lenient, a check-in whose sealed state does not decrypt counts as one
// without a colour (and damaged reports how many did); otherwise it is an
// error.
func (s *Store) countCheckIns(ctx context.Context, lenient bool, where string, args ...any) (counts map[int64]*RoundCounts, damaged int, err error) {
	rows, err := s.query(ctx, `SELECT round_id, member_id, sealed FROM check_ins WHERE `+where, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	counts = map[int64]*RoundCounts{}
	for rows.Next() {
		var ci bot.CheckIn
		var sealed []byte
		if err := rows.Scan(&ci.Round, &ci.Member, &sealed); err != nil {
			return nil, 0, err
		}
		if err := s.box.openCheckIn(&ci, sealed); err != nil {
			if !lenient {
				return nil, 0, err
			}
			ci, damaged = bot.CheckIn{}, damaged+1
		}
		c := counts[ci.Round]
		if c == nil {
			c = &RoundCounts{}
			counts[ci.Round] = c
		}
		c.add(ci)
	}
	return counts, damaged, rows.Err()
}

// oldClosedRounds selects the ids of rounds closed before ?1.
const oldClosedRounds = `SELECT id FROM rounds WHERE closed_at IS NOT NULL AND closed_at < ?1`

// PurgeWords deletes what members wrote before the given time, in one
// transaction, and returns how many check-ins' words it deleted:
//
//   - every check-in made before `before` loses its words (the column is set
//     to NULL; its colour stays while its round is kept in full);
//   - every round closed before `before` is reduced to anonymous counts:
//     its check-in rows (member ids, names, colours) are deleted, and their
//     counts added to round_aggregates (see RoundCounts).
//
// Newer check-ins, and rounds that are open or closed later, are untouched.
// Running it again changes nothing more.
func (s *Store) PurgeWords(ctx context.Context, before time.Time) (int64, error) {
	cutoff := before.UnixMilli()
	var n int64
	err := s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		// Words of an old round's check-ins made after the cutoff (only
		// possible with a clock that went back) go with their rows.
		if err := tx.queryRow(ctx, `
			SELECT COUNT(*) FROM check_ins
			WHERE words IS NOT NULL AND (at IS NULL OR at < ?1 OR round_id IN (`+oldClosedRounds+`))`,
			cutoff).Scan(&n); err != nil {
			return err
		}
		// A check-in without a time is treated as old: privacy first.
		if _, err := tx.exec(ctx, `
			UPDATE check_ins SET words = NULL WHERE words IS NOT NULL AND (at IS NULL OR at < ?1)`,
			cutoff); err != nil {
			return err
		}
		// Privacy first: a damaged check-in must not keep retention from
		// deleting the others, so it is counted without a colour.
		counts, damaged, err := tx.countCheckIns(ctx, true, `round_id IN (`+oldClosedRounds+`)`, cutoff)
		if err != nil {
			return err
		}
		for round, c := range counts {
			// Add to what an earlier purge kept (a check-in made after
			// the cutoff, with a clock that went back).
			old, err := tx.aggregate(ctx, round)
			if errors.Is(err, ErrCannotDecrypt) {
				damaged++ // replaced by the new counts, as above
			} else if err != nil {
				return err
			}
			c.Green, c.Amber, c.Red = c.Green+old.Green, c.Amber+old.Amber, c.Red+old.Red
			c.NoColour, c.Passed = c.NoColour+old.NoColour, c.Passed+old.Passed
			if _, err := tx.exec(ctx, `
				INSERT INTO round_aggregates (round_id, sealed) VALUES (?, ?)
				ON CONFLICT (round_id) DO UPDATE SET sealed = excluded.sealed`,
				round, tx.box.sealCounts(round, *c)); err != nil {
				return err
			}
		}
		if damaged > 0 {
			tx.log.Warn().Int("values", damaged).Err(ErrCannotDecrypt).
				Msg("Retention counted check-ins that cannot be decrypted as without a colour, and deleted them")
		}
		_, err = tx.exec(ctx, `DELETE FROM check_ins WHERE round_id IN (`+oldClosedRounds+`)`, cutoff)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge words: %w", err)
	}
	if s.tx == nil {
		// Move the change into the database file and empty the log, so the
		// deleted values are gone from both. A busy log is not an error:
		// the next purge (or SQLite's own checkpoint) gets to it.
		if err := s.checkpoint(ctx); err != nil {
			return n, fmt.Errorf("purge words: checkpoint: %w", err)
		}
	}
	return n, nil
}

// RoundCounts returns the anonymous counts of a round's check-ins: those
// still stored plus those PurgeWords reduced to counts. An unknown round has
// zero counts. A check-in that does not decrypt makes it fail with an error
// wrapping ErrCannotDecrypt.
func (s *Store) RoundCounts(ctx context.Context, round int64) (RoundCounts, error) {
	c, err := s.aggregate(ctx, round)
	if err != nil {
		return RoundCounts{}, fmt.Errorf("round counts: %w", err)
	}
	counts, _, err := s.countCheckIns(ctx, false, `round_id = ?`, round)
	if err != nil {
		return RoundCounts{}, fmt.Errorf("round counts: %w", err)
	}
	if more := counts[round]; more != nil {
		c.Green, c.Amber, c.Red = c.Green+more.Green, c.Amber+more.Amber, c.Red+more.Red
		c.NoColour, c.Passed = c.NoColour+more.NoColour, c.Passed+more.Passed
	}
	return c, nil
}

// aggregate returns the counts PurgeWords kept of a round (zero when none).
func (s *Store) aggregate(ctx context.Context, round int64) (RoundCounts, error) {
	var sealed []byte
	err := s.queryRow(ctx, `SELECT sealed FROM round_aggregates WHERE round_id = ?`, round).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return RoundCounts{}, nil
	}
	if err != nil {
		return RoundCounts{}, err
	}
	return s.box.openCounts(round, sealed)
}
