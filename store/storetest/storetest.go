// Package storetest opens real, throw-away SQLite stores for tests.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/peerbot/peerbot/store"
)

// Open opens a fresh, migrated store on a new file in tb.TempDir() and
// closes it when the test ends. It fails the test if the store cannot be
// opened.
func Open(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "peerbot.db"))
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("storetest: %v", err)
		}
	})
	return s
}
