// Command peerbot-bench measures peerbot the way an operator sees it,
// against the least a bot can do (issue 13). From the repository's root:
//
//	go run -tags goolm ./cmd/peerbot-bench
//
// It builds the real peerbot binary and the floors (echobot: a minimal
// mautrix client; discordecho: a minimal discordgo client), each as its own
// program (CGO_ENABLED=0, -tags goolm), and starts Dendrite v0.13.8 on
// 127.0.0.1 (binaries from ~/.cache/peerbot-dendrite/bin, built there if
// missing). On Matrix a driver account sends -n commands one at a time in
// an unencrypted group room and times each from just before its send
// request to the /sync response that carries the reply: "!ping" → "pong"
// for the echo bot, "!agreement" → the agreement (a public reply) for
// peerbot, which runs with E2EE on and its database on disk. The batches
// interleave (echo, peerbot, echo, …), each bot a fresh process on a fresh
// account; CPU (utime+stime) and idle RSS are read from /proc. It then
// measures peerbot's idle RSS with 1,000 groups and 10,000 members in its
// store, profiles one peerbot batch (CPU and allocations, through a build
// with -tags peerbotpprof) behind a proxy that counts the HTTP calls per
// command by endpoint, and times Discord interactions (peerbot against
// discordecho on the fake Discord of adapters/discord/discordtest, each in
// its own process). It prints Markdown; the profiles and logs stay in -out.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

func main() {
	n := flag.Int("n", 200, "commands per batch")
	batches := flag.Int("batches", 3, "batches per bot (interleaved)")
	out := flag.String("out", "", "directory for binaries, profiles and logs (default: a new temporary directory)")
	skipDiscord := flag.Bool("no-discord", false, "skip the Discord measurement")
	skipExtra := flag.Bool("no-extra", false, "skip the seeded-store, profile and trace runs")
	flag.Parse()
	if err := run(*n, *batches, *out, *skipDiscord, *skipExtra); err != nil {
		logf("peerbot-bench: %v", err)
		os.Exit(1)
	}
}

type bins struct{ peerbot, peerbotProf, echo, discordEcho string }

func build(dir string) (bins, error) {
	b := bins{
		peerbot:     filepath.Join(dir, "peerbot"),
		peerbotProf: filepath.Join(dir, "peerbot-pprof"),
		echo:        filepath.Join(dir, "echobot"),
		discordEcho: filepath.Join(dir, "discordecho"),
	}
	for _, j := range [][3]string{
		{b.peerbot, "goolm", "./cmd/peerbot"},
		{b.peerbotProf, "goolm,peerbotpprof", "./cmd/peerbot"},
		{b.echo, "goolm", "./cmd/peerbot-bench/echobot"},
		{b.discordEcho, "goolm", "./cmd/peerbot-bench/discordecho"},
	} {
		cmd := exec.Command("go", "build", "-tags", j[1], "-o", j[0], j[2])
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return b, fmt.Errorf("go build %s: %w", j[2], err)
		}
	}
	return b, nil
}

func run(n, batches int, out string, skipDiscord, skipExtra bool) error {
	began, load0 := time.Now(), loadavg()
	if out == "" {
		var err error
		if out, err = os.MkdirTemp("", "peerbot-bench-"); err != nil {
			return err
		}
	}
	out, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return err
	}
	logf("working in %s", out)
	b, err := build(out)
	if err != nil {
		return err
	}
	var report strings.Builder
	w := io.MultiWriter(&report, os.Stdout)

	dbin, err := dendriteBin()
	if err != nil {
		return err
	}
	hsDir := filepath.Join(out, "dendrite")
	if err := os.MkdirAll(hsDir, 0o700); err != nil {
		return err
	}
	hs, err := startDendrite(dbin, hsDir)
	if err != nil {
		return err
	}
	defer hs.stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		// Interrupted: stop Dendrite rather than leave it running.
		<-sig
		logf("interrupted; stopping Dendrite")
		hs.stop()
		os.Exit(1)
	}()
	dr, err := newDriver(ctx, hs.URL)
	if err != nil {
		return err
	}

	// The interleaved batches.
	results := map[string][]*batchResult{}
	for i := range batches {
		for _, k := range []botKind{echoKind, peerbotKind} {
			bin := b.echo
			if k == peerbotKind {
				bin = b.peerbot
			}
			logf("batch %d/%d: %s, %d commands", i+1, batches, k.name, n)
			r, err := runBatch(ctx, dr, out, k, batchOpts{hsURL: hs.URL, bin: bin, n: n})
			if err == nil {
				err = hs.alive()
			}
			if err != nil {
				return fmt.Errorf("batch %d, %s: %w", i+1, k.name, err)
			}
			logf("  p50 %s, p99 %s, CPU/command %s, RSS %d KiB, start→joined %s",
				ms(pct(r.lat, 50)), ms(pct(r.lat, 99)), ms(r.cpuPerCmd), r.rssKiB, ms(r.startJoined))
			results[k.name] = append(results[k.name], r)
		}
	}
	fmt.Fprintf(w, "\n### Matrix: %d commands × %d interleaved batches per bot (medians of the batches)\n\n", n, batches)
	fmt.Fprintf(w, "| | echo floor | peerbot | ratio |\n|---|---|---|---|\n")
	row := func(name string, f func(*batchResult) float64, unit string) {
		e, p := medianOf(results["echo"], f), medianOf(results["peerbot"], f)
		fmt.Fprintf(w, "| %s | %.2f %s | %.2f %s | %.2f× |\n", name, e, unit, p, unit, p/e)
	}
	row("latency p50", func(r *batchResult) float64 { return msf(pct(r.lat, 50)) }, "ms")
	row("latency p99", func(r *batchResult) float64 { return msf(pct(r.lat, 99)) }, "ms")
	row("CPU per command", func(r *batchResult) float64 { return msf(r.cpuPerCmd) }, "ms")
	row("idle RSS after joining", func(r *batchResult) float64 { return float64(r.rssKiB) / 1024 }, "MiB")
	row("start → joined", func(r *batchResult) float64 { return msf(r.startJoined) }, "ms")
	fmt.Fprintf(w, "\nPer batch: p50 / p99 / CPU per command / start → joined / idle RSS = anonymous + file-backed"+
		" (of which the binary's code, read-only data and tables, data):\n\n")
	for _, k := range []string{"echo", "peerbot"} {
		for i, r := range results[k] {
			fmt.Fprintf(w, "- %s %d: %s / %s / %s / %s / %.1f MiB = %.1f + %.1f (%.1f, %.1f, %.1f)\n", k, i+1, ms(pct(r.lat, 50)), ms(pct(r.lat, 99)),
				ms(r.cpuPerCmd), ms(r.startJoined), mib(r.mem.rss), mib(r.mem.anon), mib(r.mem.file), mib(r.mem.text), mib(r.mem.rodata), mib(r.mem.data))
		}
	}

	if !skipExtra {
		if err := extraRuns(ctx, w, dr, hs, b, out, n); err != nil {
			return err
		}
	}
	if !skipDiscord {
		if err := discordRuns(w, b, out, n, batches, !skipExtra); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nWhole run: %s; load average at the start %s, at the end %s. Profiles, logs and binaries: %s\n",
		time.Since(began).Round(time.Second), load0, loadavg(), out)
	return os.WriteFile(filepath.Join(out, "results.md"), []byte(report.String()), 0o600)
}

// extraRuns measures the seeded store, then profiles and traces a batch.
func extraRuns(ctx context.Context, w io.Writer, dr *driver, hs *dendrite, b bins, out string, n int) error {
	logf("seeded store: peerbot with %d groups and %d members", seedGroups, seedMembers)
	seeded, err := runBatch(ctx, dr, out, peerbotKind, batchOpts{hsURL: hs.URL, bin: b.peerbot, n: 20, seed: true})
	if err != nil {
		return fmt.Errorf("seeded run: %w", err)
	}
	fmt.Fprintf(w, "\n### peerbot with %d groups and %d members in its store\n\nidle RSS after joining: %.1f MiB (%.1f anonymous + %.1f file-backed); start → joined %s; 20 commands p50 %s\n",
		seedGroups, seedMembers, mib(seeded.mem.rss), mib(seeded.mem.anon), mib(seeded.mem.file), ms(seeded.startJoined), ms(pct(seeded.lat, 50)))

	// A restart: the same account and database, invited into a new room
	// while stopped.
	tr, err := startTracer(hs.URL)
	if err != nil {
		return err
	}
	defer tr.close()
	logf("restart: peerbot started again on its database")
	var restarts []float64
	var restartTrace map[string]endpointStat
	for i := range 3 {
		first, err := runBatch(ctx, dr, out, peerbotKind, batchOpts{hsURL: hs.URL, bin: b.peerbot, n: 5})
		if err != nil {
			return fmt.Errorf("restart run: %w", err)
		}
		o := batchOpts{hsURL: hs.URL, bin: b.peerbot, n: 5, again: &first.acc}
		if i == 2 {
			// The last restart through the counting proxy, for its calls.
			o.hsURL, o.tracer = tr.URL, tr
		}
		again, err := runBatch(ctx, dr, out, peerbotKind, o)
		if err != nil {
			return fmt.Errorf("restart run: %w", err)
		}
		restarts = append(restarts, msf(again.startJoined))
		restartTrace = again.startTrace
	}
	fmt.Fprintf(w, "\n### peerbot restarted on its database\n\nstart → joined (a new room's invite waiting), median of 3: %.2f ms (each: %v ms; the last through the proxy)\n",
		median(restarts), restarts)
	fmt.Fprintf(w, "\nHTTP calls from the last restart to idle after joining (whole start):\n\n")
	traceTable(w, restartTrace, 1)

	logf("trace: echo through the counting proxy")
	echoTrace, err := runBatch(ctx, dr, out, echoKind, batchOpts{hsURL: tr.URL, bin: b.echo, n: n, tracer: tr})
	if err != nil {
		return fmt.Errorf("echo trace: %w", err)
	}
	prof := filepath.Join(out, "profile")
	if err := os.MkdirAll(prof, 0o700); err != nil {
		return err
	}
	// Twice the commands: the CPU profile samples at 100 Hz.
	logf("profile: peerbot (pprof build) through the counting proxy, %d commands", 2*n)
	pr, err := runBatch(ctx, dr, out, peerbotKind, batchOpts{hsURL: tr.URL, bin: b.peerbotProf, n: 2 * n, tracer: tr, profile: prof})
	if err != nil {
		return fmt.Errorf("profile run: %w", err)
	}
	fmt.Fprintf(w, "\n### HTTP calls per command, echo floor (through the counting proxy)\n\n")
	traceTable(w, echoTrace.trace, n)
	fmt.Fprintf(w, "\n### HTTP calls per command, peerbot (through the counting proxy)\n\n")
	traceTable(w, pr.trace, 2*n)
	fmt.Fprintf(w, "\n### HTTP calls from peerbot's start to idle after joining (whole start, not per command)\n\n")
	traceTable(w, pr.startTrace, 1)
	hops(w, "echo floor", echoTrace.sends, echoTrace.calls)
	hops(w, "peerbot", pr.sends, pr.calls)
	fmt.Fprintf(w, "\nProfiled batch: p50 %s, p99 %s, CPU per command %s (pprof build, behind the proxy).\n",
		ms(pct(pr.lat, 50)), ms(pct(pr.lat, 99)), ms(pr.cpuPerCmd))
	fmt.Fprintf(w, "\nIdle memory of the profiled peerbot: RSS %.1f MiB = %.1f anonymous + %.1f file-backed; the Go runtime's MemStats then:\n\n```\n%s```\n",
		mib(pr.mem.rss), mib(pr.mem.anon), mib(pr.mem.file), memStats(filepath.Join(prof, "heap-idle.txt")))
	return writeProfiles(w, b, prof, "Matrix: ")
}

// writeProfiles writes the text views of the profiles in prof.
func writeProfiles(w io.Writer, b bins, prof, title string) error {
	for _, p := range []struct {
		title, file, profile string
		args                 []string
	}{
		{"CPU during the batch, top by cumulative time", "cpu.txt", "cpu.pprof", []string{"-top", "-cum", "-nodecount=60"}},
		{"CPU during the batch, top by own time", "cpu-flat.txt", "cpu.pprof", []string{"-top", "-nodecount=30"}},
		{"allocations during the batch (bytes; the profiler's own left out)", "allocs.txt", "allocs-after.pprof",
			[]string{"-top", "-sample_index=alloc_space", "-nodecount=40", "-ignore=runtime/pprof", "-base", filepath.Join(prof, "allocs-before.pprof")}},
	} {
		args := append(append([]string{"tool", "pprof"}, p.args...), b.peerbotProf, filepath.Join(prof, p.profile))
		txt, err := exec.Command("go", args...).Output()
		if err != nil {
			return fmt.Errorf("go tool pprof: %w", err)
		}
		name := filepath.Join(prof, p.file)
		if err := os.WriteFile(name, txt, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%s%s (%s):\n\n```\n%s```\n", title, p.title, name, txt)
	}
	return nil
}

// memStats picks the main lines of runtime.MemStats from a heap profile
// in text form.
func memStats(file string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return err.Error() + "\n"
	}
	var out strings.Builder
	for line := range strings.SplitSeq(string(b), "\n") {
		for _, k := range []string{"Sys", "HeapSys", "HeapInuse", "HeapIdle", "HeapReleased", "Stack", "MSpan", "GCSys", "OtherSys", "NumGC"} {
			if strings.HasPrefix(line, "# "+k+" = ") {
				out.WriteString(line + "\n")
			}
		}
	}
	return out.String()
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p+99)/100 - 1
	return s[max(i, 0)]
}

func medianOf(rs []*batchResult, f func(*batchResult) float64) float64 {
	var v []float64
	for _, r := range rs {
		v = append(v, f(r))
	}
	return median(v)
}

func median(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// loadavg is the machine's 1-minute load average and its number of CPUs:
// other work on the machine moves every number here.
func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return fmt.Sprintf("%s (%d CPUs)", f[0], runtime.NumCPU())
}

func mib(kib int) float64 { return float64(kib) / 1024 }

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func ms(d time.Duration) string   { return fmt.Sprintf("%.2f ms", msf(d)) }
