package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Restoring a backup.
//
// Copying a backup over a database by hand is unsafe: a -wal file left
// beside the database belongs to the old file, and SQLite would replay it
// into the restored one, corrupting it. Restore never writes over anything:
// it checks a copy of the backup first, moves the database and every file
// SQLite keeps beside it aside under one new name, and then renames the
// checked copy into place.

// restoreSidecars are the files SQLite may keep beside a database: the WAL
// and its index, and a rollback journal.
var restoreSidecars = []string{"-wal", "-shm", "-journal"}

// Restored says what Restore did.
type Restored struct {
	// Aside is where the database that was replaced now is (its -wal and
	// -shm, if any, beside it with the same name plus "-wal" and "-shm"),
	// or "" when there was none.
	Aside string
	// SchemaVersion is the restored database's schema version.
	SchemaVersion int
	// Sealed is how many encrypted values were checked.
	Sealed int
}

// Restore puts a copy of the backup file at backup in place of the
// database at path. Stop every process using the database first (peerbot
// restore holds the database lock while it runs). It needs WithKey: the
// key the backup was made under.
//
// It refuses, changing nothing at path, a backup that fails SQLite's
// integrity check, that is not a peerbot database, that is from a newer
// peerbot, whose key check does not open under the key (ErrWrongKey), or
// any of whose encrypted values does not open (ErrCannotDecrypt). These
// checks run on a private copy (mode 0600) beside the database, which an
// older backup's migrations may upgrade; the backup itself is only read.
//
// The database, and any -wal, -shm or -journal file beside it (even when
// the database itself is missing), are then moved aside to
// "<path>.before-restore-<UTC time>", never deleted; the checked copy is
// renamed into place and opened once more to verify it.
func Restore(ctx context.Context, backup, path string, now time.Time, opts ...Option) (Restored, error) {
	var r Restored
	if err := sameFile(backup, path); err != nil {
		return r, fmt.Errorf("restore: %w", err)
	}
	stamp := now.UTC().Format("20060102T150405Z")
	tmp := path + ".restoring-" + stamp
	if err := copyPrivate(backup, tmp); err != nil {
		return r, fmt.Errorf("restore: %w", err)
	}
	placed := false
	defer func() {
		if !placed {
			for _, suffix := range append([]string{""}, restoreSidecars...) {
				_ = os.Remove(tmp + suffix)
			}
		}
	}()
	if err := CheckFile(ctx, tmp, opts...); err != nil {
		return r, fmt.Errorf("restore: %w", copyError{err, tmp, backup})
	}
	if _, err := verifyFile(ctx, tmp, opts...); err != nil {
		return r, fmt.Errorf("restore: %w", copyError{err, tmp, backup})
	}
	for _, suffix := range restoreSidecars {
		if _, err := os.Lstat(tmp + suffix); err == nil {
			return r, fmt.Errorf("restore: the checked copy %s still has a %s file after closing", tmp, suffix)
		}
	}

	aside, err := moveAside(path, path+".before-restore-"+stamp)
	if err != nil {
		return r, fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		if aside != "" {
			for _, suffix := range append([]string{""}, restoreSidecars...) {
				if _, serr := os.Lstat(aside + suffix); serr == nil {
					_ = os.Rename(aside+suffix, path+suffix)
				}
			}
		}
		return r, fmt.Errorf("restore: put %s in place: %w", tmp, err)
	}
	placed, r.Aside = true, aside
	syncDir(filepath.Dir(path))
	s, err := verifyFile(ctx, path, opts...)
	if err != nil {
		return r, fmt.Errorf("restore: the restored database does not open: %w", err)
	}
	r.SchemaVersion, r.Sealed = s.SchemaVersion, s.Sealed
	return r, nil
}

// copyError is an error found in the copy of a backup, told as the
// backup's: its text names the backup instead of the copy (which Restore
// removes).
type copyError struct {
	err          error
	copy, backup string
}

func (e copyError) Error() string { return strings.ReplaceAll(e.err.Error(), e.copy, e.backup) }
func (e copyError) Unwrap() error { return e.err }

// verifyFile opens the database at path, checks every encrypted value, and
// closes it.
func verifyFile(ctx context.Context, path string, opts ...Option) (Restored, error) {
	var r Restored
	s, err := Open(ctx, path, opts...)
	if err != nil {
		return r, err
	}
	defer s.Close()
	if r.Sealed, err = s.VerifySealed(ctx); err != nil {
		return r, err
	}
	if r.SchemaVersion, err = s.SchemaVersion(ctx); err != nil {
		return r, err
	}
	return r, s.Close()
}

// sameFile fails when backup is missing or is the database file itself.
func sameFile(backup, path string) error {
	bi, err := os.Stat(backup)
	if err != nil {
		return err
	}
	if !bi.Mode().IsRegular() || bi.Size() == 0 {
		return fmt.Errorf("%s is empty or not a regular file: not a backup", backup)
	}
	if pi, err := os.Stat(path); err == nil && os.SameFile(bi, pi) {
		return fmt.Errorf("%s is the database itself", backup)
	}
	return nil
}

// copyPrivate copies src to a new file dst with mode 0600 and syncs it. It
// fails when dst exists.
func copyPrivate(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateMode)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(dst)
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return out.Sync()
}

// moveAside renames the database at path and its sidecar files to aside
// (plus the same suffixes). It returns aside, or "" when none of the files
// existed. It moves nothing when a file of that name exists already, and
// on failure moves back what it had moved.
func moveAside(path, aside string) (string, error) {
	var moving []string
	for _, suffix := range append([]string{""}, restoreSidecars...) {
		if _, err := os.Lstat(aside + suffix); err == nil {
			return "", fmt.Errorf("%s already exists", aside+suffix)
		}
		if _, err := os.Lstat(path + suffix); err == nil {
			moving = append(moving, suffix)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	if len(moving) == 0 {
		return "", nil
	}
	for i, suffix := range moving {
		if err := os.Rename(path+suffix, aside+suffix); err != nil {
			for _, done := range moving[:i] {
				_ = os.Rename(aside+done, path+done)
			}
			return "", fmt.Errorf("move the database aside: %w", err)
		}
	}
	syncDir(filepath.Dir(path))
	return aside, nil
}

// syncDir makes renames in dir durable where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// CheckFile runs SQLite's integrity check on the database file at path and
// checks that it is a peerbot database (it has a schema version), without
// migrating it or needing its key. It is for a file about to be restored:
// the check sets the file to WAL mode, so run it on a copy. It returns an
// error naming the first problems found.
func CheckFile(ctx context.Context, path string, opts ...Option) error {
	o := options{busyTimeout: defaultBusyTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() || fi.Size() == 0 {
		return fmt.Errorf("check %s: not a database (empty, or not a regular file)", path)
	}
	s, err := openDB(ctx, path, o)
	if err != nil {
		return fmt.Errorf("check %s: damaged, or not a database: %w", path, err)
	}
	defer s.Close()
	problems, err := s.integrityProblems(ctx)
	if err != nil {
		return fmt.Errorf("check %s: damaged, or not a database: %w", path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("check %s: the file is damaged (SQLite integrity check: %s)", path, strings.Join(problems, "; "))
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, versionTable).Scan(&n); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if n == 0 {
		return fmt.Errorf("check %s: not a peerbot database (no %s table)", path, versionTable)
	}
	return s.Close()
}

// integrityProblems runs PRAGMA integrity_check and returns its first
// findings (none when the file is sound).
func (s *Store) integrityProblems(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `PRAGMA integrity_check(10)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		if p != "ok" {
			problems = append(problems, p)
		}
	}
	return problems, rows.Err()
}
