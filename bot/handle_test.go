package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/bot/bottest"
)

// failingStore fails every transaction, as a full disk or a locked
// database would.
type failingStore struct{ bot.Store }

func (failingStore) InTx(context.Context, func(bot.Store) error) error {
	return errors.New("disk I/O error")
}

// command hands a typed command, given in the group's channel, to the core
// and returns the outcome and what the bot delivered. private says nobody
// else saw the input (a Discord slash command).
func (h *harness) command(name string, cmd bot.Command, private bool) (bot.Outcome, string) {
	h.t.Helper()
	h.seq++
	ev := bot.Event{ID: fmt.Sprintf("ev%d", h.seq), Kind: bot.EventCommand, Group: group, Channel: channel,
		Member: h.member(name), Command: cmd, Private: private}
	o := h.b.Handle(context.Background(), ev)
	return o, bottest.Transcript(h.p.Take())
}

func (h *harness) options(name string, opts map[string]any) bot.Command {
	h.t.Helper()
	cmd, err := h.b.Commands().FromOptions(name, opts)
	if err != nil {
		h.t.Fatal(err)
	}
	return cmd
}

// Handle says what became of each event, and the member always hears why.
func TestHandleOutcomes(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	line := func(l string) bot.Command {
		cmd, ok := h.b.Commands().ParseLine(l)
		if !ok {
			t.Fatalf("%q is not a command", l)
		}
		return cmd
	}
	cases := []struct {
		who, line string
		want      bot.Outcome
		says      string
	}{
		{"dana", "round start 10", bot.Done, "Check-in round"},
		{"alice", "checkin green", bot.Done, "Your check-in is in"},
		{"bob", "round end", bot.Refused, "That one is for facilitators"},
		{"bob", "nonsense words", bot.Invalid, "I don't know that command"},
		{"bob", "checkin amber " + strings.Repeat("x", 501), bot.Invalid, "up to 500 characters, and these are 501"},
		{"dana", "round start 5000", bot.Invalid, "from 1 to 1440 minutes"},
		{"dana", "remind sometimes", bot.Invalid, "remind on"},
	}
	for _, c := range cases {
		o, out := h.command(c.who, line(c.line), false)
		if o != c.want || !strings.Contains(out, c.says) {
			t.Errorf("%s: %.30q = %v, said:\n%s\nwant %v saying %q", c.who, c.line, o, out, c.want, c.says)
		}
		if c.want != bot.Done && strings.Contains(out, "[group") {
			t.Errorf("%.30q: a refusal reached the group:\n%s", c.line, out)
		}
	}

	// The same event again is a duplicate: nothing done or said.
	ev := bot.Event{ID: "same", Kind: bot.EventCommand, Group: group, Channel: channel, Member: h.member("erin"), Command: line("checkin red")}
	if o := h.b.Handle(context.Background(), ev); o != bot.Done {
		t.Fatalf("first delivery = %v", o)
	}
	h.p.Take()
	if o := h.b.Handle(context.Background(), ev); o != bot.Duplicate || len(h.p.Take()) != 0 {
		t.Errorf("redelivery = %v", o)
	}

	// A failing store: Failed, logged, and the member is told.
	b, err := bot.New(bot.Options{Store: failingStore{h.st}, Platform: h.p, Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	ev.ID = "other"
	if o := b.Handle(context.Background(), ev); o != bot.Failed {
		t.Errorf("failing store = %v, want failed", o)
	}
	if out := bottest.Transcript(h.p.Take()); !strings.Contains(out, "[dm erin] Sorry, something went wrong") {
		t.Errorf("failing store said:\n%s", out)
	}
}

// A free-text option is only ever text: the three cases found on Discord.
func TestTypedOptionsStayText(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	o, out := h.command("dana", h.options("round start", map[string]any{"prompt": "3 good things"}), true)
	if o != bot.Done || !strings.Contains(out, "Check-in round: 3 good things") || !strings.Contains(out, "Open until 18:30") {
		t.Fatalf("round start prompt:\"3 good things\" = %v:\n%s", o, out)
	}
	o, out = h.command("kit", h.options("checkin", map[string]any{"words": "red flag at work today"}), true)
	if o != bot.Done || strings.Contains(out, "🔴") || strings.Contains(out, "Samaritans") || !strings.Contains(out, "• kit: checked in") {
		t.Errorf("checkin words:\"red flag at work today\" = %v:\n%s", o, out)
	}
	o, out = h.command("lee", h.options("checkin", map[string]any{"words": "private matter"}), true)
	if o != bot.Done || strings.Contains(out, "[facilitators]") || strings.Contains(out, "only to the facilitators") {
		t.Errorf("checkin words:\"private matter\" = %v:\n%s", o, out)
	}
	d, err := h.st.MemberData(context.Background(), "test:lee")
	if err != nil || len(d.CheckIns) != 1 || d.CheckIns[0].Private || d.CheckIns[0].Words != "private matter" || d.CheckIns[0].Colour != bot.NoColour {
		t.Errorf("stored check-in = %+v, %v", d.CheckIns, err)
	}
}

// A long agreement in a 3-byte script is saved whole (nothing is cut
// before the limit is checked), and one over the limit changes nothing.
func TestLongAgreement(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	text := strings.Repeat("安心", 1500) // 3,000 characters, 9,000 bytes
	out := h.say("dana", "!agreement set "+text)
	if !strings.Contains(out, text) {
		t.Fatalf("agreement not shown whole:\n%.300s", out)
	}
	a, err := h.st.CurrentAgreement(context.Background(), group)
	if err != nil || a.Text != text {
		t.Fatalf("stored agreement has %d bytes, want %d (%v)", len(a.Text), len(text), err)
	}
	out = h.say("dana", "!agreement set "+strings.Repeat("安", 4001))
	if !strings.Contains(out, "up to 4000 characters, and this is 4001") || strings.Contains(out, "[group") {
		t.Errorf("over-long agreement:\n%.300s", out)
	}
	if a2, _ := h.st.CurrentAgreement(context.Background(), group); a2.Version != a.Version {
		t.Errorf("over-long agreement changed the version: %d → %d", a.Version, a2.Version)
	}
}

// Display names lose zero-width, bidi and line-break characters before
// they are stored or shown, and facilitators see who a member is beyond
// their display name.
func TestNamesAreCleaned(t *testing.T) {
	for in, want := range map[string]string{
		"d\u200bana":             "dana",
		"\u202eanad":             "anad",
		"kit\nfacilitator: dana": "kit facilitator: dana",
		"  lee \t ":              "lee",
		"a\u2028b":               "a b",
		strings.Repeat("x", 70):  strings.Repeat("x", 64),
	} {
		if got := bot.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	h.seq++
	cmd, _ := h.b.Commands().ParseLine("support")
	ev := bot.Event{ID: "spoof", Kind: bot.EventCommand, Group: group, Channel: channel, Command: cmd,
		Member: bot.Member{ID: "matrix:@mallory:example.org", Name: "d\u200bana\n• kit: 🔴 red"}}
	h.p.Take()
	h.b.Handle(context.Background(), ev)
	out := bottest.Transcript(h.p.Take())
	if !strings.Contains(out, "[facilitators] dana • kit: 🔴 red (@mallory:example.org) would like someone to reach out") {
		t.Errorf("facilitators did not see a clean name with the member's id:\n%s", out)
	}
}

// Leaves and role changes of people who never used the bot store nothing
// about them.
func TestLeaveStoresNobodyNew(t *testing.T) {
	h := newHarness(t)
	for i, kind := range []bot.EventKind{bot.EventLeave, bot.EventRoles} {
		ev := bot.Event{ID: fmt.Sprintf("x%d", i), Kind: kind, Group: group, Member: bot.Member{ID: "test:stranger", Name: "Stranger"}}
		if o := h.b.Handle(context.Background(), ev); o != bot.Done {
			t.Fatalf("event %d = %v", kind, o)
		}
	}
	if _, err := h.st.Member(context.Background(), "test:stranger"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("a stranger's leave stored them: %v", err)
	}
}
