package store

import (
	"context"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// MarkHandled records a platform event id and whose event it was. It
// returns false, with no error, when the id was recorded before (a
// redelivered event).
func (s *Store) MarkHandled(ctx context.Context, eventID string, member bot.MemberID, at time.Time) (bool, error) {
	res, err := s.exec(ctx, `
		INSERT INTO handled_events (event_id, member_id, handled_at) VALUES (?, ?, ?)
		ON CONFLICT (event_id) DO NOTHING`, eventID, member, at.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("mark event handled: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark event handled: %w", err)
	}
	return n == 1, nil
}

// PruneHandled forgets the event ids recorded before the given time and
// returns how many it forgot. Platforms redeliver only recent events, so a
// periodic prune (say of ids older than a week) keeps the table small.
func (s *Store) PruneHandled(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM handled_events WHERE handled_at < ?`, before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune handled events: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("prune handled events: %w", err)
	}
	return n, nil
}
