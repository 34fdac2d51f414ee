package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

var t0 = time.Date(2026, 3, 1, 18, 30, 0, 0, time.UTC)

// testKey is the secret key of the stores tests open.
var testKey = GenerateKey()

func openTest(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "peerbot.db")
	s, err := Open(context.Background(), path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func memberRec(id bot.MemberID, name string) bot.MemberRecord {
	return bot.MemberRecord{ID: id, Name: name}
}
