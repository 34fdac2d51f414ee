// Package pgtest starts a real, throw-away PostgreSQL server for tests and
// hands out fresh, empty databases on it.
//
// The server is started once per test binary, on first use: initdb in a new
// temporary directory, then postgres as a child process listening on a free
// loopback port (and a unix socket in that directory), with trust
// authentication for the user "peerbot". If the test binary dies without
// stopping it, the kernel sends the server SIGQUIT (Pdeathsig), and a later
// start removes the directory left behind (Sweep). A package that uses URL must run its tests through Main,
// which stops the server and removes the directory when they are done:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// The binaries (initdb, postgres) are looked up on PATH, then in
// /usr/lib/postgresql/*/bin (Debian's package "postgresql"). initdb refuses
// to run as root: as root, the server runs as the system user "postgres".
// When no server can be found or started, URL skips the test with a clear
// message; with the environment variable CI set it fails the test instead,
// so that CI never counts a missing server as passing.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// server is the one server of this test binary.
type server struct {
	dir    string // temporary directory: data/, log, socket
	bin    string // directory of initdb and postgres
	port   int
	cred   *syscall.Credential // non-nil when running as root
	admin  *sql.DB             // connection to the "postgres" database
	proc   *exec.Cmd           // the postgres server
	exited chan struct{}       // closed when proc has exited
}

var (
	mu       sync.Mutex
	started  bool
	srv      *server
	startErr error
	inMain   bool
	next     int
)

// Main runs the tests of m and stops the server, if one was started, before
// the test binary exits. Call it from TestMain.
func Main(m *testing.M) {
	Setup()
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Setup allows URL to start the server. A TestMain that does not use Main
// calls Setup before m.Run and Stop after it.
func Setup() {
	mu.Lock()
	inMain = true
	mu.Unlock()
}

// Stop stops the server and removes its directory. Main calls it; tests
// that run m.Run themselves must call it after.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if srv != nil {
		srv.stop()
		srv = nil
	}
}

// URL returns the URL (postgres://…) of a new, empty database on the test
// server, for a connection over loopback TCP without a password. The
// database is dropped when the test ends. It skips the test when no
// PostgreSQL server is installed (fails it when CI is set).
func URL(tb testing.TB) string {
	tb.Helper()
	s, err := get()
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("pgtest: %v (CI is set: PostgreSQL is required)", err)
		}
		tb.Skipf("pgtest: %v (install PostgreSQL, e.g. apt-get install postgresql, to run this test)", err)
	}
	mu.Lock()
	next++
	name := fmt.Sprintf("peerbot_test_%d", next)
	mu.Unlock()
	ctx := context.Background()
	if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		// FORCE: a test that failed half-way may have left a connection.
		if _, err := s.admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			tb.Logf("pgtest: drop database: %v", err)
		}
	})
	return s.url(name)
}

// Available reports whether a server is running or could be started, with
// the reason when not. It starts the server (after Setup or within Main).
func Available() (bool, error) {
	_, err := get()
	return err == nil, err
}

func (s *server) url(db string) string {
	return fmt.Sprintf("postgres://peerbot@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

// get starts the server on first use.
func get() (*server, error) {
	mu.Lock()
	defer mu.Unlock()
	if !inMain {
		return nil, errors.New("pgtest used without pgtest.Main or pgtest.Setup in TestMain (the server would outlive the tests)")
	}
	if !started {
		started = true
		srv, startErr = start()
	}
	if startErr != nil {
		return nil, startErr
	}
	if srv == nil {
		return nil, errors.New("server already stopped")
	}
	return srv, nil
}

// findBin returns the directory holding initdb and postgres.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		// On Debian PATH may hold links to the versioned directory.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no PostgreSQL server found (initdb not on PATH nor in /usr/lib/postgresql/*/bin)")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func start() (*server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	Sweep()
	dir, err := os.MkdirTemp("", "peerbot-pgtest-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root, and no user \"postgres\" to run the server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run("initdb", "-D", data, "-U", "peerbot", "-A", "trust", "-E", "UTF8",
		"--no-locale", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	// A free port: bind, read, release. Another process could take it in
	// between; then postgres fails and says so.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	// postgres runs as a child of the test binary, and gets SIGQUIT
	// (immediate shutdown) from the kernel if the test binary dies without
	// stopping it (a panic, a timeout, a kill).
	logf, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+dir,
		"-c", "max_connections=200")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGQUIT}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start postgres: %v", err)
	}
	s.proc = cmd
	s.exited = make(chan struct{})
	go func() { _ = cmd.Wait(); close(s.exited) }()
	s.admin, err = sql.Open("pgx", s.url("postgres"))
	if err != nil {
		s.stop()
		return nil, err
	}
	// Ready when it answers; give up when it exits or after a minute.
	deadline := time.Now().Add(time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = s.admin.PingContext(ctx)
		cancel()
		if err == nil {
			return s, nil
		}
		select {
		case <-s.exited:
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			s.stop()
			return nil, fmt.Errorf("postgres exited: %s", log)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("the test server did not answer within a minute: %v", err)
		}
	}
}

// run runs one of the server's binaries, as the postgres user when root.
func (s *server) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
		cmd.Env = append(os.Environ(), "HOME="+s.dir)
	}
	return cmd.CombinedOutput()
}

func (s *server) stop() {
	if s.admin != nil {
		s.admin.Close()
	}
	if s.proc != nil {
		_ = s.proc.Process.Signal(syscall.SIGQUIT) // immediate: the data is thrown away
		select {
		case <-s.exited:
		case <-time.After(30 * time.Second):
			_ = s.proc.Process.Kill()
			<-s.exited
		}
	}
	os.RemoveAll(s.dir)
}

// Sweep removes the directories of test servers whose test binary died
// before it could: their postgres got SIGQUIT then, but the files stay.
// A directory whose server still runs (another package's tests, in
// parallel), or that is younger than a minute (one starting), is left
// alone. The first start in each test binary sweeps.
func Sweep() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "peerbot-pgtest-*"))
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil || time.Since(fi.ModTime()) < time.Minute {
			continue
		}
		pid := 0
		if b, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
		}
		if pid > 0 && syscall.Kill(pid, 0) == nil {
			continue
		}
		os.RemoveAll(d)
	}
}
