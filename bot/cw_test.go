package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// warnPlatform is the recording platform with posts a facilitator can put
// a warning on.
type warnPlatform struct {
	posts     map[string]bot.Post
	removed   []string
	canRemove bool
}

func (w *warnPlatform) FindPost(_ context.Context, g bot.GroupID, ch bot.ChannelID, ref string) (bot.Post, error) {
	p, ok := w.posts[ref]
	if !ok || g != group {
		return bot.Post{}, bot.ErrNotFound
	}
	return p, nil
}

func (w *warnPlatform) RemovePost(_ context.Context, g bot.GroupID, p bot.Post) (bool, error) {
	if !w.canRemove {
		return false, nil
	}
	w.removed = append(w.removed, p.Ref)
	delete(w.posts, p.Ref)
	return true, nil
}

type warnHarness struct {
	*harness
	w *warnPlatform
}

func newWarnHarness(t *testing.T) warnHarness {
	h := newHarness(t)
	w := &warnPlatform{posts: map[string]bot.Post{}, canRemove: true}
	b, err := bot.New(bot.Options{Store: h.st, Platform: struct {
		bot.Platform
		bot.PostWarner
	}{h.p, w}, Clock: h.clock, DefaultCountry: "GB", DefaultTimezone: "Europe/London"})
	if err != nil {
		t.Fatal(err)
	}
	h.b = b
	return warnHarness{h, w}
}

// A facilitator puts a warning on a member's post: the bot reposts it
// behind a spoiler with the topic and the author's name, removes the
// original, and tells the author privately why; the group hears nothing
// else, and nobody but the author gets the note.
func TestContentWarning(t *testing.T) {
	h := newWarnHarness(t)
	h.facil["dana"] = true
	const words = "a long heavy post about a hard night"
	h.w.posts["m1"] = bot.Post{Channel: channel, Ref: "m1", Author: h.member("alice"), Text: words}

	out := h.say("bob", "!cw m1 self-harm")
	mustHave(t, out, "dm bob", "That one is for facilitators")
	if len(h.w.removed) != 0 {
		t.Fatal("a member could remove a post")
	}
	out = h.say("dana", "!cw")
	mustHave(t, out, "dm dana", "Please add what the command needs. For example !cw 1234567890 self-harm.")
	out = h.say("dana", "!cw m9 self-harm")
	mustHave(t, out, "dm dana", "I couldn't find that post in this group.")

	out = h.say("dana", "!cw m1 self-harm")
	mustHave(t, out, "group", "Content warning: self-harm. A post by alice, behind a warning added by a facilitator.")
	mustHave(t, out, "group", words)
	mustHave(t, out, "dm alice", "A facilitator put a content warning on one of your posts in the group (self-harm).")
	mustHave(t, out, "dm alice", "I reposted it behind a spoiler and removed the original")
	mustHave(t, out, "dm alice", "This isn't a telling-off")
	mustHave(t, out, "dm dana", "Done. I reposted it behind a warning, removed the original, and told alice privately why.")
	for _, l := range lines(out, "group") {
		if strings.Contains(l, "telling-off") || strings.Contains(l, "privately") {
			t.Fatalf("the group was told why: %q", l)
		}
	}
	for _, where := range []string{"dm bob", "facilitators"} {
		mustNot(t, out, where, "")
	}
	if len(h.w.removed) != 1 || h.w.removed[0] != "m1" {
		t.Fatalf("removed %v, want m1", h.w.removed)
	}

	// Where the bot may not remove it, the facilitator is asked to.
	h.w.canRemove = false
	h.w.posts["m2"] = bot.Post{Channel: channel, Ref: "m2", Author: h.member("cara"), Text: "more words"}
	out = h.say("dana", "!cw m2")
	mustHave(t, out, "group", "Content warning: a heavy topic.")
	mustHave(t, out, "dm cara", "A facilitator may remove the original.")
	mustHave(t, out, "dm dana", "I couldn't remove the original")

	// As a reply: every word is the topic.
	h.w.posts["m3"] = bot.Post{Channel: channel, Ref: "m3", Author: h.member("eve"), Text: "words"}
	ev := h.event("dana", "!cw eating difficulties", false)
	ev.ReplyTo = "m3"
	out = h.handle(ev)
	mustHave(t, out, "group", "Content warning: eating difficulties.")
}

// !help cw explains the platform's own way to add a warning.
func TestHelpCW(t *testing.T) {
	h := newHarness(t)
	out := h.say("alice", "!help cw")
	mustHave(t, out, "dm alice", "Content warnings")
	mustHave(t, out, "dm alice", "write CW: and the topic first")
	mustHave(t, out, "dm alice", "they tell you why privately")
	mustNot(t, out, "dm alice", "!cw <link")
	h.facil["dana"] = true
	out = h.say("dana", "!help cw")
	mustHave(t, out, "dm dana", "Facilitators: !cw <link to the post> <topic>")
}

// A platform that cannot read posts says so.
func TestContentWarningUnsupported(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	out := h.say("dana", "!cw m1 self-harm")
	mustHave(t, out, "dm dana", "I can't put warnings on posts here.")
}
