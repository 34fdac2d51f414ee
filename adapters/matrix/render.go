package matrix

import (
	"html"
	"net/url"
	"strings"

	"maunium.net/go/mautrix/event"

	"github.com/peerbot/peerbot/bot"
)

// rendered is a bot.Text turned into Matrix's two bodies.
type rendered struct {
	Plain string // body: what clients without HTML show
	HTML  string // formatted_body, format org.matrix.custom.html
}

// render turns t into an HTML formatted body and a plain body. Lines that
// start with "• " become list items. Every User and UserSpoiler span is
// escaped and neutralised (see neutralise) so that member text can never
// become HTML, Markdown, a link, a pill or a mention.
func render(t bot.Text) rendered {
	var plain, out strings.Builder
	inList := false
	lines := keepSpoilersWhole(t).Lines()
	for i, line := range lines {
		item := isListItem(line)
		if item {
			line = trimBullet(line)
			if !inList {
				out.WriteString("<ul>")
				inList = true
			}
			out.WriteString("<li>")
		} else if inList {
			out.WriteString("</ul>")
			inList = false
		} else if i > 0 {
			out.WriteString("<br>")
		}
		if i > 0 {
			plain.WriteString("\n")
		}
		if item {
			plain.WriteString("• ")
		}
		for _, s := range line {
			renderSpan(&out, &plain, s)
		}
		if item {
			out.WriteString("</li>")
		}
	}
	if inList {
		out.WriteString("</ul>")
	}
	return rendered{Plain: plain.String(), HTML: out.String()}
}

func isListItem(line bot.Text) bool {
	return len(line) > 0 && !fromPerson(line[0].Style) && strings.HasPrefix(line[0].Text, "• ")
}

// fromPerson reports whether spans of style s hold a person's words.
func fromPerson(s bot.Style) bool { return s == bot.User || s == bot.UserSpoiler }

// spoilerBreak stands for a line break inside a UserSpoiler span while the
// text is cut into lines, so that the member's words stay behind one
// spoiler; renderSpan turns it back into a line break inside the span.
const spoilerBreak = "\x00"

// keepSpoilersWhole returns t with the line breaks of UserSpoiler spans
// replaced by spoilerBreak, and any spoilerBreak the words held already
// dropped.
func keepSpoilersWhole(t bot.Text) bot.Text {
	out := make(bot.Text, len(t))
	for i, s := range t {
		if s.Style == bot.UserSpoiler {
			s.Text = strings.ReplaceAll(strings.ReplaceAll(s.Text, spoilerBreak, ""), "\n", spoilerBreak)
		}
		out[i] = s
	}
	return out
}

func trimBullet(line bot.Text) bot.Text {
	first := line[0]
	first.Text = strings.TrimPrefix(first.Text, "• ")
	out := append(bot.Text{}, line...)
	if first.Text == "" {
		return out[1:]
	}
	out[0] = first
	return out
}

func renderSpan(out, plain *strings.Builder, s bot.Span) {
	switch s.Style {
	case bot.Bold:
		out.WriteString("<strong>" + html.EscapeString(s.Text) + "</strong>")
		plain.WriteString(s.Text)
	case bot.Italic:
		out.WriteString("<em>" + html.EscapeString(s.Text) + "</em>")
		plain.WriteString(s.Text)
	case bot.Code, bot.Cmd: // the core turns Cmd into Code before delivery
		out.WriteString("<code>" + html.EscapeString(s.Text) + "</code>")
		plain.WriteString(s.Text)
	case bot.Link:
		if u, err := url.Parse(s.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http" || u.Scheme == "tel") {
			out.WriteString(`<a href="` + html.EscapeString(s.URL) + `">` + html.EscapeString(s.Text) + "</a>")
		} else {
			out.WriteString(html.EscapeString(s.Text))
		}
		plain.WriteString(s.Text)
		if s.URL != "" && s.URL != s.Text {
			plain.WriteString(" (" + s.URL + ")")
		}
	case bot.Spoiler:
		out.WriteString("<span data-mx-spoiler>" + html.EscapeString(s.Text) + "</span>")
		plain.WriteString(s.Text)
	case bot.User:
		n := neutralise(s.Text)
		out.WriteString(html.EscapeString(n))
		plain.WriteString(n)
	case bot.UserSpoiler:
		// Clients that show HTML hide the words until the reader reveals
		// them, showing the warning. The plain body, which clients show in
		// notifications and room previews, carries the warning only: the
		// Matrix spec (Spoilers) says the fallback should omit the spoiler
		// text, which would otherwise reach a lock screen unasked.
		parts := strings.Split(s.Text, spoilerBreak)
		for i, p := range parts {
			parts[i] = html.EscapeString(neutralise(p))
		}
		out.WriteString(`<span data-mx-spoiler="` + html.EscapeString(s.Warning) + `">` + strings.Join(parts, "<br>") + "</span>")
		if s.Warning == "" {
			plain.WriteString("[Spoiler]")
		} else {
			plain.WriteString("[Spoiler: " + s.Warning + "]")
		}
	default:
		out.WriteString(html.EscapeString(s.Text))
		plain.WriteString(s.Text)
	}
}

// zwsp is a zero-width space, used to break up sequences that clients
// would otherwise turn into links, pills or mentions.
const zwsp = "\u200b"

// neutralise makes member text inert beyond HTML escaping, which the caller
// does. Clients linkify bare URLs and matrix.to links, highlight "@room",
// and turn "@user:server" into pills in some clients; a zero-width space
// after "@" and inside "://" and "matrix.to" stops all of these while the
// text still reads the same. Markdown has no effect in formatted_body, and
// the plain body is only shown as text.
func neutralise(s string) string {
	r := strings.NewReplacer(
		"@", "@"+zwsp,
		"://", ":"+zwsp+"//",
		"matrix.to", "matrix"+zwsp+".to",
		"www.", "www"+zwsp+".",
	)
	return r.Replace(s)
}

// maxEvent is the most a Matrix event may hold, in bytes of its JSON,
// envelope (ids, hashes, signatures) included (spec: Size limits).
const maxEvent = 65536

// textLimit is how many characters of Text.String() a message may carry
// and still fit in maxEvent whatever they are. The worst character is "&"
// in a member's words: "\u0026" (6 bytes) in the JSON of the plain body and
// "\u0026amp;" (10) in the formatted body, 16 bytes; Go's JSON escapes <, >
// and & that way. An edit carries both bodies once, in m.new_content (its
// fallback body is cut short by mautrix). Megolm then grows the whole
// content by a third (base64), and the event's envelope takes up to about
// 4 KiB: (65536 - 4096) × 3/4 / 16 ≈ 2,880 characters. 2,600 leaves room
// for the reactions hint the adapter adds and the markup of each line
// (TestTextLimitWorstCase measures it).
const textLimit = 2600

// TextLimit is the size of a round status the core may send to group g: a
// budget that fits a Matrix event however the names are made up.
func (a *Adapter) TextLimit(bot.GroupID) int { return textLimit }

// content builds the m.notice event content for t. Mentions are set
// explicitly and empty, so no member text can ping anyone or the room.
func content(t bot.Text) *event.MessageEventContent {
	r := render(t)
	return &event.MessageEventContent{
		MsgType:       event.MsgNotice,
		Body:          r.Plain,
		Format:        event.FormatHTML,
		FormattedBody: r.HTML,
		Mentions:      &event.Mentions{},
	}
}
