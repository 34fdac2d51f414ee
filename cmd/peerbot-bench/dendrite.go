package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// Dendrite as adapters/matrix/dendrite_test.go starts it (same version,
// same config patches), without the test-only restart supervision: a
// crash ends the run with Dendrite's log.

const dendriteVersion = "v0.13.8"

var dendriteBinaries = []string{"dendrite", "generate-keys", "generate-config"}

// dendriteBin returns $PEERBOT_DENDRITE_BIN or ~/.cache/peerbot-dendrite/bin,
// building Dendrite there first when a binary is missing.
func dendriteBin() (string, error) {
	dir := os.Getenv("PEERBOT_DENDRITE_BIN")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
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
	logf("building Dendrite %s into %s (once; a few minutes)", dendriteVersion, dir)
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

type dendrite struct {
	dir, URL string
	cmd      *exec.Cmd
	exited   chan struct{}
}

func startDendrite(bin, dir string) (*dendrite, error) {
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
		{"in_memory: true\n    disable_tls_validation", "in_memory: false\n    disable_tls_validation"},
	} {
		if !strings.Contains(cfg, r[0]) {
			return nil, fmt.Errorf("generate-config output has no %q to patch", r[0])
		}
		cfg = strings.Replace(cfg, r[0], r[1], 1)
	}
	cfg = dbParams.ReplaceAllString(cfg, "${1}?_txlock=immediate&_pragma=journal_mode(WAL)")
	if err := os.WriteFile(filepath.Join(dir, "dendrite.yaml"), []byte(cfg), 0o600); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	_ = l.Close()
	logFile, err := os.Create(filepath.Join(dir, "stdout.log"))
	if err != nil {
		return nil, err
	}
	d := &dendrite{dir: dir, URL: "http://" + addr, exited: make(chan struct{})}
	d.cmd = exec.Command(filepath.Join(bin, "dendrite"), "-config", filepath.Join(dir, "dendrite.yaml"),
		"-http-bind-address", addr, "-https-bind-address", "", "-really-enable-open-registration")
	d.cmd.Dir = dir
	d.cmd.Stdout, d.cmd.Stderr = logFile, logFile
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the harness
	if err := d.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = d.cmd.Wait(); _ = logFile.Close(); close(d.exited) }()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		select {
		case <-d.exited:
			return nil, fmt.Errorf("dendrite exited at start; see %s", filepath.Join(dir, "stdout.log"))
		default:
		}
		if res, err := http.Get(d.URL + "/_matrix/client/versions"); err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return d, nil
			}
		}
	}
	d.stop()
	return nil, fmt.Errorf("dendrite did not answer within a minute")
}

// alive fails when Dendrite has exited.
func (d *dendrite) alive() error {
	select {
	case <-d.exited:
		b, _ := os.ReadFile(filepath.Join(d.dir, "stdout.log"))
		if len(b) > 4000 {
			b = b[len(b)-4000:]
		}
		return fmt.Errorf("dendrite exited; log tail:\n%s", b)
	default:
		return nil
	}
}

func (d *dendrite) stop() {
	_ = d.cmd.Process.Signal(os.Interrupt)
	select {
	case <-d.exited:
	case <-time.After(15 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.exited
	}
}
