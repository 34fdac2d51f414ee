package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// migrations are the schema changes, applied in the order of their number
// (001_init.sql, 002_….sql, …). Never edit one that has shipped: add another.
//
//go:embed migrations/*.sql
var migrations embed.FS

// versionTable records the schema version. Not "version": mautrix's dbutil
// uses that name by default, and its tables may live in the same file.
const versionTable = "peerbot_schema"

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the migrations/*.sql files of fsys, checking that
// they are numbered 1, 2, 3, … without gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for i, name := range names { // fs.Glob returns names in lexical order
		base := path.Base(name)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want number %03d", base, i+1)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	return ms, nil
}

// migrate applies the migrations of fsys newer than the database's version,
// each in its own transaction together with the new version number. It fails
// when the database was migrated by a newer build than this one.
func (s *Store) migrate(ctx context.Context, fsys fs.FS) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	if err := s.createVersionTable(ctx); err != nil {
		return fmt.Errorf("create version table: %w", err)
	}
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current > len(ms) {
		return fmt.Errorf("database schema version %d is newer than this peerbot knows (%d): use a newer peerbot", current, len(ms))
	}
	for _, m := range ms[current:] {
		applied, err := s.apply(ctx, m)
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if !applied {
			continue // another process applied it meanwhile
		}
		s.log.Info().Int("schema_version", m.version).Str("migration", m.name).Msg("Applied database migration")
	}
	return nil
}

// createVersionTable creates the version table if missing. On PostgreSQL
// under the advisory lock, since two processes creating the same table at
// once can fail.
func (s *Store) createVersionTable(ctx context.Context) error {
	create := schemaFor(s.dialect, `CREATE TABLE IF NOT EXISTS `+versionTable+` (version INTEGER NOT NULL) STRICT`)
	if s.dialect != DialectPostgres {
		// Outside a transaction: a table already there needs no write lock
		// (Open beside a bot holding it).
		_, err := s.db.ExecContext(ctx, create)
		return err
	}
	// Only read when the table is there, so that an Open beside a process
	// inside InTx (holding the advisory lock) does not wait for it.
	var exists bool
	if err := s.db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, versionTable).Scan(&exists); err != nil || exists {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.lockTx(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return err
	}
	return tx.Commit()
}

// lockTx takes, on PostgreSQL, the advisory lock InTx takes (see InTx).
func (s *Store) lockTx(ctx context.Context, tx *sql.Tx) error {
	if s.dialect != DialectPostgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pgTxLock))
	return err
}

// apply runs one migration and records its version in one transaction.
// It does nothing, and says so, when another process applied it first.
func (s *Store) apply(ctx context.Context, m migration) (applied bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if err := s.lockTx(ctx, tx); err != nil {
		return false, err
	}
	// Re-read the version inside the write lock, in case another process
	// migrated the file since we looked.
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+versionTable).Scan(&v); err != nil {
		return false, err
	}
	if v >= m.version {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, schemaFor(s.dialect, m.sql)); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+versionTable); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, s.sql(`INSERT INTO `+versionTable+` (version) VALUES (?)`), m.version); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// SchemaVersion returns the number of the newest migration applied to the
// database (0 for an empty one).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+versionTable).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
