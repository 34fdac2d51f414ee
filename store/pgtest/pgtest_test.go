package pgtest_test

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/peerbot/peerbot/store/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Each URL is a fresh, empty database of its own on a running server.
func TestURLIsFreshAndIsolated(t *testing.T) {
	a, b := pgtest.URL(t), pgtest.URL(t)
	if a == b {
		t.Fatalf("two URLs are the same: %s", a)
	}
	da, err := sql.Open("pgx", a)
	if err != nil {
		t.Fatal(err)
	}
	defer da.Close()
	if _, err := da.Exec(`CREATE TABLE t (x BIGINT)`); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", b)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("second database has %d tables; want 0", n)
	}
}

// A test binary killed outright (SIGKILL: no cleanup runs) takes its
// server with it, and the next start removes the directory left behind.
func TestServerDiesWithTestBinary(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") == "1" {
		u := pgtest.URL(t)
		db, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		var pid int
		var dir string
		if err := db.QueryRow(`SELECT pg_backend_pid(), current_setting('data_directory')`).Scan(&pid, &dir); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("SERVER %s %s\n", strings.SplitN(string(b), "\n", 2)[0], dir)
		time.Sleep(time.Minute) // killed meanwhile
		return
	}
	if ok, err := pgtest.Available(); !ok {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestServerDiesWithTestBinary$", "-test.v")
	cmd.Env = append(os.Environ(), "PGTEST_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	var dir string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "SERVER %d %s", &pid, &dir); err == nil {
			break
		}
	}
	if pid == 0 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the child test printed no server")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGQUIT)
			t.Fatalf("server %d still runs 30s after its test binary was killed", pid)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Dir(dir)); err != nil {
		t.Fatalf("the killed binary's directory is already gone: %v", err)
	}
	// Old enough for the sweep (it spares directories younger than a minute).
	old := time.Now().Add(-2 * time.Minute)
	if err := os.Chtimes(filepath.Dir(dir), old, old); err != nil {
		t.Fatal(err)
	}
	pgtest.Sweep()
	if _, err := os.Stat(filepath.Dir(dir)); !os.IsNotExist(err) {
		t.Errorf("directory %s left behind after the sweep: %v", filepath.Dir(dir), err)
	}
}
