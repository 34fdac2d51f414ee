package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/adapters/matrix"
	"github.com/peerbot/peerbot/store"
)

const migrateStoreUsage = `peerbot migrate-store copies a SQLite database into a new, empty
PostgreSQL database: every table (the Matrix encryption and state tables
too), in one transaction, then checks that each table holds as many rows in
PostgreSQL as in SQLite. The sealed check-ins and names are copied as they
are: keep using the same secret key (the SQLite file's key file, or
database.secret_key / PEERBOT_SECRET_KEY). Stop peerbot first. The SQLite
file is left as it was: keep it until the PostgreSQL database is running.

Usage:
  peerbot migrate-store -from sqlite:FILE -to postgres://USER:PASSWORD@HOST/DATABASE [-config FILE]

The PostgreSQL URL may also come from PEERBOT_DATABASE_URL (or database.url
in -config), which keeps a password off the command line.
`

// runMigrateStore copies a SQLite database into PostgreSQL.
func (m *Main) runMigrateStore(ctx context.Context, args []string) error {
	fs := m.flags("migrate-store", migrateStoreUsage)
	from := fs.String("from", "", "the SQLite database: sqlite:FILE")
	to := fs.String("to", "", "the new, empty PostgreSQL database: postgres://… (default PEERBOT_DATABASE_URL or database.url)")
	configPath := fs.String("config", "", "a config file giving the key (database.secret_key or key_file) and database.url")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("migrate-store takes no arguments, got %q", fs.Arg(0))}
	}
	cfg := m.defaultConfig()
	if *configPath != "" {
		var err error
		if cfg, err = LoadConfig(*configPath, m.Getenv); err != nil {
			return err
		}
	}
	file, ok := strings.CutPrefix(*from, "sqlite:")
	if !ok || file == "" {
		return &usageError{"migrate-store needs -from sqlite:FILE (the SQLite database to copy)"}
	}
	if *to == "" {
		*to = cfg.Database.URL
	}
	if *to == "" {
		return &usageError{"migrate-store needs -to postgres://… (or PEERBOT_DATABASE_URL)"}
	}
	if p := checkDatabaseURL(*to); len(p) > 0 {
		return &usageError{"migrate-store -to: " + strings.TrimPrefix(strings.Join(p, "; "), "database.url: ")}
	}
	target := store.RedactURL(*to)
	// The key is the SQLite database's: its key file unless the config or
	// the environment gives the key itself.
	cfg.Database.URL, cfg.Database.Path = "", file
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	release, err := lockDatabase(file)
	if err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	m.mu.Lock()
	m.locks = append(m.locks, release)
	m.mu.Unlock()
	key, _, err := cfg.secretKey(false)
	if err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	if err := store.EmptyPostgres(ctx, *to); err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	src, err := store.Open(ctx, file, store.WithKey(key))
	if errors.Is(err, store.ErrWrongKey) {
		return fmt.Errorf("migrate-store: %w\nUse the key %s was created with (its key file, or database.secret_key / PEERBOT_SECRET_KEY)", err, file)
	}
	if err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	defer src.Close()
	matrixTables, err := hasMatrixTables(ctx, src)
	if err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	dst, err := store.OpenPostgres(ctx, *to, store.WithKey(key))
	if err != nil {
		return fmt.Errorf("migrate-store: %w", err)
	}
	defer dst.Close()
	failed := func(err error) error {
		return fmt.Errorf("migrate-store: %w\nNothing was copied, but peerbot's tables were created in %s: drop and create that database again before you retry", err, target)
	}
	if matrixTables {
		if err := matrix.PrepareDatabase(ctx, dst.DB(), zerolog.Nop()); err != nil {
			return failed(err)
		}
	}
	counts, err := store.CopyToPostgres(ctx, src, dst)
	if err != nil {
		return failed(err)
	}
	var b strings.Builder
	var rows int64
	for _, c := range counts {
		rows += c.Source
		fmt.Fprintf(&b, "  %-32s %8d rows\n", c.Table, c.Target)
	}
	fmt.Fprintf(&b, "%s copied into %s: %d tables, %d rows, each table's count checked.\n", file, target, len(counts), rows)
	b.WriteString("Next: stop using the SQLite file; set database.url (or PEERBOT_DATABASE_URL) to the PostgreSQL URL and keep the same secret key")
	if cfg.Database.SecretKey == "" {
		fmt.Fprintf(&b, " (database.key_file: %s)", cfg.keyFile())
	}
	b.WriteString(".\n")
	_, err = fmt.Fprint(m.Stdout, b.String())
	return err
}

// hasMatrixTables reports whether the SQLite store holds the Matrix
// adapter's or mautrix's tables.
func hasMatrixTables(ctx context.Context, s *store.Store) (bool, error) {
	var n int
	err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'
		AND name IN ('peerbot_matrix_version', 'mx_version', 'crypto_version')`).Scan(&n)
	return n > 0, err
}
