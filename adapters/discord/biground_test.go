package discord

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
)

// Big groups (issue #10, item 6): a round's live status is one Discord
// message, which Discord refuses over 2,000 characters (the fake too, with
// Discord's 400 50035). The core keeps the list within TextLimit and ends
// it with "…and N more"; the adapter renders within 2,000 whatever the
// names.

// worstName is a display name of 64 characters that Discord markdown all
// gives a meaning to, so that escaping each with a backslash would double
// it.
func worstName(i int) string {
	const marks = "*_~`|<>#-+[]():.@\\"
	n := strconv.Itoa(i)
	var b strings.Builder
	for j := 0; b.Len() < 64-len(n); j++ {
		b.WriteByte(marks[j%len(marks)])
	}
	return b.String() + n
}

// bigRound opens a round with prompt, has members check in (every tenth
// passes, the others green, amber or red in turn, shown in the group), in
// batches so Discord's 3 seconds hold, and returns the status message as
// it ends up.
func bigRound(h *harness, prompt string, members []string) dt.Message {
	h.t.Helper()
	h.ephemeral(h.slash(fac, groupCh, facilitatorCommand, "round start", dt.O("minutes", 120), dt.O("prompt", prompt)))
	status := h.lastMessage(groupCh)
	colours := []string{"green", "amber", "red"}
	for i := 0; i < len(members); i += 50 {
		var ids []string
		for j := i; j < min(i+50, len(members)); j++ {
			if j%10 == 9 {
				ids = append(ids, h.f.Slash(members[j], groupCh, "pass", ""))
			} else {
				ids = append(ids, h.f.Slash(members[j], groupCh, "checkin", "", dt.O("colour", colours[j%3]), dt.O("public", true)))
			}
		}
		for _, id := range ids {
			h.wait(id)
		}
	}
	h.flush()
	got, _ := h.f.Message(status.ID)
	return got
}

var moreLine = regexp.MustCompile(`\n…and (\d+) more \((\d+) in this round so far; (\d+) of them passed\)\.$`)

// checkBigStatus asserts the status is within Discord's limit, lists
// some members and counts the rest so that the numbers add up.
func checkBigStatus(t *testing.T, content string, total, passed int) (listed int) {
	t.Helper()
	if n := utf8.RuneCountInString(content); n > maxContent {
		t.Fatalf("status is %d characters", n)
	}
	m := moreLine.FindStringSubmatch(content)
	if m == nil {
		t.Fatalf("status does not end with the rest counted: …%q", content[max(0, len(content)-300):])
	}
	listed = strings.Count(content, "\n• ")
	more, _ := strconv.Atoi(m[1])
	if listed+more != total || m[2] != strconv.Itoa(total) {
		t.Errorf("%d listed and %d more, %s in all; want %d", listed, more, m[2], total)
	}
	if want := passed - strings.Count(content, ": passed"); m[3] != strconv.Itoa(want) {
		t.Errorf("%s of the rest passed, want %d", m[3], want)
	}
	return listed
}

// TestBigRound ensures a 1,000-member round on Discord: the status stays
// one message within 2,000 characters, ends with "…and N more" (the counts
// adding up), keeps being edited as members check in, and the summary's
// counts are whole. The first 100 names and the prompt are all markdown
// characters (the worst case for escaping): they are shown one character
// for one, inert. Discord never refused a message.
func TestBigRound(t *testing.T) {
	h := newHarness(t)
	var members []string
	for i := range 1000 {
		id := strconv.Itoa(410000000000000000 + i)
		name := fmt.Sprintf("Member %d", i)
		if i < 100 {
			name = worstName(i)
		}
		h.f.AddUser(dt.User{ID: id, Name: name})
		members = append(members, id)
	}
	prompt := strings.Repeat("*@", 100)
	status := bigRound(h, prompt, members)
	content := status.Content
	listed := checkBigStatus(t, content, 1000, 100)
	if listed < 10 {
		t.Errorf("only %d members listed", listed)
	}
	shown := 0
	for i := range 100 {
		if strings.Contains(content, "• "+compactUser(worstName(i))+": ") {
			shown++
		}
	}
	if shown == 0 || !strings.Contains(content, ": "+compactUser(prompt)+"\n") {
		t.Errorf("the worst-case names (%d shown) or the prompt are not shown inert, one for one: %q", shown, content)
	}
	if strings.Contains(content, "@") || strings.Contains(content, "\\") {
		t.Errorf("member text is not inert in the compact status: %q", content[:300])
	}

	// One more member checks in: the status is edited again, still whole.
	edits := status.Edits
	h.f.AddUser(dt.User{ID: "420000000000000000", Name: "Late"})
	h.said(h.slash("420000000000000000", groupCh, "checkin", "", dt.O("colour", "amber"), dt.O("public", true)))
	h.flush()
	after, _ := h.f.Message(status.ID)
	if after.Edits <= edits {
		t.Errorf("the status was not edited after the 1,001st check-in (%d edits)", after.Edits)
	}
	checkBigStatus(t, after.Content, 1001, 100)

	h.ephemeral(h.slash(fac, groupCh, facilitatorCommand, "round end"))
	summary := h.lastMessage(groupCh).Content
	// 1,001 check-ins, 100 passes; colours in turn over the rest, the late one amber.
	for _, want := range []string{"901 people checked in, 100 passed", "🟢 green 300 · 🟠 amber 301 · 🔴 red 300"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q: %q", want, summary)
		}
	}
	for _, r := range h.f.Requests() {
		if r.Status == 400 {
			t.Errorf("Discord refused %s %s", r.Method, r.Path)
		}
	}
	h.checkPayloads()
}

// TestBigRoundPlainNames ensures that with ordinary names the status uses
// Discord's room (more than 60 of 1,000 members listed) and keeps the
// usual escaping.
func TestBigRoundPlainNames(t *testing.T) {
	h := newHarness(t)
	var members []string
	for i := range 1000 {
		id := strconv.Itoa(410000000000000000 + i)
		h.f.AddUser(dt.User{ID: id, Name: fmt.Sprintf("Member_%d", i)})
		members = append(members, id)
	}
	content := bigRound(h, "How are you arriving today?", members).Content
	if listed := checkBigStatus(t, content, 1000, 100); listed < 60 {
		t.Errorf("only %d members listed in %d characters", listed, utf8.RuneCountInString(content))
	}
	if !strings.Contains(content, "• Member\\_0: 🟢 green") && !strings.Contains(content, "• Member\\_1: 🟠 amber") {
		t.Errorf("names not escaped as usual: %q", content[:400])
	}
}

// TestStatusRenderWithinLimit ensures any status the core keeps within
// TextLimit renders within Discord's 2,000 characters: the bot's markup
// fits in statusMarkup, and members' words are shown one character for
// one when backslashes would not fit.
func TestStatusRenderWithinLimit(t *testing.T) {
	a := &Adapter{}
	limit := a.TextLimit("discord:1")
	// The core's status: a header of the bot's words with bold and
	// command spans, a prompt, then names.
	header := bot.T("").B("Check-in round").P(": ").U(strings.Repeat("@", 200)).NL().
		P("Check in with ").C("/checkin green, amber or red").P(", or ").C("/pass").P(".").NL().
		P("Words only for the facilitators: send me ").C("/checkin private amber …").P(" privately.").NL().
		P("Need help now? ").C("/crisis").P(" — only you see the answer.")
	for i, name := range []string{strings.Repeat("*", 64), strings.Repeat("\\", 64), "Sam", strings.Repeat("é", 64)} {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			text := header
			line := bot.T("\n• ").U(name).P(": 🟢 green")
			for utf8.RuneCountInString(text.String()+line.String())+80 <= limit {
				text = text.Add(line)
			}
			text = text.P("\n…and 999 more (1000 in this round so far; 99 of them passed).")
			if n := utf8.RuneCountInString(text.String()); n > limit {
				t.Fatalf("built %d characters, over the limit %d", n, limit)
			}
			content := a.render(text, false)
			if utf8.RuneCountInString(content) > maxContent {
				content = a.render(text, true)
			}
			if n := utf8.RuneCountInString(content); n > maxContent {
				t.Errorf("rendered %d characters", n)
			}
		})
	}
}

// TestCompactUser ensures the compact escaping keeps every markdown
// character and "@" inert, one character for one.
func TestCompactUser(t *testing.T) {
	in := "**b** __u__ ~~s~~ `c` ||x|| <@123> @everyone # h\n> q\n- l\n1. n [l](https://e.example) \\ \r"
	got := compactUser(in)
	if utf8.RuneCountInString(got) != utf8.RuneCountInString(in)-1 { // "\r" dropped
		t.Errorf("%d characters for %d", utf8.RuneCountInString(got), utf8.RuneCountInString(in))
	}
	for _, r := range escaped + "@" {
		if strings.ContainsRune(got, r) {
			t.Errorf("%q left in %q", r, got)
		}
	}
	if want := "＊＊b＊＊ ＿＿u＿＿ ～～s～～ ｀c｀ ｜｜x｜｜ ＜＠123＞ ＠everyone ＃ h\n＞ q\n－ l\n1． n ［l］（https：//e．example） ＼ "; got != want {
		t.Errorf("compactUser = %q\nwant          %q", got, want)
	}
}
