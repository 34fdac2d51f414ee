package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// Opening an empty file applies every migration and records the version;
// opening it again changes nothing.
func TestMigrateFromEmptyAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "peerbot.db")
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
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
		"rounds", "check_ins", "message_refs", "handled_events", versionTable} {
		if !strings.Contains(" "+tables+" ", " "+want+" ") {
			t.Errorf("table %s missing; have %s", want, tables)
		}
	}
	if err := s.SaveMember(ctx, memberRec("console:ann", "Ann")); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("re-open: %v", err)
	}
	defer s.Close()
	if v2, _ := s.SchemaVersion(ctx); v2 != v {
		t.Errorf("version after re-open = %d, want %d", v2, v)
	}
	var rows int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM ` + versionTable).Scan(&rows); err != nil || rows != 1 {
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
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`UPDATE ` + versionTable + ` SET version = 999`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
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
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "peerbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "2",
	} {
		var got string
		if err := s.DB().QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
		}
	}
}

func tableNames(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.DB().Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
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
