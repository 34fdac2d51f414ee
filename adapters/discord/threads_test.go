package discord

import (
	"strings"
	"testing"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

// TestThreadThroughButtons answers a support request through the bot on
// Discord: the facilitator's DM names the reference and /reply, its "Reply
// privately" button opens a form whose words reach only the member, by DM,
// naming the facilitator; the member's "Answer" button sends their words
// back to the facilitators. Someone who is no facilitator cannot reach the
// member with /reply.
func TestThreadThroughButtons(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	h.said(h.slash(ana, groupCh, "support", "", dt.O("words", "rough day")))

	dms := h.f.ChannelMessages(h.f.DMChannel(fac))
	if len(dms) == 0 {
		t.Fatal("the facilitator got no DM")
	}
	req := dms[len(dms)-1]
	if !strings.Contains(req.Content, "Reference **1**") || !strings.Contains(req.Content, "/reply 1 …") {
		t.Fatalf("the facilitator's message: %q", req.Content)
	}
	if !contains(buttonIDs(req), "pbi:reply to 1") {
		t.Fatalf("the facilitator's buttons: %v", buttonIDs(req))
	}

	open := h.click(fac, req.ID, "pbi:reply to 1")
	sent := h.submit(fac, open.ID, "I'm here. Want to talk tonight?")
	if got := h.said(sent); !strings.Contains(got, "Sent to them privately (reference 1).") {
		t.Errorf("the facilitator saw %q", got)
	}
	anaDMs := h.f.ChannelMessages(h.f.DMChannel(ana))
	if len(anaDMs) == 0 {
		t.Fatal("Ana got no DM")
	}
	toAna := anaDMs[len(anaDMs)-1]
	if !strings.Contains(toAna.Content, "one of the facilitators, wrote to you privately through me") ||
		!strings.Contains(toAna.Content, "Want to talk tonight?") {
		t.Fatalf("Ana got %q", toAna.Content)
	}
	if !contains(buttonIDs(toAna), "pbi:reply") {
		t.Fatalf("Ana's buttons: %v", buttonIDs(toAna))
	}
	for _, ch := range []string{groupCh, openCh} {
		for _, m := range h.f.ChannelMessages(ch) {
			if strings.Contains(m.Content, "tonight") || strings.Contains(m.Content, "rough day") {
				t.Errorf("thread words in channel %s: %q", ch, m.Content)
			}
		}
	}

	answer := h.click(ana, toAna.ID, "pbi:reply")
	if got := h.said(h.submit(ana, answer.ID, "yes, after eight")); !strings.Contains(got, "Only the facilitators see it.") {
		t.Errorf("Ana saw %q", got)
	}
	dms = h.f.ChannelMessages(h.f.DMChannel(fac))
	back := dms[len(dms)-1]
	if !strings.Contains(back.Content, "answered privately (reference 1)") || !strings.Contains(back.Content, "yes, after eight") {
		t.Errorf("the facilitator got %q", back.Content)
	}

	// Ben is no facilitator: his /reply with Ana's reference is his own
	// words, and he has no conversation.
	got := h.said(h.slash(ben, groupCh, "reply", "", dt.O("words", "1 what happened?")))
	if !strings.Contains(got, "no open conversation") {
		t.Errorf("Ben saw %q", got)
	}
	for _, m := range h.f.ChannelMessages(h.f.DMChannel(ana)) {
		if strings.Contains(m.Content, "what happened") {
			t.Errorf("Ben's words reached Ana: %q", m.Content)
		}
	}
	h.checkPayloads()
}
