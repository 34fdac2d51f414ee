package store

import (
	"context"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

// MemberCheckIn returns member m's check-in in a round, or bot.ErrNotFound.
// It reads one row (the primary key), so a check-in into a busy round does
// not read the whole round.
func (s *Store) MemberCheckIn(ctx context.Context, round int64, m bot.MemberID) (bot.CheckIn, error) {
	cs, err := s.checkIns(ctx, `WHERE round_id = ? AND member_id = ?`, round, m)
	if err != nil {
		return bot.CheckIn{}, fmt.Errorf("member check-in: %w", err)
	}
	if len(cs) == 0 {
		return bot.CheckIn{}, fmt.Errorf("member check-in: %w", bot.ErrNotFound)
	}
	return cs[0], nil
}
