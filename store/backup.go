package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the database to path (VACUUM INTO): a
// complete, compacted SQLite file that can be opened with Open, with mode
// 0600. It fails when path already exists, so that no backup is overwritten
// by mistake. It may run
// while the bot works; writes wait until the copy is done.
func (s *Store) Backup(ctx context.Context, path string) error {
	if path == "" {
		return errors.New("backup: empty path")
	}
	// Create the file first, empty and private (VACUUM INTO accepts an
	// empty file; it would create a new one world-readable). O_EXCL also
	// makes "already exists" race-free.
	created, err := createPrivate(path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if !created {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if _, err := s.exec(ctx, `VACUUM INTO ?`, path); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
