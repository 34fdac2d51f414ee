package matrix

import (
	"context"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// TestContentWarning: a facilitator replies to a member's post with
// "!cw <topic>"; the bot reposts it as a spoiler whose reason is the topic
// (the words only in the formatted body, behind data-mx-spoiler), redacts
// the original, tells the author privately why and the facilitator that
// it is done. A member's !cw is refused. In an unencrypted and in an
// encrypted room.
func TestContentWarning(t *testing.T) {
	for _, enc := range []bool{false, true} {
		name := "unencrypted"
		if enc {
			name = "encrypted"
		}
		t.Run(name, func(t *testing.T) { testContentWarning(t, enc) })
	}
}

func testContentWarning(t *testing.T, enc bool) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	fran := newPerson(t, "fran", enc)
	alice := newPerson(t, "alice", enc)
	clock := bot.NewManualClock(time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC))
	startPeerbot(t, botConfig(botAcc, enc), clock)

	room := fran.createRoom(enc, map[id.UserID]int{me: 50}, me)
	fran.waitJoined(room, me)
	fran.invite(room, alice.acc.UserID)
	alice.waitJoined(room, me)
	aliceDM := alice.dmFrom(me)
	alice.waitNotice(aliceDM, me, "Welcome")

	const words = "a long heavy post about tonight"
	post := alice.say(room, words)

	alice.say(room, "!cw "+post.String()+" a hard night")
	alice.waitNotice(aliceDM, me, "That one is for facilitators")

	reply := event.MessageEventContent{MsgType: event.MsgText, Body: "!cw a hard night",
		RelatesTo: &event.RelatesTo{InReplyTo: &event.InReplyTo{EventID: post}}}
	if err := retry(func() error {
		_, err := fran.cli.SendMessageEvent(ctx, room, event.EventMessage, &reply)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	repost := msgOf(alice.waitNotice(room, me, "Content warning: a hard night."))
	if !strings.Contains(repost.FormattedBody, `<span data-mx-spoiler="a hard night">`+words+`</span>`) {
		t.Errorf("repost formatted body %q lacks the words behind a spoiler with the topic", repost.FormattedBody)
	}
	if strings.Contains(repost.Body, words) {
		t.Errorf("the words are in the repost's plain body, which notifications show: %q", repost.Body)
	}
	alice.waitEvent("the redaction of the original", func(e *event.Event) bool {
		return e.Type == event.EventRedaction && e.Redacts == post
	})
	alice.waitNotice(aliceDM, me, "A facilitator put a content warning on one of your posts in the group (a hard night).")
	franDM := fran.dmFrom(me)
	fran.waitNotice(franDM, me, "Done. I reposted it behind a warning, removed the original, and told "+alice.acc.UserID.Localpart()+" privately why.")
	for _, m := range alice.timeline(room) {
		if m.Sender == me && strings.Contains(m.Body, "telling-off") {
			t.Errorf("the reason was said in the room: %q", m.Body)
		}
	}
}
