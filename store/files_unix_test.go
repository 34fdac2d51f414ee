//go:build unix

package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot"
)

// withUmask runs the test under the usual umask 022, with which files are
// created world-readable unless the program says otherwise.
func withUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// A new database, its -wal and -shm, and a backup are readable by their
// owner only, and the folder keeps its mode.
func TestFilesArePrivate(t *testing.T) {
	onlySQLite(t, "file modes")
	withUmask(t)
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "peerbot.db")
	s, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SaveMember(ctx, bot.MemberRecord{ID: "console:ann", Name: "Ann"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", filepath.Base(p), m)
		}
	}
	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, backup); m != 0o600 {
		t.Errorf("backup: mode %04o, want 0600", m)
	}
	if m := mode(t, dir); m != 0o755 {
		t.Errorf("folder: mode %04o, want 0755 (left as it was)", m)
	}
	b, err := OpenURL(ctx, backup, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SaveMember(ctx, bot.MemberRecord{ID: "console:bo", Name: "Bo"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{backup + "-wal", backup + "-shm"} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", filepath.Base(p), m)
		}
	}
	b.Close()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if fi, _ := e.Info(); fi.Mode().Perm()&0o077 != 0 && e.Name() != "." {
			t.Errorf("%s: mode %04o, open to others", e.Name(), fi.Mode().Perm())
		}
	}
}

// Database files that others may read are made private at open, and the
// change is logged with the file's name.
func TestWideModesAreTightened(t *testing.T) {
	onlySQLite(t, "file modes")
	withUmask(t)
	ctx := context.Background()
	s, path := openTest(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	// An empty log left by an old build: SQLite reads it as no frames.
	if err := os.WriteFile(path+"-wal", nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path+"-wal", 0o666); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s, err := OpenURL(ctx, path, WithKey(testKey), WithLogger(zerolog.New(&logs)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s: mode %04o after open, want 0600", filepath.Base(p), m)
		}
	}
	for _, want := range []string{`"file":"` + path + `","old_mode":"0644"`, `"file":"` + path + `-wal","old_mode":"0666"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
}
