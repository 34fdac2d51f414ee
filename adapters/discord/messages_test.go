package discord

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
	"github.com/peerbot/peerbot/store/storetest"
)

// TestPrivateMessageAnswered ensures a plain DM to the bot ("I want to
// die") is answered in that DM with the core's pointer, crisis lines and
// the offer of /support (a button too); nobody else sees anything; and
// nothing of what the member wrote is stored, logged or sent anywhere.
func TestPrivateMessageAnswered(t *testing.T) {
	st, dir := fileStore(t)
	h := startHarness(t, nil, st, 0)
	const said = "I want to die"
	answer := h.dm(ana, said)
	if len(answer) != 1 {
		t.Fatalf("Ana got %d messages in her DM, want one answer: %+v", len(answer), answer)
	}
	got := answer[0].Content
	for _, want := range []string{"`/help`", "116 123", "`/support`"} {
		if !strings.Contains(got, want) {
			t.Errorf("the answer lacks %q: %q", want, got)
		}
	}
	if ids := buttonIDs(answer[0]); !contains(ids, "pb:support") {
		t.Errorf("the answer has buttons %v; want the support button", ids)
	}
	for _, ch := range []string{groupCh, facCh, openCh} {
		if ms := h.f.ChannelMessages(ch); len(ms) != 0 {
			t.Errorf("channel %s got %+v", ch, ms)
		}
	}
	if h.f.DMChannel(fac) != "" {
		t.Error("the facilitator was sent a DM")
	}
	for _, r := range h.f.Requests() {
		if strings.Contains(string(r.Body), said) {
			t.Errorf("the member's words left the DM: %s %s", r.Method, r.Path)
		}
	}
	if strings.Contains(h.logs.String(), said) {
		t.Error("the logs contain the member's words")
	}
	if where := storeHolds(t, dir, said); len(where) > 0 {
		t.Errorf("the store holds the member's words: %v", where)
	}
	h.checkPayloads()
}

// TestPrivateMessageOfferWorks ensures the offer in the answer to a plain
// DM works from the DM: the member presses "Let a facilitator know" there,
// the facilitator of their group is told, and the member is told it
// reached them.
func TestPrivateMessageOfferWorks(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start")) // Fran is the facilitator to tell
	h.ephemeral(h.slash(ana, groupCh, "round", "status"))            // Ana is known in the group
	answer := h.dm(ana, "can anyone talk")
	if len(answer) != 1 {
		t.Fatalf("Ana got %+v", answer)
	}
	in := h.click(ana, answer[0].ID, "pb:support")
	if got := strings.Join(h.ephemeral(in), "\n"); !strings.Contains(got, "reached the facilitators") {
		t.Errorf("Ana saw %q after pressing the support button", got)
	}
	dms := h.dmsOf(fac)
	if len(dms) != 1 || !about(dms[0], "Ana", "would like someone to reach out") || strings.Contains(dms[0], "can anyone talk") {
		t.Errorf("the facilitator got %q; want Ana's request, without her DM's words", dms)
	}
	h.checkPayloads()
}

// TestPrivateMessageEvent ensures a DM reaches the core as
// bot.EventMessage without its text, whatever it says (a command typed as
// text too): private, no group, the message's id for de-duplication, the
// member's name; and that messages in servers, the bot's own messages,
// other bots' and system messages reach the core not at all.
func TestPrivateMessageEvent(t *testing.T) {
	var h *harness
	sc := &scriptedCore{}
	sc.script = func(ctx context.Context, ev bot.Event) bot.Outcome {
		_, err := h.a.Deliver(ctx, bot.Reply{Visibility: bot.Private, To: ev.Member.ID, ToName: ev.Member.Name, InReplyTo: ev.ID, Text: bot.T("Pointer.")})
		return outcomeOf(err)
	}
	h = newHarnessWith(t, sc)
	for _, text := range []string{"I want to die", "!checkin red", "/crisis", ""} {
		before := sc.count()
		id := h.f.DM(ana, text)
		h.waitEvent("message:" + id)
		if sc.count() != before+1 {
			t.Fatalf("DM %q: %d events, want one", text, sc.count()-before)
		}
		ev := sc.last()
		want := bot.Event{ID: "discord:" + id, Kind: bot.EventMessage, Private: true, Member: bot.Member{ID: "discord:" + ana, Name: "Ana", Handle: "ana, id " + ana}}
		if ev.ID != want.ID || ev.Kind != want.Kind || !ev.Private || ev.Member != want.Member || ev.Group != "" || ev.Channel != "" ||
			ev.Command.Name != "" || ev.Removed {
			t.Errorf("DM %q became %+v\nwant %+v", text, ev, want)
		}
	}
	answers := h.f.ChannelMessages(h.f.DMChannel(ana))
	if len(answers) != 4 {
		t.Errorf("%d answers in Ana's DM, want 4", len(answers))
	}
	// The bot's own answers came back as MESSAGE_CREATE and were ignored.
	for _, m := range answers {
		h.waitEvent("message:" + m.ID)
	}

	// A member's message in a server channel: Discord does not send it to
	// a bot without the guild messages intent.
	h.f.Post(ben, groupCh, "I want to die")
	// Should one arrive all the same (or from another bot, or a system
	// message in a DM), it is not read.
	dmCh := h.f.DMChannel(ana)
	msg := func(id, ch string, author map[string]any, typ int, extra map[string]any) {
		p := map[string]any{"id": id, "channel_id": ch, "author": author, "content": "I want to die", "type": typ,
			"timestamp": "2026-11-26T18:00:00Z", "tts": false, "mention_everyone": false, "mentions": []any{},
			"mention_roles": []any{}, "attachments": []any{}, "embeds": []any{}, "pinned": false}
		for k, v := range extra {
			p[k] = v
		}
		h.f.Dispatch("MESSAGE_CREATE", p)
		h.waitEvent("message:" + id)
	}
	msg("700000000000000001", groupCh, h.f.UserJSON(ben), 0, map[string]any{"guild_id": guildID, "member": map[string]any{"roles": []any{}}})
	msg("700000000000000002", dmCh, map[string]any{"id": "100000000000000099", "username": "otherbot", "bot": true}, 0, nil)
	msg("700000000000000003", dmCh, h.f.UserJSON(ana), 6, nil) // "pinned a message"
	msg("700000000000000004", dmCh, map[string]any{"id": dt.BotID, "username": "peerbot"}, 0, nil)
	if n := sc.count(); n != 4 {
		t.Errorf("%d events reached the core, want only the 4 DMs", n)
	}
	h.checkPayloads()
}

// fileStore opens a store on a file in a directory of its own, for tests
// that look at what the file holds; it is closed when the test ends.
func fileStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(context.Background(), filepath.Join(dir, "peerbot.db"), store.WithKey(storetest.Key(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, dir
}

// storeHolds returns where the database in dir holds s as plain text: in
// any value of any table (read with SQL), or anywhere in the bytes of its
// files (the database, its write-ahead log).
func storeHolds(t *testing.T, dir, s string) []string {
	t.Helper()
	var where []string
	files, err := filepath.Glob(filepath.Join(dir, "peerbot.db*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no database files in %s: %v", dir, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			where = append(where, filepath.Base(f))
		}
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "peerbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return append(where, storetest.Mentions(t, db, s)...)
}
