package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// Opening an empty file applies every migration and records the version;
// opening it again changes nothing.
func TestMigrateFromEmptyAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "peerbot.db")
	ms, err := loadMigrations(migrations)
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v != len(ms) || v < 1 {
		t.Fatalf("schema version = %d, want %d", v, len(ms))
	}
	tables := tableNames(t, s)
	for _, want := range []string{"groups", "members", "memberships", "agreements", "acceptances",
		"rounds", "check_ins", "message_refs", "handled_events", "peerbot_meta", "round_aggregates",
		versionTable} {
		if !strings.Contains(" "+tables+" ", " "+want+" ") {
			t.Errorf("table %s missing; have %s", want, tables)
		}
	}
	if err := s.SaveMember(ctx, memberRec("console:ann", "Ann")); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatalf("re-open: %v", err)
	}
	defer s.Close()
	if v2, _ := s.SchemaVersion(ctx); v2 != v {
		t.Errorf("version after re-open = %d, want %d", v2, v)
	}
	var rows int
	if err := s.raw().QueryRow(`SELECT COUNT(*) FROM ` + versionTable).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("version table rows = %d (%v), want 1", rows, err)
	}
	if m, err := s.Member(ctx, "console:ann"); err != nil || m.Name != "Ann" {
		t.Errorf("member after re-open = %+v, %v", m, err)
	}
}

// A database migrated by a newer peerbot is refused with a clear error.
func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "peerbot.db")
	s, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.raw().Exec(`UPDATE ` + versionTable + ` SET version = 999`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = OpenURL(ctx, path, WithKey(testKey))
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded on a newer schema")
	}
	if !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), "999") {
		t.Errorf("error = %q, want it to say the schema (999) is newer", err)
	}
}

// The connection runs with the pragmas Open promises.
func TestPragmas(t *testing.T) {
	onlySQLite(t, "SQLite connection settings")
	ctx := context.Background()
	s, _ := openTest(t)
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "2",
		"secure_delete": "1",
	} {
		var got string
		if err := s.raw().QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
		}
	}
}

func tableNames(t *testing.T, s *Store) string {
	t.Helper()
	q := `SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`
	if s.Postgres() {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	rows, err := s.raw().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return strings.Join(names, " ")
}

// Migrations run in number order, each in its own transaction: a failing
// migration leaves nothing of itself, the earlier ones stay applied, and the
// next Open retries it.
func TestMigrationsEachInOwnTransaction(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	good := fstest.MapFS{
		"migrations/001_a.sql": {Data: []byte(`CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);`)},
		"migrations/002_b.sql": {Data: []byte(`INSERT INTO a SELECT x + 1 FROM a;`)},
	}
	bad := fstest.MapFS{
		"migrations/001_a.sql": good["migrations/001_a.sql"],
		"migrations/002_b.sql": good["migrations/002_b.sql"],
		"migrations/003_c.sql": {Data: []byte(`CREATE TABLE c (y INTEGER); INSERT INTO nowhere VALUES (1);`)},
	}
	// Start from an empty schema table, as if peerbot's own had not run.
	if _, err := s.raw().Exec(`DELETE FROM ` + versionTable); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(ctx, bad); err == nil || !strings.Contains(err.Error(), "003_c.sql") {
		t.Fatalf("migrate(bad) error = %v, want one naming 003_c.sql", err)
	}
	if v, _ := s.SchemaVersion(ctx); v != 2 {
		t.Errorf("version after failed 003 = %d, want 2", v)
	}
	if strings.Contains(" "+tableNames(t, s)+" ", " c ") {
		t.Error("table c from the failed migration exists")
	}
	var sum int
	if err := s.raw().QueryRow(`SELECT SUM(x) FROM a`).Scan(&sum); err != nil || sum != 3 {
		t.Errorf("a holds sum %d (%v), want 3: 001 then 002, each once", sum, err)
	}
	if err := s.migrate(ctx, good); err != nil {
		t.Errorf("re-running applied migrations: %v", err)
	}
	if err := s.raw().QueryRow(`SELECT SUM(x) FROM a`).Scan(&sum); err != nil || sum != 3 {
		t.Errorf("after re-run a holds sum %d (%v), want 3 (no-op)", sum, err)
	}
}

// Badly numbered migration files are refused.
func TestLoadMigrationsRequiresSequence(t *testing.T) {
	for _, fsys := range []fstest.MapFS{
		{"migrations/001_a.sql": {}, "migrations/003_c.sql": {}},
		{"migrations/init.sql": {}},
		{"migrations/002_b.sql": {}},
	} {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("loadMigrations(%v) succeeded", fsys)
		}
	}
}
