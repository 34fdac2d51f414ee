package discord

import (
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestHealth ensures Health is nil while the gateway is connected and says
// "disconnected" once Discord is gone and reconnecting fails.
func TestHealth(t *testing.T) {
	h := newHarness(t)
	waitHealth(t, h.a, func(err error) bool { return err == nil }, "healthy once connected")
	h.f.Stop()
	err := waitHealth(t, h.a, func(err error) bool { return err != nil }, "unhealthy after Discord went away")
	if !strings.Contains(err.Error(), "disconnected") {
		t.Errorf("Health() = %v, want it to say disconnected", err)
	}
}

// TestHealthBeforeRun ensures an adapter that never connected is not
// healthy.
func TestHealthBeforeRun(t *testing.T) {
	a, err := New(Config{Token: "t", ApplicationID: "1"}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Health(); err == nil || !strings.Contains(err.Error(), "not ready") {
		t.Errorf("Health() before Run = %v, want 'not ready'", err)
	}
}

// waitHealth polls a.Health until ok accepts it, and returns it.
func waitHealth(t *testing.T, a *Adapter, ok func(error) bool, what string) error {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := a.Health()
		if ok(err) {
			return err
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: Health() = %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
