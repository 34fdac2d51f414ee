package discord

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// TestAgreementModalPostPinAgree ensures a facilitator sets the agreement
// in a modal, posts and pins it with the current pin route, and a member's
// "I agree" is recorded and grants the configured role; the member text
// in it (mentions, markdown, a link) stays inert.
func TestAgreementModalPostPinAgree(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AgreedRole = roleOK })
	const text = "Be kind @everyone <@&123> <@400000000000000001>\n**What is shared here stays here** https://evil.example/x [click](https://evil.example)"

	open := h.slash(fac, groupCh, "facilitator", "agreement set")
	if open.Response != 9 {
		t.Fatalf("/agreement set response %d, want a modal", open.Response)
	}
	saved := h.submit(fac, open.ID, text)
	if msgs := h.ephemeral(saved); len(msgs) != 1 || !strings.Contains(msgs[0], "version 1") {
		t.Errorf("saving answer: %q", msgs)
	}

	post := h.slash(fac, groupCh, "facilitator", "agreement post")
	h.ephemeral(post)
	posted := h.lastMessage(groupCh)
	if !contains(buttonIDs(posted), "pb:agree") {
		t.Errorf("posted agreement lacks the I agree button: %v", buttonIDs(posted))
	}
	pins := h.f.Pins()
	if len(pins) != 1 || pins[0].Message != posted.ID || pins[0].Route != "messages/pins" {
		t.Errorf("pins = %+v, want the posted agreement pinned with /messages/pins/", pins)
	}
	for _, bad := range []string{"@everyone", "<@&123>", "<@400000000000000001>", "**What", "https://evil", "[click]("} {
		for _, m := range h.f.ChannelMessages(groupCh) {
			if strings.Contains(m.Content, bad) {
				t.Errorf("member text %q is live in %q", bad, m.Content)
			}
		}
	}
	if !strings.Contains(posted.Content, "Be kind @\u200beveryone") {
		t.Errorf("agreement text not shown literally: %q", posted.Content)
	}

	agree := h.click(ana, posted.ID, "pb:agree")
	if len(h.ephemeral(agree)) != 1 {
		t.Errorf("agree answer: %q", h.ephemeral(agree))
	}
	if adds := h.f.RoleAdds(); len(adds) != 1 || adds[0] != (dt.RoleAdd{Guild: guildID, User: ana, Role: roleOK}) {
		t.Errorf("role adds = %+v", adds)
	}
	who := h.slash(fac, groupCh, "facilitator", "agreement who")
	if msgs := h.ephemeral(who); len(msgs) == 0 || !strings.Contains(strings.Join(msgs, ""), "Ana") {
		t.Errorf("/agreement who: %q", msgs)
	}
	if strings.Contains(h.logs.String(), "Be kind") {
		t.Errorf("logs contain agreement text")
	}
	h.checkPayloads()
}

// TestMembersDoNotSeeFacilitatorCommands ensures Discord neither shows
// members /facilitator nor lets them run it (the bot never hears of it),
// and that a member Discord does offer it to for lack of server-level
// rights (Manage Messages in one channel's overwrite) gets a kind private
// refusal from the core, and nothing is posted.
func TestMembersDoNotSeeFacilitatorCommands(t *testing.T) {
	h := newHarness(t)
	for _, ch := range []string{groupCh, openCh} {
		if slices.Contains(h.f.Offered(ana, ch), facilitatorCommand) {
			t.Errorf("Ana is offered /facilitator in %s", ch)
		}
		for _, sub := range []string{"round start", "agreement set", "schedule list", "timezone", "crisis default", "signpost"} {
			if _, err := h.f.TrySlash(ana, ch, facilitatorCommand, sub); !errors.Is(err, dt.ErrNotOffered) {
				t.Errorf("Ana ran /facilitator %s in %s: %v", sub, ch, err)
			}
		}
	}
	if !slices.Contains(h.f.Offered(fac, groupCh), facilitatorCommand) {
		t.Errorf("Fran is not offered /facilitator: %v", h.f.Offered(fac, groupCh))
	}
	if n := len(h.f.RequestsTo("POST", `/callback$`)); n != 0 {
		t.Errorf("%d interactions answered; the bot should have heard of none", n)
	}

	// Mo has Manage Messages in #general only: Discord shows him
	// /facilitator there, and the core refuses.
	if !slices.Contains(h.f.Offered(mod, openCh), facilitatorCommand) || slices.Contains(h.f.Offered(mod, groupCh), facilitatorCommand) {
		t.Errorf("Mo is offered %v in #general and %v in #meeting", h.f.Offered(mod, openCh), h.f.Offered(mod, groupCh))
	}
	msgs := h.ephemeral(h.slash(mod, openCh, facilitatorCommand, "round start"))
	if len(msgs) != 1 || !strings.Contains(msgs[0], "That one is for facilitators") {
		t.Errorf("refusal: %q", msgs)
	}
	if n := len(h.f.ChannelMessages(openCh)); n != 0 {
		t.Errorf("%d messages posted after a refused command", n)
	}
	h.checkPayloads()
}

// TestFacilitatorRoleConfigured ensures that with facilitator_roles set,
// the role decides, not the Manage Messages permission; a role without
// Manage Messages sees /facilitator once the server's admins allow it in
// Server Settings → Integrations (as the README says).
func TestFacilitatorRoleConfigured(t *testing.T) {
	const rolePeer = "500000000000000003"
	h := newHarness(t, func(c *Config) { c.FacilitatorRoles = []string{rolePeer} })
	h.f.AddRole(guildID, dt.Role{ID: rolePeer, Name: "Peer facilitators"})
	h.f.SetRoles(ana, rolePeer)
	if _, err := h.f.TrySlash(ana, groupCh, facilitatorCommand, "round start"); !errors.Is(err, dt.ErrNotOffered) {
		t.Errorf("a role without Manage Messages saw /facilitator before the admins allowed it: %v", err)
	}
	h.f.AllowCommand(guildID, facilitatorCommand, rolePeer)
	h.ephemeral(h.slash(ana, groupCh, facilitatorCommand, "round start"))
	if len(h.f.ChannelMessages(groupCh)) != 1 {
		t.Errorf("member with the facilitator role could not start a round")
	}
	refused := h.slash(fac, groupCh, facilitatorCommand, "round end")
	if msgs := h.ephemeral(refused); len(msgs) != 1 || !strings.Contains(strings.ToLower(msgs[0]), "facilitator") {
		t.Errorf("Manage Messages without the role was not refused: %q", msgs)
	}
}

// TestCrisisEphemeral ensures /crisis answers only the member, with lines
// for the asked country, and offers countries while typing.
func TestCrisisEphemeral(t *testing.T) {
	h := newHarness(t)
	in := h.slash(ana, groupCh, "crisis", "", dt.O("country", "GB"))
	msgs := h.ephemeral(in)
	if len(msgs) == 0 || !strings.Contains(strings.Join(msgs, ""), "116 123") {
		t.Errorf("/crisis GB: %q", msgs)
	}
	if n := len(h.f.RequestsTo("POST", `/channels/`)); n != 0 {
		t.Errorf("/crisis posted %d channel messages", n)
	}
	ac := h.wait(h.f.Autocomplete(ana, groupCh, "crisis", "country", "irel"))
	if ac.Response != 8 || !strings.Contains(string(ac.Data), `"IE"`) {
		t.Errorf("autocomplete: response %d, %s", ac.Response, ac.Data)
	}
	h.checkPayloads()
}

// TestAgreedRoleOnlyWhenDone ensures the agreed role is granted only when
// the core recorded the agreement (Done): not when it refused, could not
// read the command, ignored a redelivery or failed. A redelivery gets no
// second answer either.
func TestAgreedRoleOnlyWhenDone(t *testing.T) {
	var out atomic.Uint32
	sc := &scriptedCore{script: func(context.Context, bot.Event) bot.Outcome { return bot.Outcome(out.Load()) }}
	h := newHarnessWith(t, sc, func(c *Config) { c.AgreedRole = roleOK })
	for _, o := range []bot.Outcome{bot.Refused, bot.Invalid, bot.Duplicate, bot.Failed} {
		out.Store(uint32(o))
		in := h.slash(ana, groupCh, "agree", "")
		if adds := h.f.RoleAdds(); len(adds) != 0 {
			t.Errorf("role granted when the core said %s: %+v", o, adds)
		}
		if o == bot.Duplicate && in.Response != 0 {
			t.Errorf("a redelivered /agree was answered again (response %d)", in.Response)
		}
	}
	out.Store(uint32(bot.Done))
	h.ephemeral(h.slash(ana, groupCh, "agree", ""))
	if adds := h.f.RoleAdds(); len(adds) != 1 || adds[0] != (dt.RoleAdd{Guild: guildID, User: ana, Role: roleOK}) {
		t.Errorf("role adds after Done: %+v", adds)
	}
}

// failingAgree is a store that cannot record agreements, as with a full
// disk.
type failingAgree struct{ bot.Store }

func (s failingAgree) InTx(ctx context.Context, fn func(bot.Store) error) error {
	return s.Store.InTx(ctx, func(st bot.Store) error { return fn(failingAgree{st}) })
}

func (failingAgree) Agree(context.Context, bot.Acceptance) error { return errors.New("disk full") }

// TestAgreedRoleNotGrantedWhenStoreFails ensures that when the agreement
// could not be stored the member is told so and gets no role: the role
// would claim an agreement nobody recorded.
func TestAgreedRoleNotGrantedWhenStoreFails(t *testing.T) {
	h := startHarness(t, nil, failingAgree{storetest.Open(t)}, 0, func(c *Config) { c.AgreedRole = roleOK })
	msgs := h.ephemeral(h.slash(ana, groupCh, "agree", ""))
	if len(msgs) != 1 || !strings.Contains(msgs[0], "Sorry") {
		t.Errorf("Ana was answered %q; want the core's apology", msgs)
	}
	if adds := h.f.RoleAdds(); len(adds) != 0 {
		t.Errorf("role granted although the agreement was not stored: %+v", adds)
	}
}

// TestPinRefused ensures that when the bot may not pin, the agreement is
// still posted and the facilitators are told how to let the bot pin.
func TestPinRefused(t *testing.T) {
	h := newHarness(t)
	h.f.Inject("PUT", `/pins/`, 403, 1)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "agreement post"))
	if posted := h.lastMessage(groupCh); !strings.Contains(posted.Content, "agreement") {
		t.Errorf("agreement not posted: %q", posted.Content)
	}
	if pins := h.f.Pins(); len(pins) != 0 {
		t.Errorf("pins = %+v", pins)
	}
	dm := h.f.DMChannel(fac)
	if dm == "" {
		t.Fatal("the facilitator was not told")
	}
	if ms := h.f.ChannelMessages(dm); len(ms) != 1 || !strings.Contains(ms[0].Content, "couldn't pin") {
		t.Errorf("facilitator DMs: %+v", ms)
	}
	h.checkPayloads()
}
