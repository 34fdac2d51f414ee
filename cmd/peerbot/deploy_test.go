package main

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// The files operators deploy with (deploy/) are exercised here as far as
// this machine allows: the systemd units' commands are run for real (with
// their paths moved into a temporary directory), systemd-analyze verifies
// and rates the units, the Dockerfile's build command is run as written,
// and the container's commands are run against the built binary. Docker
// itself cannot run here (no engine), so the image is never built.

const deployDir = "../../deploy"

// unit is a parsed systemd unit file: section → key → values in order.
type unit map[string]map[string][]string

// parseUnit reads a unit file the way systemd does for what these files
// use: sections, key=value, comments, and lines continued with "\".
func parseUnit(t *testing.T, name string) unit {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployDir, name))
	if err != nil {
		t.Fatal(err)
	}
	u := unit{}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(string(data), "\\\n", " ")))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			if u[section] == nil {
				u[section] = map[string][]string{}
			}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s: not a key=value line in a section: %q", name, line)
			}
			u[section][strings.TrimSpace(k)] = append(u[section][strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	return u
}

// one returns the single value of key, failing the test unless there is
// exactly one.
func (u unit) one(t *testing.T, section, key string) string {
	t.Helper()
	v := u[section][key]
	if len(v) != 1 {
		t.Fatalf("[%s] %s: %d values %q, want one", section, key, len(v), v)
	}
	return v[0]
}

// splitExec splits an Exec line into its words as systemd does for these
// files: an optional "-" prefix, double- and single-quoted words, "%%" for
// "%". It reports whether a failure is ignored ("-").
func splitExec(line string) (argv []string, ignoreFailure bool) {
	if strings.HasPrefix(line, "-") {
		ignoreFailure, line = true, line[1:]
	}
	line = strings.ReplaceAll(line, "%%", "%")
	var cur strings.Builder
	in, quote, quoted := false, rune(0), false
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, in, quoted = r, true, true
		case r == ' ' || r == '\t':
			if in {
				argv = append(argv, cur.String())
				cur.Reset()
				in, quoted = false, false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in || quoted {
		argv = append(argv, cur.String())
	}
	return argv, ignoreFailure
}

// deployEnv is where the units' commands run in the test: their paths
// moved into a temporary directory, peerbot being the test binary.
type deployEnv struct {
	t          *testing.T
	etc, state string
	replace    *strings.Replacer
	peerbot    string
}

func newDeployEnv(t *testing.T, configFile string) *deployEnv {
	dir := t.TempDir()
	e := &deployEnv{t: t, etc: filepath.Join(dir, "etc"), state: filepath.Join(dir, "state"), peerbot: os.Args[0]}
	for _, d := range []string{e.etc, e.state} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	e.replace = strings.NewReplacer("/usr/local/bin/peerbot", e.peerbot, "/etc/peerbot", e.etc, "/var/lib/peerbot", e.state, "/data", e.state)
	cfg, err := os.ReadFile(filepath.Join(deployDir, configFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.etc, "config.yaml"), []byte(e.replace.Replace(string(cfg))), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// run runs one command line of a unit or image, as systemd or the container
// would (in the working directory, with the secrets in the environment),
// and returns its exit status and output.
func (e *deployEnv) run(argv []string) (int, string) {
	e.t.Helper()
	args := make([]string, len(argv))
	for i, a := range argv {
		args[i] = e.replace.Replace(a)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = e.state
	cmd.Env = append(os.Environ(), "PEERBOT_TEST_MAIN=1", "PEERBOT_SECRET_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("%q: %v", args, err)
	}
	return code, string(out)
}

// runExec runs the unit's Exec line and fails the test unless it succeeds.
func (e *deployEnv) runExec(name, line string) string {
	e.t.Helper()
	argv, _ := splitExec(line)
	code, out := e.run(argv)
	if code != 0 {
		e.t.Fatalf("%s: %q exited %d:\n%s", name, line, code, out)
	}
	return out
}

// TestSystemdUnits checks the hardening the service promises, then runs
// every command of the service and the backup as systemd would, in order:
// the config check, peerbot itself (the config enables no platform, so it
// runs the console until its empty input ends), and a backup, which makes
// a dated copy and deletes copies older than 14 days.
func TestSystemdUnits(t *testing.T) {
	svc := parseUnit(t, "peerbot.service")
	for key, want := range map[string]string{
		"DynamicUser": "yes", "StateDirectory": "peerbot", "WorkingDirectory": "/var/lib/peerbot",
		"ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes", "NoNewPrivileges": "yes",
		"Restart": "on-failure", "EnvironmentFile": "/etc/peerbot/peerbot.env", "KillSignal": "SIGTERM",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
	} {
		if got := svc.one(t, "Service", key); got != want {
			t.Errorf("peerbot.service %s=%s, want %s", key, got, want)
		}
	}
	if f := svc["Service"]["SystemCallFilter"]; len(f) == 0 || f[0] != "@system-service" {
		t.Errorf("peerbot.service SystemCallFilter=%q, want @system-service first", f)
	}
	pre := svc.one(t, "Service", "ExecStartPre")
	if !strings.Contains(pre, "peerbot check-config -config /etc/peerbot/config.yaml") {
		t.Errorf("ExecStartPre=%s, want the config checked", pre)
	}

	backup := parseUnit(t, "peerbot-backup.service")
	for _, key := range []string{"User", "DynamicUser", "StateDirectory", "WorkingDirectory", "EnvironmentFile"} {
		if b, s := backup.one(t, "Service", key), svc.one(t, "Service", key); b != s {
			t.Errorf("peerbot-backup.service %s=%s, but peerbot.service has %s: the backup must run as the same user on the same files", key, b, s)
		}
	}
	timer := parseUnit(t, "peerbot-backup.timer")
	if timer.one(t, "Timer", "Persistent") != "true" || !strings.Contains(timer.one(t, "Timer", "OnCalendar"), "03:00") {
		t.Errorf("timer %v, want daily and persistent", timer["Timer"])
	}
	if _, err := os.Stat(filepath.Join(deployDir, "peerbot-backup.service")); err != nil || timer["Timer"]["Unit"] != nil {
		t.Error("peerbot-backup.timer must start peerbot-backup.service (same name, no Unit=)")
	}

	e := newDeployEnv(t, "config.yaml")
	if out := e.runExec("ExecStartPre", pre); !strings.Contains(out, ": OK (runs console, database ./peerbot.db)") {
		t.Errorf("check-config said %q", out)
	}
	e.runExec("ExecStart", svc.one(t, "Service", "ExecStart"))
	if _, err := os.Stat(filepath.Join(e.state, "peerbot.db")); err != nil {
		t.Fatalf("peerbot did not create its database in the state directory: %v", err)
	}

	e.runExec("backup ExecStartPre", backup.one(t, "Service", "ExecStartPre"))
	out := e.runExec("backup ExecStart", backup.one(t, "Service", "ExecStart"))
	if !strings.Contains(out, "backup of ./peerbot.db written to "+e.state+"/backups/peerbot-") {
		t.Errorf("backup said %q", out)
	}
	old := filepath.Join(e.state, "backups", "peerbot-20000101-000000.db")
	if err := os.WriteFile(old, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	month := time.Now().Add(-30 * 24 * time.Hour)
	if err := os.Chtimes(old, month, month); err != nil {
		t.Fatal(err)
	}
	e.runExec("backup ExecStartPost", backup.one(t, "Service", "ExecStartPost"))
	kept, _ := filepath.Glob(filepath.Join(e.state, "backups", "*"))
	if len(kept) != 1 || !regexp.MustCompile(`/peerbot-\d{8}-\d{6}\.db$`).MatchString(kept[0]) {
		t.Errorf("backups after pruning: %q, want today's only", kept)
	}
	// The copy is a database peerbot can use.
	if code, out := e.run([]string{"/usr/local/bin/peerbot", "console", "-db", kept[0]}); code != 0 {
		t.Errorf("console on the backup: exit %d: %s", code, out)
	}
}

// TestSystemdAnalyze runs systemd-analyze verify on the units (with
// peerbot's path pointing at an existing binary) and rates their
// hardening (systemd-analyze security: 2.0 or better).
func TestSystemdAnalyze(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("systemd-analyze is missing (Debian package systemd)")
		}
		t.Skip("systemd-analyze is missing (Debian package systemd)")
	}
	dir := t.TempDir()
	var units []string
	for _, name := range []string{"peerbot.service", "peerbot-backup.service", "peerbot-backup.timer"} {
		data, err := os.ReadFile(filepath.Join(deployDir, name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(data), "/usr/local/bin/peerbot", os.Args[0])), 0o644); err != nil {
			t.Fatal(err)
		}
		units = append(units, p)
	}
	out, err := exec.Command(sa, append([]string{"verify"}, units...)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	for _, u := range units[:2] {
		out, err := exec.Command(sa, "security", "--offline=true", "--threshold=20", "--no-pager", u).CombinedOutput()
		overall := regexp.MustCompile(`Overall exposure level for .*`).Find(out)
		if err != nil {
			t.Errorf("systemd-analyze security %s: %v: %s\n%s", filepath.Base(u), err, overall, out)
		} else {
			t.Logf("%s", overall)
		}
	}
}

// dockerfile is the Dockerfile's instructions, continuation lines joined.
func dockerfile(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployDir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(string(data), "\\\n", " "), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// instruction returns the arguments of the last instruction of the kind.
func instruction(lines []string, kind string) string {
	found := ""
	for _, l := range lines {
		if k, rest, _ := strings.Cut(l, " "); strings.EqualFold(k, kind) {
			found = strings.TrimSpace(rest)
		}
	}
	return found
}

// TestDockerfile checks the image is built the way CI builds and tests
// (cgo off, tag goolm, the Go of go.mod), runs that build command as
// written, checks the binary is static and carries the version, and runs
// the image's command, health check and config with it.
func TestDockerfile(t *testing.T) {
	lines := dockerfile(t)
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"export CGO_ENABLED=0", "go test -tags goolm ./..."} {
		if !strings.Contains(string(ci), want) {
			t.Fatalf(".ci/run no longer says %q: update this test and the Dockerfile together", want)
		}
	}
	var build string
	for _, l := range lines {
		if strings.HasPrefix(l, "RUN ") && strings.Contains(l, "go build") {
			build = strings.TrimPrefix(l, "RUN ")
		}
	}
	if !strings.HasPrefix(build, "CGO_ENABLED=0 go build -tags goolm ") || !strings.HasSuffix(build, " ./cmd/peerbot") {
		t.Fatalf("the Dockerfile builds with %q, want CGO_ENABLED=0 go build -tags goolm … ./cmd/peerbot as CI", build)
	}
	gomod, _ := os.ReadFile("../../go.mod")
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if from := instruction(lines[:1], "FROM"); goVersion == nil || !strings.HasPrefix(from, "golang:"+string(goVersion[1])+"-") {
		t.Errorf("builder %q, want golang:%s (go.mod)", from, goVersion[1])
	}
	if u := instruction(lines, "USER"); u == "" || strings.HasPrefix(u, "0") || strings.HasPrefix(u, "root") {
		t.Errorf("USER %q, want a non-root user", u)
	}
	if v := instruction(lines, "VOLUME"); v != `["/data"]` {
		t.Errorf("VOLUME %s, want /data", v)
	}
	if strings.Contains(strings.Join(lines, "\n"), "PEERBOT_") {
		t.Error("the Dockerfile names a PEERBOT_ variable: secrets come from the environment at run time, never from the image")
	}

	// The build command, as written, from the repository's root.
	bin := filepath.Join(t.TempDir(), "peerbot")
	shell := strings.NewReplacer("${VERSION}", "v9.8.7-test", "/out/peerbot", bin).Replace(build)
	cmd := exec.Command("/bin/sh", "-c", shell)
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", shell, err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary is dynamically linked; distroless/static needs a static one")
		}
	}
	f.Close()
	if out, err := exec.Command(bin, "version").Output(); err != nil || !strings.HasPrefix(string(out), "peerbot v9.8.7-test") {
		t.Errorf("version: %q %v", out, err)
	}

	// The image's command on its config (moved from /data and /etc): the
	// config checks, and peerbot runs (the console: no platform is on).
	e := newDeployEnv(t, "container.yaml")
	e.replace = strings.NewReplacer("/usr/local/bin/peerbot", bin, "/etc/peerbot", e.etc, "/data", e.state)
	var entry, cmdArgs []string
	if err := json.Unmarshal([]byte(instruction(lines, "ENTRYPOINT")), &entry); err != nil {
		t.Fatalf("ENTRYPOINT: %v", err)
	}
	if err := json.Unmarshal([]byte(instruction(lines, "CMD")), &cmdArgs); err != nil {
		t.Fatalf("CMD: %v", err)
	}
	if code, out := e.run(append(append([]string{}, entry...), "check-config", "-config", "/etc/peerbot/config.yaml")); code != 0 {
		t.Errorf("check-config of container.yaml: %d %s", code, out)
	}
	if code, out := e.run(append(entry, cmdArgs...)); code != 0 {
		t.Errorf("%q: exit %d: %s", append(entry, cmdArgs...), code, out)
	}
	if _, err := os.Stat(filepath.Join(e.state, "peerbot.db")); err != nil {
		t.Errorf("no database on the volume: %v", err)
	}

	// The health check asks the port the config listens on and EXPOSE
	// names, and follows /readyz's status.
	hc := instruction(lines, "HEALTHCHECK")
	_, hcJSON, _ := strings.Cut(hc, "CMD ")
	var check []string
	if err := json.Unmarshal([]byte(hcJSON), &check); err != nil {
		t.Fatalf("HEALTHCHECK %q: %v", hc, err)
	}
	cfg, err := LoadConfig(filepath.Join(e.etc, "config.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	port := cfg.HTTP.Listen[strings.LastIndex(cfg.HTTP.Listen, ":")+1:]
	if !strings.Contains(hcJSON, "http://127.0.0.1:"+port+"/readyz") || instruction(lines, "EXPOSE") != port {
		t.Errorf("HEALTHCHECK %s and EXPOSE %s, want the port of http.listen %s", hcJSON, instruction(lines, "EXPOSE"), cfg.HTTP.Listen)
	}
	for status, want := range map[int]int{http.StatusOK: 0, http.StatusServiceUnavailable: 1} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
		e.replace = strings.NewReplacer("/usr/local/bin/peerbot", bin, "http://127.0.0.1:"+port, srv.URL)
		if code, out := e.run(check); code != want {
			t.Errorf("HEALTHCHECK against a %d: exit %d, want %d: %s", status, code, want, out)
		}
		srv.Close()
	}
}

// TestCompose checks the PostgreSQL example: peerbot is built from this
// Dockerfile, runs the image's command, gets its database URL from the
// environment and waits for a healthy PostgreSQL; no secret is written in
// the file.
func TestCompose(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(deployDir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Build *struct {
				Context    string `yaml:"context"`
				Dockerfile string `yaml:"dockerfile"`
			} `yaml:"build"`
			Command     []string                     `yaml:"command"`
			Environment map[string]string            `yaml:"environment"`
			EnvFile     string                       `yaml:"env_file"`
			DependsOn   map[string]map[string]string `yaml:"depends_on"`
			Volumes     []string                     `yaml:"volumes"`
			Healthcheck map[string]any               `yaml:"healthcheck"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	pb, pg := c.Services["peerbot"], c.Services["postgres"]
	if pb.Build == nil || filepath.Join(deployDir, pb.Build.Context, pb.Build.Dockerfile) != filepath.Join(deployDir, "Dockerfile") {
		t.Errorf("peerbot build %+v, want ../ with deploy/Dockerfile", pb.Build)
	}
	var cmdArgs []string
	_ = json.Unmarshal([]byte(instruction(dockerfile(t), "CMD")), &cmdArgs)
	if fmt.Sprint(pb.Command) != fmt.Sprint(cmdArgs) {
		t.Errorf("compose runs %q, the image %q", pb.Command, cmdArgs)
	}
	if u := pb.Environment["PEERBOT_DATABASE_URL"]; !strings.HasPrefix(u, "postgres://peerbot:${POSTGRES_PASSWORD") || !strings.Contains(u, "@postgres:5432/peerbot") {
		t.Errorf("PEERBOT_DATABASE_URL %q", u)
	}
	if pb.DependsOn["postgres"]["condition"] != "service_healthy" || pg.Healthcheck == nil {
		t.Error("peerbot must wait for a healthy postgres")
	}
	if pb.EnvFile != "peerbot.env" || !strings.Contains(string(data), "${POSTGRES_PASSWORD:?") {
		t.Error("the secrets must come from peerbot.env and .env")
	}
	if !strings.Contains(strings.Join(pb.Volumes, " "), ":/data") {
		t.Errorf("peerbot volumes %q, want one on /data", pb.Volumes)
	}
}
