package store

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// KeySize is the length of the secret key in bytes (256 bits).
const KeySize = 32

// WithKey gives Open the secret key that encrypts check-in words. It must be
// KeySize bytes (see ParseKey and LoadOrCreateKeyFile). Open requires a key:
// without WithKey it fails, so that no words are ever stored in plain text.
// The slice is copied.
func WithKey(key []byte) Option {
	k := append([]byte(nil), key...)
	return func(o *options) { o.key = k }
}

// GenerateKey returns a new random key of KeySize bytes.
func GenerateKey() []byte {
	k := make([]byte, KeySize)
	_, _ = rand.Read(k) // never fails (it crashes the program instead)
	return k
}

// EncodeKey returns key as standard base64, the form ParseKey reads and
// LoadOrCreateKeyFile writes.
func EncodeKey(key []byte) string { return base64.StdEncoding.EncodeToString(key) }

// ParseKey decodes a secret key written as 64 hex digits or as base64
// (standard or URL alphabet, with or without padding) of KeySize bytes.
// Surrounding white space is ignored. The error never contains the key.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("parse secret key: empty (want %d bytes written as base64 or as %d hex digits)", KeySize, 2*KeySize)
	}
	if len(s) == 2*KeySize {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		k, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		if len(k) != KeySize {
			return nil, fmt.Errorf("parse secret key: it is %d bytes, want %d (generate one with: head -c 32 /dev/urandom | base64)", len(k), KeySize)
		}
		return k, nil
	}
	return nil, fmt.Errorf("parse secret key: want %d bytes written as base64 or as %d hex digits (generate one with: head -c 32 /dev/urandom | base64)", KeySize, 2*KeySize)
}

// LoadOrCreateKeyFile reads the secret key from the file at path, or, when
// there is no such file, creates it with a new random key (base64, one line)
// and mode 0600, and reports created. The console default keeps it beside
// the database as "<database path>.key".
//
// It refuses (returns an error, changes nothing) a key file that group or
// others may read or write: such a key must be treated as leaked, and
// failing at start is the only way an operator notices. The error says how
// to fix the mode. (On Windows, where modes do not describe access, the
// mode is not checked.)
func LoadOrCreateKeyFile(path string) (key []byte, created bool, err error) {
	if path == "" {
		return nil, false, errors.New("key file: empty path")
	}
	key, err = readKeyFile(path)
	if err == nil {
		return key, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	key = GenerateKey()
	// O_EXCL: if another process creates the file first, read theirs.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		key, err = readKeyFile(path)
		return key, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("create key file: %w", err)
	}
	_, err = f.WriteString(EncodeKey(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, false, fmt.Errorf("create key file: %w", err)
	}
	return key, true, nil
}

// readKeyFile reads and parses a key file, checking its mode. A missing file
// is an error wrapping fs.ErrNotExist.
func readKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("key file %s: not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("key file %s: others may read or change it (mode %04o): "+
			"run chmod 600 %s, and if others could read it, consider the key leaked", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	key, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return key, nil
}
