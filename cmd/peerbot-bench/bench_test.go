package main

import (
	"os"
	"testing"
	"time"
)

// TestEndpoint checks that the trace groups requests by endpoint and keeps
// no room, event, user or transaction id.
func TestEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"/_matrix/client/v3/rooms/%21abc%3Alocalhost/send/m.room.message/m123.4": "/_matrix/client/v3/rooms/{room}/send/m.room.message/{txn}",
		"/_matrix/client/v3/rooms/!abc:localhost/send/m.reaction/m9":             "/_matrix/client/v3/rooms/{room}/send/m.reaction/{txn}",
		"/_matrix/client/v3/rooms/!abc:localhost/redact/$ev1/t2":                 "/_matrix/client/v3/rooms/{room}/redact/{event}/{txn}",
		"/_matrix/client/v3/rooms/!abc:localhost/state/m.room.name/":             "/_matrix/client/v3/rooms/{room}/state/m.room.name/",
		"/_matrix/client/v3/profile/%40ann%3Alocalhost/displayname":              "/_matrix/client/v3/profile/{user}/displayname",
		"/_matrix/client/v3/sendToDevice/m.room.encrypted/t7":                    "/_matrix/client/v3/sendToDevice/m.room.encrypted/{txn}",
		"/_matrix/client/v3/user/@bot:localhost/filter/12":                       "/_matrix/client/v3/user/{user}/filter/{filter}",
		"/_matrix/client/v3/sync":                                                "/_matrix/client/v3/sync",
	} {
		if got := endpoint(in); got != want {
			t.Errorf("endpoint(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestProc reads this test process's memory and CPU time the way the
// harness reads a bot's.
func TestProc(t *testing.T) {
	pid := os.Getpid()
	m, err := memKiB(pid)
	if err != nil {
		t.Fatal(err)
	}
	if m.rss <= 0 || m.anon+m.file > m.rss+1 || m.text <= 0 {
		t.Errorf("memory %+v: want RSS > 0 made of anonymous and file-backed pages, some of them this binary's code", m)
	}
	before, err := cpuTime(pid)
	if err != nil {
		t.Fatal(err)
	}
	// Spin until the CPU time shows 30 ms more, or give up after 10 s of
	// wall time (a busy machine gives a spinning thread less than all).
	after := before
	for end := time.Now().Add(10 * time.Second); after-before < 30*time.Millisecond && time.Now().Before(end); {
		if after, err = cpuTime(pid); err != nil {
			t.Fatal(err)
		}
	}
	if after-before < 30*time.Millisecond {
		t.Errorf("CPU time went from %v to %v over 10 s of spinning", before, after)
	}
}

func TestPct(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 200; i++ {
		d = append(d, time.Duration(201-i)*time.Millisecond)
	}
	if p50, p99 := pct(d, 50), pct(d, 99); p50 != 100*time.Millisecond || p99 != 198*time.Millisecond {
		t.Errorf("p50 %v, p99 %v; want 100ms, 198ms", p50, p99)
	}
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median %v, want 2", m)
	}
}
