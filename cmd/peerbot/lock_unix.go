//go:build unix

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// lockDatabase keeps a second peerbot from using the database at dbPath by
// accident: it takes an exclusive flock on "<dbPath>.lock" and writes this
// process's id into it. The operating system drops the lock when the
// process ends, however it ends (a crash or SIGKILL included), so a stale
// lock file never blocks a restart. The file itself stays; it is harmless.
// It returns an error naming the other process when the lock is held.
func lockDatabase(dbPath string) (release func() error, err error) {
	path := dbPath + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock database: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			b, _ := io.ReadAll(io.LimitReader(f, 32))
			pid := strings.TrimSpace(string(b))
			if pid == "" {
				pid = "unknown"
			}
			return nil, fmt.Errorf("database %s is in use by another peerbot (pid %s): stop that one first, or use another database", dbPath, pid)
		}
		return nil, fmt.Errorf("lock database: %w", err)
	}
	err = f.Truncate(0)
	if err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock database: %w", err)
	}
	return func() error {
		// Closing the file releases the lock.
		return f.Close()
	}, nil
}
