package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// result is what one run of the program showed.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the real program in-process, as main does, with stdin as input.
func run(t *testing.T, stdin string, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := &Main{
		Stdin:  strings.NewReader(stdin),
		Stdout: &stdout,
		Stderr: &stderr,
		Getenv: func(k string) string { return env[k] },
	}
	// A safety net only: a hung run ends here and fails on its output.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := m.Run(ctx, args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return result{code: m.Exit(err), stdout: stdout.String(), stderr: stderr.String()}
}

// TestNoArgumentsRunsConsoleWithLocalDatabase ensures that `peerbot` alone
// runs the console on ./peerbot.db in the working directory, printing only
// bot output when its input is not a terminal.
func TestNoArgumentsRunsConsoleWithLocalDatabase(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	r := run(t, "alice: !help\n", nil)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "peerbot.db")); err != nil {
		t.Errorf("no peerbot.db in the working directory: %v", err)
	}
	if r.stdout == "" {
		t.Fatal("no bot output")
	}
	for _, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		if !strings.HasPrefix(line, "[") {
			t.Errorf("stdout line without a place prefix: %q", line)
		}
	}
	keyFile := filepath.Join(dir, "peerbot.db.key")
	if r.stderr != "peerbot: created a new secret key in ./peerbot.db.key (mode 0600). Check-ins and names are encrypted with it: keep it with the database, and back up both.\n" {
		t.Errorf("stderr = %q, want only the new key notice (console logs warnings only)", r.stderr)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, mode %v; want mode 0600", err, fi.Mode())
	}
	r = run(t, "alice: !help\n", nil)
	if r.code != 0 || r.stderr != "" {
		t.Errorf("second start: exit %d, stderr %q; want the key notice only once", r.code, r.stderr)
	}
}

// TestConsoleMeetingTranscript ensures a whole scripted meeting prints
// exactly the transcript in testdata/meeting.golden (go test -update
// rewrites it after a deliberate change of texts), and that nothing private
// ever reaches the group.
func TestConsoleMeetingTranscript(t *testing.T) {
	input, err := os.ReadFile("testdata/meeting.txt")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "m.db")
	r := run(t, string(input), nil, "console", "-db", db, "--facilitators", "alice")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	checkPrivacy(t, r.stdout)
	golden := "testdata/meeting.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if r.stdout != string(want) {
		t.Errorf("transcript differs from %s (run with -update after a deliberate change):\n%s", golden, lineDiff(string(want), r.stdout))
	}
}

// checkPrivacy asserts where the meeting's private things went.
func checkPrivacy(t *testing.T, out string) {
	t.Helper()
	only := map[string]string{
		"a hard week at home":                "[facilitators] ", // dave's private check-in words
		"could someone message me":           "[facilitators] ", // carol's support request
		"116 123":                            "[dm bob] ",       // the UK crisis answer
		"I couldn't match that to a country": "[dm erin] ",
		"Everything I keep about":            "[dm carol] ",
	}
	for text, place := range only {
		seen := false
		for _, line := range strings.Split(out, "\n") {
			if !strings.Contains(line, text) {
				continue
			}
			seen = true
			if !strings.HasPrefix(line, place) {
				t.Errorf("%q appeared outside %s: %q", text, place, line)
			}
		}
		if !seen {
			t.Errorf("%q never appeared (want it in %s)", text, place)
		}
	}
	if n := strings.Count(out, "[group] The round has closed."); n != 1 {
		t.Errorf("round closed %d times, want once", n)
	}
	if strings.Contains(out, "just chatting") {
		t.Error("chat between members was answered")
	}
}

// TestConsoleRestartIgnoresReplayedInput ensures that a restarted console
// fed the same @ID lines again (as after a crash) answers none of them twice,
// and that the round opened before the restart goes on and closes once.
func TestConsoleRestartIgnoresReplayedInput(t *testing.T) {
	input, err := os.ReadFile("testdata/meeting.txt")
	if err != nil {
		t.Fatal(err)
	}
	full := string(input)
	cut := strings.Index(full, "@c3 ")
	db := filepath.Join(t.TempDir(), "m.db")
	first := run(t, full[:cut], nil, "console", "-db", db, "-facilitators", "alice")
	second := run(t, full, nil, "console", "-db", db, "-facilitators", "alice")
	if first.code != 0 || second.code != 0 {
		t.Fatalf("exit %d / %d, stderr %q / %q", first.code, second.code, first.stderr, second.stderr)
	}
	both := first.stdout + second.stdout
	for _, once := range []string{
		"[dm bob] Welcome, bob.",
		"[dm alice] Saved as version 1.",
		"[dm bob] Thank you, bob. You've agreed",
		"[group] Check-in round: How are you arriving today?",
		"[dm bob] Thanks, bob. Your check-in is in",
		"[dm carol] Thanks, carol. Your check-in is in",
		"[facilitators] carol would like someone to reach out",
		"[dm dave] Thanks, dave. Your check-in is in",
		"[group] The round has closed.",
	} {
		if n := strings.Count(both, once); n != 1 {
			t.Errorf("%q printed %d times over the two runs, want once", once, n)
		}
	}
	if !strings.Contains(second.stdout, "[group] The round has closed. 3 people checked in, 1 passed.") {
		t.Errorf("the round did not close with the check-ins from before the restart:\n%s", second.stdout)
	}
}

// TestConfigModeRunsConsoleWhenNoPlatform ensures `peerbot -config FILE`
// with neither matrix nor discord on runs the console on the configured
// database and prefix.
func TestConfigModeRunsConsoleWhenNoPlatform(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cfg.db")
	cfg := filepath.Join(dir, "peerbot.yaml")
	if err := os.WriteFile(cfg, []byte("database:\n  path: "+db+"\ncommand_prefix: \"?\"\nlog:\n  level: error\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "alice: !help\nalice: ?crisis de\n", nil, "-config", cfg)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("configured database not used: %v", err)
	}
	if !strings.HasPrefix(r.stdout, "[dm alice] ") || !strings.Contains(r.stdout, "Germany") {
		t.Errorf("?crisis de not answered privately with Germany's lines:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "[group]") {
		t.Errorf("!help with prefix ? was answered, or a crisis answer went public:\n%s", r.stdout)
	}
}

// TestCheckConfig ensures check-config exits 0 on a good file and 1 with
// every problem listed on a bad one.
func TestCheckConfig(t *testing.T) {
	r := run(t, "", nil, "check-config", "-config", "../../config.example.yaml")
	if r.code != 0 || !strings.Contains(r.stdout, "OK (runs console, database ./peerbot.db)") {
		t.Errorf("example: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	data := "databse:\n  path: x\ndefaults:\n  timezone: Mars/Olympus\nmatrix:\n  homeserver: https://m.example.org\n"
	if err := os.WriteFile(bad, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", nil, "check-config", "-config", bad)
	if r.code != 1 || r.stdout != "" {
		t.Errorf("bad file: exit %d, stdout %q", r.code, r.stdout)
	}
	for _, want := range []string{"databse: unknown key (line 1)", "defaults.timezone:", "matrix.user_id:", "matrix.access_token:"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	r = run(t, "", map[string]string{"PEERBOT_DISCORD_TOKEN": "t"}, "check-config", "../../config.example.yaml")
	if r.code != 1 || !strings.Contains(r.stderr, "discord.application_id") {
		t.Errorf("token from env: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestCommandLine ensures version, help and command-line mistakes behave:
// help on stdout with status 0, mistakes on stderr with status 2.
func TestCommandLine(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{args: []string{"version"}, stdout: "peerbot dev ("},
		{args: []string{"-h"}, stdout: "peerbot console [-db FILE]"},
		{args: []string{"help"}, stdout: "peerbot check-config -config FILE"},
		{args: []string{"console", "-h"}, stdout: "-facilitators"},
		{args: []string{"check-config", "--help"}, stdout: "lists every problem"},
		{args: []string{"backup", "-h"}, stdout: "OUT must not exist yet"},
		{args: []string{"frobnicate"}, code: 2, stderr: `unknown command "frobnicate"`},
		{args: []string{"-nope"}, code: 2, stderr: "flag provided but not defined: -nope"},
		{args: []string{"console", "extra"}, code: 2, stderr: "console takes no arguments"},
		{args: []string{"check-config"}, code: 2, stderr: "check-config needs a file"},
		{args: []string{"backup"}, code: 2, stderr: "backup needs one output file"},
		{args: []string{"version", "x"}, code: 2, stderr: "version takes no arguments"},
		{args: []string{"-config", "/no/such/file.yaml"}, code: 1, stderr: "read config"},
	}
	for _, tt := range tests {
		r := run(t, "", nil, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("peerbot %s: exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)",
				strings.Join(tt.args, " "), r.code, tt.code, r.stdout, tt.stdout, r.stderr, tt.stderr)
		}
	}
}

// TestBackup ensures backup writes a copy that holds what the original
// holds, and refuses to overwrite or to invent a database.
func TestBackup(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "live.db"), filepath.Join(dir, "copy.db")
	if r := run(t, "/join bob\nbob: !agree\n", nil, "console", "-db", db); r.code != 0 {
		t.Fatalf("setup: exit %d, %q", r.code, r.stderr)
	}
	r := run(t, "", nil, "backup", "-db", db, out)
	if r.code != 0 || !strings.Contains(r.stdout, "written to "+out) || !strings.Contains(r.stdout, db+".key") {
		t.Fatalf("backup: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// The copy knows bob: his data request is answered from it.
	if err := os.Link(db+".key", out+".key"); err != nil {
		t.Fatal(err)
	}
	r = run(t, "/dm bob !mydata\n", nil, "console", "-db", out)
	if !strings.Contains(r.stdout, "[dm bob] • Groups: 1") {
		t.Errorf("the copy does not hold bob's membership:\n%s", r.stdout)
	}
	if r := run(t, "", nil, "backup", "-db", db, out); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("overwrite: exit %d, stderr %q", r.code, r.stderr)
	}
	missing := filepath.Join(dir, "missing.db")
	if r := run(t, "", nil, "backup", "-db", missing, filepath.Join(dir, "x.db")); r.code != 1 {
		t.Errorf("backup of a missing database: exit %d", r.code)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("backup created the missing database: %v", err)
	}
}

// lineDiff shows the first lines where got differs from want.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want " + wl + "\n  got  " + gl + "\n")
			if shown++; shown == 10 {
				break
			}
		}
	}
	return b.String()
}

// TestRetentionAtStart ensures that at start peerbot deletes check-ins
// older than retention.days, keeping newer ones.
func TestRetentionAtStart(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	old := time.Now().AddDate(0, 0, -40).UTC().Format(time.RFC3339)
	recent := time.Now().AddDate(0, 0, -10).UTC().Format(time.RFC3339)
	meeting := func(at string) string {
		return "/clock " + at + "\nalice: !round start 30\nbob: !checkin amber a hard week\nalice: !round end\n"
	}
	if r := run(t, meeting(old)+meeting(recent)+"/dm bob !mydata\n", nil, "console", "-db", db, "-facilitators", "alice"); !strings.Contains(r.stdout, "[dm bob] • Check-ins: 2") {
		t.Fatalf("setup: bob's data should list 2 check-ins:\n%s\n%s", r.stdout, r.stderr)
	}
	r := run(t, "/dm bob !mydata\n", nil, "console", "-db", db)
	if !strings.Contains(r.stdout, "[dm bob] • Check-ins: 1") {
		t.Errorf("after a restart with 30 days' retention, bob's data should list 1 check-in:\n%s\n%s", r.stdout, r.stderr)
	}
}
