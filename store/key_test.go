package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// ParseKey reads 32 bytes as hex or any base64 flavour and refuses anything
// else with an error that does not repeat the input.
func TestParseKey(t *testing.T) {
	key := make([]byte, KeySize)
	for i := range key {
		key[i] = byte(0xf0 + i) // 0xfb… make '+' '/' or '-' '_' in base64
	}
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"hex", hex.EncodeToString(key), true},
		{"hex upper case", strings.ToUpper(hex.EncodeToString(key)), true},
		{"base64", base64.StdEncoding.EncodeToString(key), true},
		{"base64 without padding", base64.RawStdEncoding.EncodeToString(key), true},
		{"base64url", base64.URLEncoding.EncodeToString(key), true},
		{"base64url without padding", base64.RawURLEncoding.EncodeToString(key), true},
		{"surrounding space and newline", "  " + EncodeKey(key) + "\n", true},
		{"empty", "", false},
		{"only space", " \n", false},
		{"31 bytes base64", base64.StdEncoding.EncodeToString(key[:31]), false},
		{"33 bytes base64", base64.StdEncoding.EncodeToString(append(key[:32:32], 1)), false},
		{"31 bytes hex", hex.EncodeToString(key[:31]), false},
		{"64 characters, not hex (48 bytes of base64)", strings.Repeat("Zz", 32), false},
		{"a passphrase", "correct horse battery staple", false},
		{"base64 with a bad character", "!" + EncodeKey(key)[1:], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKey(tc.in)
			if tc.ok {
				if err != nil || !bytes.Equal(got, key) {
					t.Errorf("ParseKey = %x, %v; want %x", got, err, key)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseKey succeeded with %x", got)
			}
			if strings.TrimSpace(tc.in) != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
				t.Errorf("error %q repeats the key", err)
			}
			if !strings.Contains(err.Error(), "32") {
				t.Errorf("error %q does not say a key is 32 bytes", err)
			}
		})
	}
}

// EncodeKey and ParseKey round-trip; GenerateKey gives distinct keys.
func TestGenerateAndEncodeKey(t *testing.T) {
	a, b := GenerateKey(), GenerateKey()
	if len(a) != KeySize || bytes.Equal(a, b) {
		t.Fatalf("GenerateKey gave %x and %x", a, b)
	}
	if got, err := ParseKey(EncodeKey(a)); err != nil || !bytes.Equal(got, a) {
		t.Errorf("ParseKey(EncodeKey(k)) = %x, %v; want %x", got, err, a)
	}
}

// The key file is created once with mode 0600, then read back unchanged,
// and the key opens the database it was made for.
func TestLoadOrCreateKeyFile(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "peerbot.db")
	path := db + ".key"
	key, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created || len(key) != KeySize {
		t.Fatalf("first LoadOrCreateKeyFile = %x, %v, %v; want a new key", key, created, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %04o, want 0600", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(path); string(b) != EncodeKey(key)+"\n" {
		t.Errorf("key file holds %q, want the base64 key and a newline", b)
	}
	again, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created || !bytes.Equal(again, key) {
		t.Errorf("second LoadOrCreateKeyFile = %x, %v, %v; want the same key, not created", again, created, err)
	}
	s, err := OpenURL(ctx, db, WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := OpenURL(ctx, db, WithKey(again)); err != nil {
		t.Errorf("re-open with the key read from the file: %v", err)
	} else {
		s.Close()
	}
}

// A key file others may read is refused, and left as it is; so are a file
// that holds no key and a path whose directory does not exist.
func TestLoadOrCreateKeyFileRefuses(t *testing.T) {
	dir := t.TempDir()
	if runtime.GOOS != "windows" {
		loose := filepath.Join(dir, "loose.key")
		if err := os.WriteFile(loose, []byte(EncodeKey(GenerateKey())+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(loose, 0o644); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(loose)
		if _, _, err := LoadOrCreateKeyFile(loose); err == nil || !strings.Contains(err.Error(), "chmod 600") ||
			!strings.Contains(err.Error(), "0644") {
			t.Errorf("loose key file error = %v; want a refusal naming the mode and chmod 600", err)
		}
		if after, _ := os.ReadFile(loose); !bytes.Equal(after, before) {
			t.Error("a refused key file was changed")
		}
	}
	junk := filepath.Join(dir, "junk.key")
	if err := os.WriteFile(junk, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreateKeyFile(junk); err == nil || !strings.Contains(err.Error(), junk) {
		t.Errorf("junk key file error = %v; want one naming the file", err)
	}
	if _, _, err := LoadOrCreateKeyFile(filepath.Join(dir, "missing", "peerbot.db.key")); err == nil {
		t.Error("key file in a missing directory was created")
	}
	if _, _, err := LoadOrCreateKeyFile(""); err == nil {
		t.Error("empty key file path accepted")
	}
	if _, _, err := LoadOrCreateKeyFile(dir); err == nil {
		t.Error("a directory was accepted as a key file")
	}
}
