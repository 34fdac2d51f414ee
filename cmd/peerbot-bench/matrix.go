package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// seen is one event the driver's sync delivered, with the time the /sync
// response carrying it arrived.
type seen struct {
	room   id.RoomID
	sender id.UserID
	join   bool // a membership event making sender joined
	body   string
	at     time.Time
}

// driver is the member who sends the commands. It runs its own sync loop
// with a filter that lets through only messages and memberships.
type driver struct {
	cli    *mautrix.Client
	events chan seen
}

var seq atomic.Int64

// register creates a fresh account on the homeserver.
func register(hsURL, base string) (id.UserID, string, id.DeviceID, error) {
	cli, err := mautrix.NewClient(hsURL, "", "")
	if err != nil {
		return "", "", "", err
	}
	name := fmt.Sprintf("%s%d_%d", base, time.Now().UnixNano()%1000000, seq.Add(1))
	var resp *mautrix.RespRegister
	err = retry(func() (err error) {
		resp, err = cli.RegisterDummy(context.Background(), &mautrix.ReqRegister[any]{Username: name, Password: "bench password 1234"})
		return err
	})
	if err != nil {
		return "", "", "", fmt.Errorf("register %s: %w", base, err)
	}
	return resp.UserID, resp.AccessToken, resp.DeviceID, nil
}

// retry runs f again while Dendrite answers with a server error (it does,
// now and then, on SQLite).
func retry(f func() error) error {
	var err error
	for attempt := range 5 {
		if err = f(); err == nil {
			return nil
		}
		var he mautrix.HTTPError
		if !errors.As(err, &he) || he.Response == nil || he.Response.StatusCode < 500 {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	return err
}

func newDriver(ctx context.Context, hsURL string) (*driver, error) {
	user, token, _, err := register(hsURL, "driver")
	if err != nil {
		return nil, err
	}
	cli, err := mautrix.NewClient(hsURL, user, token)
	if err != nil {
		return nil, err
	}
	none := &mautrix.FilterPart{NotTypes: []event.Type{{Type: "*"}}}
	f, err := cli.CreateFilter(ctx, &mautrix.Filter{
		EventFormat: mautrix.EventFormatClient,
		AccountData: none, Presence: none,
		Room: &mautrix.RoomFilter{
			AccountData: none, Ephemeral: none,
			State:    &mautrix.FilterPart{LazyLoadMembers: true},
			Timeline: &mautrix.FilterPart{Types: []event.Type{event.EventMessage, event.StateMember}, Limit: 50},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("driver filter: %w", err)
	}
	d := &driver{cli: cli, events: make(chan seen, 100000)}
	res, err := cli.SyncRequest(ctx, 0, "", f.FilterID, false, event.PresenceOffline)
	if err != nil {
		return nil, fmt.Errorf("driver first sync: %w", err)
	}
	go d.loop(ctx, res.NextBatch, f.FilterID)
	return d, nil
}

func (d *driver) loop(ctx context.Context, since, filter string) {
	for ctx.Err() == nil {
		res, err := d.cli.SyncRequest(ctx, 10000, since, filter, false, event.PresenceOffline)
		at := time.Now()
		if err != nil {
			if ctx.Err() == nil {
				logf("driver sync: %v", err)
				time.Sleep(200 * time.Millisecond)
			}
			continue
		}
		since = res.NextBatch
		for room, r := range res.Rooms.Join {
			for _, evt := range r.Timeline.Events {
				_ = evt.Content.ParseRaw(evt.Type)
				s := seen{room: room, sender: evt.Sender, at: at}
				switch evt.Type {
				case event.StateMember:
					s.sender = id.UserID(evt.GetStateKey())
					s.join = evt.Content.AsMember().Membership == event.MembershipJoin
					if !s.join {
						continue
					}
				case event.EventMessage:
					s.body = evt.Content.AsMessage().Body
				default:
					continue
				}
				d.events <- s
			}
		}
	}
}

// wait returns the next event in room from sender that matches, or fails
// after limit.
func (d *driver) wait(room id.RoomID, sender id.UserID, limit time.Duration, match func(seen) bool) (seen, error) {
	timeout := time.After(limit)
	for {
		select {
		case s := <-d.events:
			if s.room == room && s.sender == sender && match(s) {
				return s, nil
			}
		case <-timeout:
			return seen{}, fmt.Errorf("nothing from %s in %s within %s", sender, room, limit)
		}
	}
}

// quiet waits until sender has said nothing in room for gap (at most limit).
func (d *driver) quiet(room id.RoomID, sender id.UserID, gap, limit time.Duration) {
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		if _, err := d.wait(room, sender, gap, func(s seen) bool { return !s.join }); err != nil {
			return
		}
	}
}

func (d *driver) drain() {
	for {
		select {
		case <-d.events:
		default:
			return
		}
	}
}

// botKind is one of the two bots measured.
type botKind struct {
	name    string
	command string // what the driver sends
	marker  string // what the reply contains
}

var (
	echoKind    = botKind{"echo", "!ping", "pong"}
	peerbotKind = botKind{"peerbot", "!agreement", "Our group agreement"}
)

// batchOpts says how one batch runs.
type batchOpts struct {
	hsURL   string // the homeserver as the bot sees it (Dendrite, or the tracer)
	bin     string
	n       int
	seed    bool   // put 1,000 groups and 10,000 members in peerbot's store first
	profile string // with a pprof build: directory for the profiles
	tracer  *tracer
	again   *botAccount // restart this bot (its account and directory) instead of a fresh one
}

// botAccount is a bot's account and working directory, for a restart.
type botAccount struct {
	user   id.UserID
	token  string
	device id.DeviceID
	dir    string
}

type batchResult struct {
	lat         []time.Duration
	cpuPerCmd   time.Duration
	rssKiB      int
	mem         mem
	startJoined time.Duration
	trace       map[string]endpointStat
	startTrace  map[string]endpointStat
	acc         botAccount
	calls       []call    // the bot's requests during the batch (with a tracer)
	sends       []sendLog // the driver's side of each command
}

// sendLog is when the driver sent a command, got its send answered, and
// saw the reply in a /sync response.
type sendLog struct{ start, sent, reply time.Time }

const secretKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// runBatch starts a fresh bot of kind on a fresh account, invites it into a
// fresh unencrypted room, and sends it n commands one at a time.
func runBatch(ctx context.Context, dr *driver, work string, kind botKind, o batchOpts) (*batchResult, error) {
	var user id.UserID
	var token, dir string
	var device id.DeviceID
	var err error
	if o.again != nil {
		user, token, device, dir = o.again.user, o.again.token, o.again.device, o.again.dir
	} else {
		if user, token, device, err = register(o.hsURL, "bench"+kind.name); err != nil {
			return nil, err
		}
	}
	var room *mautrix.RespCreateRoom
	err = retry(func() (err error) {
		room, err = dr.cli.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat", Name: "Bench group", Invite: []id.UserID{user}})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create room: %w", err)
	}
	if dir == "" {
		if dir, err = os.MkdirTemp(work, kind.name+"-"); err != nil {
			return nil, err
		}
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	var args []string
	switch kind {
	case echoKind:
		env = append(env, "ECHO_HOMESERVER="+o.hsURL, "ECHO_USER_ID="+user.String(), "ECHO_ACCESS_TOKEN="+token)
	case peerbotKind:
		db := filepath.Join(dir, "peerbot.db")
		cfg := fmt.Sprintf(`database:
  path: %s
log:
  level: info
matrix:
  homeserver: %s
  user_id: "%s"
  device_id: "%s"
  encryption: true
  allowed_inviters: [":localhost"]
`, db, o.hsURL, user, device)
		if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
			return nil, err
		}
		if o.seed {
			if err := seedStore(ctx, db); err != nil {
				return nil, err
			}
		}
		args = []string{"-config", filepath.Join(dir, "config.yaml")}
		env = append(env, "PEERBOT_SECRET_KEY="+secretKey, "PEERBOT_MATRIX_ACCESS_TOKEN="+token,
			"PEERBOT_MATRIX_PICKLE_KEY=a benchmark pickle key, long enough")
	}
	var pprofAddr string
	if o.profile != "" {
		pprofAddr, err = freeAddr()
		if err != nil {
			return nil, err
		}
		env = append(env, "PEERBOT_PPROF_ADDR="+pprofAddr)
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "stderr.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(o.bin, args...)
	cmd.Dir, cmd.Env, cmd.Stderr, cmd.Stdout = dir, env, logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the harness
	if o.tracer != nil {
		_, _ = o.tracer.take()
	}
	dr.drain()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	defer stopProcess(cmd, exited)
	pid := cmd.Process.Pid
	res := &batchResult{acc: botAccount{user, token, device, dir}}

	joined, err := dr.wait(room.RoomID, user, 60*time.Second, func(s seen) bool { return s.join })
	if err != nil {
		return nil, fmt.Errorf("%s did not join (log in %s): %w", kind.name, dir, err)
	}
	res.startJoined = joined.at.Sub(start)
	// Idle: whatever the bot says on joining is said, then a second more.
	dr.quiet(room.RoomID, user, 2*time.Second, 30*time.Second)
	time.Sleep(time.Second)
	if res.mem, err = memKiB(pid); err != nil {
		return nil, err
	}
	res.rssKiB = res.mem.rss
	if o.tracer != nil {
		res.startTrace, _ = o.tracer.take()
	}
	if o.profile != "" {
		// The Go runtime's own view of the idle memory (MemStats at the end).
		if err := pprofGet(pprofAddr, "/debug/pprof/heap?debug=1", filepath.Join(o.profile, "heap-idle.txt")); err != nil {
			return nil, err
		}
		if err := pprofPost(pprofAddr, "/bench/cpu/start?file="+filepath.Join(o.profile, "cpu.pprof")); err != nil {
			return nil, err
		}
		if err := pprofGet(pprofAddr, "/debug/pprof/allocs", filepath.Join(o.profile, "allocs-before.pprof")); err != nil {
			return nil, err
		}
	}
	cpu0, err := cpuTime(pid)
	if err != nil {
		return nil, err
	}
	dr.drain()
	for i := range o.n {
		t := time.Now()
		if _, err := dr.cli.SendText(ctx, room.RoomID, kind.command); err != nil {
			return nil, fmt.Errorf("command %d: send: %w", i, err)
		}
		sent := time.Now()
		reply, err := dr.wait(room.RoomID, user, 30*time.Second, func(s seen) bool { return strings.Contains(s.body, kind.marker) })
		if err != nil {
			return nil, fmt.Errorf("command %d to %s (log in %s): %w", i, kind.name, dir, err)
		}
		res.lat = append(res.lat, reply.at.Sub(t))
		res.sends = append(res.sends, sendLog{t, sent, reply.at})
	}
	// What the bot does after its reply (a reaction, a write) belongs to
	// the command too.
	time.Sleep(500 * time.Millisecond)
	cpu1, err := cpuTime(pid)
	if err != nil {
		return nil, err
	}
	res.cpuPerCmd = (cpu1 - cpu0) / time.Duration(o.n)
	if o.tracer != nil {
		res.trace, res.calls = o.tracer.take()
	}
	if o.profile != "" {
		if err := pprofPost(pprofAddr, "/bench/cpu/stop"); err != nil {
			return nil, err
		}
		if err := pprofGet(pprofAddr, "/debug/pprof/allocs", filepath.Join(o.profile, "allocs-after.pprof")); err != nil {
			return nil, err
		}
	}
	select {
	case <-exited:
		return nil, fmt.Errorf("%s exited during the batch; log in %s", kind.name, dir)
	default:
	}
	return res, nil
}

// stopProcess ends a bot with SIGTERM, then SIGKILL after 20 s.
func stopProcess(cmd *exec.Cmd, exited chan struct{}) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

func pprofPost(addr, path string) error {
	res, err := http.Post("http://"+addr+path, "", nil)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof %s: %s", path, res.Status)
	}
	return nil
}

func pprofGet(addr, path, file string) error {
	res, err := http.Get("http://" + addr + path)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof %s: %s", path, res.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := f.ReadFrom(res.Body); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
