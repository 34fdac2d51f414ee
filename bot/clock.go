package bot

import (
	"sync"
	"time"
)

// Clock tells the core what time it is. Tests and the console inject a
// ManualClock; everything else uses SystemClock.
type Clock interface {
	Now() time.Time
}

// SystemClock reads the machine's clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// MovableClock is a Clock that can be moved by hand (tests, the console's
// /clock). The core's loop registers with OnMove, so that what became due
// is done as soon as the clock moves, before the move returns.
type MovableClock interface {
	Clock
	// OnMove registers f to run after every move; cancel unregisters it.
	OnMove(f func()) (cancel func())
}

// Moves keeps the OnMove functions of a MovableClock. Embed it and call
// Moved after each move. The zero value is ready to use.
type Moves struct {
	mu   sync.Mutex
	next int
	fs   map[int]func()
}

// OnMove registers f to run after every move.
func (m *Moves) OnMove(f func()) (cancel func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fs == nil {
		m.fs = map[int]func(){}
	}
	id := m.next
	m.next++
	m.fs[id] = f
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		delete(m.fs, id)
	}
}

// Moved runs the registered functions, in no particular order, on the
// caller's goroutine.
func (m *Moves) Moved() {
	m.mu.Lock()
	fs := make([]func(), 0, len(m.fs))
	for _, f := range m.fs {
		fs = append(fs, f)
	}
	m.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// ManualClock is a Clock that only moves when told to. It is safe for
// concurrent use. Moving it runs the core's loop at once (MovableClock).
type ManualClock struct {
	Moves
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock standing at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and returns the new time.
func (c *ManualClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	c.now = c.now.Add(d)
	now := c.now
	c.mu.Unlock()
	c.Moved()
	return now
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
	c.Moved()
}
