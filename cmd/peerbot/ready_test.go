package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// slowPlatform cannot deliver until it is connected, like a Discord or
// Matrix adapter at start.
type slowPlatform struct {
	mu        sync.Mutex
	connected bool
	ready     chan struct{}
	said      []string
}

func (p *slowPlatform) Deliver(_ context.Context, r bot.Reply) (bot.MessageRef, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.connected {
		return "", errors.New("not connected yet")
	}
	p.said = append(p.said, r.Text.String())
	return bot.MessageRef("m"), nil
}

func (p *slowPlatform) Ready() <-chan struct{} { return p.ready }

func (p *slowPlatform) Run(ctx context.Context, _ bot.Core) error { <-ctx.Done(); return nil }

func (p *slowPlatform) connect() {
	p.mu.Lock()
	p.connected = true
	p.mu.Unlock()
	close(p.ready)
}

func (p *slowPlatform) saw(s string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, x := range p.said {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// A round that ran out while peerbot was down is closed only once the
// platform can deliver, so its summary is not lost at start.
func TestClockStartsWhenAdaptersAreReady(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "peerbot.db"), store.WithKey(store.GenerateKey()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := &slowPlatform{connected: true, ready: make(chan struct{})}
	clock := bot.NewManualClock(time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC))
	core, err := bot.New(bot.Options{Store: st, Platform: p, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	cmd, _ := core.Commands().ParseLine("round start 10")
	ev := bot.Event{ID: "r", Kind: bot.EventCommand, Group: "x:g", Channel: "x:g", Member: bot.Member{ID: "x:dana", Name: "dana", Facilitator: true}, Command: cmd}
	if o := core.Handle(ctx, ev); o != bot.Done {
		t.Fatal(o)
	}
	// peerbot was down for an hour, and the platform is not connected yet.
	clock.Set(clock.Now().Add(time.Hour))
	p.mu.Lock()
	p.connected = false
	p.mu.Unlock()

	done := make(chan error, 1)
	go func() { done <- runAll(ctx, core, map[string]runner{"slow": p}, zerolog.Nop()) }()
	time.Sleep(50 * time.Millisecond)
	if r, err := st.OpenRound(ctx, "x:g"); err != nil || !r.Open() {
		t.Fatalf("the round closed before the platform could say so: %+v, %v", r, err)
	}
	p.connect()
	deadline := time.Now().Add(5 * time.Second)
	for !p.saw("The round has closed.") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !p.saw("The round has closed.") {
		t.Errorf("the summary was never delivered: %q", p.said)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
