package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/peerbot/peerbot/store"
)

const changeKeyUsage = `peerbot change-key re-encrypts everything stored encrypted (check-ins'
words and colours, names) under a new secret key, for when the old one may
have leaked. Stop peerbot first.
With a key file, the new key replaces it; with database.secret_key or
PEERBOT_SECRET_KEY, the new key is printed and you set it there.

Usage:
  peerbot change-key [-config FILE | -db FILE]
`

const resetKeyUsage = `peerbot reset-lost-key is for a lost secret key. Without it nobody can
read what is stored encrypted, so this deletes it: the check-ins (colours
and words), the counts of old rounds, and members' and groups' names
(members, groups, rounds, agreements and schedules stay; names come back as
members speak). Then it sets a new key. Stop peerbot first.

Usage:
  peerbot reset-lost-key -confirm [-config FILE | -db FILE]
`

// keyCommand parses the flags shared by change-key and reset-lost-key and
// returns the config, with the database locked against a running peerbot.
func (m *Main) keyCommand(name, usage string, args []string, confirm *bool) (*Config, error) {
	fs := m.flags(name, usage)
	db := fs.String("db", "", "the database (default "+DefaultDatabasePath+", or database.path from -config)")
	configPath := fs.String("config", "", "the config file naming the database and its key")
	if confirm != nil {
		fs.BoolVar(confirm, "confirm", false, "yes, delete the stored words")
	}
	if err := m.parse(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, &usageError{fmt.Sprintf("%s takes no arguments, got %q", name, fs.Arg(0))}
	}
	cfg := m.defaultConfig()
	if *configPath != "" {
		var err error
		if cfg, err = LoadConfig(*configPath, m.Getenv); err != nil {
			return nil, err
		}
	}
	if *db != "" {
		cfg.setDB(*db)
	}
	if cfg.postgres() {
		return cfg, nil // no file to lock: stop every peerbot on it first
	}
	if _, err := os.Stat(cfg.Database.Path); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	release, err := lockDatabase(cfg.Database.Path)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.locks = append(m.locks, release)
	m.mu.Unlock()
	return cfg, nil
}

// runChangeKey re-encrypts the database under a new key.
func (m *Main) runChangeKey(ctx context.Context, args []string) error {
	cfg, err := m.keyCommand("change-key", changeKeyUsage, args, nil)
	if err != nil {
		return err
	}
	old, _, err := cfg.secretKey(false)
	if err != nil {
		return err
	}
	newKey := store.GenerateKey()
	if cfg.Database.SecretKey != "" {
		if err := store.ChangeKey(ctx, cfg.dbLocation(), old, newKey); err != nil {
			return err
		}
		_, err := fmt.Fprintf(m.Stdout, "The check-ins and names in %s are now encrypted with this new key. Set it as PEERBOT_SECRET_KEY or database.secret_key before starting peerbot; the old key no longer works:\n%s\n", cfg.dbName(), store.EncodeKey(newKey))
		return err
	}
	// Write the new key beside the old file first, so that it is never only
	// in memory: if this stops halfway, it is in <key file>.new.
	next := cfg.keyFile() + ".new"
	if err := writeKeyFile(next, newKey); err != nil {
		return err
	}
	if err := store.ChangeKey(ctx, cfg.dbLocation(), old, newKey); err != nil {
		_ = os.Remove(next)
		return err
	}
	if err := os.Rename(next, cfg.keyFile()); err != nil {
		return fmt.Errorf("change key: the database now uses the key in %s, but it could not replace %s: %w", next, cfg.keyFile(), err)
	}
	_, err = fmt.Fprintf(m.Stdout, "The check-ins and names in %s are now encrypted with a new key, saved in %s. The old key no longer works: replace any copy of it in your backups.\n", cfg.dbName(), cfg.keyFile())
	return err
}

// runResetLostKey deletes what the lost key encrypted and sets a new key.
func (m *Main) runResetLostKey(ctx context.Context, args []string) error {
	var confirm bool
	cfg, err := m.keyCommand("reset-lost-key", resetKeyUsage, args, &confirm)
	if err != nil {
		return err
	}
	if !confirm {
		return &usageError{"reset-lost-key deletes every stored check-in and name: run it with -confirm"}
	}
	newKey := store.GenerateKey()
	if cfg.Database.SecretKey == "" {
		// Keep whatever key file there was, in case it was the right one.
		if err := os.Rename(cfg.keyFile(), cfg.keyFile()+".old"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("reset lost key: %w", err)
		}
		if err := writeKeyFile(cfg.keyFile(), newKey); err != nil {
			return err
		}
	}
	n, err := store.ResetLostKey(ctx, cfg.dbLocation(), newKey)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%d check-ins were deleted, and the words of %d more; the counts of %d old rounds and %d names were deleted. Members, groups, rounds, agreements and schedules in %s are kept. ",
		n.CheckIns, n.Words, n.Counts, n.Names, cfg.dbName())
	if cfg.Database.SecretKey != "" {
		msg += "Set this new key as PEERBOT_SECRET_KEY or database.secret_key:\n" + store.EncodeKey(newKey) + "\n"
	} else {
		msg += "The new key is in " + cfg.keyFile() + ".\n"
	}
	_, err = fmt.Fprint(m.Stdout, msg)
	return err
}

// writeKeyFile creates path (mode 0600) holding key; it fails if path exists.
func writeKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	_, err = f.WriteString(store.EncodeKey(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("write key file: %w", err)
	}
	return nil
}
