package matrix

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// TestRender ensures the bot's markup becomes the expected HTML and plain
// bodies, and that member text stays inert text in both.
func TestRender(t *testing.T) {
	tests := []struct {
		name      string
		in        bot.Text
		html      string
		plain     string
		htmlLacks []string // must not appear in the formatted body
	}{
		{
			name:  "styles",
			in:    append(bot.T("Hi ").B("bold").P(" ").I("it").P(" ").C("!agree").P(" "), bot.Span{Style: bot.Spoiler, Text: "hidden"}),
			html:  `Hi <strong>bold</strong> <em>it</em> <code>!agree</code> <span data-mx-spoiler>hidden</span>`,
			plain: "Hi bold it !agree hidden",
		},
		{
			name:  "link",
			in:    bot.T("See ").Link("Samaritans", "https://www.samaritans.org/"),
			html:  `See <a href="https://www.samaritans.org/">Samaritans</a>`,
			plain: "See Samaritans (https://www.samaritans.org/)",
		},
		{
			name:  "javascript link is not a link",
			in:    bot.T("x ").Link("click", "javascript:alert(1)"),
			html:  `x click`,
			plain: "x click (javascript:alert(1))",
		},
		{
			name:  "lines and list",
			in:    bot.T("Agreement:\n• one\n• two\nThanks"),
			html:  `Agreement:<ul><li>one</li><li>two</li></ul>Thanks`,
			plain: "Agreement:\n• one\n• two\nThanks",
		},
		{
			name:      "html in member text",
			in:        bot.T("from ").U("<b>x</b><img src=y>"),
			html:      `from &lt;b&gt;x&lt;/b&gt;&lt;img src=y&gt;`,
			plain:     "from <b>x</b><img src=y>",
			htmlLacks: []string{"<b>", "<img"},
		},
		{
			name:      "markdown link in member text",
			in:        bot.T("").U("[x](http://evil.example)"),
			html:      "[x](http:\u200b//evil.example)",
			plain:     "[x](http:\u200b//evil.example)",
			htmlLacks: []string{"<a", "http://"},
		},
		{
			name:      "room mention in member text",
			in:        bot.T("").U("hey @room"),
			html:      "hey @\u200broom",
			plain:     "hey @\u200broom",
			htmlLacks: []string{"@room"},
		},
		{
			name:      "user pill in member text",
			in:        bot.T("").U(`<a href="https://matrix.to/#/@mod:example.org">mod</a> @mod:example.org`),
			htmlLacks: []string{"<a", "matrix.to", "@mod"},
		},
		{
			name:      "member text cannot start a list",
			in:        bot.T("").U("• not a bullet"),
			html:      "• not a bullet",
			plain:     "• not a bullet",
			htmlLacks: []string{"<li>"},
		},
		{
			name: "member words behind a spoiler",
			in:   bot.T("They wrote:").NL().Hidden("<b>x</b> @room http://evil.example", "a member's own words"),
			html: `They wrote:<br><span data-mx-spoiler="a member&#39;s own words">&lt;b&gt;x&lt;/b&gt; @` + "\u200b" + `room http:` + "\u200b" + `//evil.example</span>`,
			// The words stay out of the body that notifications show.
			plain:     "They wrote:\n[Spoiler: a member's own words]",
			htmlLacks: []string{"<b>", "@room", "http://"},
		},
		{
			name:      "the warning is escaped in its attribute",
			in:        bot.T("").Hidden("w", `"><img src=x onerror=alert(1)> @room`),
			html:      `<span data-mx-spoiler="&#34;&gt;&lt;img src=x onerror=alert(1)&gt; @room">w</span>`,
			htmlLacks: []string{"<img", `""`},
		},
		{
			name:  "a spoiler without a warning",
			in:    bot.T("").Hidden("w", ""),
			html:  `<span data-mx-spoiler="">w</span>`,
			plain: "[Spoiler]",
		},
		{
			name:  "spoiler words keep their line breaks behind one spoiler",
			in:    bot.T("").Hidden("a\nb\n\nc", "cw").P(" after"),
			html:  `<span data-mx-spoiler="cw">a<br>b<br><br>c</span> after`,
			plain: "[Spoiler: cw] after",
		},
		{
			name:      "spoiler words cannot start a list",
			in:        bot.T("").Hidden("• not a bullet", "cw"),
			html:      `<span data-mx-spoiler="cw">• not a bullet</span>`,
			htmlLacks: []string{"<li>", "<ul>"},
		},
		{
			name:      "spoiler words cannot close the spoiler",
			in:        bot.T("").Hidden("a</span>b<span data-mx-spoiler>c", "cw"),
			html:      `<span data-mx-spoiler="cw">a&lt;/span&gt;b&lt;span data-mx-spoiler&gt;c</span>`,
			htmlLacks: []string{"a</span>"},
		},
		{
			name:  "spoiler words with a NUL stay one line",
			in:    bot.T("").Hidden("a\x00b", "cw"),
			html:  `<span data-mx-spoiler="cw">ab</span>`,
			plain: "[Spoiler: cw]",
		},
		{
			name:  "member text keeps line breaks",
			in:    bot.T("words: ").U("a\nb"),
			html:  "words: a<br>b",
			plain: "words: a\nb",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(tt.in)
			if tt.html != "" && got.HTML != tt.html {
				t.Errorf("html = %q, want %q", got.HTML, tt.html)
			}
			if tt.plain != "" && got.Plain != tt.plain {
				t.Errorf("plain = %q, want %q", got.Plain, tt.plain)
			}
			for _, bad := range tt.htmlLacks {
				if strings.Contains(got.HTML, bad) {
					t.Errorf("html %q contains %q", got.HTML, bad)
				}
			}
		})
	}
}

// TestContentMentions ensures every notice carries an explicit, empty
// m.mentions, so nothing in it can ping a member or the room.
func TestContentMentions(t *testing.T) {
	c := content(bot.T("hi ").U("@room"))
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, `"m.mentions":{}`) || !strings.Contains(s, `"msgtype":"m.notice"`) {
		t.Errorf("content = %s, want an m.notice with empty m.mentions", s)
	}
}

// FuzzSpoiler ensures that whatever a member writes, their words behind a
// spoiler stay inside exactly one spoiler span, never become markup, a
// link, a pill or a room mention, and never reach the plain body.
func FuzzSpoiler(f *testing.F) {
	for _, s := range []string{"", "plain words", "a\nb", "</span><b>x", "@room @mod:example.org", "https://matrix.to/#/@a:b",
		"\x00\n\x00", "• item\n• item", "&lt;&amp;", "data-mx-spoiler", "\"'><"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, words string) {
		if strings.ReplaceAll(words, "\x00", "") == "" {
			t.Skip("no words: no spoiler") // the core never hides nothing
		}
		const warning = "a member's own words"
		got := render(bot.T("Before:").NL().Hidden(words, warning).NL().P("After."))
		open := `<span data-mx-spoiler="a member&#39;s own words">`
		if strings.Count(got.HTML, "<span") != 1 || strings.Count(got.HTML, "</span>") != 1 || strings.Count(got.HTML, open) != 1 {
			t.Fatalf("html %q: want exactly one spoiler span", got.HTML)
		}
		inner := got.HTML[strings.Index(got.HTML, open)+len(open) : strings.Index(got.HTML, "</span>")]
		if strings.ContainsAny(strings.ReplaceAll(inner, "<br>", ""), "<>\"") {
			t.Fatalf("spoiler %q holds markup", inner)
		}
		for _, bad := range []string{"@room", "://", "matrix.to"} {
			if strings.Contains(inner, bad) {
				t.Fatalf("spoiler %q holds %q", inner, bad)
			}
		}
		if got.Plain != "Before:\n[Spoiler: "+warning+"]\nAfter." {
			t.Fatalf("plain = %q, want the warning only", got.Plain)
		}
	})
}

// TestTextLimitWorstCase ensures a round status of TextLimit characters
// made of the characters that grow most (a member's "&"), with the round's
// reactions hint, fits a Matrix event as an edit in an encrypted room.
func TestTextLimitWorstCase(t *testing.T) {
	a := &Adapter{prefix: "!"}
	worst := strings.Repeat("&", 64)
	text := bot.T("").B("Check-in round").P(": ").U(worst).NL()
	for n := 0; utf8.RuneCountInString(text.String()) < a.TextLimit(""); n++ {
		text = text.P("\n• ").U(worst).P(": checked in")
	}
	actions := []bot.Action{
		{Command: "checkin green", Label: "Green", Emoji: "🟢"},
		{Command: "checkin amber", Label: "Amber", Emoji: "🟠"},
		{Command: "checkin red", Label: "Red", Emoji: "🔴"},
		{Command: "pass", Label: "Pass", Emoji: "⏭️"},
		{Command: "checkin", Label: "Add words", Emoji: "✏️", Input: &bot.Input{Label: "A few words"}},
	}
	full, _ := a.withActions("en", text, actions)
	c := content(full)
	c.SetEdit(id.EventID("$" + strings.Repeat("e", 43)))
	plain, err := json.Marshal(map[string]any{"type": "m.room.message", "content": c, "room_id": "!" + strings.Repeat("r", 18) + ":matrix.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	// Megolm: version, index, AES-CBC padding, MAC and signature, then
	// base64; the envelope (ids, hashes, signatures, the relation copied
	// outside the ciphertext) is well under 4 KiB.
	encrypted := (len(plain)+1+8+16+8+64)*4/3 + 4096
	if encrypted > maxEvent {
		t.Errorf("a worst-case status of %d characters makes a %d-byte event, over %d", a.TextLimit(""), encrypted, maxEvent)
	}
	t.Logf("worst case: %d bytes of content, about %d as an encrypted event", len(plain), encrypted)
}
