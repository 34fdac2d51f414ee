package discord

import (
	"context"
	"strings"
	"sync"
	"testing"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
)

// scriptedCore stands in for the core where a test needs it to be slow,
// to fail or to answer with a given outcome: it records events and
// reports, and runs a script for each event.
type scriptedCore struct {
	mu      sync.Mutex
	events  []bot.Event
	reports []bot.Condition
	script  func(ctx context.Context, ev bot.Event) bot.Outcome
}

var _ bot.Core = (*scriptedCore)(nil)

func (s *scriptedCore) Handle(ctx context.Context, ev bot.Event) bot.Outcome {
	s.mu.Lock()
	s.events = append(s.events, ev)
	s.mu.Unlock()
	return s.script(ctx, ev)
}

func (s *scriptedCore) Report(_ context.Context, c bot.Condition) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reports = append(s.reports, c)
}

func (s *scriptedCore) Commands() *bot.Table { return bot.CommandTable() }
func (s *scriptedCore) Prefix() string       { return "/" }

func (s *scriptedCore) Notice(n bot.Notice, _ string) bot.Text {
	if n == bot.NoticeDone {
		return bot.T("Done.")
	}
	return bot.T("Sorry, something went wrong.")
}

func (s *scriptedCore) Countries(string, int) []bot.Country {
	return []bot.Country{{Code: "IE", Name: "Ireland"}}
}

func (s *scriptedCore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.events)
}

func (s *scriptedCore) last() bot.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events[len(s.events)-1]
}

// outcomeOf is what a scripted core returns after delivering: Done, or
// Failed when the reply could not be shown.
func outcomeOf(err error) bot.Outcome {
	if err != nil {
		return bot.Failed
	}
	return bot.Done
}

// TestSlowCoreIsDeferred ensures that when the core takes long, the
// member sees "thinking…" (an ephemeral deferred response) in time, which
// the core's private reply then replaces.
func TestSlowCoreIsDeferred(t *testing.T) {
	var h *harness
	sc := &scriptedCore{}
	sc.script = func(ctx context.Context, ev bot.Event) bot.Outcome {
		h.f.WaitFor("the deferred response", func() bool {
			for _, r := range h.f.Requests() {
				if strings.HasSuffix(r.Path, "/callback") && strings.Contains(string(r.Body), `"type":5`) {
					return true
				}
			}
			return false
		})
		_, err := h.a.Deliver(ctx, bot.Reply{Visibility: bot.Private, To: ev.Member.ID, InReplyTo: ev.ID, Text: bot.T("Here is your answer.")})
		return outcomeOf(err)
	}
	h = newHarnessWith(t, sc, func(*Config) {})
	h.a.deferAfter = 0
	in := h.slash(ana, groupCh, "mydata", "")
	if in.Response != 5 || in.Original == nil || !in.Original.Ephemeral || in.Original.Content != "Here is your answer." {
		t.Errorf("response %d, original %+v; want a deferred ephemeral response edited to the answer", in.Response, in.Original)
	}
	if len(in.Followups) != 0 {
		t.Errorf("unexpected follow-ups: %+v", in.Followups)
	}
	h.checkPayloads()
}

// TestEventShape ensures an interaction becomes the event the core
// expects: ids with the platform prefix, private, the member's name and
// handle (username and id), and facilitator status from server-level
// rights: a channel's overwrite giving Manage Messages makes nobody a
// facilitator.
func TestEventShape(t *testing.T) {
	sc := &scriptedCore{script: func(context.Context, bot.Event) bot.Outcome { return bot.Done }}
	h := newHarnessWith(t, sc)
	in := h.slash(fac, groupCh, "checkin", "", dt.O("colour", "red"), dt.O("words", "rough"))
	ev := sc.last()
	want := bot.Event{
		ID: "discord:" + in.ID, Kind: bot.EventCommand, Group: "discord:" + guildID, Channel: "discord:" + groupCh,
		Private: true, Member: bot.Member{ID: "discord:" + fac, Name: "Fran", Handle: "fran, id " + fac, Facilitator: true}, GroupName: "Tuesday group",
	}
	if ev.ID != want.ID || ev.Kind != want.Kind || ev.Group != want.Group || ev.Channel != want.Channel || !ev.Private ||
		ev.Member != want.Member || ev.GroupName != want.GroupName {
		t.Errorf("event = %+v\nwant    %+v", ev, want)
	}
	if got := ev.Command.String(); got != `checkin colour=🔴 red words="rough"` {
		t.Errorf("command = %s", got)
	}
	h.slash(mod, openCh, "help", "")
	if ev := sc.last(); ev.Member.Facilitator || ev.Channel != "discord:"+openCh {
		t.Errorf("Mo, with Manage Messages in this channel only, became %+v", ev.Member)
	}
	// Nothing to say: a slash command still gets a short private answer.
	if msgs := h.ephemeral(in); len(msgs) != 1 || msgs[0] != "Done." {
		t.Errorf("fallback answer: %q", msgs)
	}
	// A button the core answers with nothing is acknowledged silently.
	h.ephemeral(h.slash(ana, groupCh, "help", ""))
	msg, _ := h.a.Deliver(context.Background(), bot.Reply{Visibility: bot.Public, Group: "discord:" + guildID, Channel: "discord:" + groupCh,
		Text: bot.T("Round"), Actions: []bot.Action{{Command: "pass", Label: "Pass"}}})
	_, id, _ := parseRef(msg)
	click := h.click(ana, id, "pb:pass")
	if click.Response != 6 || click.Original != nil {
		t.Errorf("silent button: response %d, original %+v", click.Response, click.Original)
	}
	if ev := sc.last(); ev.Member.Facilitator || ev.Command.Name != "pass" {
		t.Errorf("button event: %+v", ev)
	}
}

// TestPanicRecovered ensures a panic while handling one command is
// recovered, the member gets a short apology, nothing of the command is
// logged, and the bot keeps answering.
func TestPanicRecovered(t *testing.T) {
	sc := &scriptedCore{}
	sc.script = func(_ context.Context, ev bot.Event) bot.Outcome {
		if ev.Command.Name == "support" {
			panic("boom: " + ev.Command.Text("words"))
		}
		return bot.Done
	}
	h := newHarnessWith(t, sc)
	in := h.slash(ana, groupCh, "support", "", dt.O("words", "please call me"))
	if msgs := h.ephemeral(in); len(msgs) != 1 || !strings.Contains(msgs[0], "Sorry") {
		t.Errorf("after a panic the member saw %q", msgs)
	}
	if strings.Contains(h.logs.String(), "please call me") {
		t.Error("logs contain the command's words")
	}
	if !strings.Contains(h.logs.String(), "Recovered from a panic") {
		t.Error("the panic was not logged")
	}
	if msgs := h.ephemeral(h.slash(ben, groupCh, "help", "")); len(msgs) != 1 {
		t.Errorf("no answer after the panic: %q", msgs)
	}
}

// TestDirectMessageCommand ensures a slash command used in the bot's DMs
// becomes a private event without a group, answered ephemerally.
func TestDirectMessageCommand(t *testing.T) {
	sc := &scriptedCore{}
	var h *harness
	sc.script = func(ctx context.Context, ev bot.Event) bot.Outcome {
		_, err := h.a.Deliver(ctx, bot.Reply{Visibility: bot.Private, To: ev.Member.ID, InReplyTo: ev.ID, Text: bot.T("Lines for you.")})
		return outcomeOf(err)
	}
	h = newHarnessWith(t, sc, func(c *Config) { c.GuildIDs = nil }) // global commands work in DMs
	if n := len(h.f.RequestsTo("PUT", `^/api/v9/applications/`+dt.AppID+`/commands$`)); n != 1 {
		t.Fatalf("%d global registrations, want 1", n)
	}
	h.f.AddChannel(dt.Channel{ID: "600000000000000001", Type: 1, Recipient: ana})
	in := h.slash(ana, "600000000000000001", "crisis", "")
	ev := sc.last()
	if ev.Group != "" || ev.Channel != "" || !ev.Private || ev.Member.ID != "discord:"+ana || ev.Member.Facilitator {
		t.Errorf("DM event: %+v", ev)
	}
	if msgs := h.ephemeral(in); len(msgs) != 1 || msgs[0] != "Lines for you." {
		t.Errorf("DM answer: %q", msgs)
	}
}

// TestUnreadableInteractions ensures what the adapter cannot read (a slash
// option the registration no longer has, a button that names no command)
// reaches the core as bot.Unreadable, which answers kindly and privately,
// and changes nothing.
func TestUnreadableInteractions(t *testing.T) {
	h := newHarness(t)
	const unreadable = "Sorry, I couldn't read that."
	stale := h.slash(ana, groupCh, "checkin", "", dt.O("mood", "fine"))
	if msgs := h.ephemeral(stale); len(msgs) != 1 || !strings.Contains(msgs[0], unreadable) {
		t.Errorf("stale slash option answered %q", msgs)
	}
	msg, err := h.a.Deliver(context.Background(), bot.Reply{Visibility: bot.Public, Group: "discord:" + guildID, Channel: "discord:" + groupCh,
		Text: bot.T("Old message"), Actions: []bot.Action{{Command: "pass", Label: "Pass"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, id, _ := parseRef(msg)
	gone := h.click(ana, id, "pb:!!")
	if msgs := h.ephemeral(gone); len(msgs) != 1 || !strings.Contains(msgs[0], unreadable) {
		t.Errorf("unreadable button answered %q", msgs)
	}
	if n := len(h.f.ChannelMessages(groupCh)); n != 1 {
		t.Errorf("%d messages in the group channel; want only the test's own", n)
	}
	h.checkPayloads()
}
