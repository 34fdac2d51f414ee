package store

import (
	"context"
	"database/sql"
)

// conn returns what s's statements run on: its transaction, else the
// database.
func (s *Store) conn() querier {
	return s.q
}

func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.conn().ExecContext(ctx, query, args...)
}

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.conn().QueryContext(ctx, query, args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.conn().QueryRowContext(ctx, query, args...)
}
