package console

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/store"
)

// wholeMeetingScript is a meeting from opening to close on the console:
// the agreement, a check-in round, a heavy post that a facilitator puts a
// warning on, a closing round, and a schedule with a week off that a
// member with an early reminder hears about.
const wholeMeetingScript = `@j1 /join bob
@a1 bob: !agree
@r1 alice: !round start 20
@c1 bob: !checkin amber tired but here
@c2 carol: !pass
@x1 alice: !round end
@p1 bob: a long post about a really hard night
@w1 alice: !cw @p1 a hard night
@w2 alice: !cw @p1 again
@h1 /dm bob help cw
@z1 alice: !round closing
@z2 bob: !checkin lighter
@z3 carol: !checkin green
@z4 dave: !pass
/clock +15m
@s1 alice: !schedule round thu 19:00 30
@m1 /dm bob remind on 15m
@s2 alice: !schedule skip 1 2030-01-17
@s3 alice: !schedule list
/clock 2030-01-10T18:45:00Z
/clock +15m
/clock 2030-01-17T19:00:00Z
`

// TestWholeMeeting runs the script through the real core and compares
// the transcript with testdata/whole-meeting.en.golden (go test -update
// after a deliberate change). Nobody's words are repeated in a summary,
// the reason for a warning goes only to the author, and a skipped day
// opens nothing.
func TestWholeMeeting(t *testing.T) {
	start := time.Date(2030, 1, 10, 17, 0, 0, 0, time.UTC) // a Thursday
	out := session(t, filepath.Join(t.TempDir(), "peerbot.db"), store.GenerateKey(), start, wholeMeetingScript)

	golden := filepath.Join("testdata", "whole-meeting.en.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("transcript differs from %s (go test -update after a deliberate change):\n%s", golden, out)
	}

	for _, want := range []string{
		"[group] [cw: a hard night] a long post about a really hard night",
		"[dm bob] A facilitator put a content warning on one of your posts in the group (a hard night).",
		"[dm alice] Done. I reposted it behind a warning, removed the original, and told bob privately why.",
		"[dm alice] I couldn't find that post in this group.",
		"[group] Closing round: One word for how you're leaving",
		"[group] The closing round has closed. 2 people shared a word, 1 passed.",
		"[dm bob] There's no round on 17 Jan 2030: the group is taking that one off.",
		"[dm bob] A round opens in your group Thu 10 Jan 19:00 (UTC).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "[group]") && (strings.Contains(l, "telling-off") || strings.Contains(l, "lighter")) {
			t.Errorf("said in the group: %q", l)
		}
	}
	// The skipped Thursday opens nothing.
	if n := strings.Count(out, "[group] Check-in round: How are you arriving today?"); n != 2 {
		t.Errorf("%d check-in rounds opened, want 2 (the one started by hand, and Thursday 10 Jan's; not the skipped 17 Jan)", n)
	}
}
