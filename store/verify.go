package store

import (
	"context"
	"fmt"
)

// VerifySealed opens every encrypted value of the database with the Store's
// key and returns how many there are. It fails with an error wrapping
// ErrCannotDecrypt at the first that does not open, or when a row lacks a
// value it must have. Open has already
// checked the key against the database's key check; this also catches
// values damaged, moved, or sealed under another key.
func (s *Store) VerifySealed(ctx context.Context) (int, error) {
	n := 0
	for _, c := range sealedColumns {
		if !c.nullable {
			var nulls int
			if err := s.queryRow(ctx, `SELECT COUNT(*) FROM `+c.table+` WHERE `+c.column+` IS NULL`).Scan(&nulls); err != nil {
				return n, fmt.Errorf("verify: %w", err)
			}
			if nulls > 0 {
				return n, fmt.Errorf("verify: %d rows without %s: %w", nulls, c.purpose, ErrCannotDecrypt)
			}
		}
		vs, err := s.sealedValues(ctx, c)
		if err != nil {
			return n, fmt.Errorf("verify: %w", err)
		}
		for _, v := range vs {
			if _, err := s.box.open(v.sealed, c.ad(v.num, v.id)); err != nil {
				return n, fmt.Errorf("verify: %s of %d/%s: %w", c.purpose, v.num, v.id, err)
			}
		}
		n += len(vs)
	}
	return n, nil
}
