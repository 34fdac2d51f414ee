package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/store"
	"github.com/peerbot/peerbot/store/pgtest"
)

// shardProcess is a peerbot process serving one Discord shard.
type shardProcess struct {
	shard  int
	cmd    *exec.Cmd
	stderr *lockedWriter
	done   chan struct{}
}

func startShard(t *testing.T, dir, dbURL, apiURL string, shard int) *shardProcess {
	t.Helper()
	cfgPath := filepath.Join(dir, fmt.Sprintf("shard%d.yaml", shard))
	cfg := fmt.Sprintf(`database:
  url: %s
defaults:
  country: GB
discord:
  application_id: "%s"
  api_url: %s
  shard_id: %d
  shard_count: 2
`, dbURL, dt.AppID, apiURL, shard)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-config", cfgPath)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PEERBOT_TEST_MAIN=1", "PEERBOT_DISCORD_TOKEN="+dt.Token,
		"PEERBOT_SECRET_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	p := &shardProcess{shard: shard, cmd: cmd, stderr: &lockedWriter{b: &strings.Builder{}}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			p.stderr.mu.Lock()
			t.Logf("shard %d's log:\n%s", shard, p.stderr.b.String())
			p.stderr.mu.Unlock()
		}
	})
	return p
}

// TestTwoShardsOnePostgres runs two peerbot processes, Discord shards 0
// and 1, on one PostgreSQL database against the fake Discord: each server
// is answered by its own shard; a command in a DM, which Discord sends to
// shard 0 only, acts on a group of shard 1; a scheduled round opens
// exactly once; and when the process holding the groups' leases is killed
// (SIGKILL), the other takes them over within a minute and closes the
// rounds it left open, once each.
func TestTwoShardsOnePostgres(t *testing.T) {
	dbURL := pgtest.URL(t)
	f := dt.New(t)
	g0, g1 := f.GuildOnShard("Monday group", 0, 2), f.GuildOnShard("Thursday group", 1, 2)
	const (
		sched0, round0, round1 = "300000000000000010", "300000000000000011", "300000000000000012"
		fac, ann               = "400000000000000009", "400000000000000001"
	)
	f.AddChannel(dt.Channel{ID: sched0, GuildID: g0, Name: "meeting"})
	f.AddChannel(dt.Channel{ID: round0, GuildID: g0, Name: "rounds"})
	f.AddChannel(dt.Channel{ID: round1, GuildID: g1, Name: "meeting"})
	f.AddUser(dt.User{ID: ann, Name: "Ann", Perms: dt.PermView | dt.PermSend})
	f.AddUser(dt.User{ID: fac, Name: "Fran", Perms: dt.PermView | dt.PermSend | dt.PermManageMessages})

	dir := t.TempDir()
	procs := []*shardProcess{startShard(t, dir, dbURL, f.URL(), 0), startShard(t, dir, dbURL, f.URL(), 1)}
	f.WaitShardConnects(0, 1)
	f.WaitShardConnects(1, 1)
	f.WaitFor("commands registered", func() bool {
		return len(f.RequestsTo("PUT", "/api/v9/applications/"+dt.AppID+"/commands")) > 0
	})

	// Each server is answered by its own shard.
	answered := func(id string, shard int) {
		t.Helper()
		f.WaitFor("an answer to "+id, func() bool { return f.Interaction(id).Original != nil })
		if got := f.ShardsGot("INTERACTION_CREATE", id); len(got) != 1 || got[0] != shard {
			t.Errorf("interaction %s reached shards %v, want [%d]", id, got, shard)
		}
	}
	answered(f.Slash(ann, round1, "help", ""), 1)
	answered(f.Slash(fac, round0, "help", ""), 0)

	// A scheduled round in shard 0's server, at the next whole minute at
	// least 20 s away (the group's zone is UTC), opens exactly once.
	at := time.Now().UTC().Add(20 * time.Second).Truncate(time.Minute).Add(time.Minute)
	day := strings.ToLower(at.Weekday().String()[:3])
	answered(f.Slash(fac, sched0, "facilitator", "schedule round", dt.O("days", day), dt.O("time", at.Format("15:04")), dt.O("minutes", 30), dt.O("prompt", "Arriving")), 0)
	opened := func() int {
		n := 0
		for _, m := range f.ChannelMessages(sched0) {
			if strings.Contains(m.Content, "Arriving") {
				n++
			}
		}
		return n
	}
	waitUntil(t, time.Until(at)+30*time.Second, "the scheduled round", func() bool { return opened() > 0 })
	time.Sleep(12 * time.Second) // two lease renewals and many ticks of both processes
	if n := opened(); n != 1 {
		t.Fatalf("the scheduled round opened %d times, want once", n)
	}

	// One-minute rounds in both servers; Ann checks in to shard 1's round
	// from a DM, which only shard 0 receives.
	answered(f.Slash(fac, round0, "facilitator", "round start", dt.O("minutes", 1), dt.O("prompt", "Monday")), 0)
	answered(f.Slash(fac, round1, "facilitator", "round start", dt.O("minutes", 1), dt.O("prompt", "Thursday")), 1)
	f.DM(ann, "hello")
	f.WaitFor("Ann's DM channel", func() bool { return f.DMChannel(ann) != "" })
	in := f.Slash(ann, f.DMChannel(ann), "checkin", "", dt.O("colour", "amber"), dt.O("private", true))
	answered(in, 0)
	if c := f.Interaction(in).Original.Content; !strings.Contains(c, "Your check-in is in") {
		t.Fatalf("the DM check-in was answered %q", c)
	}

	// Kill the process holding shard 1's group.
	ctx := context.Background()
	st, err := store.OpenURL(ctx, dbURL, store.WithKey(mustKey(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	holder := func(g string) string {
		var h string
		if err := st.DB().QueryRowContext(ctx, `SELECT holder FROM leases WHERE group_id = ?`, "discord:"+g).Scan(&h); err != nil {
			return ""
		}
		return h
	}
	waitUntil(t, 20*time.Second, "a lease on shard 1's group", func() bool { return holder(g1) != "" })
	victim := -1
	for i, p := range procs {
		if strings.Contains(holder(g1), fmt.Sprintf("/%d/", p.cmd.Process.Pid)) {
			victim = i
		}
	}
	if victim < 0 {
		t.Fatalf("lease holder %q is neither process", holder(g1))
	}
	survivor := procs[1-victim]
	if err := procs[victim].cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	<-procs[victim].done
	took := time.Duration(0)
	waitUntil(t, time.Minute, "the survivor to take the groups over", func() bool {
		mine := fmt.Sprintf("/%d/", survivor.cmd.Process.Pid)
		if strings.Contains(holder(g0), mine) && strings.Contains(holder(g1), mine) {
			took = time.Since(killed)
			return true
		}
		return false
	})
	t.Logf("shard %d killed; shard %d held both groups %v later", procs[victim].shard, survivor.shard, took.Round(time.Second))

	// Both rounds close, once each; shard 1's counts Ann's DM check-in.
	closedIn := func(ch string) []string {
		var out []string
		for _, m := range f.ChannelMessages(ch) {
			if strings.Contains(m.Content, "The round has closed.") {
				out = append(out, m.Content)
			}
		}
		return out
	}
	waitUntil(t, 90*time.Second, "both rounds to close", func() bool { return len(closedIn(round0)) > 0 && len(closedIn(round1)) > 0 })
	time.Sleep(6 * time.Second)
	if c0, c1 := closedIn(round0), closedIn(round1); len(c0) != 1 || len(c1) != 1 {
		t.Fatalf("closing messages: %d in shard 0's server, %d in shard 1's; want one each", len(c0), len(c1))
	} else if !strings.Contains(c1[0], "1 person checked in") {
		t.Errorf("shard 1's summary %q does not count Ann's DM check-in", c1[0])
	}
}

// mustKey is the secret key the shard processes run with.
func mustKey(t *testing.T) []byte {
	t.Helper()
	k, err := store.ParseKey("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// waitUntil polls cond every 200 ms until it holds, failing the test
// after limit.
func waitUntil(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s after %v", what, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// lockedWriter lets a process's output be read while it is written.
type lockedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
