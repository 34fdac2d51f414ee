package console

import (
	"sync"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// clock is the console's clock: the core reads it, /clock moves it. It is a
// bot.MovableClock, so the core's loop does what became due as soon as it
// moves, before Advance or Set returns.
type clock interface {
	bot.MovableClock
	// Advance moves the clock forward by d.
	Advance(d time.Duration) time.Time
	// Set moves the clock to t.
	Set(t time.Time)
}

var (
	_ clock = (*bot.ManualClock)(nil)
	_ clock = (*offsetClock)(nil)
)

// offsetClock follows the machine's clock plus an offset that /clock adds
// to. It is the clock of an interactive session, where rounds close by
// themselves while people type (the core's loop ticks every second).
type offsetClock struct {
	bot.Moves
	mu     sync.Mutex
	offset time.Duration
	now    func() time.Time
}

func newOffsetClock() *offsetClock { return &offsetClock{now: time.Now} }

// Now returns the machine's time plus the offset.
func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now().Add(c.offset)
}

// Advance adds d to the offset and returns the new time, after the core
// has done what became due.
func (c *offsetClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	c.offset += d
	now := c.now().Add(c.offset)
	c.mu.Unlock()
	c.Moved() // outside the lock: the core reads the clock
	return now
}

// Set makes the clock show t now (and go on from there in real time), after
// the core has done what became due.
func (c *offsetClock) Set(t time.Time) {
	c.mu.Lock()
	c.offset = t.Sub(c.now())
	c.mu.Unlock()
	c.Moved()
}
