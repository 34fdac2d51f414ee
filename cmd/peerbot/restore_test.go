package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/peerbot/peerbot/adapters/console"
	"github.com/peerbot/peerbot/store"
)

// beforeBackup is a meeting whose check-in a backup holds.
const beforeBackup = "/clock 2030-01-07T19:00:00Z\nalice: !round start 60\nbob: !checkin amber before the backup\n"

// withBackup runs a meeting in dir's peerbot.db and backs it up to
// dir/backup.db. It returns both paths.
func withBackup(t *testing.T, dir string) (db, backup string) {
	t.Helper()
	db, backup = filepath.Join(dir, "peerbot.db"), filepath.Join(dir, "backup.db")
	if r := run(t, beforeBackup, nil, "console", "-db", db, "-facilitators", "alice"); r.code != 0 {
		t.Fatalf("meeting: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, "", nil, "backup", "-db", db, backup); r.code != 0 {
		t.Fatalf("backup: exit %d, stderr %q", r.code, r.stderr)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	return db, backup
}

// checkInsOf opens the database at path with the key file beside db and
// returns "member colour words" for each check-in of the console's latest
// round, and the result of SQLite's integrity check.
func checkInsOf(t *testing.T, path, db string) (checkIns []string, integrity string) {
	t.Helper()
	ctx := context.Background()
	key, _, err := store.LoadOrCreateKeyFile(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, path, store.WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.DB().QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil {
		t.Fatal(err)
	}
	round, err := st.LatestRound(ctx, console.Channel)
	if err != nil {
		t.Fatal(err)
	}
	cis, err := st.CheckIns(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, ci := range cis {
		checkIns = append(checkIns, ci.MemberName+" "+string(ci.Colour)+" "+ci.Words)
	}
	return checkIns, integrity
}

// TestRestoreReplacesStaleWAL ensures that restoring a backup over a
// database whose last run was killed (its -wal still holding newer
// check-ins) yields exactly the backup's data, intact, in a file of mode
// 0600; that the replaced database and its -wal are kept aside, whole; and
// that peerbot then starts on the restored database.
func TestRestoreReplacesStaleWAL(t *testing.T) {
	dir := t.TempDir()
	db, backup := withBackup(t, dir)

	// A later run, killed after its check-in was acknowledged: the check-in
	// is committed in the -wal, which nobody checkpointed.
	p := start(t, dir, "console")
	if _, err := io.WriteString(p.stdin, "/clock 2030-01-07T19:05:00Z\ncarol: !checkin red after the backup\n"); err != nil {
		t.Fatal(err)
	}
	for p.stdout.Scan() && !strings.HasPrefix(p.stdout.Text(), "[dm carol] Thanks") {
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	p.exitCode(t)
	if fi, err := os.Stat(db + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("no stale -wal beside the database after the kill (%v): the test sees nothing", err)
	}

	r := run(t, "", nil, "restore", "-db", db, backup)
	if r.code != 0 {
		t.Fatalf("restore: exit %d, stderr %q", r.code, r.stderr)
	}
	asides, _ := filepath.Glob(db + ".before-restore-*")
	if len(asides) != 3 || asides[1] != asides[0]+"-shm" || asides[2] != asides[0]+"-wal" {
		t.Fatalf("aside files %q; want the database, its -shm and -wal, under one name", asides)
	}
	if !strings.Contains(r.stdout, "restored into "+db) || !strings.Contains(r.stdout, asides[0]) {
		t.Errorf("restore said %q; want it to name the database and where the old one is", r.stdout)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(db + suffix); err == nil {
			t.Errorf("%s left beside the restored database", suffix)
		}
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restored database: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}

	got, integrity := checkInsOf(t, db, db)
	if integrity != "ok" || len(got) != 1 || got[0] != "bob amber before the backup" {
		t.Errorf("restored check-ins %q, integrity %q; want only bob's, from the backup, and ok", got, integrity)
	}
	old, integrity := checkInsOf(t, asides[0], db)
	if integrity != "ok" || len(old) != 2 || old[1] != "carol red after the backup" {
		t.Errorf("check-ins of the database set aside %q, integrity %q; want bob's and carol's", old, integrity)
	}

	r = run(t, "/dm bob !mydata\n", nil, "console", "-db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "before the backup") {
		t.Errorf("peerbot on the restored database: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestRestoreRefusedWhileRunning ensures restore refuses, naming the
// running peerbot's pid, and changes nothing.
func TestRestoreRefusedWhileRunning(t *testing.T) {
	dir := t.TempDir()
	db, backup := withBackup(t, dir)
	p := start(t, dir, "console")
	defer func() {
		p.stdin.Close()
		p.exitCode(t)
	}()
	if _, err := io.WriteString(p.stdin, "/dm bob !mydata\n"); err != nil {
		t.Fatal(err)
	}
	if !p.stdout.Scan() { // it has the lock once it answers
		t.Fatalf("console did not answer: %s", p.stderr)
	}
	before := files(t, dir)
	r := run(t, "", nil, "restore", "-db", db, backup)
	want := "database " + db + " is in use by another peerbot (pid " + strconv.Itoa(p.cmd.Process.Pid) + ")"
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("restore beside a running peerbot: exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
	if after := files(t, dir); after != before {
		t.Errorf("files changed:\nbefore %s\nafter  %s", before, after)
	}
}

// TestRestoreRefusesBadBackups ensures restore refuses a file that is not
// a database, a backup cut short, and a backup made under another key,
// each with a message saying why, leaving the database and its folder as
// they were.
func TestRestoreRefusesBadBackups(t *testing.T) {
	dir := t.TempDir()
	db, backup := withBackup(t, dir)

	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.db")
	if err := os.WriteFile(cut, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	otherDir := t.TempDir()
	otherKey := map[string]string{"PEERBOT_SECRET_KEY": "HwECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
	if r := run(t, beforeBackup, otherKey, "console", "-db", filepath.Join(otherDir, "o.db"), "-facilitators", "alice"); r.code != 0 {
		t.Fatalf("other meeting: exit %d, stderr %q", r.code, r.stderr)
	}
	other := filepath.Join(dir, "other-key.db")
	if r := run(t, "", otherKey, "backup", "-db", filepath.Join(otherDir, "o.db"), other); r.code != 0 {
		t.Fatalf("other backup: exit %d, stderr %q", r.code, r.stderr)
	}

	before := files(t, dir)
	for file, want := range map[string]string{
		garbage: "damaged, or not a database",
		cut:     "damaged",
		other:   "the secret key does not match this database",
	} {
		r := run(t, "", nil, "restore", "-db", db, file)
		if r.code != 1 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, filepath.Base(file)) {
			t.Errorf("restore %s: exit %d, stderr %q; want a refusal saying %q", filepath.Base(file), r.code, r.stderr, want)
		}
		if after := files(t, dir); after != before {
			t.Errorf("restore %s changed the files:\nbefore %s\nafter  %s", filepath.Base(file), before, after)
		}
	}
	if got, _ := checkInsOf(t, db, db); len(got) != 1 || got[0] != "bob amber before the backup" {
		t.Errorf("database after the refusals: %q", got)
	}
}

// files describes the files in dir: names, sizes and modes.
func files(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(e.Name() + " " + strconv.FormatInt(fi.Size(), 10) + " " + fi.Mode().String() + "; ")
	}
	return b.String()
}
