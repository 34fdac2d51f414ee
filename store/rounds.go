package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
)

const roundColumns = `id, group_id, channel_id, prompt, opened_by, opened_at, closes_at, closed_at, kind`

// CreateRound stores r as a new open round (r.ID and r.ClosedAt are ignored)
// and returns it as stored, with its ID. It returns bot.ErrAlreadyExists when
// r.Channel has an open round.
func (s *Store) CreateRound(ctx context.Context, r bot.Round) (bot.Round, error) {
	err := s.savepoint(ctx, func() error { // a second open round fails
		return s.queryRow(ctx, `
		INSERT INTO rounds (group_id, channel_id, prompt, opened_by, opened_at, closes_at, kind)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.Group, r.Channel, r.Prompt, r.OpenedBy, millis(r.OpenedAt), millis(r.ClosesAt), roundKind(r)).Scan(&r.ID)
	})
	if err != nil {
		return bot.Round{}, fmt.Errorf("create round: %w", translate(err))
	}
	r.OpenedAt, r.ClosesAt, r.ClosedAt = stored(r.OpenedAt), stored(r.ClosesAt), time.Time{}
	return r, nil
}

// OpenRound returns the open round in ch, or bot.ErrNotFound.
func (s *Store) OpenRound(ctx context.Context, ch bot.ChannelID) (bot.Round, error) {
	row := s.queryRow(ctx, `SELECT `+roundColumns+` FROM rounds
		WHERE channel_id = ? AND closed_at IS NULL`, ch)
	r, err := scanRound(row)
	if err != nil {
		return bot.Round{}, fmt.Errorf("get open round: %w", translate(err))
	}
	return r, nil
}

// LatestRound returns the newest round in ch (the last created), open or
// closed, or bot.ErrNotFound.
func (s *Store) LatestRound(ctx context.Context, ch bot.ChannelID) (bot.Round, error) {
	row := s.queryRow(ctx, `SELECT `+roundColumns+` FROM rounds
		WHERE channel_id = ? ORDER BY id DESC LIMIT 1`, ch)
	r, err := scanRound(row)
	if err != nil {
		return bot.Round{}, fmt.Errorf("get latest round: %w", translate(err))
	}
	return r, nil
}

// OpenRounds lists the open rounds of group g, oldest first.
func (s *Store) OpenRounds(ctx context.Context, g bot.GroupID) ([]bot.Round, error) {
	rs, err := s.rounds(ctx, `WHERE group_id = ? AND closed_at IS NULL ORDER BY id`, g)
	if err != nil {
		return nil, fmt.Errorf("list open rounds: %w", err)
	}
	return rs, nil
}

// DueRounds lists open rounds whose ClosesAt is at or before now, oldest
// (earliest ClosesAt) first. Rounds without a closing time are never due.
func (s *Store) DueRounds(ctx context.Context, now time.Time) ([]bot.Round, error) {
	rs, err := s.rounds(ctx, `WHERE closed_at IS NULL AND closes_at <= ? ORDER BY closes_at, id`, now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("list due rounds: %w", err)
	}
	return rs, nil
}

// CloseRound marks an open round closed at the given time. It returns
// bot.ErrNotFound when the round is not open (already closed or unknown).
func (s *Store) CloseRound(ctx context.Context, id int64, at time.Time) error {
	if at.IsZero() {
		return fmt.Errorf("close round: zero closing time")
	}
	res, err := s.exec(ctx, `UPDATE rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL`,
		at.UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("close round: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("close round: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("close round %d: %w", id, bot.ErrNotFound)
	}
	return nil
}

// rounds lists the rounds selected by the rest of the query.
func (s *Store) rounds(ctx context.Context, rest string, args ...any) ([]bot.Round, error) {
	rows, err := s.query(ctx, `SELECT `+roundColumns+` FROM rounds `+rest, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rs []bot.Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, rows.Err()
}

func scanRound(sc scanner) (bot.Round, error) {
	var r bot.Round
	var opened, closes, closed sql.NullInt64
	var kind string
	err := sc.Scan(&r.ID, &r.Group, &r.Channel, &r.Prompt, &r.OpenedBy, &opened, &closes, &closed, &kind)
	r.OpenedAt, r.ClosesAt, r.ClosedAt = fromMillis(opened), fromMillis(closes), fromMillis(closed)
	r.Closing = kind == closingKind
	return r, err
}

// closingKind is the rounds.kind of a closing round (” for a check-in
// round).
const closingKind = "closing"

func roundKind(r bot.Round) string {
	if r.Closing {
		return closingKind
	}
	return ""
}
