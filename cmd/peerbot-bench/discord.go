package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"syscall"
	"testing"
	"time"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

// fakeTB lets the fake Discord of adapters/discord/discordtest (a normal,
// importable package that reports through testing.TB) run in this
// program: a failure panics with fakeFailure, which discordRuns returns as
// its error.
type fakeTB struct {
	testing.TB
	cleanups []func()
}

func (t *fakeTB) Helper()          {}
func (t *fakeTB) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }
func (t *fakeTB) Fatalf(format string, args ...any) {
	panic(fakeFailure(fmt.Sprintf(format, args...)))
}

type fakeFailure string

func (t *fakeTB) close() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

const (
	dGuild = "300000000000000001"
	dChan  = "300000000000000010"
	dUser  = "400000000000000001"
)

type discordResult struct {
	lat       []time.Duration
	cpuPerCmd time.Duration
	rssKiB    int
	calls     map[string]int // REST calls during the batch, by method and route
}

var discordIDs = regexp.MustCompile(`[0-9]{6,}|itoken-[0-9]+`)

// discordRuns times interaction → response for peerbot (/agreement) and
// for discordecho (/ping), each its own process on the same in-process
// fake, in interleaved batches.
func discordRuns(w io.Writer, b bins, out string, n, batches int, profile bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(fakeFailure)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("fake discord: %s", f)
		}
	}()
	tb := &fakeTB{}
	defer tb.close()
	f := dt.New(tb)
	f.AddGuild(dGuild, "Bench group")
	f.AddChannel(dt.Channel{ID: dChan, GuildID: dGuild, Name: "meeting"})
	f.AddUser(dt.User{ID: dUser, Name: "Ann", Perms: dt.PermView | dt.PermSend})
	results := map[string][]*discordResult{}
	for i := range batches {
		for _, k := range []string{"echo", "peerbot"} {
			logf("discord batch %d/%d: %s, %d interactions", i+1, batches, k, n)
			r, err := discordBatch(f, b, out, k, n, "")
			if err != nil {
				return fmt.Errorf("discord batch %d, %s: %w", i+1, k, err)
			}
			logf("  p50 %s, p99 %s, CPU/command %s, RSS %d KiB", ms(pct(r.lat, 50)), ms(pct(r.lat, 99)), ms(r.cpuPerCmd), r.rssKiB)
			results[k] = append(results[k], r)
		}
	}
	med := func(k string, fn func(*discordResult) float64) float64 {
		var v []float64
		for _, r := range results[k] {
			v = append(v, fn(r))
		}
		return median(v)
	}
	fmt.Fprintf(w, "\n### Discord: interaction → response, %d interactions × %d interleaved batches (fake Discord in the harness; each bot its own process)\n\n", n, batches)
	fmt.Fprintf(w, "| | discordgo floor | peerbot | ratio |\n|---|---|---|---|\n")
	row := func(name, unit string, fn func(*discordResult) float64) {
		e, p := med("echo", fn), med("peerbot", fn)
		fmt.Fprintf(w, "| %s | %.2f %s | %.2f %s | %.2f× |\n", name, e, unit, p, unit, p/e)
	}
	row("response p50", "ms", func(r *discordResult) float64 { return msf(pct(r.lat, 50)) })
	row("response p99", "ms", func(r *discordResult) float64 { return msf(pct(r.lat, 99)) })
	row("CPU per interaction", "ms", func(r *discordResult) float64 { return msf(r.cpuPerCmd) })
	row("idle RSS", "MiB", func(r *discordResult) float64 { return float64(r.rssKiB) / 1024 })
	if !profile {
		return nil
	}
	prof := filepath.Join(out, "profile-discord")
	if err := os.MkdirAll(prof, 0o700); err != nil {
		return err
	}
	logf("discord profile: peerbot (pprof build), %d interactions", 5*n)
	pr, err := discordBatch(f, b, out, "peerbot", 5*n, prof)
	if err != nil {
		return fmt.Errorf("discord profile: %w", err)
	}
	e := results["echo"][len(results["echo"])-1]
	for _, x := range []struct {
		name string
		r    *discordResult
		n    int
	}{{"discordgo floor (its last batch)", e, n}, {"peerbot (the profiled batch)", pr, 5 * n}} {
		fmt.Fprintf(w, "\nDiscord REST calls per interaction, %s:\n\n| route | calls per interaction |\n|---|---|\n", x.name)
		keys := make([]string, 0, len(x.r.calls))
		for k := range x.r.calls {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "| `%s` | %.2f |\n", k, float64(x.r.calls[k])/float64(x.n))
		}
	}
	fmt.Fprintf(w, "\nProfiled Discord batch: p50 %s, p99 %s, CPU per interaction %s (pprof build).\n",
		ms(pct(pr.lat, 50)), ms(pct(pr.lat, 99)), ms(pr.cpuPerCmd))
	return writeProfiles(w, b, prof, "Discord: ")
}

func discordBatch(f *dt.Server, b bins, out, kind string, n int, profile string) (*discordResult, error) {
	dir, err := os.MkdirTemp(out, "discord-"+kind+"-")
	if err != nil {
		return nil, err
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	var cmd *exec.Cmd
	command, sub := "ping", ""
	switch kind {
	case "echo":
		env = append(env, "ECHO_API_URL="+f.URL(), "ECHO_TOKEN="+dt.Token, "ECHO_APP_ID="+dt.AppID, "ECHO_GUILD_ID="+dGuild)
		cmd = exec.Command(b.discordEcho)
	default:
		command, sub = "agreement", "show"
		cfg := fmt.Sprintf("database:\n  path: %s\nlog:\n  level: info\ndiscord:\n  application_id: \"%s\"\n  guild_ids: [\"%s\"]\n  api_url: %s\n",
			filepath.Join(dir, "peerbot.db"), dt.AppID, dGuild, f.URL())
		if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
			return nil, err
		}
		env = append(env, "PEERBOT_DISCORD_TOKEN="+dt.Token, "PEERBOT_SECRET_KEY="+secretKey)
		bin := b.peerbot
		if profile != "" {
			bin = b.peerbotProf
		}
		cmd = exec.Command(bin, "-config", filepath.Join(dir, "config.yaml"))
	}
	var pprofAddr string
	if profile != "" {
		if pprofAddr, err = freeAddr(); err != nil {
			return nil, err
		}
		env = append(env, "PEERBOT_PPROF_ADDR="+pprofAddr)
	}
	logFile, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the harness
	registered := len(f.RequestsTo("PUT", "/api/v9/applications/"+dt.AppID+"/guilds/"+dGuild+"/commands"))
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	defer stopProcess(cmd, exited)
	f.WaitFor(kind+"'s commands registered", func() bool {
		return len(f.RequestsTo("PUT", "/api/v9/applications/"+dt.AppID+"/guilds/"+dGuild+"/commands")) > registered
	})
	time.Sleep(2 * time.Second)
	pid := cmd.Process.Pid
	res := &discordResult{}
	if res.rssKiB, err = rssKiB(pid); err != nil {
		return nil, err
	}
	if profile != "" {
		if err := pprofPost(pprofAddr, "/bench/cpu/start?file="+filepath.Join(profile, "cpu.pprof")); err != nil {
			return nil, err
		}
		if err := pprofGet(pprofAddr, "/debug/pprof/allocs", filepath.Join(profile, "allocs-before.pprof")); err != nil {
			return nil, err
		}
	}
	cpu0, err := cpuTime(pid)
	if err != nil {
		return nil, err
	}
	before := len(f.Requests())
	for range n {
		id := f.Slash(dUser, dChan, command, sub)
		path := `^/api/v9/interactions/` + id + `/`
		f.WaitFor("the response", func() bool { return len(f.RequestsTo("POST", path)) > 0 })
		in := f.Interaction(id)
		res.lat = append(res.lat, f.RequestsTo("POST", path)[0].At.Sub(in.Created))
	}
	time.Sleep(500 * time.Millisecond)
	cpu1, err := cpuTime(pid)
	if err != nil {
		return nil, err
	}
	res.cpuPerCmd = (cpu1 - cpu0) / time.Duration(n)
	res.calls = map[string]int{}
	for _, r := range f.Requests()[before:] {
		res.calls[r.Method+" "+discordIDs.ReplaceAllString(r.Path, "{id}")]++
	}
	if profile != "" {
		if err := pprofPost(pprofAddr, "/bench/cpu/stop"); err != nil {
			return nil, err
		}
		if err := pprofGet(pprofAddr, "/debug/pprof/allocs", filepath.Join(profile, "allocs-after.pprof")); err != nil {
			return nil, err
		}
	}
	select {
	case <-exited:
		return nil, fmt.Errorf("%s exited during the batch; log in %s", kind, dir)
	default:
	}
	return res, nil
}
