package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"

	"github.com/rs/zerolog"
)

// File modes.
//
// The database holds health data (who is in a self-harm peer-support group,
// and when they checked in), so its files are the owner's alone: mode 0600.
// Open creates a new database file itself, empty and 0600, before SQLite
// opens it; SQLite's unix VFS then creates the -wal and -shm files with the
// database file's own mode (it copies it, whatever the umask). Backup
// creates its output the same way. Files found with a wider mode are
// tightened to 0600 at open, and the change is logged. The folder holding
// them is never touched: its mode is the operator's choice.

// privateMode is the mode of every file the store creates.
const privateMode fs.FileMode = 0o600

// sidecars are the files SQLite keeps beside a database in WAL mode.
var sidecars = []string{"-wal", "-shm"}

// createPrivate creates path as an empty file with mode 0600 when it does
// not exist. It reports whether it created it.
func createPrivate(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateMode)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// The umask may have taken bits away, never added any: 0600 stands.
	return true, f.Close()
}

// tightenModes sets the database file at path and its -wal and -shm files
// to mode 0600 where others (group or world) may read or write them, and
// logs each change. Missing files are skipped. On Windows, where modes do
// not describe access, it does nothing.
func tightenModes(path string, log zerolog.Logger) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	for _, p := range append([]string{path}, path+sidecars[0], path+sidecars[1]) {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check file mode: %w", err)
		}
		if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(p, privateMode); err != nil {
			return fmt.Errorf("make %s private: %w", p, err)
		}
		log.Warn().Str("file", p).Str("old_mode", fmt.Sprintf("%04o", fi.Mode().Perm())).
			Msg("Made a database file readable by its owner only (mode 0600): it was open to others")
	}
	return nil
}
