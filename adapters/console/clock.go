package console

import (
	"sync"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// clock is the console's clock: the core reads it, /clock moves it.
type clock interface {
	bot.Clock
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
// to. It is the clock of an interactive session, where rounds should close
// by themselves while people type.
type offsetClock struct {
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

// Advance adds d to the offset and returns the new time.
func (c *offsetClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
	return c.now().Add(c.offset)
}

// Set makes the clock show t now (and go on from there in real time).
func (c *offsetClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = t.Sub(c.now())
}
