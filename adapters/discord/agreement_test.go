package discord

import (
	"strings"
	"testing"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

// TestAgreementModalPostPinAgree ensures a facilitator sets the agreement
// in a modal, posts and pins it with the current pin route, and a member's
// "I agree" is recorded and grants the configured role; the member text
// in it (mentions, markdown, a link) stays inert.
func TestAgreementModalPostPinAgree(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AgreedRole = roleOK })
	const text = "Be kind @everyone <@&123> <@400000000000000001>\n**What is shared here stays here** https://evil.example/x [click](https://evil.example)"

	open := h.slash(fac, groupCh, "agreement", "set")
	if open.Response != 9 {
		t.Fatalf("/agreement set response %d, want a modal", open.Response)
	}
	saved := h.submit(fac, open.ID, text)
	if msgs := h.ephemeral(saved); len(msgs) != 1 || !strings.Contains(msgs[0], "version 1") {
		t.Errorf("saving answer: %q", msgs)
	}

	post := h.slash(fac, groupCh, "agreement", "post")
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
	who := h.slash(fac, groupCh, "agreement", "who")
	if msgs := h.ephemeral(who); len(msgs) == 0 || !strings.Contains(strings.Join(msgs, ""), "Ana") {
		t.Errorf("/agreement who: %q", msgs)
	}
	if strings.Contains(h.logs.String(), "Be kind") {
		t.Errorf("logs contain agreement text")
	}
	h.checkPayloads()
}

// TestNonFacilitatorRefused ensures a member who is not a facilitator
// gets a kind private refusal and nothing is posted.
func TestNonFacilitatorRefused(t *testing.T) {
	h := newHarness(t)
	in := h.slash(ana, groupCh, "round", "start")
	msgs := h.ephemeral(in)
	if len(msgs) != 1 || !strings.Contains(strings.ToLower(msgs[0]), "facilitator") {
		t.Errorf("refusal: %q", msgs)
	}
	if n := len(h.f.ChannelMessages(groupCh)); n != 0 {
		t.Errorf("%d messages posted after a refused command", n)
	}
	h.checkPayloads()
}

// TestFacilitatorRoleConfigured ensures that with facilitator_roles set,
// the role decides, not the Manage Messages permission.
func TestFacilitatorRoleConfigured(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.FacilitatorRoles = []string{roleFac} })
	h.f.SetRoles(ana, roleFac)
	h.f.SetRoles(fac)
	h.ephemeral(h.slash(ana, groupCh, "round", "start"))
	if len(h.f.ChannelMessages(groupCh)) != 1 {
		t.Errorf("member with the facilitator role could not start a round")
	}
	refused := h.slash(fac, groupCh, "round", "end")
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
