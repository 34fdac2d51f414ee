package discord

import (
	"slices"
	"strings"
	"testing"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

const cwMenu = "Add content warning"

// TestContentWarningMenu: a facilitator opens a member's post's menu
// (Apps → Add content warning), gives the topic in the form, and the bot
// reposts the post behind ||spoilers|| with the topic and the author's
// name, deletes the original, tells the author privately (a DM) why, and
// the facilitator privately that it is done. Members are not offered the
// menu; without Manage Messages the original stays and the facilitator is
// asked to remove it; a link alone cannot be read without the message
// content intent, and the answer says to use the menu.
func TestContentWarningMenu(t *testing.T) {
	h := newHarness(t)
	const words = "a long heavy post about tonight"

	if offered := h.f.Offered(ana, groupCh); slices.Contains(offered, cwMenu) {
		t.Errorf("a member is offered %q: %v", cwMenu, offered)
	}
	if offered := h.f.Offered(fac, groupCh); !slices.Contains(offered, cwMenu) {
		t.Fatalf("the facilitator is not offered %q: %v", cwMenu, offered)
	}

	// How to add a warning oneself, the Discord way, shown literally.
	if said := h.said(h.slash(ana, groupCh, "help", "", dt.O("command", "cw"))); !strings.Contains(said, "`CW: topic ||your words||`") {
		t.Errorf("/help cw said %q", said)
	}

	post := h.f.Post(ana, groupCh, words)
	open := h.wait(h.f.MenuCommand(fac, groupCh, cwMenu, post))
	if open.Response != 9 {
		t.Fatalf("the menu answered with response type %d, want 9 (a form)", open.Response)
	}
	done := h.submit(fac, open.ID, "a hard night")
	if said := h.said(done); !strings.Contains(said, "Done. I reposted it behind a warning, removed the original, and told Ana privately why.") {
		t.Errorf("the facilitator was told %q", said)
	}
	repost := h.lastMessage(groupCh)
	for _, want := range []string{"**Content warning:** a hard night**.** A post by Ana", "[cw: a hard night] ||" + words + "||"} {
		if !strings.Contains(repost.Content, want) {
			t.Errorf("the repost lacks %q: %q", want, repost.Content)
		}
	}
	if _, still := h.f.Message(post); still || !slices.Contains(h.f.Deleted(), post) {
		t.Errorf("the original was not deleted (deleted: %v)", h.f.Deleted())
	}
	dms := strings.Join(h.dmsOf(ana), "\n")
	if !strings.Contains(dms, "A facilitator put a content warning on one of your posts in the group (a hard night).") {
		t.Errorf("Ana was told %q", dms)
	}
	for _, m := range h.f.ChannelMessages(groupCh) {
		if strings.Contains(m.Content, "telling-off") {
			t.Errorf("the reason was said in the group: %q", m.Content)
		}
	}
	if dms := h.dmsOf(ben); len(dms) != 0 {
		t.Errorf("Ben was told %q", dms)
	}

	// Without Manage Messages the original stays.
	h.f.DenyDeletes(true)
	post2 := h.f.Post(ben, groupCh, "more heavy words")
	open = h.wait(h.f.MenuCommand(fac, groupCh, cwMenu, post2))
	done = h.submit(fac, open.ID, "a hard day")
	if said := h.said(done); !strings.Contains(said, "I couldn't remove the original") {
		t.Errorf("the facilitator was told %q", said)
	}
	if _, still := h.f.Message(post2); !still {
		t.Error("the original was deleted without the right to")
	}
	if dms := strings.Join(h.dmsOf(ben), "\n"); !strings.Contains(dms, "A facilitator may remove the original.") {
		t.Errorf("Ben was told %q", dms)
	}

	// A link alone: use the menu.
	post3 := h.f.Post(cat, groupCh, "words")
	link := "https://discord.com/channels/" + guildID + "/" + groupCh + "/" + post3
	in := h.slash(fac, groupCh, "facilitator", "cw", dt.O("message", link), dt.O("topic", "x"))
	if said := h.said(in); !strings.Contains(said, "I can't read that post from a link.") || !strings.Contains(said, cwMenu) {
		t.Errorf("a link alone was answered %q", said)
	}
	h.checkPayloads()
}
