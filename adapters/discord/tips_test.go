package discord

import (
	"strings"
	"testing"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

// TestToolboxOnDiscord suggests a tip with /tip add, reviews it with
// /facilitator tip review and its Add button, and asks for one with /tip:
// before the review nobody sees it; after, without a name.
func TestToolboxOnDiscord(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	if got := h.said(h.slash(ana, groupCh, "tip", "add", dt.O("words", "Holding ice and counting breaths"))); !strings.Contains(got, "A facilitator will look at it first") {
		t.Errorf("Ana saw %q", got)
	}
	if got := h.said(h.slash(ben, groupCh, "tip", "show")); strings.Contains(got, "ice") || !strings.Contains(got, "empty for now") {
		t.Errorf("before the review Ben saw %q", got)
	}
	review := h.slash(fac, groupCh, "facilitator", "tip review")
	msg := withButton(t, review, "pb:tip approve 1")
	if !strings.Contains(msg.Content, "no graphic detail") || !strings.Contains(msg.Content, "Holding ice and counting breaths") {
		t.Errorf("the review: %q", msg.Content)
	}
	if got := h.said(h.click(fac, msg.ID, "pb:tip approve 1")); !strings.Contains(got, "Tip 1 is in the toolbox now") {
		t.Errorf("the facilitator saw %q", got)
	}
	got := h.said(h.slash(ben, groupCh, "tip", "show"))
	if !strings.Contains(got, "Holding ice and counting breaths") || strings.Contains(got, "Ana") {
		t.Errorf("after the review Ben saw %q", got)
	}
	for _, m := range h.f.ChannelMessages(groupCh) {
		if strings.Contains(m.Content, "ice") {
			t.Errorf("a tip in the group channel: %q", m.Content)
		}
	}
	h.checkPayloads()
}
