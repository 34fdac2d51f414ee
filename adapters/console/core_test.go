package console

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// session is one console run through the real core on a real SQLite file,
// as cmd/peerbot wires it: the core's loop starts before the console reads.
// The loop's own ticks are an hour apart, so what closes is closed by
// Start itself or by a /clock move.
func session(t *testing.T, db string, key []byte, start time.Time, script string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, db, store.WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out bytes.Buffer
	a := New(Options{Start: start, Facilitators: []string{"alice"}, Out: &out})
	core, err := bot.New(bot.Options{Store: st, Platform: bot.Router{"console": a}, Clock: a.Clock(), TickEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	wait := core.Start(ctx)
	err = a.Run(ctx, core, strings.NewReader(script))
	cancel()
	wait()
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// lineOf returns the index of the first output line starting with prefix
// (-1 if none) and how many lines start with it.
func lineOf(out, prefix string) (first, n int) {
	first = -1
	for i, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	return first, n
}

const closedOne = "[group] The round has closed. 1 person checked in, 0 passed."

// TestClockClosesDueRoundBeforeNextLine ensures that a /clock line past a
// round's end makes the real core close the round, and print its summary,
// before the console handles the next line (a member joining, which does
// not look at rounds).
func TestClockClosesDueRoundBeforeNextLine(t *testing.T) {
	start := time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC)
	out := session(t, filepath.Join(t.TempDir(), "peerbot.db"), store.GenerateKey(), start,
		"alice: !round start 30\nbob: !checkin green\n/clock +31m\n/join carol\n")
	closed, n := lineOf(out, closedOne)
	welcome, _ := lineOf(out, "[dm carol] Welcome, carol.")
	if n != 1 || welcome < 0 || closed > welcome {
		t.Fatalf("want the round's summary once (line %d, %d times) before carol's welcome (line %d):\n%s", closed, n, welcome, out)
	}
}

// TestStartClosesRoundsDueWhileDown ensures that a round whose time ran out
// while peerbot was not running closes, with its summary shown, before the
// next session reads its first line.
func TestStartClosesRoundsDueWhileDown(t *testing.T) {
	db, key := filepath.Join(t.TempDir(), "peerbot.db"), store.GenerateKey()
	start := time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC)
	first := session(t, db, key, start, "alice: !round start 30\nbob: !checkin green\n")
	if _, n := lineOf(first, "[group] The round has closed."); n != 0 {
		t.Fatalf("the round closed in the first session:\n%s", first)
	}
	second := session(t, db, key, start.Add(time.Hour), "/join carol\n")
	closed, n := lineOf(second, closedOne)
	welcome, _ := lineOf(second, "[dm carol] Welcome, carol.")
	if n != 1 || welcome < 0 || closed > welcome {
		t.Fatalf("want the summary once (line %d, %d times) before carol's welcome (line %d):\n%s", closed, n, welcome, second)
	}
}
