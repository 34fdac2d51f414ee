package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/adapters/console"
	"github.com/peerbot/peerbot/store"
	"github.com/peerbot/peerbot/store/pgtest"
)

// crashMeeting is a scripted meeting of n check-ins, every line with an @ID
// so that a restarted console fed the same input knows what it handled.
func crashMeeting(n int) string {
	var b strings.Builder
	b.WriteString("/clock 2030-01-07T19:00:00Z\n@open alice: !round start 120\n")
	colours := []string{"green", "amber", "red"}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "@c%d m%03d: !checkin %s words of m%03d\n", i, i, colours[i%3], i)
	}
	b.WriteString("/clock 2030-01-07T21:01:00Z\n")
	return b.String()
}

// ackRE matches the first line of any answer to a check-in ("Your check-in
// is in", or "I've updated your check-in" for a replayed one).
var ackRE = regexp.MustCompile(`^\[dm (m\d{3})\] Thanks, m\d{3}\. `)

// TestCrashLosesNothing ensures that killing peerbot (SIGKILL) at random
// points of a 200-check-in meeting, and restarting it on the same database
// with the same input each time, loses no check-in whose acknowledgement
// was printed, prints no acknowledgement twice, and closes the round once
// with every check-in in its summary. PEERBOT_CRASH_SEED repeats a run.
// It runs on a SQLite file and on a PostgreSQL database.
func TestCrashLosesNothing(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { crashLosesNothing(t, "") })
	t.Run("postgres", func(t *testing.T) { crashLosesNothing(t, pgtest.URL(t)) })
}

// crashLosesNothing is TestCrashLosesNothing on the database at dbURL, or
// on the SQLite file peerbot.db in the test's directory when it is "".
func crashLosesNothing(t *testing.T, dbURL string) {
	const members, kills = 200, 20
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("PEERBOT_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seed %d (PEERBOT_CRASH_SEED=%d repeats this run)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	input := crashMeeting(members)
	dir := t.TempDir()

	acks := map[string]int{}
	var closed []string
	killed := 0
	for run := 0; run <= kills; run++ {
		args := []string{"console", "-facilitators", "alice"}
		if dbURL != "" { // the key is in ./peerbot.db.key all the same
			args = append(args, "-db", dbURL)
		}
		p := start(t, dir, args...)
		go func() {
			_, _ = io.WriteString(p.stdin, input) // fails once the process is killed
			_ = p.stdin.Close()
		}()
		killAfter := 0 // the last run goes to the end
		if run < kills {
			// At most 8 acknowledgements a run: 20 runs can never use up
			// the 200 check-ins, so every one of them is killed.
			killAfter = 1 + rng.IntN(8)
		}
		seen, kill := 0, false
		for p.stdout.Scan() {
			line := p.stdout.Text()
			if m := ackRE.FindStringSubmatch(line); m != nil {
				acks[m[1]]++
				if seen++; seen == killAfter {
					if err := p.cmd.Process.Kill(); err != nil {
						t.Fatal(err)
					}
					killed++
					kill = true
				}
			}
			if strings.HasPrefix(line, "[group] The round has closed.") {
				closed = append(closed, line)
			}
		}
		code := p.exitCode(t)
		if !kill && code != 0 {
			t.Fatalf("run %d ended by itself with exit %d: %s", run, code, p.stderr)
		}
	}

	if killed != kills {
		t.Errorf("peerbot was killed %d times, want %d", killed, kills)
	}
	for m, n := range acks {
		if n != 1 {
			t.Errorf("%s's check-in was acknowledged %d times", m, n)
		}
	}
	want := fmt.Sprintf("[group] The round has closed. %d people checked in, 0 passed.", members)
	if len(closed) != 1 || closed[0] != want {
		t.Errorf("round closing lines %q, want once %q", closed, want)
	}

	ctx := context.Background()
	key, _, err := store.LoadOrCreateKeyFile(filepath.Join(dir, "peerbot.db.key"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "peerbot.db")
	if dbURL != "" {
		db = dbURL
	}
	st, err := store.OpenURL(ctx, db, store.WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	round, err := st.LatestRound(ctx, console.Channel)
	if err != nil {
		t.Fatal(err)
	}
	cis, err := st.CheckIns(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for _, ci := range cis {
		stored[ci.MemberName]++
		if want := "words of " + ci.MemberName; ci.Words != want {
			t.Errorf("%s's words stored as %q, want %q", ci.MemberName, ci.Words, want)
		}
	}
	for m := range acks {
		if stored[m] != 1 {
			t.Errorf("%s was acknowledged but is stored %d times", m, stored[m])
		}
	}
	if len(cis) != members || len(stored) != members {
		t.Errorf("%d check-ins stored for %d members, want %d", len(cis), len(stored), members)
	}
	if round.Open() {
		t.Error("the round is still open")
	}
	t.Logf("%d kills, %d acknowledgements printed, %d check-ins stored, round closed %d time(s)", killed, len(acks), len(cis), len(closed))
}
