package discord

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// Scenario tests for "no dead ends" (issue #9) on Discord: each case of
// the issue that applies here, with what the member, the group and the
// facilitators see. The core's crisis lines for the harness's default
// country (GB) include Samaritans, 116 123.

const (
	samaritans = "116 123"
	supportCmd = "`/support`"
	warned     = "[cw: a member's own words] "
)

// said joins what a member saw privately for an interaction.
func (h *harness) said(in dt.Interaction) string {
	h.t.Helper()
	return strings.Join(h.ephemeral(in), "\n")
}

// privateButtons lists the buttons on everything a member saw privately
// for an interaction.
func privateButtons(in dt.Interaction) []string {
	var ids []string
	for _, m := range append([]*dt.Message{in.Original}, in.Followups...) {
		if m != nil {
			ids = append(ids, buttonIDs(*m)...)
		}
	}
	return ids
}

// withButton returns the message of an interaction's private answer that
// carries the button id.
func withButton(t *testing.T, in dt.Interaction, id string) dt.Message {
	t.Helper()
	for _, m := range append([]*dt.Message{in.Original}, in.Followups...) {
		if m != nil && contains(buttonIDs(*m), id) {
			return *m
		}
	}
	t.Fatalf("no private message with button %s: %v", id, privateButtons(in))
	return dt.Message{}
}

// dmsOf returns the contents of the bot's messages in its DM with user.
func (h *harness) dmsOf(user string) []string {
	var out []string
	if ch := h.f.DMChannel(user); ch != "" {
		for _, m := range h.f.ChannelMessages(ch) {
			out = append(out, m.Content)
		}
	}
	return out
}

// about reports whether a facilitators' message begins with the member's
// name (the core adds their handle or id after it) and says what.
func about(content, name, what string) bool {
	return strings.HasPrefix(content, name+" ") && strings.Contains(content, what)
}

// nothingTold asserts that nobody but the member was told anything: no
// message in the server's channels, no DM to the facilitator.
func (h *harness) nothingTold(chans ...string) {
	h.t.Helper()
	for _, ch := range chans {
		if ms := h.f.ChannelMessages(ch); len(ms) != 0 {
			h.t.Errorf("channel %s was sent %d messages: %q", ch, len(ms), ms[0].Content)
		}
	}
	if dms := h.dmsOf(fac); len(dms) != 0 {
		h.t.Errorf("the facilitator was sent %q", dms)
	}
}

// wordsSentOnlyTo asserts that words appear in no request other than
// those allowed.
func (h *harness) wordsSentOnlyTo(words string, allowed func(dt.Request) bool) {
	h.t.Helper()
	for _, r := range h.f.Requests() {
		if strings.Contains(string(r.Body), words) && !allowed(r) {
			h.t.Errorf("the words went to %s %s", r.Method, r.Path)
		}
	}
}

// TestRedCheckInWithNoRound ensures /checkin colour:red with words, sent
// when no round is open, gets the member crisis lines and the offer of
// /support (and its button) privately, tells nobody else, and stores
// nothing: no round, no check-in, not the words. The same after a round
// has closed.
func TestRedCheckInWithNoRound(t *testing.T) {
	st, dir := fileStore(t)
	h := startHarness(t, nil, st, 0)
	const words = "I can't keep myself safe tonight"
	in := h.slash(ana, groupCh, "checkin", "", dt.O("colour", "red"), dt.O("words", words))
	got := h.said(in)
	for _, want := range []string{"no check-in round open", samaritans, supportCmd} {
		if !strings.Contains(got, want) {
			t.Errorf("Ana saw %q; want it to say %q", got, want)
		}
	}
	if ids := privateButtons(in); !contains(ids, "pb:support") || !contains(ids, "pb:safer") {
		t.Errorf("Ana's answer has buttons %v; want support and safer", ids)
	}
	if strings.Contains(got, words) {
		t.Error("the answer repeats the member's words")
	}
	h.nothingTold(groupCh, facCh, openCh)
	h.wordsSentOnlyTo(words, func(dt.Request) bool { return false })
	if _, err := h.st.OpenRound(context.Background(), "discord:"+groupCh); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("a round is open after a check-in without one: %v", err)
	}
	if where := storeHolds(t, dir, words); len(where) > 0 {
		t.Errorf("the store holds the words: %v", where)
	}

	// The same after a round has closed.
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round end"))
	posted := len(h.f.ChannelMessages(groupCh))
	late := h.slash(ben, groupCh, "checkin", "", dt.O("colour", "red"))
	if got := h.said(late); !strings.Contains(got, "no check-in round open") || !strings.Contains(got, samaritans) || !strings.Contains(got, supportCmd) {
		t.Errorf("red after the round closed: Ben saw %q", got)
	}
	if n := len(h.f.ChannelMessages(groupCh)); n != posted {
		t.Errorf("the group channel got %d more messages", n-posted)
	}
	h.checkPayloads()
}

// TestRedCheckInLongWords covers red check-ins with long words. Words over
// the core's 500 characters cannot come from Discord: /checkin's words
// option (like /support's and /safer's) is registered with max_length
// 500, and the "Add words" form's field takes at most 500 too, so
// Discord's client sends no more (the fake refuses, as Discord does). So
// the test ensures those limits are the core's, and that a red check-in
// at the limit is whole where it goes: the member gets crisis lines, the
// facilitators all 500 characters behind a spoiler, with no note of a cut;
// and the form stores 500 characters whole.
func TestRedCheckInLongWords(t *testing.T) {
	h := newHarness(t)
	reg := h.f.RequestsTo("PUT", `/guilds/`+guildID+`/commands$`)
	var cmds []*discordgo.ApplicationCommand
	if len(reg) != 1 || json.Unmarshal(reg[0].Body, &cmds) != nil {
		t.Fatalf("registration: %+v", reg)
	}
	for _, c := range cmds {
		if c.Name != "checkin" && c.Name != "support" && c.Name != "safer" {
			continue
		}
		for _, o := range c.Options {
			if o.Name == "words" && o.MaxLength != 500 {
				t.Errorf("/%s words: max_length %d, want the core's 500", c.Name, o.MaxLength)
			}
		}
	}

	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	status := h.lastMessage(groupCh)
	open := h.click(ben, status.ID, "pbi:checkin")
	var modal struct {
		Components []dt.Component `json:"components"`
	}
	_ = json.Unmarshal(open.Data, &modal)
	if len(modal.Components) != 1 || modal.Components[0].Components[0].MaxLength != 500 {
		t.Fatalf("the Add words field: %s; want max_length 500", open.Data)
	}

	long := strings.Repeat("so tired ", 55)[:495] + " end."
	red := h.slash(ana, groupCh, "checkin", "", dt.O("private", true), dt.O("colour", "red"), dt.O("words", long))
	got := h.said(red)
	if !strings.Contains(got, samaritans) || !strings.Contains(got, supportCmd) || strings.Contains(got, "characters") {
		t.Errorf("Ana saw %q; want crisis lines and /support, and no word of a cut", got)
	}
	dms := h.dmsOf(fac)
	if len(dms) != 1 || !strings.Contains(dms[0], warned+"||"+escapeUser(long)+"||") || strings.Contains(dms[0], "Cut at") {
		t.Errorf("the facilitator got %q; want all 500 characters behind a spoiler, uncut", dms)
	}

	sub := h.submit(ben, open.ID, long)
	h.ephemeral(sub)
	if ci := h.checkInOf(h.openRound(), ben); ci.Words != long {
		t.Errorf("the form stored %d characters, want all 500", len(ci.Words))
	}
	h.checkPayloads()
}

// TestSupportAgainWithNewWords ensures a second /support within 10
// minutes with new words is forwarded to the facilitators, behind a
// spoiler, and the member told it reached them; a third without words is
// answered with crisis lines and sends nothing again.
func TestSupportAgainWithNewWords(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start")) // Fran is the facilitator to tell
	first := h.slash(ana, groupCh, "support", "")
	if got := h.said(first); !strings.Contains(got, "reached the facilitators") || !strings.Contains(got, samaritans) {
		t.Errorf("first /support: Ana saw %q", got)
	}
	if dms := h.dmsOf(fac); len(dms) != 1 || !about(dms[0], "Ana", "would like someone to reach out") {
		t.Fatalf("the facilitator got %q", dms)
	}

	h.clock.Advance(3 * time.Minute)
	const words = "I took some pills"
	second := h.slash(ana, groupCh, "support", "", dt.O("words", words))
	if got := h.said(second); !strings.Contains(got, "reached the facilitators") || strings.Contains(got, "a few minutes ago") {
		t.Errorf("second /support with words: Ana saw %q; want it passed on", got)
	}
	dms := h.dmsOf(fac)
	if len(dms) != 2 || !about(dms[1], "Ana", "would like someone to reach out") || !strings.Contains(dms[1], warned+"||"+words+"||") {
		t.Fatalf("the facilitator got %q; want the new words behind a spoiler", dms)
	}

	h.clock.Advance(time.Minute)
	third := h.slash(ana, groupCh, "support", "")
	if got := h.said(third); !strings.Contains(got, "a few minutes ago") || !strings.Contains(got, samaritans) {
		t.Errorf("third /support without words: Ana saw %q", got)
	}
	if n := len(h.dmsOf(fac)); n != 2 {
		t.Errorf("the facilitator got %d messages, want 2", n)
	}
	h.wordsSentOnlyTo(words, func(r dt.Request) bool { return strings.Contains(r.Path, "/channels/"+h.f.DMChannel(fac)+"/") })
	if ms := h.f.ChannelMessages(groupCh); len(ms) != 1 {
		t.Errorf("%d messages in the group channel, want the status only", len(ms))
	}
	h.checkPayloads()
}

// flakyStore fails, while fail is set, like a full disk or a database
// locked by another process: every transaction, and the reads the core
// would use to choose crisis lines.
type flakyStore struct {
	bot.Store
	fail atomic.Bool
}

var errLocked = errors.New("database is locked")

func (s *flakyStore) InTx(ctx context.Context, fn func(bot.Store) error) error {
	if s.fail.Load() {
		return errLocked
	}
	return s.Store.InTx(ctx, fn)
}

func (s *flakyStore) Member(ctx context.Context, id bot.MemberID) (bot.MemberRecord, error) {
	if s.fail.Load() {
		return bot.MemberRecord{}, errLocked
	}
	return s.Store.Member(ctx, id)
}

func (s *flakyStore) Group(ctx context.Context, id bot.GroupID) (bot.Group, error) {
	if s.fail.Load() {
		return bot.Group{}, errLocked
	}
	return s.Store.Group(ctx, id)
}

// TestHelpWhileDatabaseFails ensures that while the database fails, a
// member who runs /crisis, checks in red by slash command or by button, or
// writes "I want to die" in a DM still gets crisis lines and the offer of
// /support privately; the group's status and the facilitators hear
// nothing; and everything works again once the database does.
func TestHelpWhileDatabaseFails(t *testing.T) {
	fs := &flakyStore{Store: storetest.Open(t)}
	h := startHarness(t, nil, fs, 0)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	status := h.lastMessage(groupCh)

	fs.fail.Store(true)
	for name, in := range map[string]func() dt.Interaction{
		"/crisis":        func() dt.Interaction { return h.slash(ana, groupCh, "crisis", "") },
		"/checkin red":   func() dt.Interaction { return h.slash(ben, groupCh, "checkin", "", dt.O("colour", "red")) },
		"the Red button": func() dt.Interaction { return h.click(cat, status.ID, "pb:checkin red") },
		"/checkin red words": func() dt.Interaction {
			return h.slash(dee, groupCh, "checkin", "", dt.O("colour", "red"), dt.O("words", "bad night"))
		},
	} {
		i := in()
		msgs := h.ephemeral(i)
		got := strings.Join(msgs, "\n")
		// One answer: the core's apology, which carries the route to help.
		if len(msgs) != 1 || !strings.Contains(got, "Sorry") || !strings.Contains(got, samaritans) || !strings.Contains(got, supportCmd) {
			t.Errorf("%s with the database failing: the member saw %q; want the apology with crisis lines and /support", name, msgs)
		}
		if !contains(privateButtons(i), "pb:support") {
			t.Errorf("%s with the database failing: buttons %v; want support", name, privateButtons(i))
		}
	}
	answer := h.dm(ana, "I want to die")
	if len(answer) != 1 || !strings.Contains(answer[0].Content, "Sorry") || !strings.Contains(answer[0].Content, samaritans) ||
		!strings.Contains(answer[0].Content, supportCmd) {
		t.Errorf("a DM with the database failing: Ana got %+v", answer)
	}
	h.flush()
	if got, _ := h.f.Message(status.ID); got.Edits != 0 || len(h.f.ChannelMessages(groupCh)) != 1 {
		t.Errorf("the group saw something: status edited %d times, %d messages", got.Edits, len(h.f.ChannelMessages(groupCh)))
	}
	if dms := h.dmsOf(fac); len(dms) != 0 {
		t.Errorf("the facilitator was told %q", dms)
	}
	if strings.Contains(h.logs.String(), "bad night") {
		t.Error("the logs contain check-in words")
	}

	fs.fail.Store(false)
	again := h.slash(ben, groupCh, "checkin", "", dt.O("colour", "red"))
	if got := h.said(again); !strings.Contains(got, "Your check-in is in") || !strings.Contains(got, samaritans) {
		t.Errorf("after the database recovered: Ben saw %q", got)
	}
	h.flush()
	if got, _ := h.f.Message(status.ID); !strings.Contains(got.Content, "Ben: checked in") {
		t.Errorf("status after recovery: %q", got.Content)
	}
	h.checkPayloads()
}

// TestSlashCheckInHidesColour ensures a check-in by slash command (which
// nobody else sees) shows "checked in" in the group's status, not the
// colour, unless the member adds public:True; each acknowledgement says
// who sees the colour; the summary does not count the hidden colour; and
// the open round's status carries the standing line on /crisis.
func TestSlashCheckInHidesColour(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	hidden := h.said(h.slash(ana, groupCh, "checkin", "", dt.O("colour", "red")))
	shown := h.said(h.slash(ben, groupCh, "checkin", "", dt.O("colour", "red"), dt.O("public", true)))
	if !strings.Contains(hidden, "the group sees that you checked in, not your colour") || !strings.Contains(hidden, samaritans) {
		t.Errorf("Ana (private) was told %q", hidden)
	}
	if !strings.Contains(shown, "The group sees your colour") || !strings.Contains(shown, samaritans) {
		t.Errorf("Ben (public:True) was told %q", shown)
	}
	h.flush()
	status := h.lastMessage(groupCh)
	for _, want := range []string{"Ana: checked in", "Ben: 🔴 red", "Need help now? `/crisis` — only you see the answer."} {
		if !strings.Contains(status.Content, want) {
			t.Errorf("status lacks %q: %q", want, status.Content)
		}
	}
	if strings.Contains(status.Content, "Ana: 🔴") {
		t.Errorf("status shows Ana's colour: %q", status.Content)
	}
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round end"))
	summary := h.lastMessage(groupCh)
	if !strings.Contains(summary.Content, "🔴 red 1") || !strings.Contains(summary.Content, "privately 1") {
		t.Errorf("summary: %q; want one red shown and one private", summary.Content)
	}
	h.checkPayloads()
}

// TestFacilitatorsCopies ensures what the facilitators' channel gets about
// members: each member's words behind a spoiler with the content warning
// first (inert: no ping, no markdown, the spoiler not closable), a line of
// context (the colour, that crisis lines were shown, whether contact was
// asked for), and the line on their own wellbeing once per round.
func TestFacilitatorsCopies(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "facilitators", dt.O("channel", "#facilitators")))
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	const hard = "**hard** night || @everyone <@400000000000000002>"
	h.ephemeral(h.slash(ana, groupCh, "checkin", "", dt.O("private", true), dt.O("colour", "red"), dt.O("words", hard)))
	h.ephemeral(h.slash(ben, groupCh, "checkin", "", dt.O("private", true), dt.O("colour", "amber"), dt.O("words", "tired")))
	h.ephemeral(h.slash(cat, groupCh, "support", "", dt.O("words", "can someone message me")))
	const selfCare = "Look after yourselves too"
	copies := h.f.ChannelMessages(facCh)
	if len(copies) != 3 {
		t.Fatalf("%d messages in the facilitators' channel, want 3", len(copies))
	}
	ana := copies[0].Content
	if !about(ana, "Ana", "checked in privately: 🔴 red.") {
		t.Errorf("the copy of Ana's check-in: %q", ana)
	}
	for _, want := range []string{
		"They were shown crisis lines.", "They haven't asked for contact",
		warned + "||\\*\\*hard\\*\\* night \\|\\| @\u200beveryone \\<@\u200b400000000000000002\\>||", selfCare,
	} {
		if !strings.Contains(ana, want) {
			t.Errorf("the copy of Ana's check-in lacks %q: %q", want, ana)
		}
	}
	if !about(copies[1].Content, "Ben", "checked in privately: 🟠 amber.") || !strings.Contains(copies[1].Content, warned+"||tired||") {
		t.Errorf("the copy of Ben's check-in: %q", copies[1].Content)
	}
	if !about(copies[2].Content, "Cat", "would like someone to reach out") || !strings.Contains(copies[2].Content, warned+"||can someone message me||") {
		t.Errorf("the copy of Cat's request: %q", copies[2].Content)
	}
	for _, c := range copies[1:] {
		if strings.Contains(c.Content, selfCare) {
			t.Errorf("the self-care line came again in the same round: %q", c.Content)
		}
	}

	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round end"))
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	h.ephemeral(h.slash(dee, groupCh, "checkin", "", dt.O("private", true), dt.O("colour", "amber"), dt.O("words", "ok-ish")))
	copies = h.f.ChannelMessages(facCh)
	if len(copies) != 4 || !strings.Contains(copies[3].Content, selfCare) {
		t.Errorf("the next round's first copy lacks the self-care line: %q", copies[len(copies)-1].Content)
	}
	for _, m := range h.f.ChannelMessages(groupCh) {
		for _, w := range []string{"hard", "tired", "message me", "ok-ish"} {
			if strings.Contains(m.Content, w) {
				t.Errorf("the group channel shows %q: %q", w, m.Content)
			}
		}
	}
	if h.f.DMChannel(fac) != "" {
		t.Error("the facilitator was DMed although the facilitators' channel is set")
	}
	h.checkPayloads() // no copy pings anyone
}

// TestSignpost ensures /signpost (facilitators only) posts in the channel
// a neutral note on where help is, naming nobody, and tells the
// facilitator privately; members are not offered it, and a channel
// moderator who is offered it is refused, and nothing is posted.
func TestSignpost(t *testing.T) {
	h := newHarness(t)
	if _, err := h.f.TrySlash(ana, groupCh, facilitatorCommand, "signpost"); !errors.Is(err, dt.ErrNotOffered) {
		t.Errorf("Ana (no facilitator) could run /facilitator signpost: %v", err)
	}
	refused := h.said(h.slash(mod, openCh, facilitatorCommand, "signpost"))
	if !strings.Contains(strings.ToLower(refused), "facilitator") || len(h.f.ChannelMessages(openCh)) != 0 {
		t.Errorf("Mo (a channel moderator) was told %q; %d messages posted", refused, len(h.f.ChannelMessages(openCh)))
	}
	if got := h.said(h.slash(fac, groupCh, "facilitator", "signpost")); got != "Posted." {
		t.Errorf("Fran was told %q", got)
	}
	posts := h.f.ChannelMessages(groupCh)
	if len(posts) != 1 {
		t.Fatalf("%d messages in the group channel, want the note", len(posts))
	}
	note := posts[0].Content
	if !strings.Contains(note, "`/crisis`") || !strings.Contains(note, supportCmd) || !strings.Contains(note, "Only you see the answers") {
		t.Errorf("the note: %q", note)
	}
	for _, name := range []string{"Fran", "Ana", "Ben", "Cat", "Dee"} {
		if strings.Contains(note, name) {
			t.Errorf("the note names %s: %q", name, note)
		}
	}
	h.checkPayloads()
}

// TestSaferButton ensures the "I'm feeling a bit safer now" button on the
// red note sends /safer: the facilitators get it, and the member is told
// so, with crisis lines kept at hand and the support button.
func TestSaferButton(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	red := h.slash(ana, groupCh, "checkin", "", dt.O("colour", "red"))
	note := withButton(t, red, "pb:safer")
	label := ""
	for _, row := range dt.DecodeComponents(note.Components) {
		for _, c := range row.Components {
			if c.CustomID == "pb:safer" {
				label = c.Label
			}
		}
	}
	if label != "I'm feeling a bit safer now" {
		t.Errorf("the safer button's label is %q", label)
	}
	safer := h.click(ana, note.ID, "pb:safer")
	got := h.said(safer)
	if !strings.Contains(got, "passed it on to the facilitators") || !strings.Contains(got, samaritans) {
		t.Errorf("Ana saw %q", got)
	}
	if !contains(privateButtons(safer), "pb:support") {
		t.Errorf("the answer to safer has buttons %v; want support", privateButtons(safer))
	}
	dms := h.dmsOf(fac)
	if len(dms) != 1 || !about(dms[0], "Ana", "says things feel a bit safer now.") {
		t.Errorf("the facilitator got %q", dms)
	}
	if ms := h.f.ChannelMessages(groupCh); len(ms) != 1 {
		t.Errorf("%d messages in the group channel, want the status only", len(ms))
	}
	h.checkPayloads()
}
