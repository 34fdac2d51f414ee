package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSecretKeys ensures the database opens only with its own key, that
// the key may come from the environment, and that an existing database
// never gets a new key file.
func TestSecretKeys(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	key := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	env := map[string]string{"PEERBOT_SECRET_KEY": key}
	cfg := filepath.Join(dir, "peerbot.yaml")
	if err := os.WriteFile(cfg, []byte("database:\n  path: "+db+"\nlog:\n  level: warn\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "/join bob\n", env, "console", "-config", cfg); r.code != 0 || r.stderr != "" {
		t.Fatalf("first start with the env key: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, "/join carol\n", env, "console", "-db", db); r.code != 0 || r.stderr != "" {
		t.Fatalf("console without a config file, env key: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(db + ".key"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key file was written although the key came from the environment: %v", err)
	}
	wrong := map[string]string{"PEERBOT_SECRET_KEY": "HwECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
	if r := run(t, "", wrong, "console", "-config", cfg); r.code != 1 || r.stderr == "" {
		t.Errorf("wrong key: exit %d, stderr %q; want a clear failure", r.code, r.stderr)
	}
	r := run(t, "", nil, "console", "-config", cfg)
	if r.code != 1 || !strings.Contains(r.stderr, "the key file "+db+".key does not exist") {
		t.Errorf("no key for an existing database: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(db + ".key"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a new key file was made for an existing database: %v", err)
	}
	if r := run(t, "", map[string]string{"PEERBOT_SECRET_KEY": "short"}, "check-config", cfg); r.code != 1 || !strings.Contains(r.stderr, "database.secret_key:") || strings.Contains(r.stderr, "short") {
		t.Errorf("bad key: exit %d, stderr %q; want database.secret_key named and the key not shown", r.code, r.stderr)
	}
}

// TestSecondProcessIsRefused ensures a second peerbot on the same database
// fails with a clear error naming the first one's pid, that a backup may
// still run beside it, and that the database is free again after Close.
func TestSecondProcessIsRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.Database.Path = filepath.Join(dir, "l.db")
	first := &Main{Stderr: io.Discard, Getenv: func(string) string { return "" }}
	if _, err := first.openStore(context.Background(), cfg, false); err != nil {
		t.Fatal(err)
	}
	r := run(t, "alice: !help\n", nil, "console", "-db", cfg.Database.Path)
	want := "database " + cfg.Database.Path + " is in use by another peerbot (pid " + strconv.Itoa(os.Getpid()) + ")"
	if r.code != 1 || !strings.Contains(r.stderr, want) || r.stdout != "" {
		t.Errorf("second peerbot: exit %d, stdout %q, stderr %q; want %q", r.code, r.stdout, r.stderr, want)
	}
	if r := run(t, "", nil, "backup", "-db", cfg.Database.Path, filepath.Join(dir, "b.db")); r.code != 0 {
		t.Errorf("backup beside a running peerbot: exit %d, stderr %q", r.code, r.stderr)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "alice: !help\n", nil, "console", "-db", cfg.Database.Path); r.code != 0 || r.stdout == "" {
		t.Errorf("after the first closed: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestChangeKey ensures change-key re-encrypts the words under a new key in
// the key file, keeps them readable, and leaves the old key useless.
func TestChangeKey(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	meeting := "alice: !round start 30\nbob: !checkin amber a hard week\n"
	if r := run(t, meeting, nil, "console", "-db", db, "-facilitators", "alice"); r.code != 0 {
		t.Fatalf("setup: exit %d, %q", r.code, r.stderr)
	}
	oldKey, err := os.ReadFile(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, "", nil, "change-key", "-db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "saved in "+db+".key") {
		t.Fatalf("change-key: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	newKey, err := os.ReadFile(db + ".key")
	if err != nil || bytes.Equal(newKey, oldKey) {
		t.Fatalf("key file not replaced (err %v)", err)
	}
	if fi, err := os.Stat(db + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("new key file mode: %v %v", fi.Mode(), err)
	}
	r = run(t, "/dm bob !mydata\n", nil, "console", "-db", db)
	if !strings.Contains(r.stdout, "a hard week") {
		t.Errorf("bob's words unreadable after change-key:\n%s\n%s", r.stdout, r.stderr)
	}
	old := map[string]string{"PEERBOT_SECRET_KEY": strings.TrimSpace(string(oldKey))}
	if r := run(t, "", old, "console", "-db", db); r.code != 1 || !strings.Contains(r.stderr, "reset-lost-key") {
		t.Errorf("old key: exit %d, stderr %q; want refusal pointing to reset-lost-key", r.code, r.stderr)
	}
}

// TestResetLostKey ensures reset-lost-key needs -confirm, deletes only the
// unreadable words, and leaves a database that starts with a new key.
func TestResetLostKey(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	meeting := "alice: !round start 30\nbob: !checkin amber a hard week\n"
	if r := run(t, meeting, nil, "console", "-db", db, "-facilitators", "alice"); r.code != 0 {
		t.Fatalf("setup: exit %d, %q", r.code, r.stderr)
	}
	if err := os.Remove(db + ".key"); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", nil, "reset-lost-key", "-db", db); r.code != 2 || !strings.Contains(r.stderr, "-confirm") {
		t.Errorf("without -confirm: exit %d, stderr %q", r.code, r.stderr)
	}
	r := run(t, "", nil, "reset-lost-key", "-confirm", "-db", db)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "1 check-ins were deleted, and the words of 0 more") {
		t.Fatalf("reset-lost-key: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, "/dm bob !mydata\n", nil, "console", "-db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "[dm bob] • Check-ins: 0") || strings.Contains(r.stdout, "a hard week") {
		t.Errorf("after reset: exit %d, want bob kept without the unreadable check-in:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
