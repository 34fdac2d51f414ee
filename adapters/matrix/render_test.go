package matrix

import (
	"encoding/json"
	"strings"
	"testing"

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
