package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// backupFixture returns a backup of a store holding one named member, and
// the store's path (the store is closed).
func backupFixture(t *testing.T) (backup, path string) {
	t.Helper()
	ctx := context.Background()
	s, path := openTest(t)
	if err := s.SaveMember(ctx, bot.MemberRecord{ID: "console:ann", Name: "Ann"}); err != nil {
		t.Fatal(err)
	}
	backup = filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return backup, path
}

// CheckFile accepts a backup and refuses, naming the problem, a file that
// is not a database, a database with a damaged page, and an SQLite file
// that is not peerbot's.
func TestCheckFile(t *testing.T) {
	onlySQLite(t, "checks a database file")
	ctx := context.Background()
	backup, _ := backupFixture(t)
	if err := CheckFile(ctx, copyOf(t, backup)); err != nil {
		t.Fatalf("CheckFile(backup) = %v", err)
	}
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database at all\n", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	damaged := copyOf(t, backup)
	var root int64
	s, err := openDB(ctx, damaged, options{busyTimeout: defaultBusyTimeout})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'members'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, err := os.ReadFile(damaged)
	if err != nil {
		t.Fatal(err)
	}
	b[(root-1)*4096] = 0xff // the members table's page: no such b-tree page type
	if err := os.WriteFile(damaged, b, 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for file, want := range map[string]string{
		garbage: "not a database",
		damaged: "damaged",
		foreign: "not a peerbot database",
	} {
		err := CheckFile(ctx, file)
		t.Logf("%s: %v", filepath.Base(file), err)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckFile(%s) = %v; want an error saying %q", filepath.Base(file), err, want)
		}
	}
}

// Restore refuses a backup made under another key and leaves the database
// and the folder as they were.
func TestRestoreRefusesAnotherKey(t *testing.T) {
	onlySQLite(t, "restores a backup file (PostgreSQL: pg_restore)")
	ctx := context.Background()
	backup, path := backupFixture(t)
	before := fileBytes(t, path)
	_, err := Restore(ctx, backup, path, t0, WithKey(GenerateKey()))
	if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("Restore under another key = %v; want ErrWrongKey", err)
	}
	if after := fileBytes(t, path); string(after) != string(before) {
		t.Error("the database changed")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if e.Name() != "peerbot.db" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// copyOf copies a file into a new temporary folder.
func copyOf(t *testing.T, path string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := copyPrivate(path, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}
