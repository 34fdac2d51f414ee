package matrix

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// TestAdapterPlumbing ensures, in an unencrypted and an encrypted room, that
// the adapter joins on invite, turns joins, commands, name-addressed
// commands and reactions into core events with the right ids, delivers
// public, private and edited notices where they belong, reads commands
// without prefix only in a DM room, hands other private messages to the
// core without their content, and redacts a sensitive command typed in the
// room before the core has it.
func TestAdapterPlumbing(t *testing.T) {
	for _, enc := range []bool{false, true} {
		name := "unencrypted"
		if enc {
			name = "encrypted"
		}
		t.Run(name, func(t *testing.T) { testPlumbing(t, enc) })
	}
}

func testPlumbing(t *testing.T, enc bool) {
	botAcc := register(t, "peerbot")
	fran := newPerson(t, "fran", enc)
	alice := newPerson(t, "alice", enc)

	var a *Adapter
	var menuRef bot.MessageRef
	fc := newFakeCore(nil)
	fc.answer = func(ctx context.Context, ev bot.Event) error {
		if ev.Kind != bot.EventCommand {
			return nil
		}
		var r bot.Reply
		switch ev.Command.Name {
		case "ping":
			r = bot.Reply{Visibility: bot.Public, Group: ev.Group, Channel: ev.Channel, Text: bot.T("pong for ").U(ev.Member.Name)}
		case "secret":
			r = bot.Reply{Visibility: bot.Private, Group: ev.Group, To: ev.Member.ID, Text: bot.T("only for you")}
		case "crisis":
			r = bot.Reply{Visibility: bot.Private, Group: ev.Group, To: ev.Member.ID, Text: bot.T("crisis lines here")}
		case "menu":
			r = bot.Reply{Visibility: bot.Public, Group: ev.Group, Channel: ev.Channel, Text: bot.T("the menu"),
				Actions: []bot.Action{{Command: "agree", Label: "I agree", Emoji: "✅"}}}
			ref, err := a.Deliver(ctx, r)
			menuRef = ref
			return err
		case "keep": // an edit with nil actions keeps them
			r = bot.Reply{Visibility: bot.Public, Group: ev.Group, Channel: ev.Channel, Text: bot.T("menu kept"), Edit: menuRef}
		case "close": // an edit with no actions withdraws them
			r = bot.Reply{Visibility: bot.Public, Group: ev.Group, Channel: ev.Channel, Text: bot.T("menu closed"), Edit: menuRef, Actions: []bot.Action{}}
		case "count":
			r = bot.Reply{Visibility: bot.Public, Group: ev.Group, Channel: ev.Channel, Text: bot.T("count 1")}
			ref, err := a.Deliver(ctx, r)
			if err != nil {
				return err
			}
			r.Text, r.Edit = bot.T("count 2"), ref
		default:
			return nil
		}
		_, err := a.Deliver(ctx, r)
		return err
	}
	b := startBot(t, botConfig(botAcc, enc), openDB(t, filepath.Join(t.TempDir(), "bot.db")), fc)
	a = b.a

	room := fran.createRoom(enc, map[id.UserID]int{botAcc.UserID: 50}, botAcc.UserID)
	fran.waitJoined(room, botAcc.UserID)
	fran.invite(room, alice.acc.UserID)
	fran.waitJoined(room, alice.acc.UserID)
	alice.waitJoined(room, botAcc.UserID)

	join := fc.waitEvent(t, "alice's join", func(e bot.Event) bool {
		return e.Kind == bot.EventJoin && e.Member.ID == memberID(alice.acc.UserID)
	})
	if join.Group != groupID(room) || join.Channel != channelID(room) || join.Member.Facilitator {
		t.Errorf("join event = %+v, want group and channel of the room, not a facilitator", join)
	}

	alice.say(room, "!ping")
	notice := alice.waitNotice(room, botAcc.UserID, "pong for")
	m := msgOf(notice)
	if m.MsgType != event.MsgNotice || m.Format != event.FormatHTML || m.Mentions == nil || m.Mentions.Room || len(m.Mentions.UserIDs) != 0 {
		t.Errorf("reply = %+v, want an m.notice with HTML and empty m.mentions", m)
	}
	if enc && notice.Mautrix.EventSource&event.SourceDecrypted == 0 {
		t.Error("reply in an encrypted room was not encrypted")
	}
	ping := fc.waitEvent(t, "!ping", func(e bot.Event) bool { return e.Command.Name == "ping" })
	if ping.ID == "" || ping.Private || ping.Group != groupID(room) {
		t.Errorf("ping event = %+v, want an id, public, in the room's group", ping)
	}

	// A structured command (MSC4391) is read by its arguments: these
	// words start like a colour, and stay words.
	structured := &event.MessageEventContent{MsgType: event.MsgText, Body: "/checkin red flag",
		Mentions:          &event.Mentions{UserIDs: []id.UserID{botAcc.UserID}},
		MSC4391BotCommand: &event.MSC4391BotCommandInput{Command: "checkin", Arguments: json.RawMessage(`{"words":"red flag"}`)}}
	if err := retry(func() error {
		_, err := alice.cli.SendMessageEvent(context.Background(), room, event.EventMessage, structured)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	checkin := fc.waitEvent(t, "the structured checkin", func(e bot.Event) bool { return e.Command.Name == "checkin" })
	if checkin.Command.Text("words") != "red flag" || checkin.Command.Colour("colour") != bot.NoColour || checkin.Command.Err() != nil {
		t.Errorf("structured checkin = %v, want words %q and no colour", checkin.Command, "red flag")
	}

	fran.say(room, botAcc.UserID.Localpart()+": ping")
	franPing := fc.waitEvent(t, "name-addressed ping", func(e bot.Event) bool {
		return e.Command.Name == "ping" && e.Member.ID == memberID(fran.acc.UserID)
	})
	if !franPing.Member.Facilitator {
		t.Error("fran (power 100) was not a facilitator")
	}

	alice.say(room, "!secret")
	dm := alice.dmFrom(botAcc.UserID)
	alice.waitNotice(dm, botAcc.UserID, "only for you")

	alice.say(dm, "!secret")
	priv := fc.waitEvent(t, "a DM command", func(e bot.Event) bool { return e.Command.Name == "secret" && e.Private })
	if priv.Group != "" || priv.Channel != "" {
		t.Errorf("DM event = %+v, want no group or channel", priv)
	}
	// In the DM no prefix is needed; in the room, words without it are chat.
	alice.say(dm, "support no prefix needed")
	bare := fc.waitEvent(t, "a DM command without prefix", func(e bot.Event) bool { return e.Command.Name == "support" && e.Private })
	if bare.Command.Text("words") != "no prefix needed" || bare.Command.Err() != nil {
		t.Errorf("DM command without prefix = %v, want support with its words", bare.Command)
	}
	alice.say(room, "support is chat here")

	crisis := alice.say(room, "!crisis")
	alice.waitEvent("the redaction of !crisis", func(e *event.Event) bool {
		return e.Type == event.EventRedaction && e.Redacts == crisis
	})
	alice.waitNotice(dm, botAcc.UserID, "crisis lines here")
	if ev := fc.waitEvent(t, "!crisis", func(e bot.Event) bool { return e.ID == crisis.String() }); !ev.Removed {
		t.Errorf("!crisis event = %+v, want Removed: it was redacted before the core had it", ev)
	}

	// Plain private messages reach the core without their content; chat in
	// the room, notices and edits do not reach it at all.
	plain := alice.say(dm, "I want to die")
	hello := alice.say(dm, "hello there") // no command's name: a message
	picture, err := alice.cli.SendMessageEvent(context.Background(), dm, event.EventMessage, &event.MessageEventContent{
		MsgType: event.MsgImage, Body: "a photo of my arm", URL: "mxc://localhost/nothing"})
	if err != nil {
		t.Fatal(err)
	}
	alice.say(room, "I want to die")
	if _, err := alice.cli.SendNotice(context.Background(), dm, "a notice"); err != nil {
		t.Fatal(err)
	}
	fix := &event.MessageEventContent{MsgType: event.MsgText, Body: "* I want to die now"}
	fix.SetEdit(plain)
	if _, err := alice.cli.SendMessageEvent(context.Background(), dm, event.EventMessage, fix); err != nil {
		t.Fatal(err)
	}
	marker := alice.say(dm, "!marker")
	fc.waitEvent(t, "the marker", func(e bot.Event) bool { return e.ID == marker.String() })
	for _, want := range []id.EventID{plain, hello, picture.EventID} {
		ev := fc.waitEvent(t, "a plain private message", func(e bot.Event) bool { return e.ID == want.String() })
		if ev.Kind != bot.EventMessage || !ev.Private || ev.Group != "" || ev.Member.ID != memberID(alice.acc.UserID) {
			t.Errorf("private message event = %+v, want EventMessage, private, from alice, no group", ev)
		}
		if got := fmt.Sprintf("%+v", ev); strings.Contains(got, "die") || strings.Contains(got, "hello") || strings.Contains(got, "arm") || ev.Command.Name != "" {
			t.Errorf("private message event carries its content: %s", got)
		}
	}
	if n := fc.count(func(e bot.Event) bool { return e.Kind == bot.EventMessage }); n != 3 {
		t.Errorf("%d message events, want 3: chat in the room, a notice and an edit are not messages to the bot", n)
	}

	alice.say(room, "!menu")
	menu := alice.waitNotice(room, botAcc.UserID, "the menu")
	if body := msgOf(menu).Body; !strings.Contains(body, "✅") || !strings.Contains(body, "!agree") {
		t.Errorf("menu body %q does not name the reaction and the text command", body)
	}
	alice.waitEvent("the bot's own ✅", func(e *event.Event) bool {
		return e.Type == event.EventReaction && e.Sender == botAcc.UserID
	})
	alice.react(room, menu.ID, "✅")
	fc.waitEvent(t, "agree by reaction", func(e bot.Event) bool {
		return e.Command.Name == "agree" && e.Member.ID == memberID(alice.acc.UserID) && e.Group == groupID(room)
	})

	alice.say(room, "!keep")
	alice.waitEvent("the menu kept with its actions", func(e *event.Event) bool {
		m := msgOf(e)
		return m.NewContent != nil && m.RelatesTo.GetReplaceID() == menu.ID && strings.HasPrefix(m.NewContent.Body, "menu kept\nReact with ✅")
	})
	ownReaction := alice.seen(func(e *event.Event) bool { return e.Type == event.EventReaction && e.Sender == botAcc.UserID })[0]
	alice.say(room, "!close")
	alice.waitEvent("the menu closed without actions", func(e *event.Event) bool {
		m := msgOf(e)
		return m.NewContent != nil && m.RelatesTo.GetReplaceID() == menu.ID && m.NewContent.Body == "menu closed"
	})
	alice.waitEvent("the bot's ✅ withdrawn", func(e *event.Event) bool {
		return e.Type == event.EventRedaction && e.Redacts == ownReaction.ID
	})
	fran.react(room, menu.ID, "✅")
	fran.say(room, "!ping")
	fc.waitEvent(t, "fran's ping after her reaction", func(e bot.Event) bool {
		return e.Command.Name == "ping" && e.Member.ID == memberID(fran.acc.UserID) && e.ID != franPing.ID
	})
	if n := fc.count(func(e bot.Event) bool { return e.Command.Name == "agree" && e.Member.ID == memberID(fran.acc.UserID) }); n != 0 {
		t.Errorf("a reaction on a closed menu ran its command %d times", n)
	}

	if n := fc.count(func(e bot.Event) bool { return e.Command.Name == "support" && !e.Private }); n != 0 {
		t.Errorf("chat without prefix in the room became %d commands", n)
	}

	alice.say(room, "!count")
	alice.waitEvent("the edit to count 2", func(e *event.Event) bool {
		m := msgOf(e)
		return e.Sender == botAcc.UserID && m.NewContent != nil && m.NewContent.Body == "count 2" &&
			m.RelatesTo.GetReplaceID() != ""
	})

	for _, m := range alice.timeline(room) {
		if strings.Contains(m.Body, "only for you") || strings.Contains(m.Body, "crisis lines here") {
			t.Errorf("private reply in the room timeline: %q", m.Body)
		}
	}
	var direct map[id.UserID][]id.RoomID
	if err := a.cli.GetAccountData(context.Background(), event.AccountDataDirectChats.Type, &direct); err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(direct); !strings.Contains(string(b), dm.String()) {
		t.Errorf("m.direct = %s, want it to record %s", b, dm)
	}
}
