package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/peerbot/peerbot/store/pgtest"
)

// TestMain lets the tests start the real program as a separate process:
// the test binary, run with PEERBOT_TEST_MAIN=1, is peerbot itself (main,
// signal handling and exit status included).
func TestMain(m *testing.M) {
	if os.Getenv("PEERBOT_TEST_MAIN") == "1" {
		os.Args = append([]string{"peerbot"}, os.Args[1:]...)
		main()
		return
	}
	pgtest.Setup() // the PostgreSQL server, started by the first test that needs one
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// process is a running peerbot.
type process struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Scanner
	stderr *strings.Builder
}

// start starts peerbot as its own process with args, in dir.
func start(t *testing.T, dir string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PEERBOT_TEST_MAIN=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, stdin: stdin, stderr: &strings.Builder{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.stdout = bufio.NewScanner(out)
	p.stdout.Buffer(make([]byte, 64*1024), 1<<20)
	return p
}

// exitCode waits for the process and returns its exit status.
func (p *process) exitCode(t *testing.T) int {
	t.Helper()
	err := p.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// TestSignalStopsCleanly ensures SIGTERM and SIGINT end a running console
// cleanly (exit 0, database closed and unlocked) while its input is still
// open, after it has answered what it was given.
func TestSignalStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		p := start(t, dir, "console", "-facilitators", "alice")
		if _, err := io.WriteString(p.stdin, "alice: !round start 30\n"); err != nil {
			t.Fatal(err)
		}
		if !p.stdout.Scan() || !strings.HasPrefix(p.stdout.Text(), "[") {
			t.Fatalf("%v: first output line %q, stderr %q", sig, p.stdout.Text(), p.stderr)
		}
		if err := p.cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		if code := p.exitCode(t); code != 0 {
			t.Errorf("%v: exit %d, stderr %q; want a clean stop", sig, code, p.stderr)
		}
		p.stdin.Close()
	}
	// The database is free and the round opened before the signals is still
	// open: a second start refuses a second round in the same channel.
	r := run(t, "alice: !round start 30\n", nil, "console", "-db", filepath.Join(dir, "peerbot.db"), "-facilitators", "alice")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "[dm alice] ") {
		t.Errorf("after the signals: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
