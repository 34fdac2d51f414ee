package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Private words reach exactly the group's current facilitators: a
// facilitator who left, was removed or demoted gets nothing more, and a
// facilitators' place that others can now read is not used.
func TestExactAudience(t *testing.T) {
	ctx := context.Background()
	fallback := func(h *harness) bot.MemberID {
		g, err := h.st.Group(ctx, group)
		if err != nil {
			t.Fatal(err)
		}
		return g.LastFacilitator
	}
	t.Run("left", func(t *testing.T) {
		h := newHarness(t)
		h.facil["dana"] = true
		h.say("dana", "!round start")
		h.seq++
		h.handle(bot.Event{ID: "leave", Kind: bot.EventLeave, Group: group, Channel: channel, Member: h.member("dana")})
		out := h.say("kit", "!checkin private amber my words")
		mustNot(t, out, "facilitators", "my words")
		mustHave(t, out, "dm kit", "I couldn't reach the facilitators just now")
		if f := fallback(h); f != "" {
			t.Errorf("fallback after leaving = %q", f)
		}
	})
	t.Run("demoted without acting", func(t *testing.T) {
		h := newHarness(t)
		h.facil["dana"] = true
		h.say("dana", "!round start")
		h.p.Demoted = map[bot.MemberID]bool{"test:dana": true}
		out := h.say("kit", "!checkin private amber my words")
		mustNot(t, out, "facilitators", "my words")
		mustHave(t, out, "dm kit", "I couldn't reach the facilitators just now")
		if f := fallback(h); f != "" {
			t.Errorf("fallback after demotion = %q", f)
		}
	})
	t.Run("demotion reported", func(t *testing.T) {
		h := newHarness(t)
		h.facil["dana"] = true
		h.say("dana", "!round start")
		h.handle(bot.Event{ID: "roles", Kind: bot.EventRoles, Group: group, Member: bot.Member{ID: "test:dana", Name: "dana"}})
		if f := fallback(h); f != "" {
			t.Errorf("fallback after a reported demotion = %q", f)
		}
	})
	t.Run("place no longer private", func(t *testing.T) {
		h := newHarness(t)
		h.facil["dana"] = true
		private := true
		h.p.Checker = func(bot.GroupID, bot.ChannelID) bool { return private }
		h.say("dana", "!round start")
		h.say("dana", "!facilitators here")
		out := h.say("kit", "!checkin private amber first words")
		if got := lastFacilitatorsReply(h); got.Channel != channel {
			t.Fatalf("first words went to %q, want the facilitators' place:\n%s", got.Channel, out)
		}
		private = false
		h.clock.Advance(2 * time.Minute) // past the cached answer
		h.say("lee", "!checkin private amber second words")
		if got := lastFacilitatorsReply(h); got.Channel != "" || got.To != "test:dana" {
			t.Errorf("second words went to place %q / %q, want dana privately", got.Channel, got.To)
		}
	})
}

func lastFacilitatorsReply(h *harness) bot.Reply {
	var last bot.Reply
	for _, m := range h.p.Sent() {
		if m.Reply.Visibility == bot.Facilitators {
			last = m.Reply
		}
	}
	return last
}
