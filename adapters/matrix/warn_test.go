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
// it is done. A member's !cw is refused. Then a closing round, words only,
// counted without repeating them. In an unencrypted and in an encrypted
// room.
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

	// The meeting closes: a closing round, words only, counted without
	// repeating them.
	fran.say(room, "!round closing")
	alice.waitNotice(room, me, "Closing round: One word for how you're leaving")
	alice.say(room, "!checkin lighter")
	alice.waitNotice(aliceDM, me, "Your check-in is in.")
	clock.Advance(16 * time.Minute)
	summary := msgOf(alice.waitNotice(room, me, "The closing round has closed. 1 person shared a word, 0 passed."))
	if strings.Contains(summary.Body, "lighter") {
		t.Errorf("the summary repeats a word: %q", summary.Body)
	}

	for _, m := range alice.timeline(room) {
		if m.Sender == me && strings.Contains(m.Body, "telling-off") {
			t.Errorf("the reason was said in the room: %q", m.Body)
		}
		if m.Sender == me && strings.Contains(m.Body, "lighter") {
			t.Errorf("the bot repeated a closing word in the room: %q", m.Body)
		}
	}
}
