package console

import (
	"testing"
	"time"
)

// TestOffsetClock ensures the interactive clock follows the machine's time
// and that /clock moves it by an offset that lasts.
func TestOffsetClock(t *testing.T) {
	machine := time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC)
	c := &offsetClock{now: func() time.Time { return machine }}
	if got := c.Now(); !got.Equal(machine) {
		t.Fatalf("Now = %v, want the machine's %v", got, machine)
	}
	if got := c.Advance(31 * time.Minute); !got.Equal(machine.Add(31 * time.Minute)) {
		t.Errorf("Advance returned %v", got)
	}
	machine = machine.Add(time.Minute) // real time goes on
	if got, want := c.Now(), machine.Add(31*time.Minute); !got.Equal(want) {
		t.Errorf("a minute later Now = %v, want %v", got, want)
	}
	target := time.Date(2031, 3, 1, 9, 0, 0, 0, time.UTC)
	c.Set(target)
	if got := c.Now(); !got.Equal(target) {
		t.Errorf("after Set, Now = %v, want %v", got, target)
	}
	machine = machine.Add(time.Hour)
	if got, want := c.Now(), target.Add(time.Hour); !got.Equal(want) {
		t.Errorf("an hour after Set, Now = %v, want %v", got, want)
	}
}

// TestOffsetClockMoves ensures moving the interactive clock runs the
// core's move hooks after the move, so they already read the new time (and
// may read it: the clock is not locked while they run).
func TestOffsetClockMoves(t *testing.T) {
	machine := time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC)
	c := &offsetClock{now: func() time.Time { return machine }}
	var seen []time.Time
	cancel := c.OnMove(func() { seen = append(seen, c.Now()) })
	c.Advance(31 * time.Minute)
	target := time.Date(2031, 3, 1, 9, 0, 0, 0, time.UTC)
	c.Set(target)
	cancel()
	c.Advance(time.Hour)
	want := []time.Time{machine.Add(31 * time.Minute), target}
	if len(seen) != len(want) || !seen[0].Equal(want[0]) || !seen[1].Equal(want[1]) {
		t.Errorf("move hooks saw %v, want %v (and nothing after cancel)", seen, want)
	}
}

// TestNewClockKind ensures scripted sessions get a manual clock standing at
// Start, and interactive ones a clock that follows real time.
func TestNewClockKind(t *testing.T) {
	start := time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC)
	if got := New(Options{Start: start}).Clock().Now(); !got.Equal(start) {
		t.Errorf("scripted clock at %v, want Start %v", got, start)
	}
	if _, ok := New(Options{RealTime: true}).Clock().(*offsetClock); !ok {
		t.Error("real-time session without the real-time clock")
	}
}
