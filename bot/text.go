package bot

import "strings"

// Style says how a Span of Text is shown.
type Style uint8

const (
	// Plain is the bot's own unformatted words. May contain "\n".
	Plain Style = iota
	// Bold is the bot's own words, emphasised.
	Bold
	// Italic is the bot's own words, in italics.
	Italic
	// Code is a command or other literal the member may type ("!agree").
	Code
	// Link is a link; Span.URL is the target and Span.Text the label
	// (which may equal the URL). Only the bot's own, vetted URLs are links.
	Link
	// Spoiler hides its (bot-chosen) text until the reader reveals it.
	Spoiler
	// Cmd is a command line without prefix ("checkin amber"). The core
	// turns it into Code with the prefix members type on the receiving
	// platform ("!" on Matrix and the console, "/" on Discord) before
	// delivery, so adapters never see a Cmd span.
	Cmd
	// User is text that came from a person: names, check-in words, agreement
	// text, prompts. Adapters must show it literally: escaped so that it can
	// never become a mention, a link, HTML or formatting. It may contain "\n".
	User
	// UserSpoiler is text that came from a person, shown behind the
	// platform's spoiler so that readers choose to reveal it (Discord
	// ||…||, Matrix data-mx-spoiler with Span.Warning as the reason, the
	// console a "[cw]" marker). Escaped exactly like User.
	UserSpoiler
	// Msg is a message of the catalog (lang.go), put into words in the
	// receiving member's or group's language before delivery, so adapters
	// never see a Msg span. Span.Text is the message's key.
	Msg
)

// Span is one run of Text in one Style.
type Span struct {
	Style Style
	Text  string
	URL   string // for Link only
	// Warning is the content warning of a UserSpoiler (the bot's words; a
	// message key until the text is resolved).
	Warning string

	msg *msgRef // for Msg only
}

// Text is a message in peerbot's small neutral markup: a sequence of spans.
// Lines are separated by "\n" inside spans; a line that starts with "• " is a
// list item. Adapters render Text for their platform (see adapters/*/render*.go).
type Text []Span

// T starts a Text with the bot's own plain words.
func T(s string) Text { return Text{{Style: Plain, Text: s}} }

// P appends the bot's own plain words.
func (t Text) P(s string) Text { return append(t, Span{Style: Plain, Text: s}) }

// B appends bold words.
func (t Text) B(s string) Text { return append(t, Span{Style: Bold, Text: s}) }

// I appends italic words.
func (t Text) I(s string) Text { return append(t, Span{Style: Italic, Text: s}) }

// C appends a literal command or code.
func (t Text) C(s string) Text { return append(t, Span{Style: Code, Text: s}) }

// Cmd appends a command line without prefix (see the Cmd style).
func (t Text) Cmd(s string) Text { return append(t, Span{Style: Cmd, Text: s}) }

// Link appends a link with a label.
func (t Text) Link(label, url string) Text {
	return append(t, Span{Style: Link, Text: label, URL: url})
}

// U appends text that came from a person; it is always escaped on output.
func (t Text) U(s string) Text { return append(t, Span{Style: User, Text: s}) }

// Hidden appends text that came from a person behind a spoiler with the
// bot's content warning (see UserSpoiler).
func (t Text) Hidden(s, warning string) Text {
	return append(t, Span{Style: UserSpoiler, Text: s, Warning: warning})
}

// user is a Text of words that came from a person (see U).
func user(s string) Text { return Text{{Style: User, Text: s}} }

// NL appends a line break.
func (t Text) NL() Text { return append(t, Span{Style: Plain, Text: "\n"}) }

// Add appends all spans of u.
func (t Text) Add(u Text) Text { return append(t, u...) }

// String returns the text with all markup dropped and user text as is.
// It is for logs of the bot's own texts and for tests; adapters use their
// own renderers.
func (t Text) String() string {
	var b strings.Builder
	for _, s := range english.Resolve(t) {
		b.WriteString(s.Text)
		if s.Style == Link && s.URL != "" && s.URL != s.Text {
			b.WriteString(" (" + s.URL + ")")
		}
	}
	return b.String()
}

// Lines splits the text into lines, each a Text. Spans are cut at "\n".
func (t Text) Lines() []Text {
	var out []Text
	cur := Text{}
	for _, s := range english.Resolve(t) {
		parts := strings.Split(s.Text, "\n")
		for i, p := range parts {
			if i > 0 {
				out = append(out, cur)
				cur = Text{}
			}
			if p != "" {
				cur = append(cur, Span{Style: s.Style, Text: p, URL: s.URL, Warning: s.Warning})
			}
		}
	}
	return append(out, cur)
}
