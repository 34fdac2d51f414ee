package matrix

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// TestNoDeadEnds plays the cases of issue #9 ("No dead ends") on Matrix,
// with the real core and store, in one group whose facilitators have their
// own room. Each step is what a member in distress would do; the checks
// are what they, the group room and the facilitators see. The steps share
// the group and run in order: a round opens after the first one.
func TestNoDeadEnds(t *testing.T) {
	g := newFacilitatedGroup(t)
	me, fran, alice, bob, pb := g.me, g.fran, g.alice, g.bob, g.pb
	room, team, aliceDM, bobDM := g.room, g.team, g.aliceDM, g.bobDM

	// Steps share the people, whose helpers fail the whole test.
	step := func(name string, f func()) {
		t.Helper()
		t.Logf("step: %s", name)
		f()
	}

	// The facilitators' room as the server has it: what the bot posted.
	teamSays := func() []posted {
		var out []posted
		for _, m := range fran.timeline(team) {
			if m.Sender == me {
				out = append(out, m)
			}
		}
		return out
	}
	// A copy for the facilitators: the context line in the plain body, the
	// words only in the formatted body, behind a spoiler with its warning.
	spoiler := func(words string) string {
		return `<span data-mx-spoiler="a member&#39;s own words">` + words + `</span>`
	}
	checkCopy := func(e *event.Event, words string) {
		t.Helper()
		m := msgOf(e)
		if !strings.Contains(m.FormattedBody, spoiler(words)) {
			t.Errorf("facilitators' copy %q lacks the words %q behind a spoiler", m.FormattedBody, words)
		}
		if !strings.Contains(m.Body, "[Spoiler: a member's own words]") || strings.Contains(m.Body, words) {
			t.Errorf("facilitators' copy has plain body %q: want the warning, not the words", m.Body)
		}
	}
	// An answer with a route to help: crisis lines and the offer of
	// !support, as text and as the bot's 🤝 on the message.
	wantRoute := func(p *person, dm id.RoomID, e *event.Event) {
		t.Helper()
		body := msgOf(e).Body
		if !strings.Contains(body, "Samaritans") || !strings.Contains(body, "116 123") || !strings.Contains(body, "!support") {
			t.Errorf("answer %q lacks crisis lines or the offer of !support", body)
		}
		p.waitEvent("the bot's 🤝 on the answer", func(r *event.Event) bool {
			rel := r.Content.AsReaction().RelatesTo
			return r.RoomID == dm && r.Type == event.EventReaction && r.Sender == me && rel.EventID == e.ID && rel.Key == "🤝"
		})
	}

	step("red with no round open", func() {
		alice.say(room, "!checkin red I can't keep myself safe tonight")
		note := alice.waitNotice(aliceDM, me, "There's no check-in round open in your group right now")
		wantRoute(alice, aliceDM, note)
		alice.waitEvent("the bot's 🌱 on the note", func(r *event.Event) bool {
			rel := r.Content.AsReaction().RelatesTo
			return r.Type == event.EventReaction && r.Sender == me && rel.EventID == note.ID && rel.Key == "🌱"
		})
	})

	var status *event.Event
	step("the round status has the standing help line", func() {
		cmd := fran.say(room, "!round start 30 How are you arriving today?")
		status = alice.waitNoticeAfter(room, me, "Check-in round: How are you arriving today?", cmd)
		if body := msgOf(status).Body; !strings.Contains(body, "Need help now? !crisis — only you see the answer.") {
			t.Errorf("round status %q lacks the standing help line", body)
		}
		// The red check-in before asked for nothing: the round started
		// after it, and the facilitators heard nothing of it.
		if said := teamSays(); len(said) != 0 {
			t.Errorf("the facilitators were told about a red check-in nobody asked them to see: %q", said)
		}
	})

	step("a check-in sent privately shows no colour", func() {
		cmd := bob.say(bobDM, "checkin amber tired today")
		ack := bob.waitNoticeAfter(bobDM, me, "Your check-in is in: 🟠 amber", cmd)
		if body := msgOf(ack).Body; !strings.Contains(body, "the group sees that you checked in, not your colour") {
			t.Errorf("acknowledgement %q does not say who sees the colour", body)
		}
		edit := alice.waitEvent("the status edited with bob", func(e *event.Event) bool {
			m := msgOf(e)
			return m.NewContent != nil && m.RelatesTo.GetReplaceID() == status.ID &&
				strings.Contains(m.NewContent.Body, bob.acc.UserID.Localpart()+": checked in")
		})
		for _, line := range strings.Split(msgOf(edit).NewContent.Body, "\n") {
			if strings.Contains(line, bob.acc.UserID.Localpart()) && (strings.Contains(line, "amber") || strings.Contains(line, "🟠") ||
				strings.Contains(line, "tired")) {
				t.Errorf("status shows what bob sent privately: %q", line)
			}
		}
	})

	step("a private check-in typed in the room", func() {
		nextNote := alice.expect(aliceDM, me, "You don't have to hold this alone")
		nextCopy := fran.expect(team, me, "checked in privately: 🔴 red. They were shown crisis lines. They haven't asked for contact")
		cmd := alice.say(room, "!checkin private red it is bad tonight")
		alice.waitEvent("the redaction of the private check-in", func(e *event.Event) bool {
			return e.Type == event.EventRedaction && e.Redacts == cmd
		})
		ack := alice.waitNotice(aliceDM, me, "Your words and colour went only to the facilitators")
		if body := msgOf(ack).Body; !strings.Contains(body, "people there may have seen it before I removed it") {
			t.Errorf("acknowledgement %q does not say people may have seen the command before it was removed", body)
		}
		wantRoute(alice, aliceDM, nextNote())
		copied := nextCopy()
		checkCopy(copied, "it is bad tonight")
		if body := msgOf(copied).Body; !strings.Contains(body, "Look after yourselves too") {
			t.Errorf("the first copy of the round %q lacks the facilitators' self-care line", body)
		}
		alice.waitEvent("the status edited with alice", func(e *event.Event) bool {
			m := msgOf(e)
			return m.NewContent != nil && m.RelatesTo.GetReplaceID() == status.ID &&
				strings.Contains(m.NewContent.Body, alice.acc.UserID.Localpart()+": checked in")
		})
	})

	var bobNote *event.Event
	step("red words over the limit are forwarded cut", func() {
		words := strings.Repeat("a", 450) + " " + strings.Repeat("b", 150)
		nextCopy := fran.expect(team, me, "(Cut at 500 characters; they wrote 601.)")
		cmd := bob.say(bobDM, "!checkin private red "+words)
		ack := bob.waitNoticeAfter(bobDM, me, "I've updated your check-in: 🔴 red", cmd)
		if body := msgOf(ack).Body; !strings.Contains(body, "the facilitators got the first 500") {
			t.Errorf("acknowledgement %q does not say the words were cut", body)
		}
		bobNote = bob.waitNoticeAfter(bobDM, me, "You don't have to hold this alone", cmd)
		wantRoute(bob, bobDM, bobNote)
		copied := nextCopy()
		checkCopy(copied, words[:500])
		m := msgOf(copied)
		if strings.Contains(m.FormattedBody, words[:501]) {
			t.Error("the facilitators got more than 500 characters")
		}
		if strings.Contains(m.Body, "Look after yourselves") {
			t.Error("the self-care line came twice in one round")
		}
	})

	step("the 🌱 reaction reaches the facilitators", func() {
		bob.waitEvent("the bot's 🌱 on bob's note", func(r *event.Event) bool {
			rel := r.Content.AsReaction().RelatesTo
			return r.Type == event.EventReaction && r.Sender == me && rel.EventID == bobNote.ID && rel.Key == "🌱"
		})
		next := fran.expect(team, me, "says things feel a bit safer now")
		bob.react(bobDM, bobNote.ID, "🌱")
		if body := msgOf(next()).Body; !strings.Contains(body, bob.acc.UserID.Localpart()) || strings.Contains(body, "Look after yourselves") {
			t.Errorf("the facilitators' copy %q does not name bob, or repeats the self-care line", body)
		}
		thanks := bob.waitNotice(bobDM, me, "I've passed it on to the facilitators")
		if body := msgOf(thanks).Body; !strings.Contains(body, "116 123") {
			t.Errorf("answer to 🌱 %q lacks the lines", body)
		}
	})

	step("support again with new words is forwarded", func() {
		const asks = "would like someone to reach out to them"
		nextCopy := fran.expect(team, me, asks)
		first := alice.say(aliceDM, "!support")
		if body := msgOf(nextCopy()).Body; !strings.Contains(body, alice.acc.UserID.Localpart()) {
			t.Errorf("the facilitators' copy %q does not name alice", body)
		}
		alice.waitNoticeAfter(aliceDM, me, "Your message reached the facilitators", first)
		nextCopy = fran.expect(team, me, asks)
		second := alice.say(aliceDM, "support I took some pills")
		checkCopy(nextCopy(), "I took some pills")
		// They asked already: the lines, and 🌱 for when things ease.
		sent := alice.waitNoticeAfter(aliceDM, me, "Your message reached the facilitators", second)
		if body := msgOf(sent).Body; !strings.Contains(body, "116 123") {
			t.Errorf("answer %q lacks the lines", body)
		}
		alice.waitEvent("the bot's 🌱 on the answer", func(r *event.Event) bool {
			rel := r.Content.AsReaction().RelatesTo
			return r.Type == event.EventReaction && r.Sender == me && rel.EventID == sent.ID && rel.Key == "🌱"
		})

		nextSafer := fran.expect(team, me, "says things feel a bit safer now")
		alice.say(aliceDM, "!safer")
		if body := msgOf(nextSafer()).Body; !strings.Contains(body, alice.acc.UserID.Localpart()) {
			t.Errorf("the facilitators' copy %q does not name alice", body)
		}
	})

	step("signpost", func() {
		cmd := fran.say(room, "!signpost")
		e := alice.waitNoticeAfter(room, me, "If anyone needs support right now", cmd)
		m := msgOf(e)
		for _, p := range []*person{alice, bob, fran} {
			if strings.Contains(m.Body+m.FormattedBody, p.acc.UserID.Localpart()) {
				t.Errorf("the signpost names %s: %q", p.acc.UserID, m.Body)
			}
		}
	})

	step("a plain private message", func() {
		msg := alice.say(aliceDM, "I want to die")
		e := alice.waitNoticeAfter(aliceDM, me, "I'm a bot, so I can only answer commands", msg)
		wantRoute(alice, aliceDM, e)
		// The same words in the group room are chat: not read, not answered.
		chat := bob.say(room, "I want to die")
		next := bob.expect(bobDM, me, "I've updated your check-in: 🟢 green")
		bob.say(room, "!checkin green")
		next()
		if n := len(bob.seen(func(e *event.Event) bool {
			return e.Sender == me && bob.after(chat, e.ID) && e.RoomID != room && !strings.Contains(msgOf(e).Body, "green")
		})); n != 0 {
			t.Errorf("chat in the room was answered %d times", n)
		}
		pb.noneStored(t, "want to die", "keep myself safe")
	})

	step("the database failing", func() {
		pb.broken.Store(true)
		defer pb.broken.Store(false)
		for _, c := range []struct {
			room id.RoomID
			text string
		}{
			{aliceDM, "!crisis"},
			{aliceDM, "!checkin red"},
			{room, "!checkin red"},
			{room, "!crisis"},
		} {
			next := alice.expect(aliceDM, me, "something went wrong")
			alice.say(c.room, c.text)
			wantRoute(alice, aliceDM, next())
		}
	})

	// Nothing private reached the group room.
	for _, m := range alice.timeline(room) {
		if m.Sender == me {
			for _, secret := range []string{"Samaritans", "116 123", "bad tonight", "pills", "aaaa", "something went wrong",
				"I'm a bot", "private replies"} {
				if strings.Contains(m.Body, secret) {
					t.Errorf("%q reached the room: %q", secret, m.Body)
				}
			}
		}
		if m.Sender == alice.acc.UserID && strings.Contains(m.Body, "private") {
			t.Errorf("alice's private check-in stayed in the room: %q", m.Body)
		}
	}
	var cared []string
	for _, m := range teamSays() {
		if strings.Contains(m.Body, "Look after yourselves") {
			cared = append(cared, m.ID.String()+": "+m.Body)
		}
	}
	if len(cared) != 1 {
		t.Errorf("the facilitators' self-care line came %d times in one round, want once: %q", len(cared), cared)
	}
}

// noneStored fails the test when any of the phrases is stored anywhere in
// peerbot's database: in any table (the core's, the adapter's, mautrix's
// state and crypto stores) or anywhere in the file and its write-ahead log.
func (p *peerbot) noneStored(t *testing.T, phrases ...string) {
	t.Helper()
	ctx := context.Background()
	db := p.st.DB()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(tables) < 10 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	for _, phrase := range phrases {
		for _, hit := range storetest.Mentions(t, db, phrase, tables...) {
			t.Errorf("%q is stored: %s", phrase, hit)
		}
	}
	for _, file := range []string{p.path, p.path + "-wal"} {
		b, err := os.ReadFile(file)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, phrase := range phrases {
			if bytes.Contains(bytes.ToLower(b), []byte(phrase)) {
				t.Errorf("%q is in the bytes of %s", phrase, file)
			}
		}
	}
}

// facilitatedGroup is a group room with fran as its facilitator and alice
// and bob as members (each welcomed in a DM with the bot), plus the
// facilitators' room of fran and the bot, on a peerbot with a manual clock.
type facilitatedGroup struct {
	me                                 id.UserID
	fran, alice, bob                   *person
	clock                              *bot.ManualClock
	pb                                 *peerbot
	room, team, aliceDM, bobDM, franDM id.RoomID
}

func newFacilitatedGroup(t *testing.T) facilitatedGroup {
	t.Helper()
	var g facilitatedGroup
	botAcc := register(t, "peerbot")
	me := botAcc.UserID
	g.me = me
	g.fran = newPerson(t, "fran", false)
	g.alice = newPerson(t, "alice", false)
	g.bob = newPerson(t, "bob", false)
	g.clock = bot.NewManualClock(time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC))
	g.pb = startPeerbot(t, botConfig(botAcc, false), g.clock)

	g.room = g.fran.createRoom(false, map[id.UserID]int{me: 50}, me)
	g.fran.waitJoined(g.room, me)
	g.fran.invite(g.room, g.alice.acc.UserID)
	g.fran.invite(g.room, g.bob.acc.UserID)
	g.alice.waitJoined(g.room, me)
	g.bob.waitJoined(g.room, me)
	g.aliceDM = g.alice.dmFrom(me)
	g.alice.waitNotice(g.aliceDM, me, "Welcome")
	g.bobDM = g.bob.dmFrom(me)
	g.bob.waitNotice(g.bobDM, me, "Welcome")

	// The facilitators' room: fran and the bot only.
	g.team = g.fran.createRoom(false, map[id.UserID]int{me: 50}, me)
	g.fran.waitJoined(g.team, me)
	waitFor(t, "the bot to see itself in the facilitators' room", func() bool {
		return g.pb.run.a.state.IsMembership(context.Background(), g.team, me, event.MembershipJoin)
	})
	g.fran.say(g.room, "!facilitators "+g.team.String())
	g.franDM = g.fran.dmFrom(me)
	g.fran.waitNotice(g.franDM, me, "now go to that channel")
	return g
}
