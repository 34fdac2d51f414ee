package discord

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
)

// TestClosedDMsFallBackToEphemeral ensures that when the bot must DM a
// member who has closed DMs (403, code 50007) in answer to their own
// action, they see the message ephemerally instead, and nothing crashes.
func TestClosedDMsFallBackToEphemeral(t *testing.T) {
	h := newHarness(t)
	h.f.SetDMsClosed(fac, true)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	// The facilitator checks in privately: facilitator messages go to the
	// facilitator who last acted (themselves), by DM, which fails.
	in := h.slash(fac, groupCh, "checkin", "", dt.O("private", true), dt.O("colour", "amber"), dt.O("words", "long week"))
	failed := 0
	for _, r := range h.f.RequestsTo("POST", `^/api/v9/channels/\d+/messages$`) {
		if r.Status == 403 {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("%d DM attempts refused, want 1", failed)
	}
	msgs := h.ephemeral(in)
	if len(msgs) != 2 || !strings.Contains(strings.Join(msgs, "\n"), "long week") || !strings.Contains(strings.Join(msgs, "\n"), "Your check-in is in") {
		t.Errorf("private messages: %q; want the acknowledgement and the facilitators' note", msgs)
	}
	h.checkPayloads()
}

// TestRateLimitedStatusEditKeepsFinalState ensures a 429 on the status
// edit loses nothing: the message ends showing the latest state.
func TestRateLimitedStatusEditKeepsFinalState(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	status := h.lastMessage(groupCh)
	h.f.Inject("PATCH", `/channels/`+groupCh+`/messages/`+status.ID+`$`, 429, 1)
	for _, u := range []string{ana, ben, cat} {
		h.click(u, status.ID, "pb:checkin green")
	}
	h.flush()
	h.flush() // the first flush may be the one that met the 429
	got, _ := h.f.Message(status.ID)
	for _, name := range []string{"Ana", "Ben", "Cat"} {
		if !strings.Contains(got.Content, name) {
			t.Errorf("final status lacks %s: %q", name, got.Content)
		}
	}
	limited := 0
	for _, r := range h.f.RequestsTo("PATCH", status.ID+`$`) {
		if r.Status == 429 {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("%d edits met the injected 429, want 1", limited)
	}
	h.checkPayloads()
}

// TestGatewayReconnects ensures a dropped socket is resumed, RECONNECT (op
// 7) resumes, INVALID_SESSION (op 9) identifies anew, and the bot answers
// after each, including an interaction sent while it was disconnected.
func TestGatewayReconnects(t *testing.T) {
	h := newHarness(t)
	h.f.DropSocket()
	id := h.f.Slash(ana, groupCh, "help", "") // sent while down: replayed on resume
	h.f.WaitConnects(2)
	if len(h.ephemeral(h.wait(id))) == 0 {
		t.Error("no answer to the interaction sent while disconnected")
	}

	h.f.SendReconnect()
	h.f.WaitConnects(3)
	if len(h.ephemeral(h.slash(ben, groupCh, "help", ""))) == 0 {
		t.Error("no answer after RECONNECT")
	}

	h.f.SendInvalidSession()
	h.f.WaitConnects(4)
	if len(h.ephemeral(h.slash(cat, groupCh, "help", ""))) == 0 {
		t.Error("no answer after INVALID_SESSION")
	}
	identifies, resumes, beats := h.f.GatewayStats()
	if identifies != 2 || resumes != 2 {
		t.Errorf("identifies %d, resumes %d; want 2 and 2", identifies, resumes)
	}
	if beats == 0 {
		t.Error("the bot never sent a heartbeat")
	}
}

// TestFacilitatorsChannel ensures /facilitators refuses a channel
// everyone can see, accepts one only facilitators can see, and that
// private words then go there and nowhere public.
func TestFacilitatorsChannel(t *testing.T) {
	h := newHarness(t)
	refused := h.slash(fac, groupCh, "facilitator", "facilitators", dt.O("channel", "<#"+openCh+">"))
	if msgs := h.ephemeral(refused); len(msgs) != 1 || !strings.Contains(msgs[0], "won't") {
		t.Errorf("open channel refusal: %q", msgs)
	}
	ok := h.slash(fac, groupCh, "facilitator", "facilitators", dt.O("channel", "#facilitators"))
	if msgs := h.ephemeral(ok); len(msgs) != 1 || !strings.Contains(msgs[0], "Done") {
		t.Errorf("hidden channel: %q", msgs)
	}
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	h.slash(ana, groupCh, "checkin", "", dt.O("private", true), dt.O("words", "hard day"))
	got := h.f.ChannelMessages(facCh)
	if len(got) != 1 || !strings.Contains(got[0].Content, "hard day") {
		t.Errorf("facilitators' channel: %+v", got)
	}
	for _, ch := range []string{groupCh, openCh} {
		for _, m := range h.f.ChannelMessages(ch) {
			if strings.Contains(m.Content, "hard day") {
				t.Errorf("private words in channel %s", ch)
			}
		}
	}
	if h.f.DMChannel(fac) != "" {
		t.Error("facilitator was DMed although a facilitators' channel is set")
	}
	h.checkPayloads()
}

// TestDeletedStatusIsReplaced ensures that when someone deletes the live
// status message, the next update is posted as a new message, which later
// updates then edit.
func TestDeletedStatusIsReplaced(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	status := h.lastMessage(groupCh)
	h.f.DeleteMessage(status.ID)
	h.slash(ana, groupCh, "checkin", "", dt.O("colour", "green"))
	h.flush() // meets 404 Unknown Message
	h.slash(ben, groupCh, "checkin", "", dt.O("colour", "amber"))
	h.flush()
	ms := h.f.ChannelMessages(groupCh)
	if len(ms) != 1 || !strings.Contains(ms[0].Content, "Ana") || !strings.Contains(ms[0].Content, "Ben") {
		t.Fatalf("after deleting the status: %+v", ms)
	}
	h.slash(cat, groupCh, "checkin", "", dt.O("colour", "green"))
	h.flush()
	if got, _ := h.f.Message(ms[0].ID); !strings.Contains(got.Content, "Cat") {
		t.Errorf("the new status is not edited: %q", got.Content)
	}
}

// TestShutdownFlushesEdits ensures a status update still waiting for its
// debounce window is shown before Run returns.
func TestShutdownFlushesEdits(t *testing.T) {
	h := newHarness(t)
	h.a.edits.mu.Lock()
	h.a.edits.every = time.Hour // nothing is due again before shutdown
	h.a.edits.mu.Unlock()
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	status := h.lastMessage(groupCh)
	h.slash(ana, groupCh, "checkin", "", dt.O("colour", "green"))
	h.slash(ben, groupCh, "checkin", "", dt.O("colour", "amber"))
	h.stop()
	got, _ := h.f.Message(status.ID)
	if !strings.Contains(got.Content, "Ana") || !strings.Contains(got.Content, "Ben") {
		t.Errorf("status after shutdown: %q", got.Content)
	}
}

// TestFacilitatorsChannelErrors ensures channels the bot cannot use are
// refused with a reason the facilitator can act on.
func TestFacilitatorsChannelErrors(t *testing.T) {
	h := newHarness(t)
	h.f.AddGuild("300000000000000002", "Other server")
	h.f.AddChannel(dt.Channel{ID: "300000000000000020", GuildID: "300000000000000002", Name: "elsewhere", HiddenFromEveryone: true})
	for ref, want := range map[string]string{
		"#nosuchchannel":         "can't find",
		"<#300000000000000020>":  "can't find", // not in this server's channel list
		"<#300000000000000011>x": "can't find",
	} {
		in := h.slash(fac, groupCh, "facilitator", "facilitators", dt.O("channel", ref))
		if msgs := h.ephemeral(in); len(msgs) != 1 || !strings.Contains(msgs[0], want) {
			t.Errorf("facilitators %s: %q, want it to say %q", ref, msgs, want)
		}
	}
	ok, err := h.a.FacilitatorsOnly(context.Background(), "discord:"+guildID, "discord:300000000000000020")
	var pe *bot.PlaceError
	if ok || !errors.As(err, &pe) || pe.Problem != bot.PlaceOtherGroup {
		t.Errorf("channel of another server: %v, %v; want PlaceOtherGroup", ok, err)
	}
	ok, err = h.a.FacilitatorsOnly(context.Background(), "discord:"+guildID, "discord:300000000000000099")
	if ok || !errors.As(err, &pe) || pe.Problem != bot.PlaceBotAbsent {
		t.Errorf("channel the bot cannot see: %v, %v; want PlaceBotAbsent", ok, err)
	}
}

// TestCoreDebouncedStatus ensures the adapter works with the core's own
// status debouncing (Options.StatusDelay, as cmd/peerbot runs it): the
// status ends showing every check-in once the core's clock moves on.
func TestCoreDebouncedStatus(t *testing.T) {
	h := startHarness(t, nil, nil, 2*time.Second)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	status := h.lastMessage(groupCh)
	for _, u := range []string{ana, ben, cat} {
		h.slash(u, groupCh, "checkin", "", dt.O("colour", "green"))
	}
	h.clock.Advance(3 * time.Second) // the core's loop sends the latest state as the clock moves
	h.f.WaitFor("the status to show every check-in", func() bool {
		m, _ := h.f.Message(status.ID)
		return strings.Contains(m.Content, "Ana") && strings.Contains(m.Content, "Ben") && strings.Contains(m.Content, "Cat")
	})
	h.checkPayloads()
}

// TestFacilitatorsChannelRoles ensures a channel hidden from @everyone but
// opened to an ordinary members' role (a common setup), or to one member by
// name, is refused as the facilitators' channel, while one opened only to a
// moderators' role is accepted.
func TestFacilitatorsChannelRoles(t *testing.T) {
	h := newHarness(t)
	const members, mods = "500000000000000010", "500000000000000011"
	h.f.AddRole(guildID, dt.Role{ID: members, Name: "Members", Perms: dt.PermSend})
	h.f.AddRole(guildID, dt.Role{ID: mods, Name: "Moderators", Perms: dt.PermSend | dt.PermManageMessages})
	h.f.AddChannel(dt.Channel{ID: "300000000000000030", GuildID: guildID, Name: "members-lounge", HiddenFromEveryone: true,
		Overwrites: []dt.Overwrite{{ID: members, Type: 0, Allow: dt.PermView}}})
	h.f.AddChannel(dt.Channel{ID: "300000000000000031", GuildID: guildID, Name: "one-friend", HiddenFromEveryone: true,
		Overwrites: []dt.Overwrite{{ID: ana, Type: 1, Allow: dt.PermView}}})
	h.f.AddChannel(dt.Channel{ID: "300000000000000032", GuildID: guildID, Name: "mods", HiddenFromEveryone: true,
		Overwrites: []dt.Overwrite{{ID: mods, Type: 0, Allow: dt.PermView}}})
	for _, name := range []string{"#members-lounge", "#one-friend"} {
		in := h.slash(fac, groupCh, "facilitator", "facilitators", dt.O("channel", name))
		if msgs := h.ephemeral(in); len(msgs) != 1 || !strings.Contains(msgs[0], "won't send facilitator messages there") {
			t.Errorf("%s: %q, want a refusal", name, msgs)
		}
	}
	in := h.slash(fac, groupCh, "facilitator", "facilitators", dt.O("channel", "#mods"))
	if msgs := h.ephemeral(in); len(msgs) != 1 || !strings.Contains(msgs[0], "Done") {
		t.Errorf("#mods: %q, want it accepted", msgs)
	}
}

// TestExpiredInteraction ensures an answer that comes after Discord's 3
// seconds is reported to the core as InteractionExpired, naming the
// member, rather than as a failure of the bot.
func TestExpiredInteraction(t *testing.T) {
	var h *harness
	errs := make(chan error, 1)
	sc := &scriptedCore{script: func(ctx context.Context, ev bot.Event) bot.Outcome {
		h.f.Expire(strings.TrimPrefix(ev.ID, "discord:"))
		_, err := h.a.Deliver(ctx, bot.Reply{Visibility: bot.Private, Group: ev.Group, To: ev.Member.ID, ToName: ev.Member.Name,
			InReplyTo: ev.ID, Text: bot.T("Too late.")})
		errs <- err
		return outcomeOf(err)
	}}
	h = newHarnessWith(t, sc)
	h.a.deferAfter = time.Hour // never "thinking…"
	in := h.slash(ana, groupCh, "help", "")
	var cond *bot.Condition
	if err := <-errs; !errors.As(err, &cond) || cond.Kind != bot.InteractionExpired || cond.Member != "discord:"+ana || cond.MemberName != "Ana" {
		t.Errorf("Deliver returned %v; want an InteractionExpired condition for Ana", err)
	}
	if in.Response != 0 {
		t.Errorf("the expired interaction was answered (response %d)", in.Response)
	}
}

// TestRateLimitedAnswer ensures an interaction answer refused with a 429
// is reported as RateLimited (it cannot wait: Discord wants it within 3 s),
// and the member still gets the adapter's short apology on a retry.
func TestRateLimitedAnswer(t *testing.T) {
	var h *harness
	errs := make(chan error, 1)
	sc := &scriptedCore{script: func(ctx context.Context, ev bot.Event) bot.Outcome {
		_, err := h.a.Deliver(ctx, bot.Reply{Visibility: bot.Private, To: ev.Member.ID, InReplyTo: ev.ID, Text: bot.T("Here you are.")})
		errs <- err
		return outcomeOf(err)
	}}
	h = newHarnessWith(t, sc)
	h.f.Inject("POST", `/callback$`, 429, 1)
	in := h.slash(ana, groupCh, "help", "")
	var cond *bot.Condition
	if err := <-errs; !errors.As(err, &cond) || cond.Kind != bot.RateLimited {
		t.Errorf("Deliver returned %v; want a RateLimited condition", err)
	}
	if msgs := h.ephemeral(in); len(msgs) != 1 || !strings.Contains(msgs[0], "Sorry") {
		t.Errorf("Ana saw %q; want the apology", msgs)
	}
	h.checkPayloads()
}

// TestUnreachable ensures a private message to a member with closed DMs,
// when no interaction of theirs can carry it instead, is reported as
// Unreachable with the member's name; the core's note then appears in the
// server's system channel, without the message.
func TestUnreachable(t *testing.T) {
	h := newHarness(t)
	h.f.SetDMsClosed(ben, true)
	h.f.SetSystemChannel(guildID, openCh)
	waitUntil(t, "the system channel to be known", func() bool { return h.a.guild(guildID).systemChannel == openCh })
	_, err := h.a.Deliver(context.Background(), bot.Reply{Visibility: bot.Private, Group: "discord:" + guildID,
		To: "discord:" + ben, ToName: "Ben", Text: bot.T("A reminder for you.")})
	var cond *bot.Condition
	if !errors.As(err, &cond) || cond.Kind != bot.Unreachable || cond.Member != "discord:"+ben || cond.MemberName != "Ben" || cond.Group != "discord:"+guildID {
		t.Errorf("Deliver returned %v; want Unreachable for Ben in the group", err)
	}
	// The note the core posts for it, which names no channel.
	ref, err := h.a.Deliver(context.Background(), bot.Reply{Visibility: bot.Public, Group: "discord:" + guildID, Text: bot.T("Note.")})
	if ch, _, _ := parseRef(ref); err != nil || ch != openCh {
		t.Errorf("a public reply without channel went to %q (%v); want the system channel", ref, err)
	}
}

// waitUntil polls cond until it holds, for state the adapter updates from
// gateway events (handled on goroutines of their own).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}
