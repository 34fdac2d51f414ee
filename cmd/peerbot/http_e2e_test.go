package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

// TestHTTPEndToEnd runs the real program on the fake Discord with
// http.listen set and asks its endpoints over real HTTP, as a supervisor
// and Prometheus would: /healthz answers at once; /readyz is 503 while
// Discord is not ready (its command registration meets rate limits) and
// 200 once it is; /metrics counts the commands of a meeting, the
// deliveries, the rate-limit waits, the open round and the group, and names
// none of the members, the group, the channel or their words; when Discord
// goes away /readyz says so and /healthz stays 200.
func TestHTTPEndToEnd(t *testing.T) {
	const guild, ch, fac, member = "300000000000000001", "300000000000000010", "400000000000000009", "400000000000000001"
	const (
		facName, memberName, groupName = "Fenwickhollis", "Marigoldsworth", "Thursdaycircle"
		words, prompt                  = "secretwordsforfacilitators", "Howareyouarrivingtonight"
		waits                          = 20 // rate-limited command registrations
	)
	f := dt.New(t)
	f.AddGuild(guild, groupName)
	f.AddChannel(dt.Channel{ID: ch, GuildID: guild, Name: "meetingroom"})
	f.AddUser(dt.User{ID: member, Name: memberName, Perms: dt.PermView | dt.PermSend})
	f.AddUser(dt.User{ID: fac, Name: facName, Perms: dt.PermView | dt.PermSend | dt.PermManageMessages})
	f.Inject("PUT", "/applications/"+dt.AppID+"/guilds/"+guild+"/commands$", http.StatusTooManyRequests, waits)

	addr := freeAddr(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf(`database:
  path: %s
log:
  level: disabled
http:
  listen: %s
discord:
  application_id: "%s"
  guild_ids: ["%s"]
  api_url: %s
`, filepath.Join(dir, "peerbot.db"), addr, dt.AppID, guild, f.URL())
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PEERBOT_DISCORD_TOKEN": dt.Token, "PEERBOT_SECRET_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}
	defer runInProcess(t, cfgPath, env)()
	base := "http://" + addr

	waitUntil(t, 30*time.Second, "/healthz 200", func() bool { code, body := get(base + "/healthz"); return code == 200 && body == "ok\n" })
	// Not ready while the registration waits out the rate limits; ready
	// after.
	sawNotReady := false
	waitUntil(t, 30*time.Second, "/readyz 200", func() bool {
		code, body := get(base + "/readyz")
		if code == http.StatusServiceUnavailable && strings.Contains(body, "discord: not ready yet") {
			sawNotReady = true
		} else if code != http.StatusOK && code != http.StatusServiceUnavailable {
			t.Fatalf("/readyz answered %d %q", code, body)
		}
		return code == http.StatusOK && body == "ready\n"
	})
	if !sawNotReady {
		t.Error("/readyz never said 503 'discord: not ready yet' before Discord was ready")
	}
	if r := run(t, "", nil, "healthcheck", "-url", base+"/readyz"); r.code != 0 || r.stdout != "ready\n" {
		t.Errorf("healthcheck when ready: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	f.Slash(fac, ch, "facilitator", "round start", dt.O("minutes", 30), dt.O("prompt", prompt))
	f.WaitFor("the round message", func() bool { return len(f.ChannelMessages(ch)) == 1 })
	id := f.Slash(member, ch, "checkin", "", dt.O("colour", "amber"), dt.O("words", words), dt.O("private", true))
	f.WaitFor("the acknowledgement", func() bool { return f.Interaction(id).Original != nil })

	var metrics string
	want := map[string]func(float64) bool{
		`peerbot_commands_handled_total{command="round start",outcome="done"}`: eq(1),
		`peerbot_commands_handled_total{command="checkin",outcome="done"}`:     eq(1),
		`peerbot_command_handling_seconds_count{command="checkin"}`:            eq(1),
		`peerbot_deliveries_total{result="ok",visibility="public"}`:            atLeast(1),
		`peerbot_deliveries_total{result="ok",visibility="private"}`:           atLeast(1),
		`peerbot_deliveries_total{result="ok",visibility="facilitators"}`:      eq(1),
		`peerbot_conditions_total{kind="rate_limit_waited"}`:                   atLeast(waits),
		`peerbot_database_seconds_count{method="InTx"}`:                        atLeast(2),
		`peerbot_database_seconds_count{method="PutCheckIn"}`:                  eq(1),
		`peerbot_open_rounds`: eq(1),
		`peerbot_groups`:      eq(1),
	}
	defer func() {
		if t.Failed() {
			t.Logf("metrics:\n%s", metrics)
		}
	}()
	waitUntil(t, 30*time.Second, "the counters in /metrics", func() bool {
		var code int
		code, metrics = get(base + "/metrics")
		if code != 200 {
			return false
		}
		for series, ok := range want {
			if v, found := sample(metrics, series); !found || !ok(v) {
				return false
			}
		}
		return true
	})
	for _, never := range []string{guild, ch, fac, member, facName, memberName, groupName, words, prompt, "meetingroom"} {
		if strings.Contains(metrics, never) {
			t.Errorf("/metrics contains %q", never)
		}
	}

	f.Stop()
	waitUntil(t, 30*time.Second, "/readyz 503 after Discord went away", func() bool {
		code, body := get(base + "/readyz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "discord: gateway disconnected") && !strings.Contains(body, "database")
	})
	if code, _ := get(base + "/healthz"); code != 200 {
		t.Errorf("/healthz answered %d while the process runs", code)
	}
	if r := run(t, "", nil, "healthcheck", "-url", base+"/readyz"); r.code != 1 || !strings.Contains(r.stderr, "503 Service Unavailable: not ready") {
		t.Errorf("healthcheck when not ready: exit %d, stderr %q; want 1 with the reasons", r.code, r.stderr)
	}
	if r := run(t, "", nil, "healthcheck", "-url", base+"/healthz"); r.code != 0 {
		t.Errorf("healthcheck of /healthz: exit %d, stderr %q", r.code, r.stderr)
	}
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// get returns the status and body of a GET, or 0 when nothing answered.
func get(url string) (int, string) {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// sample returns the value of one series in a Prometheus text exposition.
func sample(text, series string) (float64, bool) {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(m[1], 64)
	return v, err == nil
}

func eq(n float64) func(float64) bool      { return func(v float64) bool { return v == n } }
func atLeast(n float64) func(float64) bool { return func(v float64) bool { return v >= n } }
