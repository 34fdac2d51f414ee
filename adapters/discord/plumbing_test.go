package discord

import (
	"context"
	"strings"
	"sync"
	"testing"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/bot/crisislines"
)

// scriptedCore stands in for the core where a test needs it to be slow
// or to fail: it records events and runs a script for each.
type scriptedCore struct {
	specs  []*bot.CommandSpec
	mu     sync.Mutex
	events []bot.Event
	script func(ctx context.Context, ev bot.Event) error
}

func (s *scriptedCore) Handle(ctx context.Context, ev bot.Event) error {
	s.mu.Lock()
	s.events = append(s.events, ev)
	s.mu.Unlock()
	return s.script(ctx, ev)
}

func (s *scriptedCore) Tick(context.Context) error     { return nil }
func (s *scriptedCore) Commands() []*bot.CommandSpec   { return s.specs }
func (s *scriptedCore) Crisis() *crisislines.Directory { return crisislines.Default() }
func (s *scriptedCore) last() bot.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events[len(s.events)-1]
}

// TestSlowCoreIsDeferred ensures that when the core takes long, the
// member sees "thinking…" (an ephemeral deferred response) in time, which
// the core's private reply then replaces.
func TestSlowCoreIsDeferred(t *testing.T) {
	var h *harness
	sc := &scriptedCore{specs: tableSpecs(t)}
	sc.script = func(ctx context.Context, ev bot.Event) error {
		h.f.WaitFor("the deferred response", func() bool {
			for _, r := range h.f.Requests() {
				if strings.HasSuffix(r.Path, "/callback") && strings.Contains(string(r.Body), `"type":5`) {
					return true
				}
			}
			return false
		})
		_, err := h.a.Deliver(ctx, bot.Reply{Visibility: bot.Private, To: ev.Member.ID, InReplyTo: ev.ID, Text: bot.T("Here is your answer.")})
		return err
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
// expects: ids with the platform prefix, private, the member's name, and
// facilitator status from the channel permissions.
func TestEventShape(t *testing.T) {
	sc := &scriptedCore{specs: tableSpecs(t), script: func(context.Context, bot.Event) error { return nil }}
	h := newHarnessWith(t, sc)
	in := h.slash(fac, groupCh, "checkin", "", dt.O("colour", "red"), dt.O("words", "rough"))
	ev := sc.last()
	want := bot.Event{
		ID: "discord:" + in.ID, Kind: bot.EventCommand, Group: "discord:" + guildID, Channel: "discord:" + groupCh,
		Private: true, Member: bot.Member{ID: "discord:" + fac, Name: "Fran", Facilitator: true}, GroupName: "Tuesday group",
		Command: bot.Command{Name: "checkin", Args: []string{"red", "rough"}, Raw: "red rough"},
	}
	if ev.ID != want.ID || ev.Group != want.Group || ev.Channel != want.Channel || !ev.Private || ev.Member != want.Member ||
		ev.Command.Raw != want.Command.Raw || ev.Command.Name != want.Command.Name || ev.GroupName != want.GroupName {
		t.Errorf("event = %+v\nwant    %+v", ev, want)
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
	sc := &scriptedCore{specs: tableSpecs(t)}
	sc.script = func(_ context.Context, ev bot.Event) error {
		if ev.Command.Name == "support" {
			panic("boom: " + ev.Command.Raw)
		}
		return nil
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
	sc := &scriptedCore{specs: tableSpecs(t)}
	var h *harness
	sc.script = func(ctx context.Context, ev bot.Event) error {
		_, err := h.a.Deliver(ctx, bot.Reply{Visibility: bot.Private, To: ev.Member.ID, InReplyTo: ev.ID, Text: bot.T("Lines for you.")})
		return err
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
