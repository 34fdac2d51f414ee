package store

import (
	"context"
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
// checked in green, amber, red or without a colour, and how many passed. No
// member id, name or words survive in it, so !forgetme has nothing there to
// forget. The rounds themselves (channel, prompt, times) are kept.
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

// countColumns are the RoundCounts of the check_ins rows c, in the order of
// round_aggregates' columns.
const countColumns = `
	COALESCE(SUM(NOT c.passed AND c.colour = 'green'), 0),
	COALESCE(SUM(NOT c.passed AND c.colour = 'amber'), 0),
	COALESCE(SUM(NOT c.passed AND c.colour = 'red'), 0),
	COALESCE(SUM(NOT c.passed AND c.colour NOT IN ('green', 'amber', 'red')), 0),
	COALESCE(SUM(c.passed <> 0), 0)`

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
		// WHERE before GROUP BY keeps SQLite from reading ON CONFLICT as a
		// join constraint.
		if _, err := tx.exec(ctx, `
			INSERT INTO round_aggregates (round_id, green, amber, red, no_colour, passed)
			SELECT c.round_id, `+countColumns+`
			FROM check_ins c WHERE c.round_id IN (`+oldClosedRounds+`)
			GROUP BY c.round_id
			ON CONFLICT (round_id) DO UPDATE SET
				green = green + excluded.green,
				amber = amber + excluded.amber,
				red = red + excluded.red,
				no_colour = no_colour + excluded.no_colour,
				passed = passed + excluded.passed`, cutoff); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM check_ins WHERE round_id IN (`+oldClosedRounds+`)`, cutoff)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge words: %w", err)
	}
	if s.tx == nil {
		// Move the change into the database file and empty the log, so the
		// deleted values are gone from both. A busy log is not an error:
		// the next purge (or SQLite's own checkpoint) gets to it.
		if _, err := s.exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return n, fmt.Errorf("purge words: checkpoint: %w", err)
		}
	}
	return n, nil
}

// RoundCounts returns the anonymous counts of a round's check-ins: those
// still stored plus those PurgeWords reduced to counts. An unknown round has
// zero counts.
func (s *Store) RoundCounts(ctx context.Context, round int64) (RoundCounts, error) {
	var c RoundCounts
	err := s.queryRow(ctx, `
		SELECT SUM(green), SUM(amber), SUM(red), SUM(no_colour), SUM(passed) FROM (
			SELECT green, amber, red, no_colour, passed FROM round_aggregates WHERE round_id = ?1
			UNION ALL
			SELECT `+countColumns+` FROM check_ins c WHERE c.round_id = ?1
		)`, round).
		Scan(&c.Green, &c.Amber, &c.Red, &c.NoColour, &c.Passed)
	if err != nil {
		return RoundCounts{}, fmt.Errorf("round counts: %w", err)
	}
	return c, nil
}
