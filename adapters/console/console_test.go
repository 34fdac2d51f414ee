package console

import (
	"bytes"
	"context"
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
	table  *bot.Table
	events []bot.Event
	moves  []time.Time     // the clock's time after each move
	fail   map[string]bool // command names whose Handle fails
}

var _ bot.Core = (*recorder)(nil)

func (r *recorder) Prefix() string                        { return "!" }
func (r *recorder) Commands() *bot.Table                  { return r.table }
func (r *recorder) Report(context.Context, bot.Condition) {}
func (r *recorder) Notice(bot.Notice, string) bot.Text    { return nil }
func (r *recorder) Countries(string, int) []bot.Country   { return nil }

func (r *recorder) Handle(ctx context.Context, ev bot.Event) bot.Outcome {
	r.events = append(r.events, ev)
	if r.fail[ev.Command.Name] {
		return bot.Failed
	}
	if ev.Kind == bot.EventCommand {
		vis := bot.Public
		if ev.Private {
			vis = bot.Private
		}
		if _, err := r.a.Deliver(ctx, bot.Reply{Visibility: vis, Group: ev.Group, To: ev.Member.ID, Text: bot.T("got ").U(ev.Command.Name)}); err != nil {
			return bot.Failed
		}
	}
	return bot.Done
}

func newRecorder(a *Adapter) *recorder {
	r := &recorder{a: a, table: bot.CommandTable(), fail: map[string]bool{"broken": true}}
	a.Clock().(bot.MovableClock).OnMove(func() { r.moves = append(r.moves, a.Clock().Now()) })
	return r
}

func runScript(t *testing.T, o Options, script string) (*recorder, string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	o.Errors, o.Out = &stderr, &stdout
	a := New(o)
	rec := newRecorder(a)
	err := a.Run(context.Background(), rec, strings.NewReader(script))
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
		args    func(bot.Command) bool // the typed arguments are right
	}
	wants := []want{
		{kind: bot.EventJoin, member: "bob"},
		{kind: bot.EventCommand, member: "alice", fac: true, cmd: "round start", args: func(c bot.Command) bool {
			n, ok := c.Int("minutes")
			return ok && n == 30 && !c.Has("prompt")
		}},
		{kind: bot.EventCommand, member: "bob", cmd: "checkin", args: func(c bot.Command) bool {
			return c.Colour("colour") == bot.Amber && c.Text("words") == "tired\nbut here" && !c.Flag("private")
		}},
		{kind: bot.EventCommand, member: "bob", fac: true, private: true, cmd: "crisis", args: func(c bot.Command) bool {
			return c.Text("country") == "uk"
		}},
		{kind: bot.EventCommand, member: "alice", fac: true, private: true, cmd: "support", args: func(c bot.Command) bool {
			return c.Text("words") == "please"
		}},
		{kind: bot.EventLeave, member: "alice", fac: true},
	}
	if len(rec.events) != len(wants) {
		t.Fatalf("got %d events, want %d: %+v", len(rec.events), len(wants), rec.events)
	}
	ids := map[string]bool{}
	for i, w := range wants {
		ev := rec.events[i]
		if ev.Kind != w.kind || ev.Member.ID != MemberID(w.member) || ev.Member.Name != w.member ||
			ev.Member.Facilitator != w.fac || ev.Private != w.private || ev.Command.Name != w.cmd {
			t.Errorf("event %d = %+v, want %+v", i, ev, w)
		}
		if w.args != nil && (ev.Command.Err() != nil || !w.args(ev.Command)) {
			t.Errorf("event %d: command %q has the wrong arguments (err %v)", i, ev.Command.Name, ev.Command.Err())
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
	// The console moves the clock on /clock only; ticking is the core's.
	wantMoves := []time.Time{start.Add(31 * time.Minute), time.Date(2030, 1, 8, 9, 0, 0, 0, time.UTC)}
	if len(rec.moves) != len(wantMoves) {
		t.Fatalf("clock moved to %v, want %v", rec.moves, wantMoves)
	}
	for i := range wantMoves {
		if !rec.moves[i].Equal(wantMoves[i]) {
			t.Errorf("move %d to %v, want %v", i, rec.moves[i], wantMoves[i])
		}
	}
	wantOut := "[group] got round start\n[group] got checkin\n[dm bob] got crisis\n[dm alice] got support\n"
	if stdout != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, wantOut)
	}
}

// TestRunScriptedOutputIsClean ensures a script sees only bot output on
// stdout, and a one-line hint on stderr for each line not understood. A
// private message that is no command goes to the core without its text.
func TestRunScriptedOutputIsClean(t *testing.T) {
	rec, stdout, stderr, err := runScript(t, Options{}, "hello\n/frob\n/help\nalice: !help\n/dm alice 42 is the answer\n")
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "[group] got help\n" {
		t.Errorf("stdout = %q, want only the bot's answers", stdout)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if !strings.Contains(lines[0], "not understood") || !strings.Contains(lines[1], "unknown console command /frob") {
		t.Errorf("stderr hints = %q", stderr)
	}
	if !strings.Contains(stderr, "/dm alice !crisis") {
		t.Errorf("stderr lacks the /help list: %q", stderr)
	}
	if len(rec.events) != 2 || rec.events[1].Kind != bot.EventMessage || !rec.events[1].Private || rec.events[1].Command.Name != "" {
		t.Errorf("got %d events, want help and a private message without its text: %+v", len(rec.events), rec.events)
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
	rec := newRecorder(a)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, rec, pr) }()
	if _, err := io.WriteString(pw, "alice: !help\n"); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel: %v", err)
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
