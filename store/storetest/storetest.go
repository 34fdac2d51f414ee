// Package storetest opens real, throw-away SQLite stores for tests.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/peerbot/peerbot/store"
)

// Key returns a new random secret key, for tests that open a store with
// store.Open(ctx, path, store.WithKey(key)) themselves, for instance to
// re-open the same file after a simulated restart (keep the key).
func Key(tb testing.TB) []byte {
	tb.Helper()
	return store.GenerateKey()
}

// Open opens a fresh, migrated store on a new file in tb.TempDir(), with a
// random secret key, and closes it when the test ends. It fails the test if
// the store cannot be opened.
func Open(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "peerbot.db"), store.WithKey(Key(tb)))
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
