package matrix

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHealth ensures the adapter is unhealthy before its first sync,
// healthy once it synced with the real homeserver, and unhealthy when the
// last successful sync is older than two minutes.
func TestHealth(t *testing.T) {
	botAcc := register(t, "peerbot")
	a, err := New(botConfig(botAcc, false), openDB(t, filepath.Join(t.TempDir(), "bot.db")), testLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Health(); err == nil || !strings.Contains(err.Error(), "no successful sync yet") {
		t.Errorf("Health() before Run = %v, want 'no successful sync yet'", err)
	}
	runAdapter(t, a, newFakeCore(nil))
	deadline := time.Now().Add(waitLimit)
	for a.Health() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("Health() = %v after running %s", a.Health(), waitLimit)
		}
		time.Sleep(50 * time.Millisecond)
	}

	now := time.Now()
	if err := syncHealth(now.Add(-time.Minute), now); err != nil {
		t.Errorf("a sync a minute ago: %v", err)
	}
	if err := syncHealth(now.Add(-3*time.Minute), now); err == nil || !strings.Contains(err.Error(), "no successful sync for 3m0s") {
		t.Errorf("a sync three minutes ago: %v", err)
	}
}
