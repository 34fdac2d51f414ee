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

// TestRateLimitWaitsReported ensures every rate-limit wait is reported to
// the core as RateLimitWaited (counted by the metrics): a 429 discordgo
// waits out and retries (posting the round's status), and a 429 on a
// status edit, which the adapter puts off.
func TestRateLimitWaitsReported(t *testing.T) {
	h := newHarness(t)
	h.f.Inject("POST", `/channels/`+groupCh+`/messages$`, 429, 1)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	status := h.lastMessage(groupCh)
	h.f.Inject("PATCH", `/channels/`+groupCh+`/messages/`+status.ID+`$`, 429, 1)
	h.click(ana, status.ID, "pb:checkin green")
	h.flush()
	h.flush()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := strings.Count(h.logs.String(), `"condition":"rate_limit_waited"`)
		if n == 2 {
			break
		}
		if n > 2 || time.Now().After(deadline) {
			t.Fatalf("%d rate-limit waits reported, want 2", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
