package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// refusingServer is a local HTTP server that answers every request with 401
// and records the paths asked for.
func refusingServer(t *testing.T) (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"errcode":"M_UNKNOWN_TOKEN","error":"Unknown token","message":"401: Unauthorized","code":0}`))
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), paths...)
	}
}

// TestConfigModeStartsDiscord ensures `peerbot -config` with discord on
// starts the Discord adapter against discord.api_url with the token from the
// environment, and exits 1 naming discord when the token is refused.
func TestConfigModeStartsDiscord(t *testing.T) {
	srv, paths := refusingServer(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "peerbot.yaml")
	data := "database:\n  path: " + filepath.Join(dir, "d.db") + "\nlog:\n  level: disabled\ndiscord:\n  application_id: \"123\"\n  api_url: " + srv.URL + "\n"
	if err := os.WriteFile(cfg, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", map[string]string{"PEERBOT_DISCORD_TOKEN": "wrong"}, "-config", cfg)
	if r.code != 1 || !strings.Contains(r.stderr, "discord") {
		t.Errorf("exit %d, stderr %q; want 1 naming discord", r.code, r.stderr)
	}
	if p := paths(); len(p) == 0 || !strings.HasPrefix(p[0], "/api/") {
		t.Errorf("the Discord adapter did not call the configured api_url: %v", p)
	}
}

// TestConfigModeStartsMatrix ensures `peerbot -config` with matrix on starts
// the Matrix adapter against matrix.homeserver, and exits 1 naming matrix
// when the homeserver refuses the token.
func TestConfigModeStartsMatrix(t *testing.T) {
	srv, paths := refusingServer(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "peerbot.yaml")
	data := "database:\n  path: " + filepath.Join(dir, "m.db") + "\nlog:\n  level: disabled\nmatrix:\n  homeserver: " + srv.URL +
		"\n  user_id: \"@bot:localhost\"\n  encryption: false\n"
	if err := os.WriteFile(cfg, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", map[string]string{"PEERBOT_MATRIX_ACCESS_TOKEN": "wrong"}, "-config", cfg)
	if r.code != 1 || !strings.Contains(r.stderr, "matrix") {
		t.Errorf("exit %d, stderr %q; want 1 naming matrix", r.code, r.stderr)
	}
	if p := paths(); len(p) == 0 || !strings.Contains(p[0], "/_matrix/client/") {
		t.Errorf("the Matrix adapter did not call the configured homeserver: %v", p)
	}
}
