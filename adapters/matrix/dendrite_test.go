package matrix

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The integration suite runs against a real Dendrite, built once into a
// cache directory and started once per test binary (TestMain).
const dendriteVersion = "v0.13.8"

var dendriteBinaries = []string{"dendrite", "generate-keys", "generate-config"}

// hs is the homeserver every test of this package uses.
var hs *dendrite

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	bin, err := dendriteBin()
	if err == nil {
		hs, err = startDendrite(bin)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "matrix tests: cannot start Dendrite:", err)
		return 1
	}
	code := m.Run()
	hs.stop()
	if hs.crashes > 0 {
		fmt.Fprintf(os.Stderr, "matrix tests: Dendrite crashed %d times and was restarted\n", hs.crashes)
	}
	if n, m := trustFoundOnSend.Load(), trustFoundOnReceive.Load(); n+m > 0 {
		fmt.Fprintf(os.Stderr, "matrix tests: strict clients trusted a device only after fetching its keys again %d times before sending, %d times on receiving\n", n, m)
	}
	if code != 0 {
		hs.dumpLog()
	}
	_ = os.RemoveAll(hs.dir)
	return code
}

// dendriteBin returns the directory holding Dendrite's commands, building
// them there first when any is missing: $PEERBOT_DENDRITE_BIN, else
// $HOME/.cache/peerbot-dendrite/bin.
func dendriteBin() (string, error) {
	dir := os.Getenv("PEERBOT_DENDRITE_BIN")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find home directory: %w", err)
		}
		dir = filepath.Join(home, ".cache", "peerbot-dendrite", "bin")
	}
	missing := false
	for _, b := range dendriteBinaries {
		if _, err := os.Stat(filepath.Join(dir, b)); err != nil {
			missing = true
		}
	}
	if !missing {
		return dir, nil
	}
	fmt.Fprintf(os.Stderr, "matrix tests: building Dendrite %s into %s (once; this takes a few minutes)\n", dendriteVersion, dir)
	args := []string{"install"}
	for _, b := range dendriteBinaries {
		args = append(args, "github.com/matrix-org/dendrite/cmd/"+b+"@"+dendriteVersion)
	}
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "CGO_ENABLED=0", "GOFLAGS=")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go install dendrite: %w", err)
	}
	return dir, nil
}

var dbParams = regexp.MustCompile(`(connection_string: file:[^\s?]+\.db)`)

// dendrite is a running Dendrite on 127.0.0.1 with SQLite in a temp dir.
type dendrite struct {
	bin, dir string
	addr     string // 127.0.0.1:port
	URL      string
	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{}
	stopping bool
	crashes  int
}

func startDendrite(bin string) (*dendrite, error) {
	dir, err := os.MkdirTemp("", "peerbot-dendrite-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	d := &dendrite{bin: bin, dir: dir}
	key := filepath.Join(dir, "matrix_key.pem")
	if out, err := exec.Command(filepath.Join(bin, "generate-keys"), "--private-key", key).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("generate-keys: %w: %s", err, out)
	}
	out, err := exec.Command(filepath.Join(bin, "generate-config"), "-ci", "-dir", dir, "-server", "localhost").Output()
	if err != nil {
		return nil, fmt.Errorf("generate-config: %w", err)
	}
	cfg := string(out)
	for _, r := range [][2]string{
		{"private_key: matrix_key.pem", "private_key: " + key},
		{"disable_federation: false", "disable_federation: true"},
		{"level: trace", "level: warn"},
		// On disk, so that a restart (or a crash, see watch) loses no
		// event that was accepted but not yet processed.
		{"in_memory: true\n    disable_tls_validation", "in_memory: false\n    disable_tls_validation"},
	} {
		if !strings.Contains(cfg, r[0]) {
			return nil, fmt.Errorf("generate-config output has no %q to patch", r[0])
		}
		cfg = strings.Replace(cfg, r[0], r[1], 1)
	}
	// Dendrite's SQLite transactions begin deferred, so two that both
	// upgrade to writing fail at once with SQLITE_BUSY (its busy timeout
	// cannot help there) and Dendrite panics. BEGIN IMMEDIATE takes the
	// write lock up front, where the busy timeout applies; WAL lets readers
	// go on meanwhile.
	cfg = dbParams.ReplaceAllString(cfg, "${1}?_txlock=immediate&_pragma=journal_mode(WAL)")
	if err := os.WriteFile(filepath.Join(dir, "dendrite.yaml"), []byte(cfg), 0o600); err != nil {
		return nil, fmt.Errorf("write config: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("find a free port: %w", err)
	}
	d.addr = l.Addr().String()
	_ = l.Close()
	d.URL = "http://" + d.addr
	return d, d.start()
}

// start runs the server and waits until it answers.
func (d *dendrite) start() error {
	logf, err := os.OpenFile(filepath.Join(d.dir, "stdout.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open log: %w", err)
	}
	cmd := exec.Command(filepath.Join(d.bin, "dendrite"),
		"-config", filepath.Join(d.dir, "dendrite.yaml"),
		"-http-bind-address", d.addr, "-https-bind-address", "",
		// Test users register themselves with m.login.dummy.
		"-really-enable-open-registration")
	cmd.Dir = d.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return fmt.Errorf("start dendrite: %w", err)
	}
	exited := make(chan struct{})
	d.mu.Lock()
	d.cmd, d.exited, d.stopping = cmd, exited, false
	d.mu.Unlock()
	go func() {
		_ = cmd.Wait()
		_ = logf.Close()
		close(exited)
		d.watch(cmd)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("dendrite exited at start; see %s", filepath.Join(d.dir, "stdout.log"))
		default:
		}
		res, err := http.Get(d.URL + "/_matrix/client/versions")
		if err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	d.stop()
	return fmt.Errorf("dendrite did not answer on %s within a minute", d.addr)
}

// watch restarts Dendrite when it exited without being asked to. Dendrite
// v0.13.8 on SQLite panics now and then with "cannot start a transaction
// within a transaction" (matrix-org/dendrite#1348, open); the suite tests
// peerbot, so it gets its homeserver back, as an operator's supervisor
// would, and the crash is counted and printed.
func (d *dendrite) watch(cmd *exec.Cmd) {
	d.mu.Lock()
	unexpected := d.cmd == cmd && !d.stopping
	if unexpected {
		d.crashes++
		d.cmd = nil
	}
	d.mu.Unlock()
	if !unexpected {
		return
	}
	fmt.Fprintln(os.Stderr, "matrix tests: Dendrite exited unexpectedly; restarting it")
	d.dumpLog()
	if err := d.start(); err != nil {
		fmt.Fprintln(os.Stderr, "matrix tests: could not restart Dendrite:", err)
	}
}

// stop ends the server (SIGTERM, then SIGKILL) and waits for it.
func (d *dendrite) stop() {
	d.mu.Lock()
	cmd, exited := d.cmd, d.exited
	d.stopping = true
	d.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	d.mu.Lock()
	d.cmd = nil
	d.mu.Unlock()
}

// restart stops and starts the server on the same port and data.
func (d *dendrite) restart(t *testing.T) {
	t.Helper()
	d.stop()
	if err := d.start(); err != nil {
		t.Fatalf("restart dendrite: %v", err)
	}
}

func (d *dendrite) dumpLog() {
	b, err := os.ReadFile(filepath.Join(d.dir, "stdout.log"))
	if err == nil && len(b) > 0 {
		if len(b) > 8000 {
			b = b[len(b)-8000:]
		}
		fmt.Fprintf(os.Stderr, "--- dendrite log (tail) ---\n%s\n", b)
	}
}

var userSeq atomic.Int64

// uniqueName returns a fresh localpart, so tests never share users.
func uniqueName(base string) string {
	return fmt.Sprintf("%s%d_%d", base, time.Now().UnixNano()%100000, userSeq.Add(1))
}
