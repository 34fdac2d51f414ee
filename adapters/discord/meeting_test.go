package discord

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
)

// buttonIDs lists the custom ids of a message's buttons.
func buttonIDs(m dt.Message) []string {
	var ids []string
	for _, row := range dt.DecodeComponents(m.Components) {
		for _, c := range row.Components {
			ids = append(ids, c.CustomID)
		}
	}
	return ids
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestMeetingRound ensures a whole check-in round works through Discord:
// a facilitator opens it, members check in by button, by modal and by
// slash command (one privately, one red), the live status is one message
// edited in place, the red check-in offers "Let a facilitator know", and
// private words reach only the facilitator.
func TestMeetingRound(t *testing.T) {
	h := newHarness(t)
	const secret = "SECRETWORDS only for facilitators"

	start := h.slash(fac, groupCh, "facilitator", "round start", dt.O("minutes", 30), dt.O("prompt", "How are you arriving today?"))
	if start.Response != 4 {
		t.Fatalf("/round start response type %d, want 4", start.Response)
	}
	h.ephemeral(start)
	status := h.lastMessage(groupCh)
	if !strings.Contains(status.Content, "How are you arriving today?") {
		t.Errorf("status message: %q", status.Content)
	}
	ids := buttonIDs(status)
	for _, want := range []string{"pb:checkin green", "pb:checkin amber", "pb:checkin red", "pb:pass", "pbi:checkin"} {
		if !contains(ids, want) {
			t.Errorf("status message lacks button %q (has %v)", want, ids)
		}
	}

	// Ana checks in green with a button: one ephemeral response.
	in := h.click(ana, status.ID, "pb:checkin green")
	if in.Response != 4 || len(h.ephemeral(in)) != 1 {
		t.Errorf("button check-in: response %d, messages %q", in.Response, h.ephemeral(in))
	}

	// Ben uses "Add words": a modal, then his words.
	open := h.click(ben, status.ID, "pbi:checkin")
	if open.Response != 9 {
		t.Fatalf("Add words opened response type %d, want a modal (9)", open.Response)
	}
	var modal struct {
		Title      string         `json:"title"`
		Components []dt.Component `json:"components"`
	}
	_ = json.Unmarshal(open.Data, &modal)
	if len(modal.Components) != 1 || modal.Components[0].Components[0].Style != 2 {
		t.Fatalf("modal should have one paragraph input: %s", open.Data)
	}
	if field := modal.Components[0].Components[0]; modal.Title != "Add words" || field.Label != "A few words about how you are" {
		t.Errorf("modal title %q, field label %q", modal.Title, field.Label)
	}
	sub := h.submit(ben, open.ID, "amber tired but here")
	if sub.Response != 4 || len(h.ephemeral(sub)) != 1 {
		t.Errorf("modal check-in: response %d, %q", sub.Response, h.ephemeral(sub))
	}
	// The modal's text is the words, never read again as a command line.
	if ci := h.checkInOf(h.openRound(), ben); ci.Words != "amber tired but here" || ci.Colour != bot.NoColour {
		t.Errorf("modal check-in stored %+v; want the text as words only", ci)
	}

	// Cat checks in privately by slash command.
	priv := h.slash(cat, groupCh, "checkin", "", dt.O("private", true), dt.O("colour", "amber"), dt.O("words", secret))
	if len(h.ephemeral(priv)) == 0 {
		t.Errorf("private check-in got no private answer")
	}

	// Dee checks in red: the answer carries a "Let a facilitator know" button.
	red := h.click(dee, status.ID, "pb:checkin red")
	msgs := h.ephemeral(red)
	if len(msgs) != 2 {
		t.Fatalf("red check-in: %d private messages, want the acknowledgement and the red note", len(msgs))
	}
	note := red.Followups[0]
	if !contains(buttonIDs(*note), "pb:support") {
		t.Fatalf("red note lacks the support button: %v", buttonIDs(*note))
	}
	sup := h.click(dee, note.ID, "pb:support")
	if len(h.ephemeral(sup)) == 0 {
		t.Errorf("support press got no private answer")
	}

	h.flush()
	got, _ := h.f.Message(status.ID)
	for _, want := range []string{"Ana", "Ben", "Cat", "Dee"} {
		if !strings.Contains(got.Content, want) {
			t.Errorf("status lacks %s: %q", want, got.Content)
		}
	}
	if strings.Contains(got.Content, secret) {
		t.Errorf("status shows private words")
	}
	if !contains(buttonIDs(got), "pb:pass") {
		t.Errorf("status edit removed the buttons of the open round")
	}

	// The facilitator is told privately (DM): Cat's words, Dee's request.
	dm := h.f.DMChannel(fac)
	if dm == "" {
		t.Fatal("facilitator got no DM")
	}
	var dms []string
	for _, m := range h.f.ChannelMessages(dm) {
		dms = append(dms, m.Content)
	}
	all := strings.Join(dms, "\n")
	if !strings.Contains(all, secret) || !strings.Contains(all, "Dee") {
		t.Errorf("facilitator DMs: %q", dms)
	}

	end := h.slash(fac, groupCh, "facilitator", "round end")
	h.ephemeral(end)
	h.flush()
	got, _ = h.f.Message(status.ID)
	if !strings.Contains(got.Content, "closed") {
		t.Errorf("final status: %q", got.Content)
	}
	if ids := buttonIDs(got); len(ids) != 0 {
		t.Errorf("the closed round's status still has buttons %v", ids)
	}
	if last := h.lastMessage(groupCh); last.ID == status.ID || strings.Contains(last.Content, secret) {
		t.Errorf("no summary after the round, or it shows private words: %q", last.Content)
	}

	// Private words appear only in ephemeral payloads and the facilitator's DM.
	for _, r := range h.f.Requests() {
		if !strings.Contains(string(r.Body), secret) {
			continue
		}
		if !privatePayload(r, dm) {
			t.Errorf("private words in %s %s: %s", r.Method, r.Path, r.Body)
		}
	}
	// One live status message; check-ins cost one response each.
	if n := len(h.f.RequestsTo("POST", `/channels/`+groupCh+`/messages$`)); n != 2 {
		t.Errorf("%d messages posted in the group channel, want 2 (status and summary)", n)
	}
	if strings.Contains(h.logs.String(), secret) || strings.Contains(h.logs.String(), "tired but here") {
		t.Errorf("logs contain check-in words")
	}
	h.checkPayloads()
}

// privatePayload reports whether a request shows its content only to the
// member who acted (an ephemeral response or follow-up) or goes to the DM
// channel dm.
func privatePayload(r dt.Request, dm string) bool {
	if strings.Contains(r.Path, "/channels/"+dm+"/") {
		return true
	}
	var body struct {
		Flags int `json:"flags"`
		Data  struct {
			Flags int `json:"flags"`
		} `json:"data"`
	}
	_ = json.Unmarshal(r.Body, &body)
	switch {
	case strings.HasSuffix(r.Path, "/callback"):
		return body.Data.Flags&64 != 0
	case strings.HasPrefix(r.Path, "/api/v9/webhooks/") && r.Method == "POST":
		return body.Flags&64 != 0
	case strings.HasPrefix(r.Path, "/api/v9/webhooks/") && r.Method == "PATCH":
		return true // edits of a deferred ephemeral response stay ephemeral
	}
	return false
}

// openRound returns the round open in the group channel, as stored.
func (h *harness) openRound() bot.Round {
	h.t.Helper()
	r, err := h.st.OpenRound(context.Background(), "discord:"+groupCh)
	if err != nil {
		h.t.Fatalf("no open round: %v", err)
	}
	return r
}

// checkInOf returns a member's stored check-in in round r.
func (h *harness) checkInOf(r bot.Round, user string) bot.CheckIn {
	h.t.Helper()
	ci, err := h.st.MemberCheckIn(context.Background(), r.ID, bot.MemberID("discord:"+user))
	if err != nil {
		h.t.Fatalf("no check-in of %s: %v", user, err)
	}
	return ci
}

// TestSlashWordsAreNotAColour ensures words typed into /checkin's words
// option stay words: "red flag at work today" stores no colour, sends no
// red note, and the status does not show red.
func TestSlashWordsAreNotAColour(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	in := h.slash(ana, groupCh, "checkin", "", dt.O("words", "red flag at work today"))
	msgs := h.ephemeral(in)
	if len(msgs) != 1 || len(in.Followups) != 0 || strings.Contains(msgs[0], "red") {
		t.Errorf("Ana was answered %q; want one acknowledgement and no red note", msgs)
	}
	if in.Original != nil && contains(buttonIDs(*in.Original), "pb:support") {
		t.Errorf("the answer offers the support button, as after a red check-in")
	}
	ci := h.checkInOf(h.openRound(), ana)
	if ci.Colour != bot.NoColour || ci.Words != "red flag at work today" || ci.Private {
		t.Errorf("stored check-in %+v; want the words, no colour, not private", ci)
	}
	h.flush()
	status := h.lastMessage(groupCh)
	if !strings.Contains(status.Content, "Ana: checked in") || strings.Contains(status.Content, "🔴") {
		t.Errorf("status: %q; want Ana checked in without a colour", status.Content)
	}
	h.checkPayloads()
}

// TestSlashWordsAreNotPrivate ensures "private" typed into /checkin's words
// option does not make the check-in private: nothing goes to the
// facilitators, and the words stay the member's words.
func TestSlashWordsAreNotPrivate(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start"))
	h.ephemeral(h.slash(ana, groupCh, "checkin", "", dt.O("words", "private matter")))
	ci := h.checkInOf(h.openRound(), ana)
	if ci.Private || ci.Words != "private matter" {
		t.Errorf("stored check-in %+v; want the words, not private", ci)
	}
	if dm := h.f.DMChannel(fac); dm != "" {
		t.Errorf("the facilitator was sent %d DMs", len(h.f.ChannelMessages(dm)))
	}
	if n := len(h.f.ChannelMessages(facCh)); n != 0 {
		t.Errorf("%d messages in the facilitators' channel", n)
	}
	for _, r := range h.f.Requests() {
		if strings.Contains(string(r.Body), "private matter") {
			t.Errorf("the words left Ana's own answer: %s %s", r.Method, r.Path)
		}
	}
	h.checkPayloads()
}

// TestSlashPromptStartingWithNumber ensures /round start prompt:"3 good
// things" opens a 30-minute round with that prompt, not a 3-minute round
// about "good things".
func TestSlashPromptStartingWithNumber(t *testing.T) {
	h := newHarness(t)
	h.ephemeral(h.slash(fac, groupCh, "facilitator", "round start", dt.O("prompt", "3 good things")))
	r := h.openRound()
	if r.Prompt != "3 good things" || r.ClosesAt.Sub(r.OpenedAt) != 30*time.Minute {
		t.Errorf("stored round: prompt %q, open for %v; want \"3 good things\" for 30m", r.Prompt, r.ClosesAt.Sub(r.OpenedAt))
	}
	status := h.lastMessage(groupCh)
	if !strings.Contains(status.Content, "3 good things") || !strings.Contains(status.Content, "Open until 18:30 (UTC)") {
		t.Errorf("status: %q; want the prompt and a close at 18:30", status.Content)
	}
	h.clock.Advance(29 * time.Minute)
	if got, _ := h.f.Message(status.ID); strings.Contains(got.Content, "closed") {
		t.Errorf("the round closed before its 30 minutes: %q", got.Content)
	}
	h.clock.Advance(time.Minute) // the core's own loop closes it
	h.flush()
	if got, _ := h.f.Message(status.ID); !strings.Contains(got.Content, "closed") {
		t.Errorf("the round is still open after 30 minutes: %q", got.Content)
	}
	h.checkPayloads()
}
