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
// Close, and a database that is missing or empty although its key file or
// marker says it existed is an error (see lostDatabase).
func (m *Main) openStore(ctx context.Context, cfg *Config, mustExist bool, opts ...store.Option) (*store.Store, error) {
	if cfg.postgres() {
		return m.openPostgres(ctx, cfg, opts...)
	}
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
		if err := cfg.lostDatabase(); err != nil {
			return nil, err
		}
	}
	key, created, err := cfg.secretKey(missing)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.Database.Path, append(opts, store.WithKey(key))...)
	if created && err != nil {
		// Nothing was encrypted with it, and a key file left without a
		// database would make the next start refuse (lostDatabase).
		_ = os.Remove(cfg.keyFile())
		created = false
	}
	if created {
		fmt.Fprintf(m.Stderr, "peerbot: created a new secret key in %s (mode 0600). Check-ins and names are encrypted with it: keep it with the database, and back up both.\n", cfg.keyFile())
	}
	if errors.Is(err, store.ErrWrongKey) {
		return nil, fmt.Errorf("%w\nIf that key is lost, 'peerbot reset-lost-key -confirm' deletes what it encrypted and sets a new key", err)
	}
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.stores = append(m.stores, st)
	m.mu.Unlock()
	if !mustExist && cfg.Database.SecretKey != "" {
		if err := cfg.writeMarker(); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// markerFile is "<database path>.created": with the key in database.secret_key
// (no key file), it is what tells peerbot that a database existed.
func (c *Config) markerFile() string { return c.Database.Path + ".created" }

// lostDatabase returns an error when the database file is missing or empty
// although the key file exists, or the marker file written when it was
// first opened with database.secret_key: its data was lost or moved, and
// starting a new, empty database in its place would hide that.
func (c *Config) lostDatabase() error {
	fi, err := os.Stat(c.Database.Path)
	state := ""
	switch {
	case errors.Is(err, fs.ErrNotExist):
		state = "missing"
	case err != nil:
		return fmt.Errorf("open database: %w", err)
	case fi.Mode().IsRegular() && fi.Size() == 0:
		state = "empty"
	default:
		return nil
	}
	for _, evidence := range []string{c.keyFile(), c.markerFile()} {
		if _, err := os.Stat(evidence); err == nil {
			return fmt.Errorf("database %s is %s, but %s says there was one: its data was lost or moved. "+
				"Restore a backup with 'peerbot restore -db %s BACKUP', or put the database back; "+
				"to start a new, empty database instead, move %s away first",
				c.Database.Path, state, evidence, c.Database.Path, evidence)
		}
	}
	return nil
}

// writeMarker creates the marker file (mode 0600) unless it exists.
func (c *Config) writeMarker() error {
	f, err := os.OpenFile(c.markerFile(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("write marker file: %w", err)
	}
	_, err = fmt.Fprintf(f, "peerbot keeps this file beside the database %s, encrypted with database.secret_key.\n"+
		"While it is here, peerbot refuses to start when that database is missing or empty\n"+
		"(restore it with: peerbot restore -db %s BACKUP).\n"+
		"Delete this file only to start a new, empty database.\n", c.Database.Path, c.Database.Path)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write marker file: %w", err)
	}
	return nil
}

// openPostgres is openStore on PostgreSQL: no file lock (several processes
// may share the database) and no marker files; the key file, if that is
// where the key is, is created when missing (a wrong key is still refused:
// the database's key check must open under it).
func (m *Main) openPostgres(ctx context.Context, cfg *Config, opts ...store.Option) (*store.Store, error) {
	key, created, err := cfg.secretKey(true)
	if err != nil {
		return nil, err
	}
	st, err := store.OpenPostgres(ctx, cfg.Database.URL, append(opts, store.WithKey(key))...)
	if created && err != nil {
		_ = os.Remove(cfg.keyFile())
		created = false
	}
	if created {
		fmt.Fprintf(m.Stderr, "peerbot: created a new secret key in %s (mode 0600). Check-ins and names are encrypted with it: keep it safe, and back it up with the database.\n", cfg.keyFile())
	}
	if errors.Is(err, store.ErrWrongKey) {
		return nil, fmt.Errorf("%w\nIf that key is lost, 'peerbot reset-lost-key -confirm' deletes what it encrypted and sets a new key", err)
	}
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.stores = append(m.stores, st)
	m.mu.Unlock()
	return st, nil
}
