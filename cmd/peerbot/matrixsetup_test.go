package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMatrixSetupNeedsMatrix ensures matrix-setup explains what is missing
// instead of contacting anything.
func TestMatrixSetupNeedsMatrix(t *testing.T) {
	t.Chdir(t.TempDir())
	r := run(t, "", nil, "matrix-setup")
	if r.code != 1 || !strings.Contains(r.stderr, "matrix.homeserver") {
		t.Errorf("exit %d, stderr %q; want 1 naming matrix.homeserver", r.code, r.stderr)
	}
	if r := run(t, "", nil, "matrix-setup", "extra"); r.code != 2 {
		t.Errorf("an extra argument: exit %d, want 2", r.code)
	}
	if r := run(t, "", nil, "matrix-setup", "-h"); r.code != 0 || !strings.Contains(r.stdout, "recovery key") {
		t.Errorf("-h: exit %d, stdout %q", r.code, r.stdout)
	}
}

// TestMatrixSetupStopsBeforeAPassword ensures that a homeserver that cannot
// be reached is reported, and that the password is never printed.
func TestMatrixSetupStopsBeforeAPassword(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "peerbot.yaml")
	err := os.WriteFile(cfg, []byte(`database:
  path: `+filepath.Join(dir, "peerbot.db")+`
matrix:
  homeserver: http://127.0.0.1:1
  user_id: "@peerbot:localhost"
  access_token: token
  pickle_key: a pickle key long enough
  allowed_inviters: [":localhost"]
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, "", map[string]string{"PEERBOT_MATRIX_PASSWORD": "hunter2-secret"}, "matrix-setup", "-config", cfg)
	if r.code != 1 || !strings.Contains(r.stderr, "matrix.homeserver") {
		t.Errorf("exit %d, stderr %q; want 1 naming matrix.homeserver", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, "hunter2-secret") {
		t.Error("the password was printed")
	}
}

// TestMatrixPassword ensures the password comes from the environment
// first, else from one line of standard input.
func TestMatrixPassword(t *testing.T) {
	m := &Main{Stdin: strings.NewReader("from stdin\r\nnext line\n"), Getenv: func(string) string { return "" }}
	if pw, err := m.matrixPassword("@b:x"); err != nil || pw != "from stdin" {
		t.Errorf("stdin: %q, %v", pw, err)
	}
	if rest, _ := readLine(m.Stdin); rest != "next line" {
		t.Errorf("readLine consumed past its line: rest %q", rest)
	}
	m.Getenv = func(k string) string {
		if k == "PEERBOT_MATRIX_PASSWORD" {
			return "from env"
		}
		return ""
	}
	if pw, err := m.matrixPassword("@b:x"); err != nil || pw != "from env" {
		t.Errorf("env: %q, %v", pw, err)
	}
	m = &Main{Stdin: strings.NewReader(""), Getenv: func(string) string { return "" }}
	if _, err := m.matrixPassword("@b:x"); err == nil {
		t.Error("no password: no error")
	}
}
