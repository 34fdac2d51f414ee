package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/store"
)

const restoreUsage = `peerbot restore puts a copy of BACKUP (made with peerbot backup) in place of
the database. Stop peerbot first: restore refuses while it runs.

It checks a copy of BACKUP first (SQLite's integrity check, and that the
configured key opens everything in it), and refuses it otherwise. The
database it replaces, with its -wal and -shm files, is moved aside to
<database>.before-restore-<UTC time>, never deleted, so that no stale
write-ahead log can be replayed into the restored file. BACKUP itself is
only read.

Usage:
  peerbot restore [-config FILE | -db FILE] BACKUP
`

// runRestore restores a backup over the configured database.
func (m *Main) runRestore(ctx context.Context, args []string) error {
	fs := m.flags("restore", restoreUsage)
	db := fs.String("db", "", "the database to replace (default "+DefaultDatabasePath+", or database.path from -config)")
	configPath := fs.String("config", "", "the config file naming the database and its key")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{"restore needs one backup file: restore [-config FILE | -db FILE] BACKUP"}
	}
	backup := fs.Arg(0)
	cfg := m.defaultConfig()
	if *configPath != "" {
		var err error
		if cfg, err = LoadConfig(*configPath, m.Getenv); err != nil {
			return err
		}
	}
	if *db != "" {
		cfg.setDB(*db)
	}
	if cfg.postgres() {
		return errPostgresBackup("restore")
	}
	release, err := lockDatabase(cfg.Database.Path)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	m.mu.Lock()
	m.locks = append(m.locks, release)
	m.mu.Unlock()
	key, _, err := cfg.secretKey(false)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	r, err := store.Restore(ctx, backup, cfg.Database.Path, time.Now(), store.WithKey(key))
	if errors.Is(err, store.ErrWrongKey) || errors.Is(err, store.ErrCannotDecrypt) {
		return fmt.Errorf("%w\nThe backup was made under another key, or is damaged: restore it with the key it was made with (its key file, or database.secret_key); %s was not changed", err, cfg.Database.Path)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%s restored into %s (schema version %d, %d encrypted values checked).\n", backup, cfg.Database.Path, r.SchemaVersion, r.Sealed)
	if r.Aside != "" {
		msg += fmt.Sprintf("The database it replaced is now %s: delete it once you are sure you do not need it.\n", r.Aside)
	}
	_, err = fmt.Fprint(m.Stdout, msg)
	return err
}
