package matrix

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"

	"github.com/peerbot/peerbot/bot"
)

// TestBigRoundStatus ensures, with the real core, that the status of a
// 1,000-member round in an encrypted room is sent and edited, each event
// within Matrix's 64 KiB, listing as many as fit and ending with "…and N
// more" with the counts intact, even when every name is made of the
// characters that grow most in an event ("&", "<", quotes).
func TestBigRoundStatus(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	alice := newPerson(t, "alice", true)
	pb := startPeerbot(t, botConfig(botAcc, true), bot.NewManualClock(time.Now()))
	fran, room := groupWith(t, me, true, alice)
	fran.say(room, "!round start 60 Big")
	status := alice.waitNotice(room, me, "Check-in round: Big")

	// 1,000 members checked in already, seeded into the open round.
	round, err := pb.st.OpenRound(ctx, channelID(room))
	if err != nil {
		t.Fatal(err)
	}
	const seeded = 1000
	at := time.Now()
	err = pb.st.InTx(ctx, func(tx bot.Store) error {
		for i := range seeded {
			m := bot.MemberID(fmt.Sprintf("matrix:@seed%d:localhost", i))
			name := fmt.Sprintf("%d", i) + strings.Repeat(`&<"'@`, 12)
			if err := tx.SaveMember(ctx, bot.MemberRecord{ID: m, Name: name}); err != nil {
				return err
			}
			if _, err := tx.AddMembership(ctx, groupID(room), m, at); err != nil {
				return err
			}
			if err := tx.PutCheckIn(ctx, bot.CheckIn{Round: round.ID, Member: m, MemberName: name, Colour: bot.Green, At: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed the round: %v", err)
	}

	for i, who := range []*person{alice, fran} {
		who.say(room, "!checkin amber")
		total := seeded + i + 1
		more := fmt.Sprintf("more (%d in this round so far; 0 of them passed).", total)
		edit := alice.waitEvent(fmt.Sprintf("the status edited with %d in the round", total), func(e *event.Event) bool {
			m := msgOf(e)
			return e.Sender == me && m.NewContent != nil && m.RelatesTo.GetReplaceID() == status.ID && strings.Contains(m.NewContent.Body, more)
		})
		body := msgOf(edit).NewContent.Body
		shown := strings.Count(body, "\n• ")
		var rest int
		if _, err := fmt.Sscanf(body[strings.Index(body, "…and ")+len("…and "):], "%d more", &rest); err != nil {
			t.Fatalf("no count of the rest in %q: %v", body[len(body)-300:], err)
		}
		if shown+rest != total || shown < 20 {
			t.Errorf("status lists %d and says %d more, want %d in all and a fair part shown", shown, rest, total)
		}
		raw, err := alice.cli.GetEvent(ctx, room, edit.ID)
		if err != nil {
			t.Fatal(err)
		}
		if raw.Type != event.EventEncrypted {
			t.Errorf("the status edit was not encrypted: %s", raw.Type)
		}
		b, err := json.Marshal(raw)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > maxEvent {
			t.Errorf("the status edit is %d bytes, over %d", len(b), maxEvent)
		}
		t.Logf("status edit: %d names shown, %d more, %d bytes as stored", shown, rest, len(b))
	}
}
