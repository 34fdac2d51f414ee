package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/peerbot/peerbot/store"
)

// keyFile is database.key_file, by default the database path plus ".key".
func (c *Config) keyFile() string {
	if c.Database.KeyFile != "" {
		return c.Database.KeyFile
	}
	return c.Database.Path + ".key"
}

// secretKey returns the key that encrypts check-in words:
// database.secret_key (or PEERBOT_SECRET_KEY) when set, else the key in the
// key file. When the file is missing and create is true, a new key is
// written there (mode 0600) and created reports it; otherwise a missing file
// is an error naming it.
func (c *Config) secretKey(create bool) (key []byte, created bool, err error) {
	if c.Database.SecretKey != "" {
		key, err := store.ParseKey(c.Database.SecretKey)
		if err != nil {
			return nil, false, fmt.Errorf("database.secret_key: %w", err)
		}
		return key, false, nil
	}
	path := c.keyFile()
	if !create {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("no secret key: the key file %s does not exist (set database.key_file, or database.secret_key or PEERBOT_SECRET_KEY, to the key this database was created with)", path)
		}
	}
	return store.LoadOrCreateKeyFile(path)
}

// openStore opens cfg's database with its secret key. A new database gets a
// new key file when no key is configured, and Stderr says so once; an
// existing database never does (a new key could not read its words). With
// mustExist (a backup), a missing database is an error instead of being
// created; otherwise the database is locked against a second peerbot until
// Close.
func (m *Main) openStore(ctx context.Context, cfg *Config, mustExist bool, opts ...store.Option) (*store.Store, error) {
	_, err := os.Stat(cfg.Database.Path)
	missing := errors.Is(err, fs.ErrNotExist)
	if missing && mustExist {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if !mustExist {
		// Running peerbot (not a backup, which may run beside it).
		release, err := lockDatabase(cfg.Database.Path)
		if err != nil {
			return nil, err
		}
		m.mu.Lock()
		m.locks = append(m.locks, release)
		m.mu.Unlock()
	}
	key, created, err := cfg.secretKey(missing)
	if err != nil {
		return nil, err
	}
	if created {
		fmt.Fprintf(m.Stderr, "peerbot: created a new secret key in %s (mode 0600). Check-ins and names are encrypted with it: keep it with the database, and back up both.\n", cfg.keyFile())
	}
	st, err := store.Open(ctx, cfg.Database.Path, append(opts, store.WithKey(key))...)
	if errors.Is(err, store.ErrWrongKey) {
		return nil, fmt.Errorf("%w\nIf that key is lost, 'peerbot reset-lost-key -confirm' deletes the stored words and sets a new key", err)
	}
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.stores = append(m.stores, st)
	m.mu.Unlock()
	return st, nil
}
