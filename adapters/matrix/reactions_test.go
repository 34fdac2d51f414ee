package matrix

import (
	"context"
	"path/filepath"
	"testing"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// TestPendingReactionResumed ensures an action reaction recorded but not
// known to be sent when the bot stopped (a crash between recording and
// sending, or between sending and storing its id) is sent at the next
// start, and its id stored; and that a reaction sent whose id was lost is
// not sent twice: the same transaction id brings back the same reaction.
func TestPendingReactionResumed(t *testing.T) {
	botAcc := register(t, "peerbot")
	var a *Adapter
	db := openDB(t, filepath.Join(t.TempDir(), "bot.db"))
	b := startBot(t, botConfig(botAcc, false), db, pingCore(&a))
	a = b.a
	fran, room := groupWith(t, botAcc.UserID, false)
	b.stopBot(t)

	msg := fran.say(room, "a message offering an action")
	pend := func() {
		t.Helper()
		if _, err := db.Exec(`INSERT INTO peerbot_matrix_actions (event_id, emoji, command, reaction_id) VALUES (?, '✅', 'agree', ?)
			ON CONFLICT (event_id, emoji) DO UPDATE SET reaction_id = excluded.reaction_id`, msg.String(), pendingPrefix+room.String()); err != nil {
			t.Fatal(err)
		}
	}
	stored := func() id.EventID {
		t.Helper()
		acts, err := (tables{db: db}).actions(context.Background(), msg)
		if err != nil || len(acts) != 1 {
			t.Fatalf("actions = %v, %v; want one", acts, err)
		}
		return acts[0].Reaction
	}
	ownReactions := func() []*event.Event {
		return fran.seen(func(e *event.Event) bool {
			return e.Type == event.EventReaction && e.Sender == botAcc.UserID && e.Content.AsReaction().RelatesTo.EventID == msg
		})
	}

	// Recorded, never sent.
	pend()
	b = startBot(t, botConfig(botAcc, false), db, pingCore(&a))
	a = b.a
	sent := fran.waitEvent("the resumed reaction", func(e *event.Event) bool {
		return e.Type == event.EventReaction && e.Sender == botAcc.UserID && e.Content.AsReaction().RelatesTo.EventID == msg
	})
	b.stopBot(t)
	if got := stored(); got != sent.ID {
		t.Fatalf("stored reaction %q, want %q", got, sent.ID)
	}

	// Sent, its id lost.
	pend()
	b = startBot(t, botConfig(botAcc, false), db, pingCore(&a))
	a = b.a
	fran.say(room, "!ping")
	fran.waitNotice(room, botAcc.UserID, "pong")
	b.stopBot(t)
	if got := stored(); got != sent.ID {
		t.Errorf("stored reaction after the resend %q, want the first one %q", got, sent.ID)
	}
	if n := len(ownReactions()); n != 1 {
		t.Errorf("fran saw %d reactions of the bot on the message, want 1", n)
	}
}
