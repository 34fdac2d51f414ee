package store

import (
	"context"
	"fmt"
)

// Stats are counts for metrics: how many, never who or what.
type Stats struct {
	// Groups is how many groups the store knows.
	Groups int
	// OpenRounds is how many check-in rounds are open.
	OpenRounds int
}

// Stats counts the groups and the open rounds (for /metrics). Plain
// portable SQL.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM groups`).Scan(&st.Groups); err != nil {
		return Stats{}, fmt.Errorf("count groups: %w", err)
	}
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM rounds WHERE closed_at IS NULL`).Scan(&st.OpenRounds); err != nil {
		return Stats{}, fmt.Errorf("count open rounds: %w", err)
	}
	return st, nil
}
