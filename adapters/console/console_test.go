package console

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// recorder is a core that records what the console asks of it. On a
// command it answers through the adapter, like the real core does.
type recorder struct {
	a      *Adapter
	events []bot.Event
	ticks  []time.Time
	fail   map[string]bool // command names whose Handle fails
}

func (r *recorder) Prefix() string { return "!" }

func (r *recorder) Tick(ctx context.Context) error {
	r.ticks = append(r.ticks, r.a.Clock().Now())
	return nil
}

func (r *recorder) Handle(ctx context.Context, ev bot.Event) error {
	r.events = append(r.events, ev)
	if r.fail[ev.Command.Name] {
		return errors.New("store is broken")
	}
	if ev.Kind == bot.EventCommand {
		vis := bot.Public
		if ev.Private {
			vis = bot.Private
		}
		_, err := r.a.Deliver(ctx, bot.Reply{Visibility: vis, Group: ev.Group, To: ev.Member.ID, Text: bot.T("got ").U(ev.Command.Name)})
		return err
	}
	return nil
}

func runScript(t *testing.T, o Options, script string) (*recorder, string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	o.Errors = &stderr
	a := New(o)
	rec := &recorder{a: a, fail: map[string]bool{"broken": true}}
	err := a.run(context.Background(), rec, strings.NewReader(script), &stdout)
	return rec, stdout.String(), stderr.String(), err
}

// TestRunEvents ensures each input line becomes the event it describes:
// who, where, private or not, facilitator or not, and with which id.
func TestRunEvents(t *testing.T) {
	start := time.Date(2030, 1, 7, 18, 0, 0, 0, time.UTC)
	script := `# a meeting
/join bob
@c1 alice: !round start 30
alice: just chatting, not a command
bob: !checkin amber tired\
but here
/facilitator bob
/dm bob !crisis uk
/dm alice support please
/leave alice
/clock +31m
/clock 2030-01-08T09:00:00Z
`
	rec, stdout, stderr, err := runScript(t, Options{Start: start, Facilitators: []string{"alice"}}, script)
	if err != nil {
		t.Fatal(err)
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
	type want struct {
		kind    bot.EventKind
		member  string
		fac     bool
		private bool
		cmd     string
		raw     string
	}
	wants := []want{
		{kind: bot.EventJoin, member: "bob"},
		{kind: bot.EventCommand, member: "alice", fac: true, cmd: "round", raw: "start 30"},
		{kind: bot.EventCommand, member: "bob", cmd: "checkin", raw: "amber tired\nbut here"},
		{kind: bot.EventCommand, member: "bob", fac: true, private: true, cmd: "crisis", raw: "uk"},
		{kind: bot.EventCommand, member: "alice", fac: true, private: true, cmd: "support", raw: "please"},
		{kind: bot.EventLeave, member: "alice", fac: true},
	}
	if len(rec.events) != len(wants) {
		t.Fatalf("got %d events, want %d: %+v", len(rec.events), len(wants), rec.events)
	}
	ids := map[string]bool{}
	for i, w := range wants {
		ev := rec.events[i]
		if ev.Kind != w.kind || ev.Member.ID != MemberID(w.member) || ev.Member.Name != w.member ||
			ev.Member.Facilitator != w.fac || ev.Private != w.private || ev.Command.Name != w.cmd || ev.Command.Raw != w.raw {
			t.Errorf("event %d = %+v, want %+v", i, ev, w)
		}
		if w.private && (ev.Group != Group || ev.Channel != "") {
			t.Errorf("private event %d has group %q channel %q, want the console group and no channel", i, ev.Group, ev.Channel)
		}
		if !w.private && (ev.Group != Group || ev.Channel != Channel) {
			t.Errorf("group event %d has group %q channel %q", i, ev.Group, ev.Channel)
		}
		if ev.ID == "" || ids[ev.ID] {
			t.Errorf("event %d has empty or repeated id %q", i, ev.ID)
		}
		ids[ev.ID] = true
	}
	if rec.events[1].ID != "console:id:c1" {
		t.Errorf("@c1 line has id %q, want console:id:c1", rec.events[1].ID)
	}
	wantTicks := []time.Time{start, start.Add(31 * time.Minute), time.Date(2030, 1, 8, 9, 0, 0, 0, time.UTC)}
	if len(rec.ticks) != len(wantTicks) {
		t.Fatalf("ticks at %v, want %v", rec.ticks, wantTicks)
	}
	for i := range wantTicks {
		if !rec.ticks[i].Equal(wantTicks[i]) {
			t.Errorf("tick %d at %v, want %v", i, rec.ticks[i], wantTicks[i])
		}
	}
	wantOut := "[group] got round\n[group] got checkin\n[dm bob] got crisis\n[dm alice] got support\n"
	if stdout != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, wantOut)
	}
}

// TestRunScriptedOutputIsClean ensures a script sees only bot output on
// stdout, and a one-line hint on stderr for each line not understood.
func TestRunScriptedOutputIsClean(t *testing.T) {
	rec, stdout, stderr, err := runScript(t, Options{}, "hello\n/frob\n/help\nalice: !help\n/dm alice 42 is the answer\n")
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "[group] got help\n" {
		t.Errorf("stdout = %q, want only the bot's answer", stdout)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if !strings.Contains(lines[0], "not understood") || !strings.Contains(lines[1], "unknown console command /frob") {
		t.Errorf("stderr hints = %q", stderr)
	}
	if !strings.Contains(stderr, "/dm alice !crisis") || !strings.Contains(stderr, "/dm alice !help") {
		t.Errorf("stderr lacks the /help list or the /dm hint: %q", stderr)
	}
	if len(rec.events) != 1 {
		t.Errorf("got %d events, want 1: %+v", len(rec.events), rec.events)
	}
}

// TestRunInteractiveBanner ensures a person typing is told how to type, on
// stdout, before anything else.
func TestRunInteractiveBanner(t *testing.T) {
	_, stdout, _, err := runScript(t, Options{Interactive: true, Facilitators: []string{"bo", "al"}}, "/facilitator cy\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"alice: !checkin green", "/dm alice !crisis", "/help", "Facilitators: al, bo", "(cy is a facilitator"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("interactive stdout lacks %q:\n%s", want, stdout)
		}
	}
}

// TestRunFailuresAreReported ensures a failing event does not stop the
// session, and that Run then returns an error so a script notices.
func TestRunFailuresAreReported(t *testing.T) {
	rec, stdout, _, err := runScript(t, Options{}, "alice: !broken\nalice: !help\n")
	if err == nil || !strings.Contains(err.Error(), "1 input lines failed") {
		t.Errorf("Run error = %v, want one failed line", err)
	}
	if len(rec.events) != 2 || stdout != "[group] got help\n" {
		t.Errorf("after a failure: events %d, stdout %q", len(rec.events), stdout)
	}
}

// TestRunQuit ensures /quit ends the session and later lines are not read.
func TestRunQuit(t *testing.T) {
	rec, _, _, err := runScript(t, Options{}, "alice: !help\n/quit\nalice: !agree\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.events) != 1 {
		t.Errorf("got %d events, want 1 (before /quit)", len(rec.events))
	}
}

// TestRunStopsOnCancel ensures a cancelled context ends Run while it waits
// for input that never comes.
func TestRunStopsOnCancel(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	a := New(Options{})
	rec := &recorder{a: a}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.run(ctx, rec, pr, io.Discard) }()
	if _, err := io.WriteString(pw, "alice: !help\n"); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel: %v", err)
	}
	if _, err := a.Deliver(context.Background(), bot.Reply{Visibility: bot.Public, Text: bot.T("late")}); err == nil {
		t.Error("Deliver after Run returned: no error")
	}
}

// TestSessionsHaveDistinctIDs ensures two console sessions never reuse each
// other's automatic event ids (which would make the core ignore a line),
// while @ID lines keep theirs across sessions.
func TestSessionsHaveDistinctIDs(t *testing.T) {
	r1, _, _, _ := runScript(t, Options{}, "alice: !help\n@x alice: !help\n")
	r2, _, _, _ := runScript(t, Options{}, "alice: !help\n@x alice: !help\n")
	if r1.events[0].ID == r2.events[0].ID {
		t.Errorf("two sessions share the automatic id %q", r1.events[0].ID)
	}
	if r1.events[1].ID != r2.events[1].ID {
		t.Errorf("@x has ids %q and %q, want the same", r1.events[1].ID, r2.events[1].ID)
	}
}
