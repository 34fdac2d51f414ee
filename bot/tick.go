package bot

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Start runs the core's clock: it does once, before returning, what became
// due while peerbot was not running, then goes on in the background every
// Options.TickEvery (default 1 s) and, with a MovableClock, as soon as the
// clock is moved. It is the one loop of the process; adapters never tick.
// The returned wait blocks until the loop has ended after ctx was
// cancelled.
func (b *Bot) Start(ctx context.Context) (wait func()) {
	b.tickQuiet(ctx)
	var wg sync.WaitGroup
	var stopMoves func()
	if mc, ok := b.clock.(MovableClock); ok {
		stopMoves = mc.OnMove(func() { b.tickQuiet(ctx) })
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer b.releaseLeases()
		if stopMoves != nil {
			defer stopMoves()
		}
		t := time.NewTicker(b.tickEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				b.tickQuiet(ctx)
			}
		}
	}()
	return wg.Wait
}

// tickQuiet ticks; failures were logged by Tick.
func (b *Bot) tickQuiet(ctx context.Context) {
	if ctx.Err() == nil {
		_ = b.Tick(ctx)
	}
}

// Tick does what has become due by the clock: it flushes debounced status
// edits, opens scheduled rounds and closes rounds whose time has run out.
// Start calls it; tests may call it directly. Safe to call from several
// goroutines: ticks run one at a time.
func (b *Bot) Tick(ctx context.Context) error {
	b.tickMu.Lock()
	defer b.tickMu.Unlock()
	// One failing round or schedule must not hold up the others: each
	// failure is logged, and the first is returned after all were tried.
	var first error
	fail := func(err error, what string) {
		b.log.Error().Err(err).Msg(what)
		if first == nil {
			first = fmt.Errorf("tick: %w", err)
		}
	}
	if b.leases != nil {
		if err := b.leases.refresh(ctx, b.now(), false); err != nil {
			fail(err, "Renewing this process's group leases failed")
		}
	}
	b.flushStatuses(ctx, fail)
	b.runSchedules(ctx, fail)
	due, err := b.store.DueRounds(ctx, b.now())
	if err != nil {
		fail(err, "Listing due rounds failed")
	}
	for _, r := range due {
		if !b.Holds(r.Group) {
			continue
		}
		if err := b.closeRound(ctx, r); err != nil {
			fail(err, "Closing a round failed")
		}
	}
	return first
}
